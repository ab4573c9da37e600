"""Legacy recurring work orders (UpKeep's API before version 2022-09-14), stored as PM triggers.

A legacy client makes a work order recur by sending ``recurringSchedule`` ('daily', 'weekly',
'twoWeeks', 'monthly', 'twoMonths', 'threeMonths', 'sixMonths', 'yearly', or days of the week
"Su,Th,Fr"), ``endDueDate`` and ``rescheduledBasedOnCompletion`` with it. The work order it sent is the
*root* (the template); Premises keeps its schedule as a trigger (``service.create_trigger``) whose
``legacy_work_order_id`` is the root and whose template is the root's fields, and records the root as the
trigger's first occurrence (``pm_work_orders``), so the sweep makes the following ones. The schedule is
in UTC, at the root's due time (or its creation), until ``endDueDate``; ``rescheduledBasedOnCompletion``
is a completion-based trigger. Changing the root changes the template; deleting it deletes the trigger;
``recurringSchedule: null`` ends the recurrence. docs/preventive-maintenance.md#legacy-recurring-work-orders.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace
from typing import Any, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from premises.errors import DomainValidation, ErrorCode
from premises.event.service import record_change
from premises.event.types import EventType
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.commands import UNSET, Unset, given
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import PmTrigger, PmWorkOrder, WorkOrder
from premises.preventive import recurrence, service
from premises.preventive.commands import TriggerChanges, TriggerCreate
from premises.work_order.commands import WorkOrderChanges, WorkOrderCreate
from premises.work_order.service import create_work_order, delete_work_order, update_work_order

# recurringSchedule -> (schedule type, interval)
SCHEDULES = {
    "daily": ("EVERY_N_DAYS", 1),
    "weekly": ("EVERY_N_WEEKS", 1),
    "twoWeeks": ("EVERY_N_WEEKS", 2),
    "monthly": ("EVERY_N_MONTHS", 1),
    "twoMonths": ("EVERY_N_MONTHS", 2),
    "threeMonths": ("EVERY_N_MONTHS", 3),
    "sixMonths": ("EVERY_N_MONTHS", 6),
    "yearly": ("EVERY_N_YEARS", 1),
}
BY_DAY = "EVERY_N_WEEKS_BY_DAY_OF_THE_WEEK"
DAY_CODES = ("Su", "Mo", "Tu", "We", "Th", "Fr", "Sa")
ZONE = "UTC"  # legacy dates are instants: the schedule keeps their UTC time of day
# A trigger error names the trigger's field; a legacy client sent these.
RENAMED = {
    "schedule_type": "recurring_schedule",
    "rrbyweekday": "recurring_schedule",
    "rrdtstart": "due_date",
    "rruntil": "end_due_date",
}
# The root's fields that are the trigger's template.
TEMPLATE = {
    "title": "wo_title",
    "description": "wo_description",
    "priority": "wo_priority",
    "category": "wo_category",
    "asset_id": "wo_asset_id",
    "location_id": "wo_location_id",
    "assigned_to_user_id": "wo_assigned_to_user_id",
    "estimated_duration_hours": "wo_duration",
}


@dataclass(frozen=True, slots=True)
class Recurrence:
    """The legacy fields of a work order create or update (domain names); ``recurring_schedule`` None
    (or empty) on an update ends the recurrence."""

    recurring_schedule: str | Unset | None = UNSET
    end_due_date: int | Unset | None = UNSET
    rescheduled_based_on_completion: bool | Unset | None = UNSET

    def __bool__(self) -> bool:
        return bool(given(self))


# ------------------------------------------------------------------------------------------ schedules


def schedule_fields(name: str) -> dict[str, Any]:
    """A recurringSchedule as a trigger's schedule fields; DomainValidation (recurring_schedule) if unknown."""
    if name in SCHEDULES:
        schedule_type, interval = SCHEDULES[name]
        return {"schedule_type": schedule_type, "rrinterval": interval, "rrbyweekday": None}
    codes = [code.strip() for code in name.split(",")]
    if not codes or any(code.capitalize() not in DAY_CODES for code in codes):
        choices = ", ".join((*SCHEDULES, "days of the week such as Su,Th,Fr"))
        raise DomainValidation(ErrorCode.NOT_ONE_OF, field="recurring_schedule", choices=choices)
    days = [code.upper() for code in dict.fromkeys(code.capitalize() for code in codes)]
    return {"schedule_type": BY_DAY, "rrinterval": 1, "rrbyweekday": days}


