"""/v1/preventiveMaintenance: the account's preventive-maintenance triggers (the triggers of
/api/v2's /preventive-maintenance, with the same ids).

A trigger is one flat object: its schedule (``scheduleType``, ``frequency``, ``interval``, ``byWeekday``
...), its meter rule, its state and the template of the work orders it creates (``title``,
``description``, ``priority``, ``category``, ``asset``, ``location``, ``assignee`` ...), each a member
of the trigger, so that filters, sort keys and error fields name them as they are shown. The schedule's
times (``start``, ``until``, ``dates``, ``exceptDates``) are wall-clock times in ``timeZone``
(``2031-01-17T12:12:44``, no ``Z``); ``nextDueAt``, ``lastDueAt`` and the other instants are UTC.
Pausing and archiving are fields: ``PATCH {"paused": true}`` / ``{"archived": true}`` (false resumes /
restores). A location-based caller sees the triggers whose template goes to its places
(``preventive.visibility``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Spec, read_body
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.v1.listing import ListSpec, each, get_route, list_route
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, nullable_instant, object_schema, responses
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.commands import build
from premises.preventive import queries, service
from premises.preventive.commands import TriggerChanges, TriggerCreate
from premises.preventive.fields import PM_TRIGGERS

router = APIRouter(tags=["preventiveMaintenance"])

LIST = {"type": ["array", "null"]}
LOCAL = {"type": ["string", "null"], "examples": ["2031-01-17T12:12:44"]}
LOCAL_LIST = {"type": ["array", "null"], "items": {"type": "string"}}
DATE_INPUT = "any"  # a wall-clock time, an instant or epoch ms: preventive.recurrence.parse_local reads it


def _json(text: str | None) -> Any:
    return jsonutil.loads(text) if text else None


V1 = Fields(
    PM_TRIGGERS.attach(
        "v1",
        {
            "id": Wire("id"),
            "name": Wire("name", filter="The trigger's name (a comma list: any of)", sort=True),
            "schedule_type": Wire("scheduleType", filter="The schedule type (a comma list: any of)"),
            "rrfreq": Wire("frequency"),
            "rrinterval": Wire("interval"),
            "rrbyweekday": Wire("byWeekday", _json, schema=LIST),
            "rrbymonthday": Wire("byMonthDay", _json, schema=LIST),
            "rrbysetpos": Wire("bySetPos", _json, schema=LIST),
            "rrdtstart": Wire("start", body_kind=DATE_INPUT, schema=LOCAL),
            "rruntil": Wire("until", body_kind=DATE_INPUT, schema=LOCAL),
            "rrtzid": Wire("timeZone"),
            "rdates": Wire("dates", _json, schema=LOCAL_LIST),
            "exdates": Wire("exceptDates", _json, schema=LOCAL_LIST),
            "create_first_wo": Wire("createFirstWorkOrder", bool),
            "next_on_completion": Wire("nextOnCompletion", bool),
            "cadence_type": Wire("cadenceType"),
            "cadence_freq": Wire("cadenceFrequency"),
            "cadence_interval": Wire("cadenceInterval"),
            "meter_id": Wire("meter", filter="The meter's id (a comma list: any of)"),
            "meter_condition": Wire("meterCondition"),
            "meter_condition_value": Wire("meterConditionValue"),
            "meter_due_interval": Wire("meterDueInterval"),
            "meter_due_frequency": Wire("meterDueFrequency"),
            "meter_baseline": Wire("meterBaseline"),
            "next_due_at": nullable_instant("nextDueAt", sort=True),
            "last_due_at": nullable_instant("lastDueAt", sort=True),
            "schedule_has_ended": Wire("scheduleHasEnded", bool),
            "is_paused": Wire("paused", bool),
            "is_archived": Wire("archived", bool),
            "archived_at": nullable_instant("archivedAt"),
            "archived_by_user_id": Wire("archivedBy"),
            "last_work_order_id": Wire("lastWorkOrder"),
            # The template of the work orders the trigger creates.
            "wo_title": Wire("title", sort=True),
            "wo_description": Wire("description"),
            "wo_priority": Wire("priority", sort=True),
            "wo_category": Wire("category", filter="The work orders' category (a comma list: any of)"),
            "wo_asset_id": Wire("asset", filter="The work orders' asset (a comma list: any of)"),
            "wo_location_id": Wire("location", filter="The work orders' place (a comma list: any of)"),
            "wo_assigned_to_user_id": Wire("assignee", filter="The work orders' assignee (a comma list: any of)"),
            "wo_additional_user_ids": Wire("additionalAssignees", _json, schema=LIST),
            "wo_parts": Wire("parts", _json, schema=LIST),
            "wo_part_quantities": Wire("partQuantities", _json, schema=LIST),
            "wo_duration": Wire("duration"),
            "created_by_user_id": Wire("createdBy"),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
CREATE = Spec(*V1.body_fields(required=required_of(TriggerCreate)))
UPDATE = Spec(*V1.body_fields())
LIST_SPEC = ListSpec.of(V1, site_field=None, sited=False)
SCHEMA = object_schema(V1)


async def _trigger(runtime: RuntimeDep, principal: Principal, trigger_id: str, status_code: int = 200) -> Response:
    row = await queries.get_trigger(runtime.reader, principal, trigger_id)
    return JSON(V1.render(row), status_code=status_code)


@router.get("/preventiveMaintenance", responses=responses(list_schema(SCHEMA)), openapi_extra=LIST_SPEC.openapi())
async def list_triggers(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    return await list_route(request, runtime.reader, principal, LIST_SPEC, queries.page_of_triggers, each(V1.render))


@router.get("/preventiveMaintenance/{trigger_id}", responses=responses(SCHEMA))
async def get_trigger(trigger_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    return await get_route(request, lambda: _trigger(runtime, principal, trigger_id))


@router.post(
    "/preventiveMaintenance", status_code=201, responses=responses(SCHEMA, status=201), openapi_extra=CREATE.openapi()
)
async def create_trigger(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = build(TriggerCreate, CREATE.parse(await read_body(request)))
    trigger_id = await runtime.write(lambda s: service.create_trigger(s, principal, command).id)
    return await _trigger(runtime, principal, trigger_id, 201)


@router.patch(
    "/preventiveMaintenance/{trigger_id}", responses=responses(SCHEMA), openapi_extra=UPDATE.openapi(partial=True)
)
async def update_trigger(trigger_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Also pauses, resumes, archives and restores the trigger (``paused``, ``archived``)."""
    changes = build(TriggerChanges, UPDATE.parse(await read_body(request), partial=True))
    await runtime.write(lambda s: service.update_trigger(s, principal, trigger_id, changes).id)
    return await _trigger(runtime, principal, trigger_id)


@router.delete("/preventiveMaintenance/{trigger_id}", status_code=204, responses=responses(None, status=204))
async def delete_trigger(trigger_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_trigger(s, principal, trigger_id))
    return Response(status_code=204)
