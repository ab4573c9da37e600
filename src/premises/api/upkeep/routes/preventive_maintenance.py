"""/preventive-maintenance: PM triggers, each a schedule and the template of the work orders it creates."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import read_body
from premises.api.kit.listing import check_keys
from premises.api.upkeep.listing import ListSpec, parse_list
from premises.api.upkeep.mappers import preventive_maintenance as wire
from premises.api.upkeep.security import PrincipalDep
from premises.api.upkeep.wire import JSON, ok_result, ok_results, responses, result_schema, results_schema
from premises.preventive import queries, service

router = APIRouter(tags=["preventive maintenance"])

LIST = ListSpec(ranges=wire.TRIGGER_FIELDS.ordered(), order_fields=wire.TRIGGER_FIELDS.ordered())
ONE = responses(result_schema(wire.SCHEMA))
DELETED = responses(
    {
        "type": "object",
        "required": ["success", "data", "message"],
        "properties": {
            "success": {"type": "boolean", "enum": [True]},
            "data": {"type": "array", "items": wire.SCHEMA},
            "message": {"type": "string"},
        },
    }
)


@router.post("/preventive-maintenance", responses=ONE, openapi_extra=wire.openapi(partial=False))
async def create_trigger(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = wire.parse_create(await read_body(request))
    trigger_id = await runtime.write(lambda s: service.create_trigger(s, principal, command).id)
    return ok_result(wire.to_upkeep(await queries.get_trigger(runtime.reader, principal, trigger_id)))


@router.get("/preventive-maintenance", responses=responses(results_schema(wire.SCHEMA)), openapi_extra=LIST.openapi())
async def list_triggers(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, LIST, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_triggers(runtime.reader, principal, parsed.query)
    return ok_results([wire.to_upkeep(row) for row in rows])


@router.get("/preventive-maintenance/{trigger_id}", responses=ONE)
async def get_trigger(trigger_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset())
    return ok_result(wire.to_upkeep(await queries.get_trigger(runtime.reader, principal, trigger_id)))


@router.patch("/preventive-maintenance/{trigger_id}", responses=ONE, openapi_extra=wire.openapi(partial=True))
async def update_trigger(trigger_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    changes = wire.parse_update(await read_body(request))
    await runtime.write(lambda s: service.update_trigger(s, principal, trigger_id, changes).id)
    return ok_result(wire.to_upkeep(await queries.get_trigger(runtime.reader, principal, trigger_id)))


@router.delete("/preventive-maintenance/{trigger_id}", responses=DELETED)
async def delete_trigger(trigger_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    row = await queries.get_trigger(runtime.reader, principal, trigger_id)
    await runtime.write(lambda s: service.delete_trigger(s, principal, trigger_id))
    return JSON({"success": True, "data": [wire.to_upkeep(row)], "message": "1 trigger deleted"})
