"""Preventive maintenance, write side: triggers, and the work order of one occurrence (``generate``).

Every write locks the trigger row first (``load_trigger``), and so does the sweep: a change and a
sweep of one trigger never interleave. A changed schedule, an unpaused or unarchived trigger start
again from now (occurrences that passed meanwhile make no work order). Each change records its
WORK_ORDER_SCHEDULE_* event; each generated work order its PM_WORK_ORDER_CREATED event, in the same
transaction. docs/preventive-maintenance.md.
"""

from __future__ import annotations

from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from premises.account.categories import first_category
from premises.asset.service import check_asset
from premises.errors import DomainValidation, ErrorCode, NotFound
from premises.event.service import record_change, record_event, snapshot
from premises.event.types import EventType
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.commands import given
from premises.kit.ids import new_id
from premises.kit.references import live_id, require_all_live, require_live
from premises.kit.text import required_text
from premises.kit.time import now_ms
from premises.meter.evaluation import next_baseline, on_reading
from premises.models import Asset, Meter, MeterReading, Part, Place, PmTrigger, PmWorkOrder, User, WorkOrder
from premises.place.service import check_location, require_location
from premises.preventive import recurrence, visibility
from premises.preventive.commands import CADENCE_MANUAL, SCHEDULE_FIELDS, MeterCondition, TriggerChanges, TriggerCreate
from premises.preventive.visibility import RESOURCE
from premises.work_order.commands import Status, WorkOrderCreate
from premises.work_order.service import check_category, check_priority, create_work_order

PREVENTATIVE = "Preventative"  # the category of generated work orders (an account default; clients look for it)
STORED_AS_JSON = ("wo_additional_user_ids", "wo_parts", "wo_part_quantities")
MAX_DURATION_HOURS = 100_000


# ------------------------------------------------------------------------------------------ loading


def load_trigger(session: Session, principal: Principal, trigger_id: str, action: str) -> PmTrigger:
    """The live trigger, locked for the rest of the transaction, if the principal sees it and may ``action`` it."""
    principal.require(RESOURCE, action)
    trigger = session.get(PmTrigger, (principal.account_id, trigger_id), with_for_update=True)
    if trigger is None or trigger.deleted_at is not None or not visibility.visible(principal, trigger):
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="trigger")
    principal.require(RESOURCE, action, at=trigger.wo_location_id)
    return trigger


def _event(session: Session, principal: Principal, type: EventType, trigger: PmTrigger) -> None:
    record_change(session, principal, type, "pm_trigger", trigger)


# ------------------------------------------------------------------------------------------ checks


def _choice(fields: dict[str, Any], name: str, choices: tuple[str, ...]) -> None:
    if fields.get(name) is not None and fields[name] not in choices:
        raise DomainValidation(ErrorCode.NOT_ONE_OF, field=name, choices=", ".join(choices))


def _check_template(session: Session, principal: Principal, fields: dict[str, Any]) -> None:
    account_id = principal.account_id
    if "wo_title" in fields:
        fields["wo_title"] = required_text(fields.get("wo_title"), "wo_title")
    if fields.get("wo_priority") is not None:
        fields["wo_priority"] = int(check_priority(fields["wo_priority"]))
    if fields.get("wo_category"):
        check_category(session, account_id, fields["wo_category"])
    if fields.get("wo_asset_id"):
        check_asset(session, principal, fields["wo_asset_id"], field="wo_asset_id")
    if fields.get("wo_location_id"):
        check_location(session, principal, fields["wo_location_id"], field="wo_location_id")
    if fields.get("wo_assigned_to_user_id"):
        require_live(session, User, account_id, fields["wo_assigned_to_user_id"], "wo_assigned_to_user_id")
    if fields.get("wo_additional_user_ids"):
        require_all_live(session, User, account_id, fields["wo_additional_user_ids"], "wo_additional_user_ids")
    if fields.get("wo_parts"):
        require_all_live(session, Part, account_id, fields["wo_parts"], "wo_parts")
    quantities = fields.get("wo_part_quantities")
    if quantities is not None:
        count = len(fields.get("wo_parts") or [])
        if not isinstance(quantities, list) or len(quantities) != count:
            raise DomainValidation(
                ErrorCode.QUANTITIES_DO_NOT_MATCH, field="wo_part_quantities", count=count, items="parts"
            )
        for quantity in quantities:
            if isinstance(quantity, bool) or not isinstance(quantity, int | float) or not 0 < quantity < 2**53:
                raise DomainValidation(ErrorCode.WRONG_TYPE, field="wo_part_quantities", expected="positive numbers")
    duration = fields.get("wo_duration")
    if duration is not None and not 0 <= duration <= MAX_DURATION_HOURS:
        raise DomainValidation(ErrorCode.NOT_BETWEEN, field="wo_duration", min=0, max=MAX_DURATION_HOURS)


