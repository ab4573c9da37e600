"""Meter, meter reading and meter notification <-> UpKeep wire shape.

Premises fields UpKeep does not have (docs/dialects/upkeep.md): a meter's ``isCumulative``, a
reading's ``isReset``, a notification's ``category``, ``oneOpenWorkOrder``, ``lastWorkOrder`` and
``firedAt``, and a notification's hits (``GET /meters/{id}/notifications/{id}/hits``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from premises.api.kit.body import Spec
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.upkeep.expanders import expander
from premises.api.upkeep.mappers.common import DATE, ID_OR_OBJECT, STR, iso, obj
from premises.db.reader import Reader
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.meter.commands import (
    MeterChanges,
    MeterCreate,
    NotificationChanges,
    NotificationCreate,
    ReadingChanges,
    ReadingCreate,
)
from premises.meter.fields import METERS, NOTIFICATIONS, READINGS
from premises.meter.queries import meters_by_ids, readings_by_ids
from premises.models import Meter, MeterNotification

NUMBER = {"type": "number"}


def _number(value: float | None) -> float | int | None:
    """A stored number as UpKeep shows it: ``1`` rather than ``1.0``."""
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


# ------------------------------------------------------------------------------------------ meters

METER_FIELDS = Fields(
    METERS.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "name": Wire("name", filter="Only meters with exactly this name."),
            "units": Wire("units"),
            "frequency": Wire("frequency"),
            "created_by_user_id": Wire("createdByUser", schema=ID_OR_OBJECT),
            "location_id": Wire("location", schema=ID_OR_OBJECT, filter="Only meters at this location."),
            "asset_id": Wire("asset", schema=ID_OR_OBJECT, filter="Only meters of this asset."),
            "last_reading_id": Wire("lastReading", schema=ID_OR_OBJECT),
            "cumulative": Wire("isCumulative", bool),
            "created_at": Wire("createdAt", iso, ordered=True),
            "updated_at": Wire("updatedAt", iso, ordered=True),
        },
    )
)
CREATE = Spec(*METER_FIELDS.body_fields(required=required_of(MeterCreate)), model=Meter)
UPDATE = Spec(*METER_FIELDS.body_fields(), model=Meter)
METER_SCHEMA = obj(METER_FIELDS.schema_properties({}), METER_FIELDS.required())
meter_to_upkeep = METER_FIELDS.render


def parse_create(body: Mapping[str, Any]) -> MeterCreate:
    return build(MeterCreate, CREATE.parse(body))


def parse_update(body: Mapping[str, Any]) -> MeterChanges:
    return build(MeterChanges, UPDATE.parse(body, partial=True))


@expander("meter")
async def expand_meters(reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
    return {i: meter_to_upkeep(row) for i, row in (await meters_by_ids(reader, principal, ids)).items()}


# ------------------------------------------------------------------------------------------ readings

READING_FIELDS = Fields(
    READINGS.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "date": Wire("date", iso, ordered=True),
            "meter_id": Wire("meter", schema=ID_OR_OBJECT),
            "value": Wire("value", _number, schema=NUMBER),
            "created_by_user_id": Wire("createdByUser", schema=ID_OR_OBJECT),
            "is_reset": Wire("isReset", bool),
            "created_at": Wire("createdAt", iso, ordered=True),
            "updated_at": Wire("updatedAt", iso, ordered=True),
        },
    )
)
ADD_READING = Spec(*READING_FIELDS.body_fields(required=required_of(ReadingCreate)))
# A reading's isReset is what it was recorded as: a correction changes only its value or date.
UPDATE_READING = Spec(*READING_FIELDS.body_fields(fixed=("is_reset",)))
READING_SCHEMA = obj(READING_FIELDS.schema_properties({}), READING_FIELDS.required())
reading_to_upkeep = READING_FIELDS.render
# UpKeep orders readings by createdAt or updatedAt; its ranges also take the reading's date.
READING_ORDER = {"createdAt": "created_at", "updatedAt": "updated_at"}


def parse_reading(body: Mapping[str, Any]) -> ReadingCreate:
    return build(ReadingCreate, ADD_READING.parse(body))


def parse_reading_update(body: Mapping[str, Any]) -> ReadingChanges:
    return build(ReadingChanges, UPDATE_READING.parse(body, partial=True))


@expander("meter_reading")
async def expand_readings(reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
    return {i: reading_to_upkeep(row) for i, row in (await readings_by_ids(reader, principal, ids)).items()}


# ------------------------------------------------------------------------------------------ notifications

NOTIFICATION_FIELDS = Fields(
    NOTIFICATIONS.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "title": Wire("title"),
            "trigger_frequency": Wire("triggerFrequency"),
            "description": Wire("description"),
            "trigger_value": Wire("triggerValue", _number, schema=NUMBER),
            "last_value_for_work_order": Wire("lastValueForWorkOrder", _number, schema=NUMBER, null_default=True),
            "assigned_to_user_id": Wire("assignedToUser", schema=ID_OR_OBJECT),
            "created_by_user_id": Wire("createdByUser", schema=ID_OR_OBJECT),
            "category": Wire("category"),
            "one_open_work_order": Wire("oneOpenWorkOrder", bool),
            "last_work_order_id": Wire("lastWorkOrder", schema=ID_OR_OBJECT),
            "fired_at": Wire("firedAt", iso),
            "created_at": Wire("createdAt", iso, ordered=True),
            "updated_at": Wire("updatedAt", iso, ordered=True),
        },
    )
)
CREATE_NOTIFICATION = Spec(
    *NOTIFICATION_FIELDS.body_fields(required=required_of(NotificationCreate)), model=MeterNotification
)
UPDATE_NOTIFICATION = Spec(*NOTIFICATION_FIELDS.body_fields(), model=MeterNotification)
NOTIFICATION_SCHEMA = obj(NOTIFICATION_FIELDS.schema_properties({}), NOTIFICATION_FIELDS.required())
notification_to_upkeep = NOTIFICATION_FIELDS.render


def parse_notification(body: Mapping[str, Any]) -> NotificationCreate:
    return build(NotificationCreate, CREATE_NOTIFICATION.parse(body))


def parse_notification_update(body: Mapping[str, Any]) -> NotificationChanges:
    return build(NotificationChanges, UPDATE_NOTIFICATION.parse(body, partial=True))


# ------------------------------------------------------------------------------------------ hits

HIT_SCHEMA = obj(
    {
        "id": STR,
        "meter": STR,
        "reading": ID_OR_OBJECT,
        "value": NUMBER,
        "outcome": {"enum": ["created", "open_work_order"]},
        "workOrder": ID_OR_OBJECT,
        "createdAt": DATE,
    }
)


def hit_to_upkeep(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "meter": row["meter_id"],
        "reading": row["reading_id"],
        "value": _number(row["value"]),
        "outcome": row["outcome"],
        "workOrder": row["work_order_id"],
        "createdAt": iso(row["created_at"]),
    }


def notification_event_body(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A notification event's webhook body (``api.upkeep.webhooks``): the notification as this API renders
    it from the event's snapshot, and for METER_NOTIFICATION_TRIGGERED the ``hit`` (as the hits list shows it)."""
    body = notification_to_upkeep({column: payload.get(column) for column in NOTIFICATIONS.columns})
    hit = payload.get("hit")
    if isinstance(hit, Mapping):
        body["hit"] = hit_to_upkeep(hit)
    return body
