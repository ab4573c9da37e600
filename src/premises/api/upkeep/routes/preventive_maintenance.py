"""/preventive-maintenance: PM triggers, each a schedule and the template of the work orders it creates.

/preventative-maintenance is UpKeep's older spelling: a client of the current version gets the same
triggers; a client of a version before 2022-09-14 (``versions``) gets the legacy recurring work orders
(``preventive.legacy``), whose schedule GET /work-order-schedule shows.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import COERCERS, as_instant, read_body
from premises.api.kit.errors import WireInputError
from premises.api.kit.listing import check_keys
from premises.api.runtime import Runtime
from premises.api.upkeep.listing import ListSpec, parse_list
from premises.api.upkeep.mappers import legacy_recurring as legacy_wire
from premises.api.upkeep.mappers import preventive_maintenance as wire
from premises.api.upkeep.mappers import work_orders as work_order_wire
from premises.api.upkeep.routes.work_orders import legacy_detail
from premises.api.upkeep.security import PrincipalDep
from premises.api.upkeep.versions import legacy_recurring
from premises.api.upkeep.wire import (
    JSON,
    ok_message,
    ok_result,
    ok_results,
    responses,
    result_schema,
    results_schema,
)
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.kit.time import now_ms
from premises.preventive import legacy, queries, service
from premises.work_order import queries as work_order_queries

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


# ------------------------------------------------------------------------------------------ legacy (before 2022-09-14)

# GET /preventative-maintenance and /work-order-schedule: UpKeep's filters (equal to the root's member).
LEGACY_FILTERS = (
    "title",
    "status",
    "priority",
    "category",
    "asset",
    "location",
    "assignedToUser",
    "assignedByUser",
    "recurringSchedule",
    "rescheduledBasedOnCompletion",
)
DAY_MS = 86_400_000
SCHEDULE_DAYS = 31  # the window of GET /work-order-schedule when no dueDate range bounds it
MAX_OCCURRENCES = 366  # per recurring work order
MAX_UTC_OFFSET = 14 * 60
SCHEDULE_RANGES = ("dueDateGreaterThan", "dueDateGreaterThanOrEqualTo", "dueDateLessThan", "dueDateLessThanOrEqualTo")


def _count(request: Request, name: str) -> int | None:
    value = request.query_params.get(name)
    if value is None:
        return None
    number = int(COERCERS["integer"](name, value))
    if number < 0:
        raise WireInputError(ErrorCode.OUT_OF_RANGE, field=name)
    return number


def _text(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


async def _legacy_roots(
    request: Request, runtime: Runtime, principal: Principal, also: tuple[str, ...] = ()
) -> list[tuple[dict[str, Any], dict[str, Any]]]:
    """The legacy recurring work orders (root rendered, trigger row) the query asks for, newest first, paged."""
    check_keys(request, frozenset((*LEGACY_FILTERS, "limit", "offset", *also)))
    triggers = await queries.legacy_triggers(runtime.reader, principal)
    roots = await work_order_queries.work_orders_by_ids(runtime.reader, principal, triggers)
    rendered = await work_order_wire.render(runtime.reader, principal, [roots[i] for i in triggers if i in roots])
    items = [legacy_wire.with_recurrence(item, triggers[item["id"]]) for item in rendered]
    wanted = {name: request.query_params[name] for name in LEGACY_FILTERS if name in request.query_params}
    items = [item for item in items if all(_text(item.get(k)) == v for k, v in wanted.items())]
    items.sort(key=lambda item: (item["createdAt"], item["id"]), reverse=True)
    offset = _count(request, "offset") or 0
    limit = _count(request, "limit")
    items = items[offset:] if limit is None else items[offset : offset + limit]
    return [(item, triggers[item["id"]]) for item in items]


async def _legacy_root(runtime: Runtime, principal: Principal, work_order_id: str) -> None:
    """NotFound unless ``work_order_id`` is a legacy recurring work order the principal sees."""
    if not await queries.legacy_triggers(runtime.reader, principal, [work_order_id]):
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="work order")


@router.post("/preventative-maintenance", responses=ONE, openapi_extra=wire.openapi(partial=False))
async def create_preventative(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Current versions: POST /preventive-maintenance. Before 2022-09-14: a legacy recurring work order."""
    if not await legacy_recurring(request, runtime, principal):
        return await create_trigger(request, runtime, principal)
    body, recurrence = legacy_wire.split(await read_body(request))
    if not recurrence.recurring_schedule:
        raise WireInputError(ErrorCode.REQUIRED, field="recurringSchedule")
    command = work_order_wire.parse_create(body)
    work_order_id = await runtime.write(lambda s: legacy.create_recurring(s, principal, command, recurrence).id)
    return ok_result(await legacy_detail(runtime, principal, work_order_id, set(), True))