def _check_other(session: Session, principal: Principal, fields: dict[str, Any]) -> None:
    if "name" in fields:
        fields["name"] = required_text(fields.get("name"), "name")
    cadences = (CADENCE_MANUAL, *recurrence.SCHEDULE_TYPES)
    _choice(fields, "cadence_type", cadences)
    _choice(fields, "cadence_freq", tuple(recurrence.FREQUENCIES))
    _choice(fields, "meter_due_frequency", tuple(recurrence.FREQUENCIES))
    _choice(fields, "meter_condition", tuple(c.value for c in MeterCondition))
    if fields.get("meter_id"):
        require_live(session, Meter, principal.account_id, fields["meter_id"], "meter_id")
    if fields.get("meter_due_interval") is not None and not fields.get("meter_due_frequency"):
        fields.setdefault("meter_due_frequency", "DAILY")
    for name in ("create_first_wo", "next_on_completion", "is_paused", "is_archived"):
        if name in fields:
            fields[name] = bool(fields[name])


def _check_meter_rule(trigger: PmTrigger) -> None:
    """A meter condition needs its meter and its value (EVERY: a positive interval)."""
    if trigger.meter_condition is None:
        return
    for name in ("meter_id", "meter_condition_value"):
        if getattr(trigger, name) is None:
            raise DomainValidation(
                ErrorCode.SCHEDULE_NEEDS, field=name, schedule_type=f"meter {trigger.meter_condition}"
            )
    if trigger.meter_condition == MeterCondition.EVERY and not (trigger.meter_condition_value or 0) > 0:
        raise DomainValidation(ErrorCode.WRONG_TYPE, field="meter_condition_value", expected="greater than 0 for EVERY")


def _store_schedule(trigger: PmTrigger, schedule: recurrence.Schedule) -> None:
    """The schedule as it is kept: local times as text, lists as JSON (None when empty)."""
    trigger.rrfreq, trigger.rrinterval, trigger.rrtzid = schedule.freq, schedule.interval, schedule.tz.key
    trigger.rrdtstart = recurrence.format_local(schedule.dtstart)
    trigger.rruntil = None if schedule.until is None else recurrence.format_local(schedule.until)
    for name, values in (
        ("rrbyweekday", list(schedule.byweekday)),
        ("rrbymonthday", list(schedule.bymonthday)),
        ("rrbysetpos", list(schedule.bysetpos)),
        ("rdates", [recurrence.format_local(d) for d in schedule.rdates]),
        ("exdates", [recurrence.format_local(d) for d in schedule.exdates]),
    ):
        setattr(trigger, name, jsonutil.dumps(values) if values else None)


def schedule_of(trigger: PmTrigger) -> recurrence.Schedule:
    """The stored trigger's schedule (valid: it was checked when written)."""
    fields: dict[str, object] = {c: getattr(trigger, c) for c in ("schedule_type", "rrfreq", "rrinterval", "rrtzid")}
    fields |= {"rrdtstart": trigger.rrdtstart, "rruntil": trigger.rruntil}
    for name in ("rrbyweekday", "rrbymonthday", "rrbysetpos", "rdates", "exdates"):
        fields[name] = jsonutil.loads(getattr(trigger, name)) if getattr(trigger, name) else None
    return recurrence.schedule_of(fields)


def _restart(trigger: PmTrigger, now: int) -> None:
    """The next occurrence after ``now`` (and after the last one made); ended when there is none."""
    next_due = recurrence.next_after(schedule_of(trigger), max(now, trigger.last_due_at or now))
    trigger.next_due_at = next_due
    trigger.schedule_has_ended = next_due is None


# ------------------------------------------------------------------------------------------ triggers


