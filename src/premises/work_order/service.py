"""Work orders, write side: create, update (status machine, costs, checklists), assign, comment, delete.

Services take typed commands (``work_order.commands``) and raise coded errors with domain field
names. Every change records its event (WORK_ORDER_CREATED / _UPDATED / _STATUS_UPDATED / _DELETED)
in the same transaction. Which work orders a principal sees is ``work_order.visibility``'s rule,
shared with the read side.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from enum import Enum
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from premises.account.categories import require_category
from premises.asset.service import check_asset
from premises.case.service import case_for_work_order, record_work_order
from premises.checklist import filling
from premises.checklist.service import template_lines
from premises.errors import DomainValidation, ErrorCode, NotFound, PermissionDenied
from premises.event.service import record_change, record_event, snapshot
from premises.event.types import EventType
from premises.file.service import require_readable_files
from premises.identity.permissions import Grant
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.commands import build, given
from premises.kit.counters import next_value
from premises.kit.ids import new_id
from premises.kit.references import require_all_live, require_live
from premises.kit.time import now_ms
from premises.models import (
    Category,
    PmWorkOrder,
    Team,
    User,
    WorkOrder,
    WorkOrderCost,
    WorkOrderStatus,
    WorkOrderUpdate,
    WorkOrderUser,
)
from premises.part.usage import use_parts
from premises.place.service import check_location, require_location
from premises.work_order import time_log, visibility
from premises.work_order.commands import (
    CostAdd,
    CostChange,
    CostDelete,
    CostModify,
    DecreaseInventory,
    Priority,
    Status,
    WorkOrderChanges,
    WorkOrderCreate,
)

IMAGE_FIELDS = (
    "image_file_id",
    "image2_file_id",
    "image3_file_id",
    "image4_file_id",
    "image5_file_id",
    "signature_file_id",
)
SIMPLE_FIELDS = (
    "title",
    "description",
    "start_date",
    "due_date",
    "estimated_duration_hours",
    "time_spent",
    "cost",
    "form_template_id",
    "decrease_inventory",
)
# What a user with only an OWN grant (LIMITED_TECH) may change on a work order assigned to them.
OWN_EDITABLE = frozenset(
    {
        "status",
        "custom_status_id",
        "time_spent",
        "cost",
        "form_items",
        "file_ids",
        "description",
        "additional_costs",
        "remove_all_costs",
        "parts",  # the parts they used (part.usage moves the inventory)
        "part_quantities",
    }
    | set(IMAGE_FIELDS)
)
WORK_ORDER = "work order"  # the record name in NotFound errors


# ------------------------------------------------------------------------------------------ loading


def _load(session: Session, principal: Principal, work_order_id: str, action: str) -> WorkOrder:
    """The live work order, locked, if the principal may ``action`` it (at some of its places:
    ``visibility.load_grant``) and sees it; else NotFound."""
    grant = visibility.load_grant(principal, "work_order", action)
    work_order = session.get(WorkOrder, (principal.account_id, work_order_id), with_for_update=True)
    if work_order is None or work_order.deleted_at is not None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record=WORK_ORDER)
    if not visibility.sees(session, principal, grant, action, work_order.id):
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record=WORK_ORDER)
    return work_order


# ------------------------------------------------------------------------------------------ validation


# Requests validate with the same checks: an approved request becomes a work order.


def check_priority(value: Any) -> Priority:
    """0 to 3; None means 0."""
    if value is None:
        return Priority.LOWEST
    if not isinstance(value, int) or isinstance(value, bool) or value not in tuple(Priority):
        raise DomainValidation(ErrorCode.NOT_ONE_OF, field="priority", choices=", ".join(str(int(p)) for p in Priority))
    return Priority(value)


def check_category(session: Session, account_id: str, name: str | None) -> None:
    """None, or one of the account's work-order categories."""
    if name is None:
        return
    require_category(session, account_id, "work_order", name, label="work order")


def check_common_references(session: Session, principal: Principal, fields: dict[str, Any]) -> None:
    """The references requests and work orders share: location and asset (ones the principal sees), team, assignee.

    A place or asset outside a location-based principal's places is "not found", like a missing one.
    """
    account_id = principal.account_id
    if fields.get("location_id"):
        check_location(session, principal, fields["location_id"])
    if fields.get("asset_id"):
        check_asset(session, principal, fields["asset_id"])
    if fields.get("team_id"):
        require_live(session, Team, account_id, fields["team_id"], "team_id")
    if fields.get("assigned_to_user_id"):
        require_live(session, User, account_id, fields["assigned_to_user_id"], "assigned_to_user_id")


