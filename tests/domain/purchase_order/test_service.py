"""Purchase-order rules at the service layer: lines, numbers, the workflow, receipts and the inventory they
move, who may do what, and the tenant (the UpKeep wire behaviour is in tests/api/upkeep/test_purchase_orders.py,
parallel requests in tests/concurrency/test_purchase_orders.py)."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from premises.errors import DomainValidation, ErrorCode, InvalidState, NotFound, PermissionDenied
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.models import Part, PartInventoryMove, PurchaseOrder
from premises.part import service as parts
from premises.part.commands import PartChanges, PartCreate
from premises.purchase_order import queries, service
from premises.purchase_order.commands import OrderLine, PurchaseOrderChanges, PurchaseOrderCreate, Receipt
from tests.domain.conftest import DomainAccount
from tests.domain.reading import read


def _part(account: DomainAccount, name: str = "Filter", **fields: object) -> Part:
    return account.write(lambda s: parts.create_part(s, account.admin, PartCreate(name=name, **fields)))  # type: ignore[arg-type]


def _order(
    account: DomainAccount, *lines: tuple[str, float | None], by: Principal | None = None, **fields: object
) -> PurchaseOrder:
    command = PurchaseOrderCreate(
        title=str(fields.pop("title", "Spares")),
        parts=[OrderLine(part_id, quantity) for part_id, quantity in lines],
        **fields,  # type: ignore[arg-type]
    )
    return account.write(lambda s: service.create_purchase_order(s, by or account.admin, command))


def _change(account: DomainAccount, order_id: str, by: Principal | None = None, **changes: object) -> PurchaseOrder:
    command = PurchaseOrderChanges(**changes)  # type: ignore[arg-type]
    return account.write(lambda s: service.update_purchase_order(s, by or account.admin, order_id, command))


def _receive(account: DomainAccount, order_id: str, by: Principal | None = None, **counts: float) -> PurchaseOrder:
    return _change(account, order_id, by, receipt=Receipt(counts))


def _stored(account: DomainAccount, order_id: str) -> PurchaseOrder:
    order = account.write(lambda s: s.get(PurchaseOrder, (account.account_id, order_id)))
    assert order is not None
    return order


def _quantity(account: DomainAccount, part_id: str) -> float:
    return account.write(lambda s: s.get(Part, (account.account_id, part_id)).quantity)  # type: ignore[union-attr]


def _received(account: DomainAccount, order_id: str) -> list[tuple[str, float, str | None, str | None]]:
    """The purchase-order ledger rows of the account: (part id, delta, source id, user id), oldest first."""
    return account.write(
        lambda s: [
            (m.part_id, m.delta, m.source_id, m.user_id)
            for m in s.scalars(
                select(PartInventoryMove)
                .where(
                    PartInventoryMove.account_id == account.account_id,
                    PartInventoryMove.reason == "purchase_order",
                    PartInventoryMove.source_id == order_id,
                )
                .order_by(PartInventoryMove.id)
            )
        ]
    )


def _lines(database_url: str, account: DomainAccount, order_id: str) -> list[tuple[str, float, float, float | None]]:
    detail = read(database_url, lambda r: queries.purchase_order_detail(r, account.admin, order_id))
    return [(line["part_id"], line["quantity"], line["received"], line["unit_cost"]) for line in detail.lines]


# ------------------------------------------------------------------------------------------ creating


def test_create_stores_the_lines_at_the_parts_cost_when_ordered(account: DomainAccount, database_url: str) -> None:
    a, b = _part(account, "A", cost=2.5, quantity=1), _part(account, "B", cost=10)
    order = _order(account, (a.id, 2), (b.id, 1), (a.id, 0.5), title=" Spares ", tax=3)  # a repeated part adds up
    assert (order.title, order.status, order.tax) == ("Spares", "awaiting", 3)
    assert order.created_by_user_id == account.admin.user_id
    account.write(lambda s: parts.update_part(s, account.admin, a.id, PartChanges(cost=99)))  # later: no effect
    lines = _lines(database_url, account, order.id)
    assert sorted(lines) == sorted([(a.id, 2.5, 0, 2.5), (b.id, 1, 0, 10)])
    assert sum(quantity * (cost or 0) for _, quantity, _, cost in lines) == 16.25  # what the totals add up
    assert _quantity(account, a.id) == 1  # ordering moves nothing
    assert _received(account, order.id) == []
    assert account.event_types(order.id) == ["PURCHASE_ORDER_CREATED"]


@pytest.mark.parametrize(
    ("quantity", "code"), [(None, ErrorCode.REQUIRED), (0, ErrorCode.OUT_OF_RANGE), (-1, ErrorCode.OUT_OF_RANGE)]
)
def test_every_line_needs_a_positive_quantity(account: DomainAccount, quantity: float | None, code: ErrorCode) -> None:
    part = _part(account)
    with pytest.raises(DomainValidation) as raised:
        _order(account, (part.id, 1), (part.id, quantity))
    assert (raised.value.code, raised.value.field) == (code, "parts[1].quantity")


def test_fields_are_checked(account: DomainAccount) -> None:
    for fields, code, field in (
        ({"title": "  "}, ErrorCode.REQUIRED, "title"),
        ({"shipping_cost": -1}, ErrorCode.NEGATIVE, "shipping_cost"),
        ({"purchase_order_number": -1}, ErrorCode.OUT_OF_RANGE, "purchase_order_number"),
        ({"vendor_id": "NOSUCHVENDOR"}, ErrorCode.NOT_FOUND, "vendor_id"),
    ):
        with pytest.raises(DomainValidation) as raised:
            _order(account, **fields)
        assert (raised.value.code, raised.value.field) == (code, field), fields
    order = _order(account)
    with pytest.raises(DomainValidation) as raised:
        _change(account, order.id, purchase_order_number=None)
    assert (raised.value.code, raised.value.field) == (ErrorCode.REQUIRED, "purchase_order_number")


def test_dates_are_days(account: DomainAccount) -> None:
    day = 1_700_000_000_000 - 1_700_000_000_000 % service.DAY_MS
    order = _order(account, due_date=day + 13 * 3_600_000, po_date=day)
    assert (order.due_date, order.po_date) == (day, day)


# ------------------------------------------------------------------------------------------ numbers


def test_numbers_count_up_per_account(account: DomainAccount, other_account: DomainAccount) -> None:
    assert [_order(account).purchase_order_number for _ in range(3)] == [1, 2, 3]
    assert _order(account, purchase_order_number=100).purchase_order_number == 100  # the client's: no number used
    assert _order(account).purchase_order_number == 4
    assert _order(other_account).purchase_order_number == 1  # another account has its own sequence
    order = _order(account)
    assert _change(account, order.id, purchase_order_number=7).purchase_order_number == 7


# ------------------------------------------------------------------------------------------ the workflow


def test_decisions_stamp_who_and_when_and_replace_each_other(account: DomainAccount) -> None:
    order = _order(account)
    approved = _change(account, order.id, status="approved")
    assert approved.status == "approved" and approved.approved_by_user_id == account.admin.user_id
    assert approved.approved_at is not None and approved.declined_at is None
    declined = _change(account, order.id, status="declined")
    assert (declined.approved_at, declined.approved_by_user_id) == (None, None)
    assert declined.declined_by_user_id == account.admin.user_id and declined.declined_at is not None
    awaiting = _change(account, order.id, status="awaiting")
    assert (awaiting.approved_at, awaiting.declined_at) == (None, None)
    _change(account, order.id, status="awaiting")  # the status it has: nothing changes, no event
    assert account.event_types(order.id) == [
        "PURCHASE_ORDER_CREATED",
        "PURCHASE_ORDER_APPROVED",
        "PURCHASE_ORDER_DECLINED",
        "PURCHASE_ORDER_UPDATED",
    ]


@pytest.mark.parametrize(
    ("path", "wanted"),
    [
        ((), "fulfilled"),  # awaiting: approve first
        ((), "partially-fulfilled"),  # only a receipt makes it
        ((), "shipped"),  # no such status
        (("declined",), "fulfilled"),
        (("approved", "fulfilled"), "awaiting"),  # fulfilled is the end
        (("approved", "fulfilled"), "approved"),
    ],
)
def test_the_workflow_refuses_what_its_table_does_not_allow(
    account: DomainAccount, path: tuple[str, ...], wanted: str
) -> None:
    part = _part(account, quantity=0)
    order = _order(account, (part.id, 3))
    for status in path:
        _change(account, order.id, status=status)
    before = _stored(account, order.id).status
    with pytest.raises(InvalidState) as raised:
        _change(account, order.id, status=wanted)
    assert (raised.value.code, raised.value.field) == (ErrorCode.INVALID_TRANSITION, "status")
    assert _stored(account, order.id).status == before
    assert _quantity(account, part.id) == (3 if before == "fulfilled" else 0)


def test_a_status_of_null_is_required(account: DomainAccount) -> None:
    order = _order(account)
    with pytest.raises(DomainValidation) as raised:
        _change(account, order.id, status=None)
    assert (raised.value.code, raised.value.field) == (ErrorCode.REQUIRED, "status")


# ------------------------------------------------------------------------------------------ receiving


def test_fulfilling_receives_every_line_once(account: DomainAccount, database_url: str) -> None:
    a, b = _part(account, "A", quantity=1), _part(account, "B")
    order = _order(account, (a.id, 4), (b.id, 2))
    _change(account, order.id, status="approved")
    fulfilled = _change(account, order.id, status="fulfilled")
    assert fulfilled.status == "fulfilled" and fulfilled.fulfilled_by_user_id == account.admin.user_id
    assert fulfilled.fulfilled_at is not None
    _change(account, order.id, status="fulfilled")  # again: it already is, nothing moves
    assert (_quantity(account, a.id), _quantity(account, b.id)) == (5, 2)
    user = account.admin.user_id
    assert sorted(_received(account, order.id)) == sorted([(a.id, 4, order.id, user), (b.id, 2, order.id, user)])
    assert sorted(_lines(database_url, account, order.id)) == sorted([(a.id, 4, 4, None), (b.id, 2, 2, None)])


def test_a_partial_receipt_then_the_rest(account: DomainAccount, database_url: str) -> None:
    a, b = _part(account, "A"), _part(account, "B")
    order = _order(account, (a.id, 4), (b.id, 2))
    _change(account, order.id, status="approved")
    partly = _receive(account, order.id, **{a.id: 3})
    assert partly.status == "partially-fulfilled" and partly.fulfilled_at is None
    history = json.loads(partly.fulfill_history)
    assert [(h["user"], h["received"]) for h in history] == [(account.admin.user_id, {a.id: 3})]
    assert _receive(account, order.id, **{a.id: 1}).status == "partially-fulfilled"  # b still pending
    done = _change(account, order.id, status="fulfilled")  # receives only what is pending
    assert done.status == "fulfilled"
    assert (_quantity(account, a.id), _quantity(account, b.id)) == (4, 2)
    assert [(part_id, delta) for part_id, delta, _, _ in _received(account, order.id)] == [
        (a.id, 3),
        (a.id, 1),
        (b.id, 2),
    ]
    assert sorted(_lines(database_url, account, order.id)) == sorted([(a.id, 4, 4, None), (b.id, 2, 2, None)])


def test_receipts_that_cover_everything_fulfil(account: DomainAccount) -> None:
    part = _part(account)
    order = _order(account, (part.id, 2))
    _change(account, order.id, status="approved")
    _receive(account, order.id, **{part.id: 1})
    done = _receive(account, order.id, **{part.id: 1})
    assert (done.status, done.fulfilled_by_user_id) == ("fulfilled", account.admin.user_id)
    with pytest.raises(InvalidState) as raised:
        _receive(account, order.id, **{part.id: 1})
    assert raised.value.code == ErrorCode.RECEIPT_WRONG_STATUS
    assert _quantity(account, part.id) == 2


def test_receipts_are_checked_and_a_refused_one_moves_nothing(account: DomainAccount) -> None:
    part, other = _part(account, "On the order"), _part(account, "Not on it")
    order = _order(account, (part.id, 2))
    with pytest.raises(InvalidState) as wrong_status:
        _receive(account, order.id, **{part.id: 1})  # awaiting: not approved yet
    assert (wrong_status.value.code, wrong_status.value.field) == (ErrorCode.RECEIPT_WRONG_STATUS, "receipt")
    _change(account, order.id, status="approved")
    for counts, code in (
        ({}, ErrorCode.RECEIPT_NOT_POSITIVE),
        ({part.id: 0}, ErrorCode.RECEIPT_NOT_POSITIVE),
        ({part.id: 1.5}, ErrorCode.RECEIPT_NOT_POSITIVE),
        ({part.id: 3}, ErrorCode.RECEIPT_OVER_PENDING),
        ({part.id: 1, other.id: 1}, ErrorCode.RECEIPT_OVER_PENDING),
    ):
        with pytest.raises(DomainValidation) as raised:
            _receive(account, order.id, **counts)
        assert (raised.value.code, raised.value.field) == (code, "receipt"), counts
    assert _stored(account, order.id).status == "approved"
    assert (_quantity(account, part.id), _quantity(account, other.id)) == (0, 0)
    assert _received(account, order.id) == []


def test_lines_are_fixed_once_parts_were_received(account: DomainAccount, database_url: str) -> None:
    a, b = _part(account, "A"), _part(account, "B")
    order = _order(account, (a.id, 2))
    _change(account, order.id, parts=[OrderLine(b.id, 5)])  # before any receipt: replaced
    assert _lines(database_url, account, order.id) == [(b.id, 5, 0, None)]
    _change(account, order.id, status="approved")
    _receive(account, order.id, **{b.id: 1})
    for lines in ([OrderLine(a.id, 1)], None):
        with pytest.raises(InvalidState) as raised:
            _change(account, order.id, parts=lines)
        assert (raised.value.code, raised.value.field) == (ErrorCode.PARTS_ALREADY_RECEIVED, "parts")
    assert _lines(database_url, account, order.id) == [(b.id, 5, 1, None)]


def test_deleting_keeps_what_was_received(account: DomainAccount) -> None:
    part = _part(account)
    order = _order(account, (part.id, 2))
    _change(account, order.id, status="approved")
    _receive(account, order.id, **{part.id: 1})
    account.write(lambda s: service.delete_purchase_order(s, account.admin, order.id))
    assert _quantity(account, part.id) == 1
    assert len(_received(account, order.id)) == 1
    with pytest.raises(NotFound):
        _change(account, order.id, title="Gone")
    assert account.event_types(order.id)[-1] == "PURCHASE_ORDER_DELETED"


# ------------------------------------------------------------------------------------------ permissions


def test_only_admins_decide_but_technicians_order_and_receive(account: DomainAccount) -> None:
    tech = account.principal(Role.TECH)
    part = _part(account)
    order = _order(account, (part.id, 2), by=tech)
    for status in ("approved", "declined"):
        with pytest.raises(PermissionDenied):
            _change(account, order.id, tech, status=status)
    assert _stored(account, order.id).status == "awaiting"
    _change(account, order.id, status="approved")
    with pytest.raises(PermissionDenied):
        _change(account, order.id, tech, status="awaiting")  # taking a decision back is a decision
    _receive(account, order.id, tech, **{part.id: 1})
    done = _change(account, order.id, tech, status="fulfilled")
    assert (done.status, done.fulfilled_by_user_id, done.approved_by_user_id) == (
        "fulfilled",
        tech.user_id,
        account.admin.user_id,
    )
    assert [user for _, _, _, user in _received(account, order.id)] == [tech.user_id, tech.user_id]
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.delete_purchase_order(s, tech, order.id))


@pytest.mark.parametrize("role", [Role.LIMITED_TECH, Role.VIEW_ONLY, Role.REQUESTER])
def test_other_roles_may_not_write(account: DomainAccount, role: Role) -> None:
    principal = account.principal(role)
    order = _order(account)
    with pytest.raises(PermissionDenied):
        _order(account, by=principal)
    with pytest.raises(PermissionDenied):
        _change(account, order.id, principal, title="Changed")
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.add_update_message(s, principal, order.id, "Hello"))
    assert _stored(account, order.id).title == "Spares"


# ------------------------------------------------------------------------------------------ the tenant


def test_another_accounts_orders_and_parts_are_not_found(
    account: DomainAccount, other_account: DomainAccount, database_url: str
) -> None:
    part = _part(account, quantity=1)
    order = _order(account, (part.id, 2))
    _change(account, order.id, status="approved")
    stranger = other_account.admin
    for work in (
        lambda s: service.update_purchase_order(s, stranger, order.id, PurchaseOrderChanges(status="fulfilled")),
        lambda s: service.update_purchase_order(s, stranger, order.id, PurchaseOrderChanges(title="Mine")),
        lambda s: service.add_update_message(s, stranger, order.id, "Hello"),
        lambda s: service.delete_purchase_order(s, stranger, order.id),
    ):
        with pytest.raises(NotFound):
            other_account.write(work)
    with pytest.raises(NotFound):
        read(database_url, lambda r: queries.get_purchase_order(r, stranger, order.id))
    with pytest.raises(DomainValidation) as raised:
        _order(other_account, (part.id, 1))  # a part of another account is no part
    assert (raised.value.code, raised.value.field) == (ErrorCode.NOT_FOUND, "parts[0].id")
    assert (_stored(account, order.id).status, _stored(account, order.id).title) == ("approved", "Spares")
    assert _quantity(account, part.id) == 1
    assert _received(account, order.id) == []
