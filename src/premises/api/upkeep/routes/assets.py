"""/assets: create, list, get, update, delete; downtime events; single custom fields; assignments."""

from __future__ import annotations

import re
from typing import Any

import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import COERCERS, read_any_body, read_body
from premises.api.kit.listing import check_keys
from premises.api.upkeep.expanders import expand
from premises.api.upkeep.listing import ListSpec, include_values, includes_openapi, parse_includes, parse_list
from premises.api.upkeep.mappers import assets as wire
from premises.api.upkeep.mappers import form_templates as form_templates_wire
from premises.api.upkeep.routes.assignments import add_assignment_routes
from premises.api.upkeep.routes.custom_fields import add_custom_field_routes
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
from premises.asset import downtime, queries, service
from premises.asset.queries import CUSTOM_FILTER_KINDS, SUBSTRING_KINDS, CustomFieldFilter, CustomFilterKind
from premises.checklist import queries as checklist_queries
from premises.db.reader import Reader
from premises.errors import DomainValidation
from premises.identity.principal import Principal
from premises.kit.time import MAX_MS, MIN_MS, parse_instant

router = APIRouter(tags=["assets"])

LIST = ListSpec(
    filters=wire.UPKEEP.filters(),
    ranges=wire.UPKEEP.ordered(),
    order_fields=wire.UPKEEP.ordered(),
    includes=("location", "parentAsset", "createdByUser", "assignedToUser"),
    passthrough=("customFields",),
)
LIST_PARAMS = LIST.openapi()
LIST_PARAMS["parameters"].append(
    {
        "name": "customFields",
        "in": "query",
        "required": False,
        "schema": {"type": "string"},
        "description": (
            "Custom field filters, as customFields[<i>][id|type|value|minValue|maxValue]=... "
            "(or one JSON array of such objects). type: text, dropdown (value: a substring), "
            "number, currency, date (minValue and/or maxValue)."
        ),
    }
)
GET_INCLUDES = (
    "assignedUsers",
    "assignedTeams",
    "assignedCustomers",
    "assignedVendors",
    "formItems",
    "files",
    "parts",
    "subAssets",
    "location",
    "parentAsset",
    "createdByUser",
    "assignedToUser",
)
KINDS = {
    "assignedUsers": "user",
    "assignedTeams": "team",
    "assignedCustomers": "customer",
    "assignedVendors": "vendor",
    "files": "file",
    "parts": "part",
    "subAssets": "asset",
    "location": "location",
    "parentAsset": "asset",
    "createdByUser": "user",
    "assignedToUser": "user",
}
ITEM = responses(result_schema(wire.SCHEMA))
GET_PARAMS = includes_openapi(GET_INCLUDES)
MAX_CUSTOM_FILTERS = 20
_CUSTOM_KEY = re.compile(r"^customFields\[([0-9]{1,3})\]\[(\w+)\]$", re.ASCII)
_DATE_ONLY = re.compile(r"^[0-9]{4}-[0-9][0-9]-[0-9][0-9]$")
DAY_MS = 86_400_000


# ------------------------------------------------------------------------------------------ helpers


async def _detail(reader: Reader, principal: Principal, asset_id: str, includes: set[str]) -> dict[str, Any]:
    item = await wire.render_detail(reader, principal, await queries.asset_detail(reader, principal, asset_id))
    if "formItems" in includes:  # the lines of the asset's work orders (checklist.queries)
        lines = await checklist_queries.asset_form_items(reader, principal, asset_id)
        item["formItems"] = [form_templates_wire.asset_form_item_to_upkeep(line) for line in lines]
    if includes:
        await expand(reader, principal, [item], KINDS, includes)
    return item


def _filter_number(where: str, value: str) -> float:
    number: float = COERCERS["number"](where, value)
    return number


def _filter_date(where: str, value: str, *, end_of_day: bool) -> float:
    try:
        ms = parse_instant(value)
    except ValueError:
        raise DomainValidation(f"{where} must be a date", field="customFields") from None
    if not MIN_MS <= ms <= MAX_MS:
        raise DomainValidation(f"{where} is out of range", field="customFields")
    if end_of_day and _DATE_ONLY.match(value.strip()):
        ms += DAY_MS - 1  # a bare date as the maximum includes that whole day
    return float(ms)


def _custom_filter(index: int, given: dict[str, str]) -> CustomFieldFilter:
    where = f"customFields[{index}]"
    for key in given:
        if key not in ("id", "type", "value", "minValue", "maxValue"):
            raise DomainValidation(f"invalid filter key: {where}[{key}]", field="customFields")
    if not given.get("id"):
        raise DomainValidation(f"{where}[id] cannot be null", field="customFields")
    named = given.get("type")
    if named not in CUSTOM_FILTER_KINDS:
        raise DomainValidation(f"{where}[type] must be one of " + ", ".join(CUSTOM_FILTER_KINDS), field="customFields")
    kind = CustomFilterKind(named)
    if kind in SUBSTRING_KINDS:
        if not given.get("value"):
            raise DomainValidation(f"{where}[value] cannot be null", field="customFields")
        return CustomFieldFilter(given["id"], kind, contains=given["value"])
    low, high = given.get("minValue"), given.get("maxValue")
    if not low and not high:
        raise DomainValidation(f"{where} needs minValue or maxValue", field="customFields")
    if kind == CustomFilterKind.DATE:
        minimum = _filter_date(f"{where}[minValue]", low, end_of_day=False) if low else None
        maximum = _filter_date(f"{where}[maxValue]", high, end_of_day=True) if high else None
    else:
        minimum = _filter_number(f"{where}[minValue]", low) if low else None
        maximum = _filter_number(f"{where}[maxValue]", high) if high else None
    return CustomFieldFilter(given["id"], kind, minimum=minimum, maximum=maximum)