def _check_references(session: Session, principal: Principal, fields: dict[str, Any]) -> None:
    account_id = principal.account_id
    check_common_references(session, principal, fields)
    if fields.get("additional_user_ids"):
        require_all_live(session, User, account_id, fields["additional_user_ids"], "additional_user_ids")
    file_ids = [*(fields.get("file_ids") or ()), *(fields[f] for f in IMAGE_FIELDS if fields.get(f))]
    # Attachments and images are checked together: an unreadable one is "file <id> not found".
    require_readable_files(session, principal, file_ids, "file")
    if "category" in fields:
        check_category(session, account_id, fields["category"])
    if fields.get("form_template_id"):
        template_lines(session, account_id, fields["form_template_id"])  # form_template_id <id> not found


def _custom_status(session: Session, account_id: str, status_id: str) -> WorkOrderStatus:
    status = session.get(WorkOrderStatus, (account_id, status_id))
    if status is None or status.deleted_at is not None:
        raise DomainValidation(ErrorCode.NOT_FOUND, field="custom_status_id", id=status_id)
    return status


# ------------------------------------------------------------------------------------------ create


def create_work_order(session: Session, principal: Principal, command: WorkOrderCreate) -> WorkOrder:
    case = None
    if command.case_id is not None:
        case = case_for_work_order(session, principal, command.case_id, command.location_id)
        if command.location_id is None:
            command = replace(command, location_id=case.unit_id or case.site_id)
    principal.require("work_order", "create", at=command.location_id)
    account_id = principal.account_id
    fields = given(command)
    require_location(principal, command.location_id)
    _check_references(session, principal, fields)
    now = now_ms()
    work_order = WorkOrder(
        account_id=account_id,
        id=new_id(),
        work_order_no=next_value(session, account_id, "work_order_no"),
        title=command.title,
        status=Status.OPEN.value,
        priority=int(check_priority(command.priority)),
        category=fields.get("category"),
        location_id=fields.get("location_id"),
        asset_id=fields.get("asset_id"),
        team_id=fields.get("team_id"),
        assigned_to_user_id=fields.get("assigned_to_user_id"),
        assigned_by_user_id=principal.user_id if fields.get("assigned_to_user_id") else None,
        created_by_user_id=principal.user_id,
        requested_by_user_id=fields.get("requested_by_user_id"),
        request_id=fields.get("request_id"),
        case_id=fields.get("case_id"),
        public_requester_email=fields.get("public_requester_email"),
        archived=False,
        requires_signature=bool(fields.get("signature_file_id")),
        created_at=now,
        updated_at=now,
    )
    for name in (*SIMPLE_FIELDS, *IMAGE_FIELDS, "end_due_date"):
        if fields.get(name) is not None:
            setattr(work_order, name, _stored(fields[name]))
    if work_order.decrease_inventory is None:
        work_order.decrease_inventory = DecreaseInventory.AUTO.value
    filling.fill(session, principal, work_order, command.form_items or [], fields.get("form_template_id"))
    work_order.file_ids = jsonutil.dumps(list(command.file_ids or []))
    if command.custom_status_id:
        custom = _custom_status(session, account_id, command.custom_status_id)
        work_order.custom_status_id = custom.id
        _set_status(work_order, custom.type, principal, now)
    session.add(work_order)
    session.flush()
    time_log.log_change(session, principal, work_order, None)
    _set_additional_users(session, work_order, command.additional_user_ids or [])
    if command.parts or command.part_quantities:
        use_parts(session, principal, work_order, command.parts or [], command.part_quantities)
    record_event(
        session,
        account_id=account_id,
        type=EventType.WORK_ORDER_CREATED,
        resource_type="work_order",
        resource_id=work_order.id,
        payload=snapshot(work_order),
        actor_user_id=principal.user_id,
    )
    if case is not None:
        record_work_order(session, principal, case, work_order.id)
    return work_order


def create_from_case(session: Session, principal: Principal, case_id: str, fields: dict[str, Any]) -> WorkOrder:
    """A work order made for the case a path names (NotFound when the principal does not see it), from a
    body's ``WorkOrderCreate`` fields: its title, description and place are the case's unless given."""
    case = case_for_work_order(session, principal, case_id, fields.get("location_id"), field=None)
    defaults = {"title": case.title, "description": case.description}
    return create_work_order(session, principal, build(WorkOrderCreate, {**defaults, **fields, "case_id": case.id}))


