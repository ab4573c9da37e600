"""/asset-downtime-statuses and /custom-fields/assets: the account's asset settings."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import read_body
from premises.api.kit.listing import check_keys
from premises.api.upkeep.listing import ListSpec, parse_list
from premises.api.upkeep.mappers import assets as wire
from premises.api.upkeep.security import PrincipalDep
from premises.api.upkeep.wire import (
    MESSAGE_SCHEMA,
    ok_message,
    ok_result,
    ok_results,
    responses,
    result_schema,
    results_schema,
)
from premises.asset import custom_fields, downtime, queries

router = APIRouter(tags=["asset settings"])

STATUS_LIST = ListSpec(filters=wire.STATUS_UPKEEP.filters())
DEFINITION_LIST = ListSpec()
STATUS_ITEM = responses(result_schema(wire.STATUS_SCHEMA))
DEFINITION_ITEM = responses(result_schema(wire.DEFINITION_SCHEMA))


# ------------------------------------------------------------------------------------------ downtime statuses


@router.post("/asset-downtime-statuses", responses=STATUS_ITEM, openapi_extra=wire.CREATE_STATUS.openapi())
async def create_downtime_status(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = wire.parse_status_create(await read_body(request))
    status_id = await runtime.write(lambda s: downtime.create_status(s, principal, command).id)
    return ok_result(wire.status_to_upkeep(await queries.get_downtime_status(runtime.reader, principal, status_id)))


@router.get(
    "/asset-downtime-statuses",
    responses=responses(results_schema(wire.STATUS_SCHEMA)),
    openapi_extra=STATUS_LIST.openapi(),
)
async def list_downtime_statuses(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, STATUS_LIST, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_downtime_statuses(runtime.reader, principal, parsed.query)
    return ok_results([wire.status_to_upkeep(r) for r in rows])


@router.get("/asset-downtime-statuses/{status_id}", responses=STATUS_ITEM)
async def get_downtime_status(
    status_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    check_keys(request, frozenset())
    return ok_result(wire.status_to_upkeep(await queries.get_downtime_status(runtime.reader, principal, status_id)))


@router.patch(
    "/asset-downtime-statuses/{status_id}",
    responses=STATUS_ITEM,
    openapi_extra=wire.UPDATE_STATUS.openapi(partial=True),
)
async def update_downtime_status(
    status_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    changes = wire.parse_status_update(await read_body(request))
    await runtime.write(lambda s: downtime.update_status(s, principal, status_id, changes).id)
    return ok_result(wire.status_to_upkeep(await queries.get_downtime_status(runtime.reader, principal, status_id)))


@router.delete("/asset-downtime-statuses/{status_id}", responses=responses(MESSAGE_SCHEMA))
async def delete_downtime_status(status_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: downtime.delete_status(s, principal, status_id))
    return ok_message("1 downtime status deleted")


# ------------------------------------------------------------------------------------------ custom field definitions


@router.post("/custom-fields/assets", responses=DEFINITION_ITEM, openapi_extra=wire.CREATE_DEFINITION.openapi())
async def create_custom_field(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = wire.parse_definition_create(await read_body(request))
    field_id = await runtime.write(lambda s: custom_fields.create_definition(s, principal, "asset", command).id)
    row = await queries.get_custom_field_definition(runtime.reader, principal, field_id)
    return ok_result(wire.definition_to_upkeep(row))


@router.get(
    "/custom-fields/assets",
    responses=responses(results_schema(wire.DEFINITION_SCHEMA)),
    openapi_extra=DEFINITION_LIST.openapi(),
)
async def list_custom_fields(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, DEFINITION_LIST, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_custom_field_definitions(runtime.reader, principal, parsed.query)
    return ok_results([wire.definition_to_upkeep(r) for r in rows])


@router.get("/custom-fields/assets/{field_id}", responses=DEFINITION_ITEM)
async def get_custom_field(field_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset())
    return ok_result(
        wire.definition_to_upkeep(await queries.get_custom_field_definition(runtime.reader, principal, field_id))
    )


@router.patch(
    "/custom-fields/assets/{field_id}",
    responses=DEFINITION_ITEM,
    openapi_extra=wire.UPDATE_DEFINITION.openapi(partial=True),
)
async def update_custom_field(
    field_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    changes = wire.parse_definition_update(await read_body(request))
    await runtime.write(lambda s: custom_fields.update_definition(s, principal, "asset", field_id, changes).id)
    row = await queries.get_custom_field_definition(runtime.reader, principal, field_id)
    return ok_result(wire.definition_to_upkeep(row))


@router.delete("/custom-fields/assets/{field_id}", responses=DEFINITION_ITEM)
async def delete_custom_field(field_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """UpKeep answers a deletion with the deleted field."""
    row = await runtime.write(lambda s: custom_fields.delete_definition(s, principal, "asset", field_id))
    return ok_result(wire.definition_to_upkeep(row))