def parse_custom_field_filters(request: Request) -> list[CustomFieldFilter]:
    """``customFields[<i>][<key>]=...`` query parameters (or ``customFields=<JSON array>``) as filters."""
    groups: dict[tuple[int, int], dict[str, str]] = {}
    for key, value in request.query_params.multi_items():
        if key in ("customFields", "customFields[]"):
            try:
                parsed = orjson.loads(value)
            except orjson.JSONDecodeError:
                raise DomainValidation(
                    "customFields must be a JSON array of filter objects", field="customFields"
                ) from None
            items = parsed if isinstance(parsed, list) else [parsed]
            for item in items:
                if not isinstance(item, dict):
                    raise DomainValidation("customFields must be a JSON array of filter objects", field="customFields")
                groups[(1, len(groups))] = {str(k): "" if v is None else str(v) for k, v in item.items()}
        elif key.startswith("customFields["):
            match = _CUSTOM_KEY.match(key)
            if match is None:
                raise DomainValidation(f"invalid filter key: {key}", field=key)
            groups.setdefault((0, int(match[1])), {})[match[2]] = value
    if len(groups) > MAX_CUSTOM_FILTERS:
        raise DomainValidation(f"at most {MAX_CUSTOM_FILTERS} customFields filters", field="customFields")
    return [_custom_filter(key[1], given) for key, given in sorted(groups.items())]


# ------------------------------------------------------------------------------------------ assets


@router.post("/assets", responses=ITEM, openapi_extra=wire.CREATE.openapi())
async def create_asset(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields = wire.parse_create(await read_body(request))
    asset_id = await runtime.write(lambda s: service.create_asset(s, principal, fields).id)
    return ok_result(await _detail(runtime.reader, principal, asset_id, set()))


@router.get("/assets", responses=responses(results_schema(wire.SCHEMA)), openapi_extra=LIST_PARAMS)
async def list_assets(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, LIST, default_limit=runtime.settings.list_default_limit)
    custom = parse_custom_field_filters(request)
    rows = await queries.list_assets(runtime.reader, principal, parsed.query, custom)
    items = await wire.render(runtime.reader, principal, rows)
    if parsed.includes:
        await expand(runtime.reader, principal, items, KINDS, parsed.includes)
    return ok_results(items)


@router.post(
    "/assets/downtime",
    responses=responses(wire.DOWNTIME_RESULTS_SCHEMA),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "required": ["assetId", "status", "recordedOn"],
                            "properties": {
                                "assetId": {"type": "string"},
                                "status": {"enum": ["available", "not-available"]},
                                "recordedOn": {"oneOf": [{"type": "integer"}, {"type": "string"}]},
                                "statusCategory": {"type": "string"},
                                "userId": {"type": "string"},
                            },
                        },
                    }
                }
            },
        }
    },
)
async def record_downtime(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    body = await read_any_body(request)
    items = wire.parse_downtime_events(body)
    outcomes = await runtime.write(lambda s: downtime.record_downtime(s, principal, items))
    echoed = body if isinstance(body, list) else [body]
    results = wire.downtime_results(echoed, outcomes)
    return JSON({"success": all(not o.errors for o in outcomes), "results": results})


@router.get("/assets/{asset_id}", responses=ITEM, openapi_extra=GET_PARAMS)
async def get_asset(asset_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset({"includes", "includes[]"}))
    includes = parse_includes(include_values(request), GET_INCLUDES)
    return ok_result(await _detail(runtime.reader, principal, asset_id, includes))


@router.patch("/assets/{asset_id}", responses=ITEM, openapi_extra=wire.UPDATE.openapi(partial=True))
async def update_asset(asset_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    changes = wire.parse_update(await read_body(request))
    await runtime.write(lambda s: service.update_asset(s, principal, asset_id, changes).id)
    return ok_result(await _detail(runtime.reader, principal, asset_id, set()))


@router.delete("/assets/{asset_id}", responses=responses(MESSAGE_SCHEMA))
async def delete_asset(asset_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_asset(s, principal, asset_id))
    return ok_message("1 asset deleted")


# ------------------------------------------------------------------------------------------ custom fields

add_custom_field_routes(
    router,
    "asset",
    schema=wire.FREE_FIELD_SCHEMA,
    update_spec=wire.UPDATE_CUSTOM_FIELD,
    parse_update=wire.parse_value_update,
    read=queries.get_asset_custom_field,
    render=wire.free_field_to_upkeep,
    update=service.update_custom_field,
    delete=service.delete_custom_field,
)


# ------------------------------------------------------------------------------------------ assignments

add_assignment_routes(router, "asset", assign=service.assign_member, unassign=service.unassign_member)
