"""Meters, write side: meters, their readings and their notifications (triggers).

Every write locks the meter row first (``load_meter``): readings, notification changes and the
evaluation of a new reading serialise per meter, so parallel readings that cross a threshold create
exactly one work order (``meter.evaluation``). A new reading is evaluated by a job its transaction enqueues;
corrections (editing or deleting a reading) are history and trigger nothing. Every change records
its METER_* event in the same transaction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from premises.asset.service import check_asset
from premises.errors import DomainValidation, ErrorCode, NotFound
from premises.event.service import record_change
from premises.event.types import EventType
from premises.identity.permissions import Grant
from premises.identity.principal import Principal
from premises.job.service import enqueue
from premises.kit.commands import given
from premises.kit.ids import new_id
from premises.kit.references import require_live
from premises.kit.text import required_text
from premises.kit.time import now_ms
from premises.meter import evaluation, visibility
from premises.meter.commands import (
    MeterChanges,
    MeterCreate,
    NotificationChanges,
    NotificationCreate,
    ReadingChanges,
    ReadingCreate,
    TriggerFrequency,
)
from premises.meter.fields import FREQUENCY_MAX
from premises.models import Meter, MeterNotification, MeterReading, User
from premises.place.service import check_location, require_location
from premises.work_order.service import check_category

TRIGGER_FREQUENCIES = tuple(t.value for t in TriggerFrequency)


# ------------------------------------------------------------------------------------------ loading


def load_meter(session: Session, principal: Principal, meter_id: str, resource: str, action: str) -> Meter:
    """The live meter, locked for the rest of the transaction, if the principal sees it and may
    ``action`` its ``resource`` (``meter``, ``meter_reading``, ``meter_notification``) there; else NotFound."""
    principal.require(resource, action)
    meter = session.get(Meter, (principal.account_id, meter_id), with_for_update=True)
    if meter is None or meter.deleted_at is not None or not visibility.visible(principal, meter):
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="meter")
    principal.require(resource, action, at=meter.location_id)  # the role at the meter's place
    return meter


def _event(session: Session, principal: Principal, type: EventType, record: Any, kind: str) -> None:
    record_change(session, principal, type, kind, record)


def _soft_delete(record: Meter | MeterReading | MeterNotification) -> None:
    now = now_ms()
    record.deleted_at = now
    record.updated_at = max(now, record.updated_at)


def _required(fields: Mapping[str, Any], name: str) -> Any:
    if fields.get(name) is None:
        raise DomainValidation(ErrorCode.REQUIRED, field=name)
    return fields[name]


# ------------------------------------------------------------------------------------------ meters


def _check_meter(session: Session, principal: Principal, fields: dict[str, Any]) -> None:
    for name in ("name", "units"):
        if name in fields:
            fields[name] = required_text(fields.get(name), name)
    if "frequency" in fields:
        frequency = _required(fields, "frequency")
        if not 0 <= frequency <= FREQUENCY_MAX:
            raise DomainValidation(ErrorCode.NOT_BETWEEN, field="frequency", min=0, max=FREQUENCY_MAX)
    if fields.get("asset_id"):
        check_asset(session, principal, fields["asset_id"])
    if fields.get("location_id"):
        check_location(session, principal, fields["location_id"])
    elif "location_id" in fields:
        require_location(principal, None)
    if "cumulative" in fields:
        fields["cumulative"] = bool(fields["cumulative"])


def create_meter(session: Session, principal: Principal, command: MeterCreate) -> Meter:
    principal.require("meter", "create")
    require_location(principal, command.location_id)
    if command.location_id:
        principal.require("meter", "create", at=command.location_id)
    fields = given(command)
    for name in ("name", "units", "frequency"):
        _required(fields, name)
    _check_meter(session, principal, fields)
    now = now_ms()
    meter = Meter(
        account_id=principal.account_id,
        id=new_id(),
        created_by_user_id=principal.user_id,
        created_at=now,
        updated_at=now,
        **fields,
    )
    session.add(meter)
    _event(session, principal, EventType.METER_CREATED, meter, "meter")
    return meter


def update_meter(session: Session, principal: Principal, meter_id: str, command: MeterChanges) -> Meter:
    """Change the meter's own fields; its past readings stay as they were recorded."""
    meter = load_meter(session, principal, meter_id, "meter", "update")
    changes = given(command)
    _check_meter(session, principal, changes)
    for name, value in changes.items():
        setattr(meter, name, value)
    meter.updated_at = max(now_ms(), meter.updated_at)
    _event(session, principal, EventType.METER_UPDATED, meter, "meter")
    return meter