def schedule_name(trigger: Mapping[str, Any]) -> str | None:
    """A trigger's schedule as recurringSchedule (a trigger row or its fields); None when it is none of them."""
    if trigger["schedule_type"] == BY_DAY and trigger["rrinterval"] == 1:
        days = jsonutil.loads(trigger["rrbyweekday"]) if trigger["rrbyweekday"] else []
        return ",".join(day.capitalize() for day in days) or None
    for name, (schedule_type, interval) in SCHEDULES.items():
        if (schedule_type, interval) == (trigger["schedule_type"], trigger["rrinterval"]):
            return name
    return None


def occurrences_between(trigger: Mapping[str, Any], start: int, end: int, limit: int) -> list[int]:
    """The occurrences (epoch ms) of a trigger row from ``start`` to ``end`` inclusive, at most ``limit``:
    a completion-based trigger shows only its next one; a paused, archived or ended one none."""
    if trigger["is_paused"] or trigger["is_archived"] or trigger["next_due_at"] is None:
        return []
    if trigger["next_on_completion"]:
        return [trigger["next_due_at"]] if start <= trigger["next_due_at"] <= end else []
    schedule = service.schedule_of(cast(PmTrigger, SimpleNamespace(**trigger)))
    tz = schedule.tz
    start = max(start, 0)  # schedules start in 1970 or later (recurrence.FIRST_YEAR)
    found: list[int] = []
    for local in schedule.ruleset().xafter(recurrence.local_of(start, tz) - dt.timedelta(seconds=1), inc=True):
        instant = recurrence.to_instant(local, tz)
        if instant > end or len(found) == limit:
            break
        if instant >= start:
            found.append(instant)
    return found


# ------------------------------------------------------------------------------------------ writes


@contextmanager
def _legacy_names() -> Iterator[None]:
    """Trigger errors name the legacy field the client sent."""
    try:
        yield
    except DomainValidation as error:
        error.field = RENAMED.get(error.field or "", error.field)
        raise


def trigger_of(session: Session, work_order: WorkOrder) -> PmTrigger | None:
    """The live trigger of a legacy root work order, locked; None if it does not recur (the legacy way)."""
    return session.scalar(
        select(PmTrigger)
        .where(
            PmTrigger.account_id == work_order.account_id,
            PmTrigger.legacy_work_order_id == work_order.id,
            PmTrigger.deleted_at.is_(None),
        )
        .with_for_update()
    )


def create_recurring(session: Session, principal: Principal, command: WorkOrderCreate, legacy: Recurrence) -> WorkOrder:
    """A work order, recurring when ``legacy`` names a schedule; ``end_due_date`` is also the work order's."""
    fields = given(legacy)
    if fields.get("end_due_date") is not None:
        command = dataclasses.replace(command, end_due_date=fields["end_due_date"])
    work_order = create_work_order(session, principal, command)
    _start(session, principal, work_order, fields)
    return work_order


def _start(session: Session, principal: Principal, work_order: WorkOrder, fields: dict[str, Any]) -> None:
    """A work order that does not recur yet recurs if ``fields`` name a schedule (and must, to be completion-based)."""
    if fields.get("recurring_schedule"):
        _recur(session, principal, work_order, fields)
    elif fields.get("rescheduled_based_on_completion"):
        raise DomainValidation(ErrorCode.REQUIRED, field="recurring_schedule")