def _set_additional_users(session: Session, work_order: WorkOrder, user_ids: Sequence[str]) -> None:
    """Replace the work order's additional users (``work_order_users`` rows, in the given order)."""
    unique = list(dict.fromkeys(user_ids))
    session.execute(
        delete(WorkOrderUser).where(
            WorkOrderUser.account_id == work_order.account_id, WorkOrderUser.work_order_id == work_order.id
        )
    )
    for position, user_id in enumerate(unique):
        session.add(
            WorkOrderUser(
                account_id=work_order.account_id,
                work_order_id=work_order.id,
                user_id=user_id,
                position=position,
            )
        )
    _project_additional_users(session, work_order)


def _additional_users(session: Session, work_order: WorkOrder) -> list[str]:
    """The work order's additional users as stored in ``work_order_users``, the one source of truth."""
    session.flush()
    return list(
        session.scalars(
            select(WorkOrderUser.user_id)
            .where(WorkOrderUser.account_id == work_order.account_id, WorkOrderUser.work_order_id == work_order.id)
            .order_by(WorkOrderUser.position, WorkOrderUser.user_id)
        )
    )


def _project_additional_users(session: Session, work_order: WorkOrder) -> None:
    """Rewrite ``work_orders.additional_user_ids`` (the list page's copy) from ``work_order_users``.

    Only called with the work order's row locked (``_load`` or a new row), so the copy always equals
    the rows it was read from when the transaction commits.
    """
    work_order.additional_user_ids = jsonutil.dumps(_additional_users(session, work_order))


def _stored(value: Any) -> Any:
    """Enum members are stored as their plain values."""
    return value.value if isinstance(value, Enum) else value


def _set_status(work_order: WorkOrder, status: str, principal: Principal, now: int) -> bool:
    """Move to ``status``; returns whether it changed. Completion stamps date and user; reopening clears them."""
    if status not in tuple(Status):
        raise DomainValidation(ErrorCode.NOT_ONE_OF, field="status", choices=", ".join(Status))
    status = Status(status).value
    if status == work_order.status:
        return False
    work_order.status = status
    if work_order.first_status_change_at is None:
        work_order.first_status_change_at = now
    if status == Status.COMPLETE:
        work_order.date_completed = now
        work_order.completed_by_user_id = principal.user_id
    else:
        work_order.date_completed = None
        work_order.completed_by_user_id = None
    return True


# ------------------------------------------------------------------------------------------ update