def create_trigger(session: Session, principal: Principal, command: TriggerCreate) -> PmTrigger:
    principal.require(RESOURCE, "create")
    require_location(principal, command.wo_location_id)
    if command.wo_location_id:
        principal.require(RESOURCE, "create", at=command.wo_location_id)
    fields = given(command)
    for name in ("name", "schedule_type", "rrdtstart", "rrtzid", "wo_title"):
        if fields.get(name) is None:
            raise DomainValidation(ErrorCode.REQUIRED, field=name)
    schedule = recurrence.schedule_of(fields)
    _check_other(session, principal, fields)
    _check_template(session, principal, fields)
    now = now_ms()
    trigger = PmTrigger(
        account_id=principal.account_id,
        id=new_id(),
        created_by_user_id=principal.user_id,
        created_at=now,
        updated_at=now,
        last_due_at=None,
        schedule_has_ended=False,
        **{k: v for k, v in fields.items() if k not in STORED_AS_JSON and k not in SCHEDULE_FIELDS},
        next_on_completion=bool(fields.get("next_on_completion")),
        schedule_type=fields["schedule_type"],
    )
    trigger.wo_additional_user_ids = jsonutil.dumps(list(fields.get("wo_additional_user_ids") or []))
    trigger.wo_parts = jsonutil.dumps(list(fields.get("wo_parts") or []))
    trigger.wo_part_quantities = (
        None if command.wo_part_quantities is None else jsonutil.dumps(fields["wo_part_quantities"])
    )
    _store_schedule(trigger, schedule)
    if trigger.is_archived:
        trigger.archived_at, trigger.archived_by_user_id = now, principal.user_id
    _check_meter_rule(trigger)
    # The first occurrence from now on (a start in the past runs from now: past occurrences make nothing).
    trigger.next_due_at = recurrence.next_after(schedule, now - 1)
    trigger.schedule_has_ended = trigger.next_due_at is None
    session.add(trigger)
    session.flush()
    _event(session, principal, EventType.WORK_ORDER_SCHEDULE_CREATED, trigger)
    if trigger.create_first_wo and trigger.next_due_at is not None and not (trigger.is_paused or trigger.is_archived):
        generate(session, trigger, trigger.next_due_at, now)  # that occurrence's work order, at once
    return trigger


def update_trigger(session: Session, principal: Principal, trigger_id: str, command: TriggerChanges) -> PmTrigger:
    trigger = load_trigger(session, principal, trigger_id, "update")
    changes = given(command)
    if "wo_location_id" in changes:
        require_location(principal, changes["wo_location_id"])
        if changes["wo_location_id"]:
            principal.require(RESOURCE, "update", at=changes["wo_location_id"])
    for name in ("name", "schedule_type", "rrdtstart", "rrtzid", "wo_title"):
        if name in changes and changes[name] is None:
            raise DomainValidation(ErrorCode.REQUIRED, field=name)
    rescheduled = bool(SCHEDULE_FIELDS & changes.keys())
    if rescheduled:
        current = {name: getattr(trigger, name) for name in SCHEDULE_FIELDS}
        for name in ("rrbyweekday", "rrbymonthday", "rrbysetpos", "rdates", "exdates"):
            current[name] = jsonutil.loads(current[name]) if current[name] else None
        merged = current | changes
        if "schedule_type" in changes and "rrfreq" not in changes:
            merged["rrfreq"] = None  # the new type's frequency
        schedule = recurrence.schedule_of(merged)
    _check_other(session, principal, changes)
    _check_template(session, principal, changes)
    if "wo_parts" in changes and "wo_part_quantities" not in changes and trigger.wo_part_quantities:
        changes["wo_part_quantities"] = None  # quantities follow their parts
    now = now_ms()
    was = (trigger.is_paused, trigger.is_archived)
    for name, value in changes.items():
        if name in SCHEDULE_FIELDS:
            continue
        if name in ("wo_additional_user_ids", "wo_parts"):
            value = jsonutil.dumps(list(value or []))
        elif name == "wo_part_quantities":
            value = None if value is None else jsonutil.dumps(value)
        setattr(trigger, name, value)
    _check_meter_rule(trigger)
    if {"meter_id", "meter_condition", "meter_condition_value"} & changes.keys():
        trigger.meter_baseline = None  # a changed meter rule counts from its next reading
    if rescheduled:
        _store_schedule(trigger, schedule)
        trigger.schedule_type = merged["schedule_type"]
        trigger.next_on_completion = bool(merged["next_on_completion"])
    if trigger.is_archived and not was[1]:
        trigger.archived_at, trigger.archived_by_user_id = now, principal.user_id
    elif not trigger.is_archived:
        trigger.archived_at = trigger.archived_by_user_id = None
    resumed = was != (trigger.is_paused, trigger.is_archived) and not (trigger.is_paused or trigger.is_archived)
    if rescheduled or resumed:
        _restart(trigger, now)
        if trigger.next_on_completion and _is_open(session, trigger):
            trigger.next_due_at = None  # waits for the last work order, as before
    trigger.updated_at = max(now, trigger.updated_at)
    if was != (trigger.is_paused, trigger.is_archived):
        _event(session, principal, EventType.WORK_ORDER_SCHEDULE_STATUS_UPDATED, trigger)
    _event(session, principal, EventType.WORK_ORDER_SCHEDULE_UPDATED, trigger)
    return trigger