@router.get("/preventative-maintenance", responses=responses(results_schema(wire.SCHEMA)), openapi_extra=LIST.openapi())
async def list_preventative(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    if not await legacy_recurring(request, runtime, principal):
        return await list_triggers(request, runtime, principal)
    return ok_results([item for item, _ in await _legacy_roots(request, runtime, principal)])


@router.get("/preventative-maintenance/{item_id}", responses=ONE)
async def get_preventative(item_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    if not await legacy_recurring(request, runtime, principal):
        return await get_trigger(item_id, request, runtime, principal)
    check_keys(request, frozenset())
    await _legacy_root(runtime, principal, item_id)
    return ok_result(await legacy_detail(runtime, principal, item_id, set(), True))


@router.patch("/preventative-maintenance/{item_id}", responses=ONE, openapi_extra=wire.openapi(partial=True))
async def update_preventative(item_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    if not await legacy_recurring(request, runtime, principal):
        return await update_trigger(item_id, request, runtime, principal)
    body, recurrence = legacy_wire.split(await read_body(request))
    changes = work_order_wire.parse_update(body)
    await _legacy_root(runtime, principal, item_id)
    await runtime.write(lambda s: legacy.update_recurring(s, principal, item_id, changes, recurrence).id)
    return ok_result(await legacy_detail(runtime, principal, item_id, set(), True))


@router.delete("/preventative-maintenance/{item_id}", responses=DELETED)
async def delete_preventative(item_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    if not await legacy_recurring(request, runtime, principal):
        return await delete_trigger(item_id, runtime, principal)
    await _legacy_root(runtime, principal, item_id)
    await runtime.write(lambda s: legacy.delete_recurring(s, principal, item_id))
    return ok_message("1 work order deleted")


def _utc_offset(request: Request) -> int:
    """utcOffset: minutes from the client's time to UTC (as JavaScript's getTimezoneOffset: -120 in UTC+2)."""
    value = request.query_params.get("utcOffset")
    offset = 0 if value is None else int(COERCERS["integer"]("utcOffset", value))
    if not -MAX_UTC_OFFSET <= offset <= MAX_UTC_OFFSET:
        raise WireInputError(ErrorCode.NOT_BETWEEN, field="utcOffset", min=-MAX_UTC_OFFSET, max=MAX_UTC_OFFSET)
    return offset


def _window(request: Request) -> tuple[int, int]:
    """From the dueDate range, else from the start of the client's day (``utcOffset``) for 31 days."""
    shift = _utc_offset(request) * 60_000
    local_now = now_ms() - shift
    start = local_now - local_now % DAY_MS + shift
    end = start + SCHEDULE_DAYS * DAY_MS - 1
    params = request.query_params
    bounds = {name: as_instant(name, params[name]) for name in SCHEDULE_RANGES if name in params}
    start = bounds.get("dueDateGreaterThanOrEqualTo", start)
    if "dueDateGreaterThan" in bounds:
        start = bounds["dueDateGreaterThan"] + 1
    end = bounds.get("dueDateLessThanOrEqualTo", end)
    if "dueDateLessThan" in bounds:
        end = bounds["dueDateLessThan"] - 1
    return start, end


@router.get("/work-order-schedule", responses=responses(results_schema({"type": "object"})))
async def work_order_schedule(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """The occurrences of the legacy recurring work orders in a window (any version: UpKeep sunset it)."""
    start, end = _window(request)
    roots = await _legacy_roots(request, runtime, principal, ("utcOffset", *SCHEDULE_RANGES))
    entries = [
        legacy_wire.schedule_entry(root, trigger, due_at)
        for root, trigger in roots
        for due_at in legacy.occurrences_between(trigger, start, end, MAX_OCCURRENCES)
    ]
    entries.sort(key=lambda entry: entry["dueDate"])
    return ok_results(entries)
