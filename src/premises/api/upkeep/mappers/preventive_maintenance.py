"""Preventive-maintenance trigger <-> UpKeep's ``{"trigger": {...}, "workOrder": {...}}`` (docs/dialects/upkeep.md).

One domain row renders as two objects: the trigger's fields and the work-order template's. As UpKeep
shows them, the schedule's local times (``rrdtstart``, ``rruntil``, ``rdates``, ``exdates``) carry
``.000Z`` though they are wall-clock times in ``rrtzid``; ``nextTriggerDate``, ``lastDueDate`` and
``nextDueDate`` are instants (UTC). ``createFirstWO`` shows as 1 or 0. Premises adds the trigger's
``lastWorkOrder`` and the template's ``description``; ``isPaused`` and ``isArchived`` are the request
fields that pause and archive a trigger.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from premises.api.kit.body import COERCERS, FORM, Spec
from premises.api.kit.errors import WireInputError
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.upkeep.mappers.common import ID_OR_OBJECT, NNUM, NSTR, iso, obj
from premises.errors import ErrorCode
from premises.kit import jsonutil
from premises.kit.commands import build
from premises.preventive.commands import TriggerChanges, TriggerCreate
from premises.preventive.fields import PM_TRIGGERS

LIST = {"type": ["array", "null"]}
DATES = {"type": ["array", "null"], "items": {"type": "string"}}
ANY_DATE = {"anyOf": [{"type": "string"}, {"type": "integer"}, {"type": "null"}]}


def _local(value: str | None) -> str | None:
    """A stored wall-clock time as UpKeep shows it (``2023-01-17T12:12:44.000Z``)."""
    return None if value is None else value + ".000Z"


def _list(text: str | None) -> Any:
    return jsonutil.loads(text) if text else None


def _local_list(text: str | None) -> list[str] | None:
    return [v + ".000Z" for v in jsonutil.loads(text)] if text else None


def _flag(value: bool) -> int:
    return 1 if value else 0


def _ids(text: str | None) -> Any:
    values = jsonutil.loads(text) if text else None
    return values or None


TRIGGER_FIELDS = Fields(
    PM_TRIGGERS.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "name": Wire("name"),
            "create_first_wo": Wire("createFirstWO", _flag, schema={"type": "integer", "enum": [0, 1]}),
            "schedule_type": Wire("scheduleType"),
            "next_on_completion": Wire("isNextOccurrenceBasedOnCompletion", bool),
            "rrfreq": Wire("rrfreq", null_default=True),
            "rrdtstart": Wire("rrdtstart", _local, body_kind="any", schema=ANY_DATE),
            "rruntil": Wire("rruntil", _local, body_kind="any", schema=ANY_DATE),
            "rrinterval": Wire("rrinterval", null_default=True),
            "rrtzid": Wire("rrtzid"),
            "rrbyweekday": Wire("rrbyweekday", _list, schema=LIST),
            "rrbymonthday": Wire("rrbymonthday", _list, schema=LIST),
            "rrbysetpos": Wire("rrbysetpos", _list, schema=LIST),
            "cadence_interval": Wire("cadenceInterval"),
            "cadence_freq": Wire("cadenceFreq"),
            "cadence_type": Wire("cadenceType"),
            "meter_id": Wire("meter", schema=ID_OR_OBJECT),
            "meter_condition": Wire("meterCondition"),
            "meter_condition_value": Wire("meterConditionValue", schema=NNUM),
            "meter_due_interval": Wire("meterDueInterval"),
            "meter_due_frequency": Wire("meterDueFrequency"),
            "meter_baseline": Wire("meterBaseline", schema=NNUM),
            "next_due_at": Wire("nextTriggerDate", iso, ordered=True),
            "rdates": Wire("rdates", _local_list, schema=DATES),
            "exdates": Wire("exdates", _local_list, schema=DATES),
            "schedule_has_ended": Wire("scheduleHasEnded", bool),
            "created_by_user_id": Wire("createdBy", schema=NSTR),
            "created_at": Wire("createdAt", iso, ordered=True),
            "updated_at": Wire("updatedAt", iso, ordered=True),
            "is_paused": Wire("isPaused", bool),
            "is_archived": Wire("isArchived", bool),
            "archived_at": Wire("archivedAt", iso),
            "archived_by_user_id": Wire("archivedBy", schema=NSTR),
            "last_work_order_id": Wire("lastWorkOrder", schema=NSTR),
        },
    )
)
WORK_ORDER_FIELDS = Fields(
    PM_TRIGGERS.attach(
        "upkeep",
        {
            "wo_title": Wire("title"),
            "wo_description": Wire("description"),
            "wo_priority": Wire("priority"),
            "wo_category": Wire("category"),
            "wo_asset_id": Wire("asset", schema=ID_OR_OBJECT),
            "wo_location_id": Wire("location", schema=ID_OR_OBJECT),
            "wo_assigned_to_user_id": Wire("assignedToUser", schema=ID_OR_OBJECT),
            "wo_additional_user_ids": Wire("additionalUsers", _ids, schema=LIST),
            "wo_parts": Wire("parts", _ids, schema=LIST),
            "wo_part_quantities": Wire("respectivePartQuantityUsed", _list, schema=LIST),
            "wo_duration": Wire("duration", schema=NNUM),
            "last_due_at": Wire("lastDueDate", iso),
            "next_due_at": Wire("nextDueDate", iso),
        },
    )
)

CREATE_TRIGGER = Spec(*TRIGGER_FIELDS.body_fields(required=required_of(TriggerCreate)))
UPDATE_TRIGGER = Spec(*TRIGGER_FIELDS.body_fields())
CREATE_WORK_ORDER = Spec(*WORK_ORDER_FIELDS.body_fields(required=required_of(TriggerCreate)))
UPDATE_WORK_ORDER = Spec(*WORK_ORDER_FIELDS.body_fields())
SCHEMA = obj(
    {
        "trigger": obj(TRIGGER_FIELDS.schema_properties({}), TRIGGER_FIELDS.required()),
        "workOrder": obj(WORK_ORDER_FIELDS.schema_properties({}), WORK_ORDER_FIELDS.required()),
    },
    ("trigger", "workOrder"),
)
PARTS = ("trigger", "workOrder")


def to_upkeep(row: Mapping[str, Any]) -> dict[str, Any]:
    return {"trigger": TRIGGER_FIELDS.render(row), "workOrder": WORK_ORDER_FIELDS.render(row)}


def _parts(body: Mapping[str, Any], *, required: bool) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    for key in body:
        if key not in PARTS:
            raise WireInputError(ErrorCode.UNKNOWN_FIELD, field=key)
    parts = []
    for key in PARTS:
        value = body.get(key)
        if value is None and not required:
            value = {}
        if value is None:
            raise WireInputError(ErrorCode.REQUIRED, field=key)
        parts.append(COERCERS["object"](key, value))  # an object, or its JSON text in a form
    return parts[0], parts[1]


def parse_create(body: Mapping[str, Any]) -> TriggerCreate:
    trigger, work_order = _parts(body, required=True)
    return build(TriggerCreate, CREATE_TRIGGER.parse(trigger) | CREATE_WORK_ORDER.parse(work_order))


def parse_update(body: Mapping[str, Any]) -> TriggerChanges:
    trigger, work_order = _parts(body, required=False)
    changes = UPDATE_TRIGGER.parse(trigger, partial=True) | UPDATE_WORK_ORDER.parse(work_order, partial=True)
    return build(TriggerChanges, changes)


def openapi(*, partial: bool) -> dict[str, Any]:
    """The request body: ``{"trigger": {...}, "workOrder": {...}}``; in a form each part is a JSON text."""
    trigger_spec, work_order_spec = (
        (UPDATE_TRIGGER, UPDATE_WORK_ORDER) if partial else (CREATE_TRIGGER, CREATE_WORK_ORDER)
    )
    schema = {
        "type": "object",
        "properties": {
            "trigger": trigger_spec.json_schema(partial=partial),
            "workOrder": work_order_spec.json_schema(partial=partial),
        },
        "required": [] if partial else list(PARTS),
    }
    form = {"schema": schema, "encoding": {part: {"contentType": "application/json"} for part in PARTS}}
    return {"requestBody": {"required": not partial, "content": {"application/json": {"schema": schema}, FORM: form}}}


def event_body(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A WORK_ORDER_SCHEDULE_* webhook body (``api.upkeep.webhooks``): the trigger as this API renders it,
    at the top level (receivers read ``id`` there), with its ``workOrder`` template inside."""
    row = {column: payload.get(column) for column in PM_TRIGGERS.columns}
    return {**TRIGGER_FIELDS.render(row), "workOrder": WORK_ORDER_FIELDS.render(row)}