def update_work_order(
    session: Session, principal: Principal, work_order_id: str, command: WorkOrderChanges
) -> WorkOrder:
    work_order = _load(session, principal, work_order_id, "update")
    changes = given(command)
    if principal.require("work_order", "update", at=work_order.location_id) is Grant.OWN:
        forbidden = sorted(set(changes) - OWN_EDITABLE)
        if forbidden:
            raise PermissionDenied(
                ErrorCode.ROLE_MAY_NOT_CHANGE, role=principal.role_at(work_order.location_id).value, field=forbidden[0]
            )
    account_id = principal.account_id
    if "title" in changes and not changes["title"]:
        raise DomainValidation(ErrorCode.REQUIRED, field="title")
    if "location_id" in changes:
        require_location(principal, changes["location_id"])
    # A place or asset the work order already has is not re-checked (an assignee may see a work order
    # outside its places and send its location back unchanged).
    kept = {
        name
        for name in ("location_id", "asset_id", "form_template_id")
        if name in changes and changes[name] == getattr(work_order, name)
    }
    _check_references(session, principal, {k: v for k, v in changes.items() if k not in kept})
    now = now_ms()
    status_changed = False
    time_before = work_order.time_spent
    template_id = changes.get("form_template_id") if "form_template_id" not in kept else None
    for name in (*SIMPLE_FIELDS, *IMAGE_FIELDS, "category", "location_id", "asset_id", "team_id"):
        if name in changes:
            setattr(work_order, name, _stored(changes[name]))
    if "priority" in changes:
        work_order.priority = int(check_priority(changes["priority"]))
    if "assigned_to_user_id" in changes and changes["assigned_to_user_id"] != work_order.assigned_to_user_id:
        work_order.assigned_to_user_id = changes["assigned_to_user_id"]
        work_order.assigned_by_user_id = principal.user_id if changes["assigned_to_user_id"] else None
    if "file_ids" in changes:
        work_order.file_ids = jsonutil.dumps(list(changes["file_ids"] or []))
    if "form_items" in changes or template_id:
        items = (changes["form_items"] or []) if "form_items" in changes else None
        filling.fill(session, principal, work_order, items, template_id)
    if "additional_user_ids" in changes:
        _set_additional_users(session, work_order, changes["additional_user_ids"] or [])
    if "archived" in changes:
        work_order.archived = bool(changes["archived"])
    if changes.get("custom_status_id"):
        custom = _custom_status(session, account_id, changes["custom_status_id"])
        work_order.custom_status_id = custom.id
        status_changed = _set_status(work_order, custom.type, principal, now) or status_changed
    elif "custom_status_id" in changes:
        work_order.custom_status_id = None
    if changes.get("status") is not None:
        status_changed = _set_status(work_order, changes["status"], principal, now) or status_changed
        if work_order.custom_status_id is not None and "custom_status_id" not in changes:
            work_order.custom_status_id = None  # a plain status change leaves the custom status
    if "parts" in changes or "part_quantities" in changes or changes.get("decrease_inventory") == "auto":
        part_ids = (changes["parts"] or []) if "parts" in changes else None
        use_parts(session, principal, work_order, part_ids, changes.get("part_quantities"))
    if changes.get("remove_all_costs"):
        _remove_all_costs(session, work_order)
    if "additional_costs" in changes:
        _apply_costs(session, principal, work_order, changes["additional_costs"], now)
    work_order.updated_at = now
    session.flush()
    time_log.log_change(session, principal, work_order, time_before)
    payload = snapshot(work_order)
    record_event(
        session,
        account_id=account_id,
        type=EventType.WORK_ORDER_UPDATED,
        resource_type="work_order",
        resource_id=work_order.id,
        payload=payload,
        actor_user_id=principal.user_id,
    )
    if status_changed:
        record_event(
            session,
            account_id=account_id,
            type=EventType.WORK_ORDER_STATUS_UPDATED,
            resource_type="work_order",
            resource_id=work_order.id,
            payload=payload,
            actor_user_id=principal.user_id,
        )
    _pm_event(session, principal, EventType.PM_WORK_ORDER_UPDATED, work_order)
    return work_order


def _pm_event(session: Session, principal: Principal, type: EventType, work_order: WorkOrder) -> None:
    """PM_WORK_ORDER_UPDATED / _DELETED when a trigger made ``work_order`` (``pm_work_orders``), naming it."""
    trigger_id = session.scalar(
        select(PmWorkOrder.trigger_id).where(
            PmWorkOrder.account_id == work_order.account_id, PmWorkOrder.work_order_id == work_order.id
        )
    )
    if trigger_id is not None:
        record_change(session, principal, type, "work_order", work_order, pm_trigger_id=trigger_id)


def _remove_all_costs(session: Session, work_order: WorkOrder) -> None:
    session.execute(
        delete(WorkOrderCost).where(
            WorkOrderCost.account_id == work_order.account_id, WorkOrderCost.work_order_id == work_order.id
        )
    )


# A new cost line needs these (in this order of checking).
COST_REQUIRED = ("amount", "info", "category", "assigned_to_user_id")
COST_FIELDS = (*COST_REQUIRED, "date", "included_in_total_cost")


def _apply_costs(
    session: Session,
    principal: Principal,
    work_order: WorkOrder,
    changes: Sequence[CostChange],
    now: int,
) -> None:
    """Add, modify and delete cost lines, in order; ``additional_costs[i]`` names the i-th change in errors."""
    account_id = principal.account_id
    existing = {
        c.id: c
        for c in session.scalars(
            select(WorkOrderCost).where(
                WorkOrderCost.account_id == account_id, WorkOrderCost.work_order_id == work_order.id
            )
        )
    }
    next_position = max((c.position for c in existing.values()), default=-1) + 1
    cost_categories = set(
        session.scalars(select(Category.name).where(Category.account_id == account_id, Category.kind == "cost"))
    )
    for index, change in enumerate(changes):
        path = f"additional_costs[{index}]"
        values = {} if isinstance(change, CostDelete) else given(change)
        category = values.get("category")
        if category is not None and category not in cost_categories:
            raise DomainValidation(ErrorCode.NOT_A_COST_CATEGORY, field=f"{path}.category", value=category)
        if values.get("assigned_to_user_id") is not None:
            assignee = values["assigned_to_user_id"]
            require_live(session, User, account_id, assignee, "additional_costs.assigned_to_user_id")
        cost: WorkOrderCost
        if isinstance(change, (CostDelete, CostModify)):
            found = existing.get(change.id)
            if found is None:
                raise DomainValidation(ErrorCode.NOT_FOUND, field=f"{path}.id", id=change.id)
            cost = found
            if isinstance(change, CostDelete):
                session.delete(cost)
                continue
        else:
            assert isinstance(change, CostAdd)
            for required in COST_REQUIRED:
                if values.get(required) is None:
                    raise DomainValidation(ErrorCode.REQUIRED, field=f"{path}.{required}")
            cost = WorkOrderCost(
                account_id=account_id,
                id=new_id(),
                work_order_id=work_order.id,
                date=now,
                included_in_total_cost=False,
                position=next_position,
                created_at=now,
            )
            next_position += 1
        for name in COST_FIELDS:
            if values.get(name) is not None:
                setattr(cost, name, values[name])
        cost.updated_at = now
        session.add(cost)