def delete_meter(session: Session, principal: Principal, meter_id: str) -> None:
    """Soft delete: the meter, its readings and notifications leave every list; work orders stay."""
    meter = load_meter(session, principal, meter_id, "meter", "delete")
    _soft_delete(meter)
    _event(session, principal, EventType.METER_DELETED, meter, "meter")


# ------------------------------------------------------------------------------------------ readings


def _shown(value: float) -> str:
    return str(int(value)) if value.is_integer() else repr(value)


def _neighbour(
    session: Session, meter: Meter, reading_id: str | None, date: int, *, later: bool
) -> MeterReading | None:
    """The live reading just before (at or before ``date``) or just after ``date``, other than ``reading_id``."""
    statement = select(MeterReading).where(
        MeterReading.account_id == meter.account_id,
        MeterReading.meter_id == meter.id,
        MeterReading.deleted_at.is_(None),
    )
    if reading_id is not None:
        statement = statement.where(MeterReading.id != reading_id)
    if later:
        statement = statement.where(MeterReading.date > date).order_by(MeterReading.date, MeterReading.created_at)
    else:
        statement = statement.where(MeterReading.date <= date).order_by(
            MeterReading.date.desc(), MeterReading.created_at.desc()
        )
    return session.scalars(statement.limit(1)).first()


def _check_cumulative(
    session: Session, meter: Meter, reading_id: str | None, value: float, date: int, is_reset: bool
) -> None:
    """A cumulative meter only counts up, in date order, except at a reset (or replacement)."""
    if not meter.cumulative:
        return
    previous = _neighbour(session, meter, reading_id, date, later=False)
    if previous is not None and not is_reset and value < previous.value:
        raise DomainValidation(
            ErrorCode.READING_BELOW_PREVIOUS, field="value", value=_shown(value), previous=_shown(previous.value)
        )
    following = _neighbour(session, meter, reading_id, date, later=True)
    if following is not None and not following.is_reset and following.value < value:
        raise DomainValidation(
            ErrorCode.READING_ABOVE_NEXT, field="value", value=_shown(value), next=_shown(following.value)
        )


def add_reading(session: Session, principal: Principal, meter_id: str, command: ReadingCreate) -> MeterReading:
    """Record a reading, and enqueue its evaluation against the meter's notifications (``meter.evaluate``,
    a job that commits with it and runs after it)."""
    meter = load_meter(session, principal, meter_id, "meter_reading", "create")
    value = float(_required(given(command), "value"))
    now = now_ms()
    date = now if command.date is None else command.date
    is_reset = bool(command.is_reset)
    _check_cumulative(session, meter, None, value, date, is_reset)
    reading = MeterReading(
        account_id=principal.account_id,
        id=new_id(),
        meter_id=meter.id,
        value=value,
        date=date,
        is_reset=is_reset,
        created_by_user_id=principal.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(reading)
    _event(session, principal, EventType.METER_READING_CREATED, reading, "meter_reading")
    enqueue(session, evaluation.EVALUATE_JOB, {"meter_id": meter.id}, account_id=principal.account_id)
    return reading


def _load_reading(session: Session, principal: Principal, meter_id: str, reading_id: str, action: str) -> MeterReading:
    """A live reading of a meter the principal may ``action`` readings of (the meter locked first)."""
    meter = load_meter(session, principal, meter_id, "meter_reading", action)
    grant = principal.require("meter_reading", action, at=meter.location_id)
    reading = session.get(MeterReading, (principal.account_id, reading_id), with_for_update=True)
    if (
        reading is None
        or reading.deleted_at is not None
        or reading.meter_id != meter.id
        or (grant is Grant.OWN and reading.created_by_user_id != principal.user_id)
    ):
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="meter reading")
    return reading


def update_reading(
    session: Session, principal: Principal, meter_id: str, reading_id: str, command: ReadingChanges
) -> MeterReading:
    """Correct a reading's value or date. A correction is history: it creates no work order."""
    reading = _load_reading(session, principal, meter_id, reading_id, "update")
    changes = given(command)
    value = float(_required(changes, "value")) if "value" in changes else reading.value
    date = _required(changes, "date") if "date" in changes else reading.date
    meter = session.get(Meter, (principal.account_id, meter_id))
    assert meter is not None  # locked by _load_reading
    _check_cumulative(session, meter, reading.id, value, date, reading.is_reset)
    reading.value, reading.date = value, date
    reading.updated_at = max(now_ms(), reading.updated_at)
    _event(session, principal, EventType.METER_READING_UPDATED, reading, "meter_reading")
    return reading


