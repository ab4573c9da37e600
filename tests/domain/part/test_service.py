"""Part and inventory rules at the service layer (the UpKeep wire behaviour is in tests/api/upkeep/test_parts.py)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from premises.errors import DomainValidation, ErrorCode, NotFound
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery
from premises.models import Part, PartInventoryMove, WorkOrder, WorkOrderPart
from premises.part import inventory, queries, service, visibility
from premises.part.commands import PartChanges, PartCreate
from premises.part.usage import use_parts
from premises.work_order import service as work_orders
from premises.work_order.commands import DecreaseInventory, WorkOrderChanges, WorkOrderCreate
from tests.domain.conftest import DomainAccount
from tests.domain.reading import read
from tests.support.factories import make_place


def _part(account: DomainAccount, name: str = "Filter", **fields: object) -> Part:
    return account.write(lambda s: service.create_part(s, account.admin, PartCreate(name=name, **fields)))  # type: ignore[arg-type]


def _quantity(account: DomainAccount, part_id: str) -> float:
    return account.write(lambda s: s.get(Part, (account.account_id, part_id)).quantity)  # type: ignore[union-attr]


def _ledger(account: DomainAccount, part_id: str) -> list[tuple[str, float, float]]:
    rows = account.write(
        lambda s: [
            (m.reason, m.delta, m.quantity_after)
            for m in s.scalars(
                select(PartInventoryMove)
                .where(PartInventoryMove.account_id == account.account_id, PartInventoryMove.part_id == part_id)
                .order_by(PartInventoryMove.id)
            )
        ]
    )
    return rows


def _work_order(account: DomainAccount, **fields: object) -> WorkOrder:
    command = WorkOrderCreate(title="Service the compressor", **fields)  # type: ignore[arg-type]
    return account.write(lambda s: work_orders.create_work_order(s, account.admin, command))


def _change(account: DomainAccount, work_order_id: str, **changes: object) -> WorkOrder:
    command = WorkOrderChanges(**changes)  # type: ignore[arg-type]
    return account.write(lambda s: work_orders.update_work_order(s, account.admin, work_order_id, command))


# ------------------------------------------------------------------------------------------ parts


def test_create_records_the_starting_count_in_the_ledger(account: DomainAccount) -> None:
    part = _part(account, " Filter ", quantity=5, cost=2.5)
    assert (part.name, part.quantity, part.cost) == ("Filter", 5, 2.5)
    assert _ledger(account, part.id) == [("created", 5, 5)]
    assert account.event_types(part.id) == ["PART_CREATED"]
    assert _ledger(account, _part(account, "Empty").id) == []  # nothing to record


def test_setting_the_quantity_records_the_difference(account: DomainAccount) -> None:
    part = _part(account, quantity=5)
    account.write(lambda s: service.update_part(s, account.admin, part.id, PartChanges(quantity=3)))
    account.write(lambda s: service.update_part(s, account.admin, part.id, PartChanges(quantity=3)))  # no change
    assert _ledger(account, part.id) == [("created", 5, 5), ("adjusted", -2, 3)]


def test_a_part_cannot_be_its_own_ancestor(account: DomainAccount) -> None:
    parent = _part(account, "Family")
    child = _part(account, "Member", parent_part_id=parent.id)
    with pytest.raises(DomainValidation) as raised:
        account.write(lambda s: service.update_part(s, account.admin, parent.id, PartChanges(parent_part_id=child.id)))
    assert (raised.value.code, raised.value.field) == (ErrorCode.PART_UNDER_ITSELF, "parent_part_id")


def test_deleting_a_parent_frees_its_sub_parts(account: DomainAccount) -> None:
    parent = _part(account, "Family")
    child = _part(account, "Member", parent_part_id=parent.id)
    account.write(lambda s: service.delete_part(s, account.admin, parent.id))
    assert account.write(lambda s: s.get(Part, (account.account_id, child.id)).parent_part_id) is None  # type: ignore[union-attr]
    with pytest.raises(NotFound):
        account.write(lambda s: service.delete_part(s, account.admin, parent.id))


def test_the_visibility_rule_is_the_same_on_both_sides(account: DomainAccount, database_url: str) -> None:
    here = make_place(account.db, account.account_id, "Here")
    there = make_place(account.db, account.account_id, "There")
    parts = [_part(account, "A", location_id=here), _part(account, "B", location_id=there), _part(account, "C")]
    ids = [p.id for p in parts]
    for principal in (
        account.admin,
        account.principal(Role.TECH, location_ids=frozenset({here})),
        account.principal(Role.VIEW_ONLY, location_ids=frozenset()),
    ):
        written = {p.id for p in parts if visibility.visible(principal, p)}
        listed = read(database_url, lambda r, p=principal: queries.list_parts(r, p, ListQuery(limit=100)))
        by_ids = read(database_url, lambda r, p=principal: queries.parts_by_ids(r, p, ids))
        assert {row["id"] for row in listed} == written == set(by_ids)


# ------------------------------------------------------------------------------------------ inventory


def test_move_refuses_a_count_below_zero_and_changes_nothing(account: DomainAccount) -> None:
    part = _part(account, quantity=1)

    def take_two(session: object) -> None:
        inventory.move(
            session,  # type: ignore[arg-type]
            account_id=account.account_id,
            part_id=part.id,
            delta=-2,
            reason=inventory.Reason.WORK_ORDER,
            user_id=None,
            field="parts[3]",
        )

    with pytest.raises(DomainValidation) as raised:
        account.write(take_two)
    assert (raised.value.code, raised.value.field) == (ErrorCode.NOT_ENOUGH_STOCK, "parts[3]")
    assert raised.value.params["available"] == "1" and raised.value.params["wanted"] == "2"
    assert _quantity(account, part.id) == 1


def test_low_stock_is_recorded_when_the_count_falls_below_the_minimum(account: DomainAccount) -> None:
    part = _part(account, quantity=3, minimum_quantity=2)
    _work_order(account, parts=[part.id], part_quantities=[1])  # 2: at the minimum, not below
    assert "PART_LOW_STOCK" not in account.event_types(part.id)
    _work_order(account, parts=[part.id], part_quantities=[1])  # 1: below
    _work_order(account, parts=[part.id], part_quantities=[1])  # 0: still below, no new event
    assert account.event_types(part.id).count("PART_LOW_STOCK") == 1


def test_fractional_counts_stay_exact(account: DomainAccount) -> None:
    part = _part(account, "Oil", quantity=1)
    for _ in range(10):
        _work_order(account, parts=[part.id], part_quantities=[0.1])
    assert _quantity(account, part.id) == 0


# ------------------------------------------------------------------------------------------ work orders


def test_auto_lines_take_exactly_their_quantity(account: DomainAccount) -> None:
    a, b = _part(account, "A", quantity=10), _part(account, "B", quantity=10)
    order = _work_order(account, parts=[a.id, b.id, a.id], part_quantities=[1, 2, 3])  # a repeated part adds up
    assert (order.part_ids, order.part_quantities) == (f'["{a.id}","{b.id}"]', "[4,2]")
    assert (_quantity(account, a.id), _quantity(account, b.id)) == (6, 8)
    _change(account, order.id, part_quantities=[1, 5])  # quantities of the current parts
    assert (_quantity(account, a.id), _quantity(account, b.id)) == (9, 5)
    _change(account, order.id, parts=[b.id])  # a removed; b keeps its quantity
    assert (_quantity(account, a.id), _quantity(account, b.id)) == (10, 5)
    _change(account, order.id, parts=None)
    assert _quantity(account, b.id) == 10


def test_manual_lines_take_nothing_but_give_back_what_they_took(account: DomainAccount) -> None:
    part = _part(account, quantity=10)
    order = _work_order(account, parts=[part.id], part_quantities=[4])
    assert _quantity(account, part.id) == 6
    _change(account, order.id, decrease_inventory=DecreaseInventory.MANUAL, part_quantities=[6])
    assert _quantity(account, part.id) == 6  # manual: the raise takes nothing
    _change(account, order.id, part_quantities=[1])
    assert _quantity(account, part.id) == 9  # lowered below what it took: gives back the difference
    _change(account, order.id, decrease_inventory=DecreaseInventory.AUTO)
    assert _quantity(account, part.id) == 9  # auto again: the line takes its 1 (it already had)
    lines = account.write(
        lambda s: [
            (line.quantity, line.taken)
            for line in s.scalars(
                select(WorkOrderPart).where(
                    WorkOrderPart.account_id == account.account_id, WorkOrderPart.work_order_id == order.id
                )
            )
        ]
    )
    assert lines == [(1, 1)]


def test_a_refused_use_leaves_the_work_order_unchanged(account: DomainAccount) -> None:
    part = _part(account, quantity=2)
    order = _work_order(account, parts=[part.id], part_quantities=[2])
    with pytest.raises(DomainValidation) as raised:
        _change(account, order.id, part_quantities=[3])
    assert raised.value.code == ErrorCode.NOT_ENOUGH_STOCK
    assert account.write(lambda s: s.get(WorkOrder, (account.account_id, order.id)).part_quantities) == "[2]"  # type: ignore[union-attr]


def test_lengths_must_match_and_parts_must_be_visible(account: DomainAccount) -> None:
    here = make_place(account.db, account.account_id, "Here")
    there = _part(account, "Elsewhere", location_id=make_place(account.db, account.account_id, "There"))
    with pytest.raises(DomainValidation) as raised:
        _work_order(account, parts=[there.id], part_quantities=[1, 2])
    assert (raised.value.code, raised.value.field) == (ErrorCode.QUANTITIES_DO_NOT_MATCH, "part_quantities")
    tech: Principal = account.principal(Role.TECH, location_ids=frozenset({here}))
    command = WorkOrderCreate(title="x", location_id=here, parts=[there.id])
    with pytest.raises(DomainValidation) as raised:
        account.write(lambda s: work_orders.create_work_order(s, tech, command))
    assert (raised.value.code, raised.value.field) == (ErrorCode.NOT_FOUND, "parts[0]")


def test_use_parts_without_changes_only_syncs(account: DomainAccount) -> None:
    part = _part(account, quantity=3)
    order = _work_order(account, parts=[part.id], part_quantities=[2])
    account.write(
        lambda s: use_parts(s, account.admin, s.get(WorkOrder, (account.account_id, order.id)), None, None)  # type: ignore[arg-type]
    )
    assert _quantity(account, part.id) == 1