def _recur(session: Session, principal: Principal, work_order: WorkOrder, fields: dict[str, Any]) -> PmTrigger:
    """Make ``work_order`` the root of a trigger with ``fields``' schedule, the root its first occurrence."""
    now = now_ms()
    start = work_order.due_date if work_order.due_date is not None else work_order.created_at
    end = fields.get("end_due_date", work_order.end_due_date)
    if end is not None and end < start:
        raise DomainValidation(ErrorCode.NOT_BEFORE, field="end_due_date", other_field="due_date")
    schedule = schedule_fields(fields["recurring_schedule"])
    template = {domain: getattr(work_order, name) for name, domain in TEMPLATE.items()}
    with _legacy_names():
        trigger = service.create_trigger(
            session,
            principal,
            TriggerCreate(
                name=work_order.title,
                rrdtstart=start,
                rrtzid=ZONE,
                rruntil=end,
                next_on_completion=bool(fields.get("rescheduled_based_on_completion")),
                **schedule,
                **template,
            ),
        )
    first = start - start % 1000  # the schedule's start, to the second
    trigger.legacy_work_order_id = work_order.id
    session.add(
        PmWorkOrder(
            account_id=work_order.account_id,
            id=new_id(),
            trigger_id=trigger.id,
            due_at=first,
            work_order_id=work_order.id,
            created_at=now,
        )
    )
    trigger.last_due_at, trigger.last_work_order_id = first, work_order.id
    if trigger.next_on_completion:
        trigger.next_due_at = None  # the next one is due after the root is completed
    elif trigger.next_due_at is not None and trigger.next_due_at <= first:
        trigger.next_due_at = recurrence.next_after(service.schedule_of(trigger), first)
        trigger.schedule_has_ended = trigger.next_due_at is None
    record_change(
        session, principal, EventType.PM_WORK_ORDER_CREATED, "work_order", work_order, pm_trigger_id=trigger.id
    )
    return trigger


def update_recurring(
    session: Session, principal: Principal, work_order_id: str, changes: WorkOrderChanges, legacy: Recurrence
) -> WorkOrder:
    """Change a work order and its recurrence: a root's changed fields become its trigger's template."""
    work_order = update_work_order(session, principal, work_order_id, changes)
    fields = given(legacy)
    if "end_due_date" in fields:
        work_order.end_due_date = fields["end_due_date"]
    trigger = trigger_of(session, work_order)
    if trigger is None:
        _start(session, principal, work_order, fields)
        return work_order
    if "recurring_schedule" in fields and not fields["recurring_schedule"]:
        service.delete_trigger(session, principal, trigger.id)  # it no longer recurs
        return work_order
    trigger_changes = {
        domain: getattr(work_order, name)
        for name, domain in TEMPLATE.items()
        if getattr(work_order, name) != getattr(trigger, domain)
    }
    if "wo_title" in trigger_changes:
        trigger_changes["name"] = work_order.title
    if fields.get("recurring_schedule"):
        trigger_changes |= schedule_fields(fields["recurring_schedule"])
    if "end_due_date" in fields:
        trigger_changes["rruntil"] = fields["end_due_date"]
    if fields.get("rescheduled_based_on_completion") is not None:
        trigger_changes["next_on_completion"] = fields["rescheduled_based_on_completion"]
    if "due_date" in given(changes) and work_order.due_date is not None:
        trigger_changes["rrdtstart"] = work_order.due_date
    if trigger_changes:
        with _legacy_names():
            service.update_trigger(session, principal, trigger.id, TriggerChanges(**trigger_changes))
    return work_order


def delete_recurring(session: Session, principal: Principal, work_order_id: str) -> None:
    """Delete a work order; a root's trigger with it (what it made stays)."""
    delete_work_order(session, principal, work_order_id)
    work_order = session.get(WorkOrder, (principal.account_id, work_order_id))
    assert work_order is not None
    trigger = trigger_of(session, work_order)
    if trigger is not None:
        service.delete_trigger(session, principal, trigger.id)
