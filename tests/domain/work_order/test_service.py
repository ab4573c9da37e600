"""Work-order rules at the service layer (the UpKeep wire behaviour is in tests/api/upkeep/test_work_orders.py)."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from sqlalchemy import select

from premises.errors import DomainValidation, ErrorCode, NotFound, PermissionDenied
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery
from premises.models import WorkOrder, WorkOrderCost
from premises.models.request import REQUEST_STATUSES
from premises.models.work_order import FORM_ITEM_TYPES, WORK_ORDER_STATUSES
from premises.request.commands import Status as RequestStatus
from premises.team import service as teams
from premises.team.commands import TeamCreate
from premises.work_order import queries, service
from premises.work_order.commands import (
    CostAdd,
    CostDelete,
    CostModify,
    FormItem,
    FormItemType,
    Status,
    WorkOrderChanges,
    WorkOrderCreate,
)
from tests.domain.conftest import DomainAccount
from tests.domain.reading import read
from tests.support.factories import make_custom_status, make_place


def _create(account: DomainAccount, principal: Principal | None = None, **fields: Any) -> WorkOrder:
    command = WorkOrderCreate(**{"title": "Leak", **fields})
    return account.write(lambda s: service.create_work_order(s, principal or account.admin, command))


def _update(account: DomainAccount, principal: Principal, work_order_id: str, **changes: Any) -> WorkOrder:
    command = WorkOrderChanges(**changes)
    return account.write(lambda s: service.update_work_order(s, principal, work_order_id, command))


def _costs(account: DomainAccount, work_order_id: str) -> list[tuple[float, str]]:
    def run(session: Any) -> list[tuple[float, str]]:
        rows = session.scalars(
            select(WorkOrderCost)
            .where(WorkOrderCost.account_id == account.account_id, WorkOrderCost.work_order_id == work_order_id)
            .order_by(WorkOrderCost.position)
        )
        return [(cost.amount, cost.info) for cost in rows]

    return account.write(run)


def test_the_enums_are_the_stored_values() -> None:
    assert tuple(Status) == WORK_ORDER_STATUSES
    assert tuple(FormItemType) == FORM_ITEM_TYPES
    assert tuple(RequestStatus) == REQUEST_STATUSES


# ------------------------------------------------------------------------------------------ numbering, events


def test_work_orders_are_numbered_in_order_per_account(account: DomainAccount, other_account: DomainAccount) -> None:
    first, second = _create(account), _create(account)
    assert second.work_order_no == first.work_order_no + 1
    assert _create(other_account, other_account.admin).work_order_no == 1
    assert (first.status, first.priority, first.decrease_inventory) == ("open", 0, "auto")
    assert account.event_types(first.id) == ["WORK_ORDER_CREATED"]


def test_a_blank_title_on_update_is_required(account: DomainAccount) -> None:
    order = _create(account)
    with pytest.raises(DomainValidation) as raised:
        _update(account, account.admin, order.id, title="")
    assert (raised.value.code, raised.value.field) == (ErrorCode.REQUIRED, "title")


def test_priority_is_one_of_the_scale(account: DomainAccount) -> None:
    with pytest.raises(DomainValidation) as raised:
        _create(account, priority=7)
    assert (raised.value.code, raised.value.field, raised.value.params["choices"]) == (
        ErrorCode.NOT_ONE_OF,
        "priority",
        "0, 1, 2, 3",
    )


# ------------------------------------------------------------------------------------------ status


def test_completing_stamps_the_completer_and_reopening_clears_it(account: DomainAccount) -> None:
    order = _create(account)
    done = _update(account, account.admin, order.id, status=Status.COMPLETE)
    assert (done.status, done.completed_by_user_id) == ("complete", account.admin.user_id)
    assert done.date_completed is not None and done.first_status_change_at is not None
    reopened = _update(account, account.admin, order.id, status=Status.IN_PROGRESS)
    assert (reopened.status, reopened.date_completed, reopened.completed_by_user_id) == ("inProgress", None, None)
    _update(account, account.admin, order.id, status=Status.IN_PROGRESS)  # no change of status
    assert account.event_types(order.id) == [
        "WORK_ORDER_CREATED",
        "WORK_ORDER_UPDATED",
        "WORK_ORDER_STATUS_UPDATED",
        "WORK_ORDER_UPDATED",
        "WORK_ORDER_STATUS_UPDATED",
        "WORK_ORDER_UPDATED",
    ]


def test_an_unknown_status_or_custom_status_is_refused_with_domain_names(account: DomainAccount) -> None:
    order = _create(account)
    with pytest.raises(DomainValidation) as raised:
        _update(account, account.admin, order.id, status="done")
    assert (raised.value.code, raised.value.field) == (ErrorCode.NOT_ONE_OF, "status")
    with pytest.raises(DomainValidation) as raised:
        _update(account, account.admin, order.id, custom_status_id="missing1")
    assert (raised.value.code, raised.value.field, raised.value.params["id"]) == (
        ErrorCode.NOT_FOUND,
        "custom_status_id",
        "missing1",
    )


def test_a_custom_status_sets_the_status_it_counts_as_and_a_plain_status_leaves_it(account: DomainAccount) -> None:
    paused = make_custom_status(account.db, account.account_id, "Waiting for parts", "onHold")
    order = _create(account, custom_status_id=paused)
    assert (order.status, order.custom_status_id) == ("onHold", paused)
    moved = _update(account, account.admin, order.id, status=Status.IN_PROGRESS)
    assert (moved.status, moved.custom_status_id) == ("inProgress", None)


def test_form_items_are_checked_and_named_by_their_domain_path(account: DomainAccount) -> None:
    order = _create(account, form_items=[FormItem(name="Isolate", type="TASK")])
    assert '"value":"OPEN"' in order.form_items.replace(" ", "")
    with pytest.raises(DomainValidation) as raised:
        _create(account, form_items=[FormItem(name="ok", type="TASK"), FormItem(name="x", type="CHECKLIST", value="?")])
    assert (raised.value.code, raised.value.field) == (ErrorCode.NOT_ONE_OF, "form_items[1].value")


def test_missing_parts_and_form_templates_are_not_found(account: DomainAccount) -> None:
    with pytest.raises(DomainValidation) as raised:
        _create(account, parts=["p1"])
    assert (raised.value.code, raised.value.field) == (ErrorCode.NOT_FOUND, "parts[0]")
    with pytest.raises(DomainValidation) as raised:
        _create(account, form_template_id="t1")
    assert (raised.value.code, raised.value.field) == (ErrorCode.NOT_FOUND, "form_template_id")


# ------------------------------------------------------------------------------------------ costs


def test_cost_lines_are_added_modified_deleted_and_removed(account: DomainAccount) -> None:
    order = _create(account)
    me = account.admin.user_id
    add = [
        CostAdd(amount=10.0, info="call-out", category="Labor Cost", assigned_to_user_id=me),
        CostAdd(amount=5.0, info="washer", category="Parts Cost", assigned_to_user_id=me),
    ]
    _update(account, account.admin, order.id, additional_costs=add)
    assert _costs(account, order.id) == [(10.0, "call-out"), (5.0, "washer")]
    ids = account.write(
        lambda s: list(
            s.scalars(
                select(WorkOrderCost.id)
                .where(WorkOrderCost.work_order_id == order.id)
                .where(WorkOrderCost.account_id == account.account_id)
                .order_by(WorkOrderCost.position)
            )
        )
    )
    _update(account, account.admin, order.id, additional_costs=[CostModify(ids[0], amount=12.5), CostDelete(ids[1])])
    assert _costs(account, order.id) == [(12.5, "call-out")]
    _update(account, account.admin, order.id, remove_all_costs=True)
    assert _costs(account, order.id) == []


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        (CostAdd(amount=1.0, category="Tax"), ErrorCode.REQUIRED, "additional_costs[0].info"),
        (
            CostAdd(amount=1.0, info="x", category="Snacks"),
            ErrorCode.NOT_A_COST_CATEGORY,
            "additional_costs[0].category",
        ),
        (CostModify("missing1", amount=2.0), ErrorCode.NOT_FOUND, "additional_costs[0].id"),
        (CostDelete("missing1"), ErrorCode.NOT_FOUND, "additional_costs[0].id"),
    ],
)
def test_cost_changes_are_checked(account: DomainAccount, change: Any, code: ErrorCode, field: str) -> None:
    order = _create(account)
    with pytest.raises(DomainValidation) as raised:
        _update(account, account.admin, order.id, additional_costs=[change])
    assert (raised.value.code, raised.value.field) == (code, field)


# ------------------------------------------------------------------------------------------ roles and visibility


@pytest.mark.parametrize("role", [Role.VIEW_ONLY, Role.REQUESTER])
def test_weaker_roles_may_not_create_work_orders(account: DomainAccount, role: Role) -> None:
    with pytest.raises(PermissionDenied):
        _create(account, account.principal(role))


def test_another_accounts_work_order_is_not_found(account: DomainAccount, other_account: DomainAccount) -> None:
    order = _create(account)
    with pytest.raises(NotFound) as raised:
        _update(other_account, other_account.admin, order.id, title="x")
    assert (raised.value.code, raised.value.params) == (ErrorCode.RECORD_NOT_FOUND, {"record": "work order"})
    with pytest.raises(NotFound):
        other_account.write(lambda s: service.delete_work_order(s, other_account.admin, order.id))


def test_limited_techs_work_only_on_their_own_and_change_only_what_they_may(account: DomainAccount) -> None:
    limited = account.principal(Role.LIMITED_TECH)
    theirs = _create(account, assigned_to_user_id=limited.user_id)
    other = _create(account)
    with pytest.raises(NotFound):
        _update(account, limited, other.id, status=Status.COMPLETE)
    assert _update(account, limited, theirs.id, status=Status.COMPLETE).status == "complete"
    with pytest.raises(PermissionDenied) as raised:
        _update(account, limited, theirs.id, title="mine now")
    assert raised.value.code is ErrorCode.ROLE_MAY_NOT_CHANGE
    assert raised.value.params == {"role": "LIMITED_TECH"} and raised.value.field == "title"


def _visible_on_both_sides(
    database_url: str, account: DomainAccount, principal: Principal, ids: list[str]
) -> tuple[set[str], set[str]]:
    """The ids the read side lists for ``principal``, and those the write side lets it comment on."""
    listed = read(database_url, lambda reader: queries.list_work_orders(reader, principal, ListQuery(limit=100)))
    writable = set()
    for work_order_id in ids:
        try:
            account.write(
                partial(service.add_update_message, principal=principal, work_order_id=work_order_id, text="x")
            )
        except NotFound:
            continue
        writable.add(work_order_id)
    return {row["id"] for row in listed}, writable


def test_the_read_side_and_the_write_side_see_the_same_work_orders(database_url: str, account: DomainAccount) -> None:
    site_a, site_b = (make_place(account.db, account.account_id, name) for name in ("A", "B"))
    limited = account.principal(Role.LIMITED_TECH)
    scoped = account.principal(Role.TECH, location_ids=frozenset({site_a}))
    team = account.write(lambda s: teams.create_team(s, account.admin, TeamCreate(name="Crew")))
    account.write(lambda s: teams.add_team_member(s, account.admin, team.id, limited.user_id))
    limited = Principal(account.account_id, limited.user_id, Role.LIMITED_TECH, None, frozenset({team.id}))
    orders = {
        "assigned": _create(account, assigned_to_user_id=limited.user_id, location_id=site_b),
        "team": _create(account, team_id=team.id, location_id=site_b),
        "additional": _create(account, additional_user_ids=[limited.user_id], location_id=site_a),
        "at_a": _create(account, location_id=site_a),
        "at_b": _create(account, location_id=site_b),
        "scoped_assignee": _create(account, location_id=site_b, assigned_to_user_id=scoped.user_id),
        "nowhere": _create(account),
    }
    ids = [order.id for order in orders.values()]
    expected = [
        (limited, {"assigned", "team", "additional"}),
        (scoped, {"additional", "at_a", "scoped_assignee"}),
        (account.admin, set(orders)),
    ]
    for principal, names in expected:
        listed, writable = _visible_on_both_sides(database_url, account, principal, ids)
        assert listed == writable == {orders[name].id for name in names}


def test_a_role_per_site_decides_what_is_seen_at_that_site(database_url: str, account: DomainAccount) -> None:
    """A technician everywhere but a limited technician at site B sees all of A, its own at B, and its own."""
    site_a, site_b = (make_place(account.db, account.account_id, name) for name in ("A", "B"))
    user = account.principal(Role.TECH)
    tech = Principal(
        account.account_id, user.user_id, Role.TECH, frozenset({site_a, site_b}), site_roles={site_b: Role.LIMITED_TECH}
    )
    orders = {
        "at_a": _create(account, location_id=site_a),
        "at_b": _create(account, location_id=site_b),
        "mine_at_b": _create(account, location_id=site_b, additional_user_ids=[tech.user_id]),
        "assigned_elsewhere": _create(account, assigned_to_user_id=tech.user_id),
        "elsewhere": _create(account),
    }
    listed, writable = _visible_on_both_sides(database_url, account, tech, [o.id for o in orders.values()])
    assert listed == writable == {orders[name].id for name in ("at_a", "mine_at_b", "assigned_elsewhere")}


def test_the_role_at_the_work_orders_site_decides_what_may_be_changed_and_created(account: DomainAccount) -> None:
    site_a, site_b = (make_place(account.db, account.account_id, name) for name in ("A", "B"))
    user = account.principal(Role.TECH)
    tech = Principal(
        account.account_id, user.user_id, Role.TECH, frozenset({site_a, site_b}), site_roles={site_b: Role.LIMITED_TECH}
    )
    at_a = _create(account, location_id=site_a)
    mine_at_b = _create(account, location_id=site_b, assigned_to_user_id=tech.user_id)
    assert _update(account, tech, at_a.id, title="Renamed").title == "Renamed"
    assert _update(account, tech, mine_at_b.id, status=Status.COMPLETE).status == "complete"
    with pytest.raises(PermissionDenied) as raised:
        _update(account, tech, mine_at_b.id, title="Renamed")
    assert raised.value.params == {"role": "LIMITED_TECH"} and raised.value.field == "title"  # the role held there
    assert _create(account, tech, location_id=site_a).location_id == site_a
    with pytest.raises(PermissionDenied):
        _create(account, tech, location_id=site_b)
