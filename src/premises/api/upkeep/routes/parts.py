"""/parts: create, list, get, update, delete; single custom fields; teams; parts of assets; the inventory
ledger and the part categories (Premises extensions: UpKeep documents neither)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep, get_runtime, read_in_one_round_trip
from premises.api.kit.body import read_body
from premises.api.kit.listing import Filter, check_keys
from premises.api.kit.routing import LeanRoute
from premises.api.upkeep.expanders import expand
from premises.api.upkeep.listing import ListSpec, include_values, includes_openapi, parse_includes, parse_list
from premises.api.upkeep.mappers import parts as wire
from premises.api.upkeep.routes.custom_fields import add_custom_field_routes, custom_field_filters
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
from premises.db.reader import Reader
from premises.identity.principal import Principal
from premises.identity.service import Confirmation
from premises.part import queries, service

router = APIRouter(tags=["parts"])

LIST = ListSpec(
    filters=(
        *wire.UPKEEP.filters(),
        Filter("partNumber", "part_number", description="Only parts with exactly this part number."),
        *custom_field_filters(wire.CUSTOM_FIELDS, "parts"),
    ),
    ranges=wire.UPKEEP.ordered(),
    order_fields=wire.UPKEEP.ordered(),
    includes=("location", "createdByUser", "files", "partId"),
)
GET_INCLUDES = ("location", "createdByUser", "files", "partId", "assignedTeams")
KINDS = {
    "location": "location",
    "createdByUser": "user",
    "files": "file",
    "partId": "part",
    "assignedTeams": "team",
}
ITEM = responses(result_schema(wire.SCHEMA))
GET_PARAMS = includes_openapi(GET_INCLUDES)
LEDGER_LIST = ListSpec(
    filters=wire.LEDGER.filters(),
    ranges=wire.LEDGER.ordered(),
    order_fields=wire.LEDGER.ordered(),
)
CATEGORY_LIST = ListSpec(filters=wire.CATEGORIES.filters(), ranges={}, order_fields={})


async def _detail(reader: Reader, principal: Principal, part_id: str, includes: set[str]) -> dict[str, Any]:
    item = await wire.render_detail(reader, principal, await queries.part_detail(reader, principal, part_id))
    if includes:
        await expand(reader, principal, [item], KINDS, includes)
    return item


# ------------------------------------------------------------------------------------------ parts


@router.post("/parts", responses=ITEM, openapi_extra=wire.CREATE.openapi())
async def create_part(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = wire.parse_create(await read_body(request))
    part_id = await runtime.write(lambda s: service.create_part(s, principal, command).id)
    return ok_result(await _detail(runtime.reader, principal, part_id, set()))


async def list_parts(request: Request) -> Response:
    """The lean read path (a LeanRoute, ADR 6): with a principal cached in this process the page's own
    statement confirms the session (``api.kit.auth.read_in_one_round_trip``); ``includes`` are read as
    a confirmed principal."""
    runtime = await get_runtime(request)

    async def read(principal: Principal, confirmation: Confirmation | None) -> Response | None:
        parsed = parse_list(request, LIST, default_limit=runtime.settings.list_default_limit)
        if parsed.includes and confirmation is not None:
            return None  # read again with the full check
        reader = runtime.reader
        if reader.dialect == "sqlite":  # in-process: the files and custom fields as the detail reads them
            rows = await queries.list_parts(reader, principal, parsed.query, confirmation=confirmation)
            items = await wire.render(reader, principal, rows)
        else:  # one round trip: the files and custom fields come with the page's rows
            page = await queries.list_part_rows(reader, principal, parsed.query, confirmation=confirmation)
            items = await wire.render_page(reader, principal, page)
        if not items and confirmation is not None:
            return None
        if parsed.includes:
            await expand(reader, principal, items, KINDS, parsed.includes)
        return ok_results(items)

    return await read_in_one_round_trip(request, read)


router.add_api_route(
    "/parts",
    list_parts,
    methods=["GET"],
    responses=responses(results_schema(wire.SCHEMA)),
    openapi_extra={**LIST.openapi(), "security": [{"APIKeyHeader": []}]},
    route_class_override=LeanRoute,
)


@router.get("/parts/{part_id}", responses=ITEM, openapi_extra=GET_PARAMS)
async def get_part(part_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset({"includes", "includes[]"}))
    includes = parse_includes(include_values(request), GET_INCLUDES)
    return ok_result(await _detail(runtime.reader, principal, part_id, includes))


@router.patch("/parts/{part_id}", responses=ITEM, openapi_extra=wire.UPDATE.openapi(partial=True))
async def update_part(part_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    changes = wire.parse_update(await read_body(request))
    await runtime.write(lambda s: service.update_part(s, principal, part_id, changes).id)
    return ok_result(await _detail(runtime.reader, principal, part_id, set()))


@router.delete("/parts/{part_id}", responses=responses(MESSAGE_SCHEMA))
async def delete_part(part_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_part(s, principal, part_id))
    return ok_message("1 part deleted")


@router.get(
    "/parts/{part_id}/inventory-ledger",
    responses=responses(results_schema(wire.LEDGER_SCHEMA)),
    openapi_extra=LEDGER_LIST.openapi(),
    summary="The part's inventory ledger (Premises extension)",
)
async def part_inventory_ledger(
    part_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    """Every change of the part's count, oldest first: who, when, why, the change and the count it left."""
    parsed = parse_list(request, LEDGER_LIST, default_limit=runtime.settings.list_default_limit)
    rows = await queries.inventory_moves(runtime.reader, principal, part_id, parsed.query)
    return ok_results([wire.LEDGER.render(r) for r in rows])