# ------------------------------------------------------------------------------------------ other commands


def delete_work_order(session: Session, principal: Principal, work_order_id: str) -> None:
    work_order = _load(session, principal, work_order_id, "delete")
    now = now_ms()
    work_order.deleted_at = now
    work_order.updated_at = now
    record_event(
        session,
        account_id=principal.account_id,
        type=EventType.WORK_ORDER_DELETED,
        resource_type="work_order",
        resource_id=work_order.id,
        payload=snapshot(work_order),
        actor_user_id=principal.user_id,
    )
    _pm_event(session, principal, EventType.PM_WORK_ORDER_DELETED, work_order)


def _touch(session: Session, principal: Principal, work_order: WorkOrder) -> None:
    work_order.updated_at = now_ms()
    record_change(session, principal, EventType.WORK_ORDER_UPDATED, "work_order", work_order)


def add_update_message(session: Session, principal: Principal, work_order_id: str, text: str) -> WorkOrderUpdate:
    work_order = _load(session, principal, work_order_id, "comment")
    if not text.strip():
        raise DomainValidation(ErrorCode.REQUIRED, field="text")
    update = WorkOrderUpdate(
        account_id=principal.account_id,
        id=new_id(),
        work_order_id=work_order.id,
        text=text,
        created_by_user_id=principal.user_id,
        created_at=now_ms(),
    )
    session.add(update)
    _touch(session, principal, work_order)
    return update


def add_worker(session: Session, principal: Principal, work_order_id: str, user_id: str) -> None:
    """Add one additional user (idempotent). The work order's row lock serialises parallel adds."""
    work_order = _load(session, principal, work_order_id, "assign")
    user = session.get(User, (principal.account_id, user_id))
    if user is None or user.deleted_at is not None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="user")
    if session.get(WorkOrderUser, (principal.account_id, work_order.id, user_id)) is None:
        last = session.scalar(
            select(func.max(WorkOrderUser.position)).where(
                WorkOrderUser.account_id == work_order.account_id, WorkOrderUser.work_order_id == work_order.id
            )
        )
        session.add(
            WorkOrderUser(
                account_id=work_order.account_id,
                work_order_id=work_order.id,
                user_id=user_id,
                position=0 if last is None else last + 1,
            )
        )
        _project_additional_users(session, work_order)
    _touch(session, principal, work_order)


def remove_worker(session: Session, principal: Principal, work_order_id: str, user_id: str) -> None:
    work_order = _load(session, principal, work_order_id, "assign")
    link = session.get(WorkOrderUser, (principal.account_id, work_order.id, user_id))
    if link is None:
        raise NotFound(ErrorCode.NOT_ASSIGNED, record="user", to=WORK_ORDER)
    session.delete(link)
    _project_additional_users(session, work_order)
    _touch(session, principal, work_order)


def assign_team(session: Session, principal: Principal, work_order_id: str, team_id: str) -> None:
    work_order = _load(session, principal, work_order_id, "assign")
    team = session.get(Team, (principal.account_id, team_id))
    if team is None or team.deleted_at is not None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="team")
    work_order.team_id = team_id
    _touch(session, principal, work_order)


def remove_team(session: Session, principal: Principal, work_order_id: str, team_id: str) -> None:
    work_order = _load(session, principal, work_order_id, "assign")
    if work_order.team_id != team_id:
        raise NotFound(ErrorCode.NOT_ASSIGNED, record="team", to=WORK_ORDER)
    work_order.team_id = None
    _touch(session, principal, work_order)