def delete_trigger(session: Session, principal: Principal, trigger_id: str) -> PmTrigger:
    """Soft delete: the trigger makes nothing more; the work orders it made stay."""
    trigger = load_trigger(session, principal, trigger_id, "delete")
    now = now_ms()
    trigger.deleted_at = now
    trigger.updated_at = max(now, trigger.updated_at)
    _event(session, principal, EventType.WORK_ORDER_SCHEDULE_DELETED, trigger)
    return trigger


# ------------------------------------------------------------------------------------------ generating


def _is_open(session: Session, trigger: PmTrigger) -> bool:
    if trigger.last_work_order_id is None:
        return False
    work_order = session.get(WorkOrder, (trigger.account_id, trigger.last_work_order_id))
    return (
        work_order is not None
        and work_order.deleted_at is None
        and not work_order.archived
        and work_order.status != Status.COMPLETE
    )


def _category(session: Session, trigger: PmTrigger) -> str | None:
    """The template's category, else "Preventative"; None when the account has neither any more."""
    return first_category(session, trigger.account_id, "work_order", (trigger.wo_category, PREVENTATIVE))


def _work_order_of(session: Session, trigger: PmTrigger, due_at: int, *, with_parts: bool) -> WorkOrderCreate:
    account_id = trigger.account_id
    users = jsonutil.loads(trigger.wo_additional_user_ids) if trigger.wo_additional_user_ids else []
    parts = jsonutil.loads(trigger.wo_parts) if trigger.wo_parts and with_parts else []
    quantities = jsonutil.loads(trigger.wo_part_quantities) if trigger.wo_part_quantities and parts else None
    return WorkOrderCreate(
        title=trigger.wo_title,
        description=trigger.wo_description,
        priority=trigger.wo_priority,
        category=_category(session, trigger),
        due_date=due_at,
        asset_id=live_id(session, Asset, account_id, trigger.wo_asset_id),
        location_id=live_id(session, Place, account_id, trigger.wo_location_id),
        assigned_to_user_id=live_id(session, User, account_id, trigger.wo_assigned_to_user_id),
        additional_user_ids=[u for u in users if live_id(session, User, account_id, u)],
        estimated_duration_hours=trigger.wo_duration,
        parts=parts or None,
        part_quantities=quantities,
    )


def generate(session: Session, trigger: PmTrigger, due_at: int, now: int) -> WorkOrder | None:
    """Create the work order of the occurrence ``due_at`` (the trigger row locked by the caller) and move
    the trigger past it. None if that occurrence has its work order already: the unique key
    (account, trigger, occurrence) of ``pm_work_orders`` refuses a second one, whoever made the first."""
    account_id = trigger.account_id
    done = session.scalar(
        select(PmWorkOrder.id).where(
            PmWorkOrder.account_id == account_id, PmWorkOrder.trigger_id == trigger.id, PmWorkOrder.due_at == due_at
        )
    )
    work_order = None
    if done is None:
        work_order = _create(session, trigger, due_at, now)
    move_past(trigger, due_at, None if work_order is None else work_order.id, now)
    return work_order


def move_past(
    trigger: PmTrigger, due_at: int, work_order_id: str | None, now: int, schedule: recurrence.Schedule | None = None
) -> None:
    """The trigger's occurrence ``due_at`` is made (its work order ``work_order_id``, None if made before):
    its next occurrence (DST-correct, ``recurrence``; ``schedule`` is the trigger's when the caller has
    it already), or none until completion."""
    trigger.last_due_at = max(due_at, trigger.last_due_at or due_at)
    if work_order_id is not None:
        trigger.last_work_order_id = work_order_id
    if trigger.next_on_completion:
        trigger.next_due_at = None  # the next one is due after this one is completed (the sweep looks)
    else:
        trigger.next_due_at = recurrence.next_after(schedule or schedule_of(trigger), due_at)
        trigger.schedule_has_ended = trigger.next_due_at is None
    trigger.updated_at = max(now, trigger.updated_at)