# ------------------------------------------------------------------------------------------ custom fields

add_custom_field_routes(
    router,
    "part",
    schema=wire.CUSTOM_FIELD_SCHEMA,
    update_spec=wire.UPDATE_CUSTOM_FIELD,
    parse_update=wire.parse_custom_field_update,
    read=queries.get_custom_field,
    render=wire.custom_field_to_upkeep,
    update=service.update_custom_field,
    delete=service.delete_custom_field,
)


# ------------------------------------------------------------------------------------------ teams


@router.post("/parts/{part_id}/teams/{team_id}", responses=responses(MESSAGE_SCHEMA))
async def assign_team(part_id: str, team_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.assign_team(s, principal, part_id, team_id))
    return ok_message(f"team {team_id} assigned to part {part_id}.")


@router.delete("/parts/{part_id}/teams/{team_id}", responses=responses(MESSAGE_SCHEMA))
async def remove_team(part_id: str, team_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.unassign_team(s, principal, part_id, team_id))
    return ok_message(f"team {team_id} removed from part {part_id}")


# ------------------------------------------------------------------------------------------ parts of assets


@router.post("/assets/{asset_id}/parts/{part_id}", responses=responses(MESSAGE_SCHEMA))
async def assign_to_asset(asset_id: str, part_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.assign_to_asset(s, principal, asset_id, part_id))
    return ok_message(f"part {part_id} assigned to asset {asset_id}")


@router.delete("/assets/{asset_id}/parts/{part_id}", responses=responses(MESSAGE_SCHEMA))
async def remove_from_asset(asset_id: str, part_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.remove_from_asset(s, principal, asset_id, part_id))
    return ok_message(f"part {part_id} removed from asset {asset_id}")


# ------------------------------------------------------------------------------------------ categories


@router.get(
    "/part-categories",
    responses=responses(results_schema(wire.CATEGORY_SCHEMA)),
    openapi_extra=CATEGORY_LIST.openapi(),
    summary="The account's part categories (Premises extension)",
)
async def list_part_categories(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, CATEGORY_LIST, default_limit=runtime.settings.list_default_limit)
    rows = await queries.part_categories(runtime.reader, principal, parsed.query)
    return ok_results([wire.CATEGORIES.render(r) for r in rows])


@router.post(
    "/part-categories",
    responses=responses(result_schema(wire.CATEGORY_SCHEMA)),
    openapi_extra=wire.CREATE_CATEGORY.openapi(),
    summary="Add a part category (Premises extension; admins)",
)
async def create_part_category(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = wire.parse_category(await read_body(request))
    category_id = await runtime.write(lambda s: service.create_category(s, principal, command).id)
    return ok_result(wire.CATEGORIES.render(await queries.get_part_category(runtime.reader, principal, category_id)))


@router.delete(
    "/part-categories/{category_id}",
    responses=responses(MESSAGE_SCHEMA),
    summary="Remove a part category (Premises extension; admins)",
)
async def delete_part_category(category_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_category(s, principal, category_id))
    return ok_message("1 part category deleted")
