"""/locations: create, list, get, update, delete; custom fields; assigned users, teams, customers, vendors."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import read_body
from premises.api.kit.listing import check_keys
from premises.api.upkeep.expanders import EXPANDERS, expand
from premises.api.upkeep.listing import ListSpec, include_values, includes_openapi, parse_includes, parse_list
from premises.api.upkeep.mappers import locations as wire
from premises.api.upkeep.routes.assignments import add_assignment_routes
from premises.api.upkeep.routes.custom_fields import add_custom_field_routes, custom_field_filters
from premises.api.upkeep.security import PrincipalDep
from premises.api.upkeep.wire import (
    JSON,
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
from premises.place import queries, service

router = APIRouter(tags=["locations"])

# Both spellings appear in UpKeep's documentation (the parameter table and its example).
_CUSTOM_FIELD_FILTERS = tuple(
    f for prefix in ("customFieldsLocation", "customFieldsLocations") for f in custom_field_filters(prefix, "locations")
)
LIST = ListSpec(
    filters=(*wire.UPKEEP.filters(), *_CUSTOM_FIELD_FILTERS),
    ranges=wire.UPKEEP.ordered(),
    order_fields=wire.UPKEEP.ordered(),
    includes=("createdByUser", "parentLocation"),
)
GET_INCLUDES = (
    "createdByUser",
    "assignedUsers",
    "assignedTeams",
    "assignedCustomers",
    "assignedVendors",
    "files",
    "parentLocation",
    "subLocations",
)
KINDS = {
    "createdByUser": "user",
    "parentLocation": "location",
    "subLocations": "location",
    "assignedUsers": "user",
    "assignedTeams": "team",
    "assignedCustomers": "customer",
    "assignedVendors": "vendor",
    "files": "file",
}
ITEM = responses(result_schema(wire.SCHEMA))
GET_PARAMS = includes_openapi(GET_INCLUDES)


def _kinds() -> dict[str, str]:
    """The expandable fields whose kind has an expander (others stay ids until their module exists)."""
    return {name: kind for name, kind in KINDS.items() if kind in EXPANDERS}


async def _detail(
    reader: Reader, principal: Principal, location_id: str, includes: set[str], *, created: bool = False
) -> dict[str, Any]:
    item = wire.detail_to_upkeep(await queries.get_location_detail(reader, principal, location_id, created=created))
    if includes:
        await expand(reader, principal, [item], _kinds(), includes)
    return item


@router.post("/locations", responses=ITEM, openapi_extra=wire.CREATE.openapi())
async def create_location(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields = wire.parse_create(await read_body(request))
    location_id = await runtime.write(lambda s: service.create_location(s, principal, fields).id)
    return ok_result(await _detail(runtime.reader, principal, location_id, set(), created=True))


@router.get("/locations", responses=responses(results_schema(wire.SCHEMA)), openapi_extra=LIST.openapi())
async def list_locations(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, LIST, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_locations(runtime.reader, principal, parsed.query)
    items = await wire.render(runtime.reader, principal, rows)
    if parsed.includes:
        await expand(runtime.reader, principal, items, _kinds(), parsed.includes)
    return ok_results(items)


@router.get("/locations/{location_id}", responses=ITEM, openapi_extra=GET_PARAMS)
async def get_location(location_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset({"includes", "includes[]"}))
    includes = parse_includes(include_values(request), GET_INCLUDES)
    return ok_result(await _detail(runtime.reader, principal, location_id, includes))


@router.patch(
    "/locations/{location_id}",
    responses=responses(result_schema({"type": "array", "items": wire.SCHEMA})),
    openapi_extra=wire.UPDATE.openapi(partial=True),
)
async def update_location(location_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    changes = wire.parse_update(await read_body(request))
    await runtime.write(lambda s: service.update_location(s, principal, location_id, changes).id)
    item = await _detail(runtime.reader, principal, location_id, set())
    # UpKeep documents the updated location wrapped in a one-element array.
    return JSON({"success": True, "result": [item]})


@router.delete("/locations/{location_id}", responses=responses(MESSAGE_SCHEMA))
async def delete_location(location_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_location(s, principal, location_id))
    return ok_message("1 location deleted")


# ------------------------------------------------------------------------------------------ custom fields

add_custom_field_routes(
    router,
    "location",
    schema=wire.CUSTOM_FIELD_SCHEMA,
    update_spec=wire.UPDATE_CUSTOM_FIELD,
    read=queries.get_custom_field,
    render=wire.custom_field_to_upkeep,
    update=lambda s, principal, location_id, field_id, changes: service.update_custom_field(
        s, principal, location_id, field_id, wire.parse_custom_field_update(changes)
    ),
    delete=service.delete_custom_field,
)


# ------------------------------------------------------------------------------------------ assignments

add_assignment_routes(router, "location", assign=service.assign_member, unassign=service.unassign_member)