def delete_reading(session: Session, principal: Principal, meter_id: str, reading_id: str) -> None:
    reading = _load_reading(session, principal, meter_id, reading_id, "delete")
    _soft_delete(reading)
    _event(session, principal, EventType.METER_READING_DELETED, reading, "meter_reading")


# ------------------------------------------------------------------------------------------ notifications


def _check_notification(session: Session, principal: Principal, fields: dict[str, Any]) -> None:
    if "title" in fields:
        fields["title"] = required_text(fields.get("title"), "title")
    if "trigger_value" in fields:
        _required(fields, "trigger_value")
    if "trigger_frequency" in fields and _required(fields, "trigger_frequency") not in TRIGGER_FREQUENCIES:
        raise DomainValidation(ErrorCode.NOT_ONE_OF, field="trigger_frequency", choices=", ".join(TRIGGER_FREQUENCIES))
    if "last_value_for_work_order" in fields and fields["last_value_for_work_order"] is None:
        fields["last_value_for_work_order"] = 0.0
    if fields.get("assigned_to_user_id"):
        require_live(session, User, principal.account_id, fields["assigned_to_user_id"], "assigned_to_user_id")
    if fields.get("category"):
        check_category(session, principal.account_id, fields["category"])
    if "one_open_work_order" in fields:
        fields["one_open_work_order"] = bool(fields["one_open_work_order"])


def _check_interval(notification: MeterNotification) -> None:
    if notification.trigger_frequency == TriggerFrequency.EVERY_TIME_REACHES and not notification.trigger_value > 0:
        raise DomainValidation(
            ErrorCode.WRONG_TYPE, field="trigger_value", expected="greater than 0 for EVERY_TIME_REACHES"
        )


def create_notification(
    session: Session, principal: Principal, meter_id: str, command: NotificationCreate
) -> MeterNotification:
    meter = load_meter(session, principal, meter_id, "meter_notification", "write")
    fields = given(command)
    for name in ("title", "trigger_value", "trigger_frequency"):
        _required(fields, name)
    _check_notification(session, principal, fields)
    now = now_ms()
    notification = MeterNotification(
        account_id=principal.account_id,
        id=new_id(),
        meter_id=meter.id,
        created_by_user_id=principal.user_id,
        created_at=now,
        updated_at=now,
        **{**fields, "trigger_frequency": str(fields["trigger_frequency"])},
    )
    if notification.last_value_for_work_order is None:
        notification.last_value_for_work_order = 0.0
    _check_interval(notification)
    session.add(notification)
    _event(session, principal, EventType.METER_NOTIFICATION_CREATED, notification, "meter_notification")
    return notification


def _load_notification(
    session: Session, principal: Principal, meter_id: str, notification_id: str
) -> MeterNotification:
    meter = load_meter(session, principal, meter_id, "meter_notification", "write")
    notification = session.get(MeterNotification, (principal.account_id, notification_id), with_for_update=True)
    if notification is None or notification.deleted_at is not None or notification.meter_id != meter.id:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="meter notification")
    return notification


def update_notification(
    session: Session, principal: Principal, meter_id: str, notification_id: str, command: NotificationChanges
) -> MeterNotification:
    """Change a notification. Any change re-arms a ONE_TIME notification that has fired."""
    notification = _load_notification(session, principal, meter_id, notification_id)
    changes = given(command)
    _check_notification(session, principal, changes)
    for name, value in changes.items():
        setattr(notification, name, str(value) if name == "trigger_frequency" else value)
    _check_interval(notification)
    notification.fired_at = None
    notification.updated_at = max(now_ms(), notification.updated_at)
    _event(session, principal, EventType.METER_NOTIFICATION_UPDATED, notification, "meter_notification")
    return notification


def delete_notification(session: Session, principal: Principal, meter_id: str, notification_id: str) -> None:
    notification = _load_notification(session, principal, meter_id, notification_id)
    _soft_delete(notification)
    _event(session, principal, EventType.METER_NOTIFICATION_DELETED, notification, "meter_notification")
