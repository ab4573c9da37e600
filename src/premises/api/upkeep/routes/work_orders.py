"""/work-orders: create, list, get, update, delete, update messages, additional workers, team."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep, cached_principal, get_principal, get_runtime
from premises.api.kit.body import read_body
from premises.api.kit.listing import Filter, check_keys
from premises.api.kit.routing import LeanRoute
from premises.api.runtime import Runtime
from premises.api.upkeep.expanders import expand
from premises.api.upkeep.listing import ListSpec, include_values, includes_openapi, parse_includes, parse_list
from premises.api.upkeep.mappers import legacy_recurring as legacy_wire
from premises.api.upkeep.mappers import work_orders as wire
from premises.api.upkeep.mappers.common import iso
from premises.api.upkeep.security import PrincipalDep
from premises.api.upkeep.versions import legacy_recurring
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
from premises.errors import PremisesError
from premises.identity.principal import Principal
from premises.identity.service import Confirmation
from premises.kit.listing import ListQuery
from premises.models.work_order import WORK_ORDER_STATUSES
from premises.preventive import legacy
from premises.preventive import queries as pm_queries
from premises.preventive.legacy import Recurrence
from premises.work_order import queries, service, time_log

router = APIRouter(tags=["work-orders"])

DATES = {
    "dueDate": "due_date",
    "endDueDate": "end_due_date",
    "dateCompleted": "date_completed",
    "createdAt": "created_at",
    "updatedAt": "updated_at",
}
LIST = ListSpec(
    filters=(
        Filter("title", "title"),
        Filter("isComplete", queries.IS_COMPLETE, choices=("0", "1")),
        Filter("status", "status", choices=WORK_ORDER_STATUSES),
        Filter("archivedStatus", queries.ARCHIVED, choices=("0", "1")),
        Filter("priority", "priority", "integer", choices=(0, 1, 2, 3)),
        Filter("location", "location_id"),
        Filter("asset", "asset_id"),
        Filter("assignedToUser", "assigned_to_user_id"),
        Filter("assignedByUser", "assigned_by_user_id"),
        Filter("category", "category"),
        Filter("publicRequesterEmail", "public_requester_email"),
        Filter("customWOStatusId", "custom_status_id"),
    ),
    ranges=DATES,
    order_fields=DATES,
    includes=(
        "asset",
        "location",
        "assignedToUser",
        "assignedByUser",
        "requestedByUser",
        "completedByUser",
        "team",
    ),
)
GET_INCLUDES = (
    *LIST.includes,
    "formItems",
    "parts",
    "arrayOfUpdateItems",
    "additionalUsers",
    "files",
)
KINDS = {
    "asset": "asset",
    "location": "location",
    "assignedToUser": "user",
    "assignedByUser": "user",
    "requestedByUser": "user",
    "completedByUser": "user",
    "team": "team",
    "additionalUsers": "user",
    "files": "file",
    "parts": "part",
}
ITEM = responses(result_schema(wire.SCHEMA))
GET_PARAMS = includes_openapi(GET_INCLUDES)


async def _detail(runtime: Any, principal: Principal, work_order_id: str, includes: set[str]) -> dict[str, Any]:
    reader = runtime.reader
    detail = await queries.work_order_detail(reader, principal, work_order_id)
    [item] = await wire.render(reader, principal, [detail.work_order])
    item["additionalCosts"] = [wire.cost_to_upkeep(c) for c in detail.costs]
    messages = detail.update_messages
    if "arrayOfUpdateItems" in includes:
        item["arrayOfUpdateItems"] = [
            {
                "id": m["id"],
                "text": m["text"],
                "createdByUser": m["created_by_user_id"],
                "createdAt": iso(m["created_at"]),
            }
            for m in messages
        ]
    else:
        item["arrayOfUpdateItems"] = [m["id"] for m in messages]
    item["arrayOfLinkedWorkOrders"] = []
    item["timeLog"] = wire.time_log_to_upkeep(await time_log.time_entries(reader, principal, work_order_id))
    await expand(reader, principal, [item], KINDS, includes)
    return item


async def legacy_detail(
    runtime: Runtime, principal: Principal, work_order_id: str, includes: set[str], old: bool
) -> dict[str, Any]:
    """``_detail``; for a client of a version before 2022-09-14, with the legacy recurrence (``versions``)."""
    item = await _detail(runtime, principal, work_order_id, includes)
    if not old:
        return item
    triggers = {}
    if principal.may("preventive_maintenance", "read"):
        triggers = await pm_queries.legacy_triggers(runtime.reader, principal, [work_order_id])
    return legacy_wire.with_recurrence(item, triggers.get(work_order_id))


async def _body(request: Request, old: bool) -> tuple[dict[str, Any], Recurrence]:
    """The body; a legacy client's recurrence split off it (``versions``), a current client's is no field."""
    body = await read_body(request)
    return legacy_wire.split(body) if old else (body, Recurrence())


@router.post("/work-orders", responses=ITEM, openapi_extra=wire.CREATE.openapi())
async def create_work_order(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    old = await legacy_recurring(request, runtime, principal)
    body, recurrence = await _body(request, old)
    command = wire.parse_create(body)
    work_order_id = await runtime.write(lambda s: legacy.create_recurring(s, principal, command, recurrence).id)
    return ok_result(await legacy_detail(runtime, principal, work_order_id, set(), old))


async def list_work_orders(request: Request) -> Response:
    """With a principal cached in this process the page's own statement confirms the session (one round
    trip, ``identity.service.cached_principal``); an empty page or an error is answered only after the
    full check, so an ended session still gets its 401."""
    runtime = await get_runtime(request)
    cached = cached_principal(request)
    if cached is None:
        return await _list(request, runtime, await get_principal(request), None) or ok_results([])
    principal, confirmation = cached
    try:
        response = await _list(request, runtime, principal, confirmation)
    except PremisesError:
        await get_principal(request)  # an ended session is a 401, not this error
        raise
    if response is None:  # nothing found: no page, or no longer a session
        return await _list(request, runtime, await get_principal(request), None) or ok_results([])
    return response


async def _list(
    request: Request, runtime: Runtime, principal: Principal, confirmation: Confirmation | None
) -> Response | None:
    parsed = parse_list(request, LIST, default_limit=runtime.settings.list_default_limit)
    for flag in (queries.IS_COMPLETE, queries.ARCHIVED):
        if flag in parsed.query.equals:
            parsed.query.equals[flag] = parsed.query.equals[flag] == "1"
    if parsed.includes:
        if confirmation is not None:
            principal = await get_principal(request)
        rows = await queries.list_work_orders(runtime.reader, principal, parsed.query)
        items = await wire.render(runtime.reader, principal, rows)
        await expand(runtime.reader, principal, items, KINDS, parsed.includes)
        return ok_results(items)
    return await _page(runtime.reader, principal, parsed.query, confirmation)


router.add_api_route(
    "/work-orders",
    list_work_orders,
    methods=["GET"],
    responses=responses(results_schema(wire.SCHEMA)),
    openapi_extra={**LIST.openapi(), "security": [{"APIKeyHeader": []}]},
    route_class_override=LeanRoute,
)


async def _page(
    reader: Reader, principal: Principal, query: ListQuery, confirmation: Confirmation | None
) -> Response | None:
    """A list page without ``includes``: the same bytes as ``ok_results(render(rows))``, faster; None
    when the statement carried a ``confirmation`` and found nothing.

    SQLite renders each row's JSON itself (``wire.page_projection``; in-process, C code); the rows it
    leaves to Python (a file image to expand, a value outside what it renders) are rendered as the
    detail is. On PostgreSQL the rows come as tuples and ``wire.render_rows`` maps them without the
    read model's dicts (docs/benchmarks.md: asyncpg's decoding beats any JSON built by the server)."""
    if reader.dialect != "sqlite":
        rows = await queries.list_work_order_rows(reader, principal, query, confirmation=confirmation)
        if not rows and confirmation is not None:
            return None
        return Response(
            orjson.dumps({"success": True, "results": await wire.render_rows(reader, principal, rows)}),
            media_type="application/json",
        )
    rendered = await queries.list_work_orders_as(
        reader, principal, query, wire.page_projection(), confirmation=confirmation
    )
    if not rendered and confirmation is not None:
        return None
    parts = [row[0] for row in rendered]
    redo = {i: orjson.loads(row[0])["id"] for i, row in enumerate(rendered) if row[1]}
    if redo:
        found = await queries.work_orders_by_ids(reader, principal, redo.values())
        by_id = {
            item["id"]: orjson.dumps(item).decode()
            for item in await wire.render(reader, principal, list(found.values()))
        }
        parts = [by_id.get(redo[i], "") if i in redo else part for i, part in enumerate(parts)]
        parts = [part for part in parts if part]  # a row deleted between the two reads
    return Response(('{"success":true,"results":[' + ",".join(parts) + "]}").encode(), media_type="application/json")


@router.get("/work-orders/{work_order_id}", responses=ITEM, openapi_extra=GET_PARAMS)
async def get_work_order(
    work_order_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    check_keys(request, frozenset({"includes", "includes[]"}))
    includes = parse_includes(include_values(request), GET_INCLUDES)
    old = await legacy_recurring(request, runtime, principal)
    return ok_result(await legacy_detail(runtime, principal, work_order_id, includes, old))


@router.patch("/work-orders/{work_order_id}", responses=ITEM, openapi_extra=wire.UPDATE.openapi(partial=True))
async def update_work_order(
    work_order_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    old = await legacy_recurring(request, runtime, principal)
    body, recurrence = await _body(request, old)
    changes = wire.parse_update(body)
    await runtime.write(lambda s: legacy.update_recurring(s, principal, work_order_id, changes, recurrence).id)
    return ok_result(await legacy_detail(runtime, principal, work_order_id, set(), old))


@router.delete("/work-orders/{work_order_id}", responses=responses(MESSAGE_SCHEMA))
async def delete_work_order(work_order_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: legacy.delete_recurring(s, principal, work_order_id))
    return ok_message("1 work order deleted")


@router.post(
    "/work-orders/{work_order_id}/update-messages",
    responses=responses(MESSAGE_SCHEMA),
    openapi_extra=wire.UPDATE_MESSAGE.openapi(),
)
async def add_update_message(
    work_order_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    fields = wire.UPDATE_MESSAGE.parse(await read_body(request))
    await runtime.write(lambda s: service.add_update_message(s, principal, work_order_id, fields["text"]).id)
    return ok_message("1 message Added")


@router.post("/work-orders/{work_order_id}/users/{user_id}", responses=responses(MESSAGE_SCHEMA))
async def add_worker(work_order_id: str, user_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.add_worker(s, principal, work_order_id, user_id))
    return ok_message(f"User {user_id} assigned to work order {work_order_id}")


@router.delete("/work-orders/{work_order_id}/users/{user_id}", responses=responses(MESSAGE_SCHEMA))
async def remove_worker(work_order_id: str, user_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.remove_worker(s, principal, work_order_id, user_id))
    return ok_message(f"User {user_id} removed from work order {work_order_id}")


@router.post("/work-orders/{work_order_id}/teams/{team_id}", responses=responses(MESSAGE_SCHEMA))
async def assign_team(work_order_id: str, team_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.assign_team(s, principal, work_order_id, team_id))
    return ok_message(f"team {team_id} assigned to work order {work_order_id}")


@router.delete("/work-orders/{work_order_id}/teams/{team_id}", responses=responses(MESSAGE_SCHEMA))
async def remove_team(work_order_id: str, team_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.remove_team(s, principal, work_order_id, team_id))
    return ok_message(f"team {team_id} removed from work order {work_order_id}")