def _create(session: Session, trigger: PmTrigger, due_at: int, now: int) -> WorkOrder | None:
    # The account creates it (an admin's authority: the trigger was allowed when it was set up), in the
    # name of the trigger's creator. Parts that are out of stock leave the work order without its parts.
    principal = Principal(trigger.account_id, trigger.created_by_user_id, Role.ADMIN)
    for with_parts in (True, False):
        try:
            with session.begin_nested():
                work_order = create_work_order(
                    session, principal, _work_order_of(session, trigger, due_at, with_parts=with_parts)
                )
                link = PmWorkOrder(
                    account_id=trigger.account_id,
                    id=new_id(),
                    trigger_id=trigger.id,
                    due_at=due_at,
                    work_order_id=work_order.id,
                    created_at=now,
                )
                session.add(link)
                session.flush()
        except IntegrityError:
            return None  # another sweep made this occurrence's work order
        except DomainValidation:
            if with_parts and trigger.wo_parts:
                continue
            raise
        record_event(
            session,
            account_id=trigger.account_id,
            type=EventType.PM_WORK_ORDER_CREATED,
            resource_type="work_order",
            resource_id=work_order.id,
            payload={**snapshot(work_order), "pm_trigger_id": trigger.id, "pm_due_at": due_at},
            actor_user_id=trigger.created_by_user_id,
        )
        return work_order
    return None  # pragma: no cover - the loop returns or raises


# ------------------------------------------------------------------------------------------ meter rules


def meter_due(trigger: PmTrigger, value: float) -> bool:
    """Whether a reading of ``value`` makes a meter-based trigger due (``meter_baseline`` set beforehand)."""
    limit = trigger.meter_condition_value
    if limit is None:
        return False
    match trigger.meter_condition:
        case MeterCondition.GREATER_THAN:
            return value > limit
        case MeterCondition.LESS_THAN:
            return value < limit
        case MeterCondition.EVERY:
            return trigger.meter_baseline is not None and value - trigger.meter_baseline >= limit
    return False


def _meter_due_at(trigger: PmTrigger, date: int) -> int:
    """When a meter-made work order is due: ``meter_due_interval`` ``meter_due_frequency`` units after the reading."""
    if not trigger.meter_due_interval:
        return date
    tz = recurrence.zone(trigger.rrtzid)
    local = recurrence.local_of(date, tz)
    step = relativedelta(**{recurrence.STEP[trigger.meter_due_frequency or "DAILY"]: trigger.meter_due_interval})
    return recurrence.to_instant(local + step, tz)


@on_reading
def on_meter_reading(session: Session, principal: Principal, meter: Meter, reading: MeterReading) -> None:
    """A reading of a meter that running triggers watch (``meter.evaluation`` calls it, meter locked): each
    trigger whose condition it meets makes its work order now, unless its last one is still open; the time
    schedule then counts again from this work order ("whichever comes first")."""
    triggers = session.scalars(
        select(PmTrigger)
        .where(
            PmTrigger.account_id == meter.account_id,
            PmTrigger.meter_id == meter.id,
            PmTrigger.meter_condition.is_not(None),
            PmTrigger.deleted_at.is_(None),
            PmTrigger.is_paused.is_(False),
            PmTrigger.is_archived.is_(False),
        )
        .order_by(PmTrigger.created_at, PmTrigger.id)
        .with_for_update()
    ).all()
    now = now_ms()
    for trigger in triggers:
        if trigger.meter_condition == MeterCondition.EVERY and trigger.meter_baseline is None:
            trigger.meter_baseline = reading.value  # the interval counts from the first reading it sees
            continue
        if not meter_due(trigger, reading.value) or _is_open(session, trigger):
            continue
        if trigger.meter_condition == MeterCondition.EVERY:
            assert trigger.meter_baseline is not None and trigger.meter_condition_value is not None
            trigger.meter_baseline = next_baseline(trigger.meter_baseline, trigger.meter_condition_value, reading.value)
        work_order = _create(session, trigger, _meter_due_at(trigger, reading.date), now)
        if work_order is None:
            continue
        trigger.last_work_order_id = work_order.id
        if trigger.next_on_completion:
            trigger.next_due_at = None
        else:
            trigger.next_due_at = recurrence.after_completion(schedule_of(trigger), reading.date)
            trigger.schedule_has_ended = trigger.next_due_at is None
        trigger.updated_at = max(now, trigger.updated_at)
