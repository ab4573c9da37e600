"""/meters: meters, their readings and their notifications (triggers that create work orders)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep, cached_principal, get_principal, get_runtime
from premises.api.kit.body import read_body
from premises.api.kit.listing import check_keys
from premises.api.kit.routing import LeanRoute
from premises.api.runtime import Runtime
from premises.api.upkeep.expanders import expand
from premises.api.upkeep.listing import ListSpec, include_values, includes_openapi, parse_includes, parse_list
from premises.api.upkeep.mappers import meters as wire
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
from premises.errors import PremisesError
from premises.identity.principal import Principal
from premises.identity.service import Confirmation
from premises.meter import queries, service

router = APIRouter(tags=["meters"])

KINDS = {
    "asset": "asset",
    "location": "location",
    "createdByUser": "user",
    "assignedToUser": "user",
    "lastReading": "meter_reading",
    "meter": "meter",
    "lastWorkOrder": "work_order",
    "reading": "meter_reading",
    "workOrder": "work_order",
}
METERS = ListSpec(
    filters=wire.METER_FIELDS.filters(),
    ranges=wire.METER_FIELDS.ordered(),
    order_fields=wire.METER_FIELDS.ordered(),
    includes=("asset", "location", "createdByUser", "lastReading"),
)
METER_INCLUDES = ("asset", "location", "createdByUser", "lastReading")
READINGS = ListSpec(
    ranges=wire.READING_FIELDS.ordered(), order_fields=wire.READING_ORDER, includes=("createdByUser", "meter")
)
NOTIFICATIONS = ListSpec(
    ranges=wire.NOTIFICATION_FIELDS.ordered(),
    order_fields=wire.NOTIFICATION_FIELDS.ordered(),
    includes=("assignedToUser", "createdByUser", "lastWorkOrder"),
)
NOTIFICATION_INCLUDES = ("assignedToUser", "createdByUser", "lastWorkOrder")
HITS = ListSpec(
    ranges={"createdAt": "created_at"}, order_fields={"createdAt": "created_at"}, includes=("reading", "workOrder")
)

METER = responses(result_schema(wire.METER_SCHEMA))
READING = responses(result_schema(wire.READING_SCHEMA))
NOTIFICATION = responses(result_schema(wire.NOTIFICATION_SCHEMA))
MESSAGE = responses(MESSAGE_SCHEMA)


async def _expanded(reader: Reader, principal: Principal, items: list[dict[str, Any]], includes: set[str]) -> None:
    if includes:
        await expand(reader, principal, items, KINDS, includes)


async def _page(
    reader: Reader,
    principal: Principal,
    rows: list[dict[str, Any]],
    render: Callable[[dict[str, Any]], dict[str, Any]],
    includes: set[str],
) -> Response:
    items = [render(row) for row in rows]
    await _expanded(reader, principal, items, includes)
    return ok_results(items)


# ------------------------------------------------------------------------------------------ meters


async def _meter(reader: Reader, principal: Principal, meter_id: str, includes: set[str]) -> dict[str, Any]:
    item = wire.meter_to_upkeep(await queries.get_meter(reader, principal, meter_id))
    await _expanded(reader, principal, [item], includes)
    return item


@router.post("/meters", responses=METER, openapi_extra=wire.CREATE.openapi())
async def create_meter(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = wire.parse_create(await read_body(request))
    meter_id = await runtime.write(lambda s: service.create_meter(s, principal, command).id)
    return ok_result(await _meter(runtime.reader, principal, meter_id, set()))


async def list_meters(request: Request) -> Response:
    """The lean read path (a LeanRoute): with a principal cached in this process the page's own statement
    confirms the session (one round trip, ``identity.service.cached_principal``); an empty page or an
    error is answered only after the full check, so an ended session still gets its 401."""
    runtime = await get_runtime(request)
    cached = cached_principal(request)
    if cached is not None:
        principal, confirmation = cached
        try:
            response = await _meters_page(request, runtime, principal, confirmation)
        except PremisesError:
            await get_principal(request)  # an ended session is a 401, not this error
            raise
        if response is not None:
            return response
    return await _meters_page(request, runtime, await get_principal(request), None) or ok_results([])


async def _meters_page(
    request: Request, runtime: Runtime, principal: Principal, confirmation: Confirmation | None
) -> Response | None:
    """A page of meters; None when the statement carried a ``confirmation`` and found nothing."""
    parsed = parse_list(request, METERS, default_limit=runtime.settings.list_default_limit)
    if parsed.includes and confirmation is not None:  # expansions read as a confirmed principal
        principal, confirmation = await get_principal(request), None
    rows = await queries.list_meters(runtime.reader, principal, parsed.query, confirmation=confirmation)
    if not rows and confirmation is not None:
        return None
    return await _page(runtime.reader, principal, rows, wire.meter_to_upkeep, parsed.includes)


router.add_api_route(
    "/meters",
    list_meters,
    methods=["GET"],
    responses=responses(results_schema(wire.METER_SCHEMA)),
    openapi_extra={**METERS.openapi(), "security": [{"APIKeyHeader": []}]},
    route_class_override=LeanRoute,
)


@router.get("/meters/{meter_id}", responses=METER, openapi_extra=includes_openapi(METER_INCLUDES))
async def get_meter(meter_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset({"includes", "includes[]"}))
    includes = parse_includes(include_values(request), METER_INCLUDES)
    return ok_result(await _meter(runtime.reader, principal, meter_id, includes))


@router.patch("/meters/{meter_id}", responses=METER, openapi_extra=wire.UPDATE.openapi(partial=True))
async def update_meter(meter_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    changes = wire.parse_update(await read_body(request))
    await runtime.write(lambda s: service.update_meter(s, principal, meter_id, changes).id)
    return ok_result(await _meter(runtime.reader, principal, meter_id, set()))


@router.delete("/meters/{meter_id}", responses=MESSAGE)
async def delete_meter(meter_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_meter(s, principal, meter_id))
    return ok_message("1 meter deleted")


# ------------------------------------------------------------------------------------------ readings


@router.post("/meters/{meter_id}/readings", responses=READING, openapi_extra=wire.ADD_READING.openapi())
async def add_reading(meter_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = wire.parse_reading(await read_body(request))
    reading_id = await runtime.write(lambda s: service.add_reading(s, principal, meter_id, command).id)
    row = await queries.get_reading(runtime.reader, principal, meter_id, reading_id)
    return ok_result(wire.reading_to_upkeep(row))


@router.get(
    "/meters/{meter_id}/readings",
    responses=responses(results_schema(wire.READING_SCHEMA)),
    openapi_extra=READINGS.openapi(),
)
async def list_readings(meter_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, READINGS, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_readings(runtime.reader, principal, meter_id, parsed.query)
    return await _page(runtime.reader, principal, rows, wire.reading_to_upkeep, parsed.includes)


@router.patch(
    "/meters/{meter_id}/readings/{reading_id}",
    responses=READING,
    openapi_extra=wire.UPDATE_READING.openapi(partial=True),
)
async def update_reading(
    meter_id: str, reading_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    changes = wire.parse_reading_update(await read_body(request))
    await runtime.write(lambda s: service.update_reading(s, principal, meter_id, reading_id, changes).id)
    row = await queries.get_reading(runtime.reader, principal, meter_id, reading_id)
    return ok_result(wire.reading_to_upkeep(row))


@router.delete("/meters/{meter_id}/readings/{reading_id}", responses=MESSAGE)
async def delete_reading(meter_id: str, reading_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_reading(s, principal, meter_id, reading_id))
    return ok_message(f"deleted reading record: {reading_id}")


# ------------------------------------------------------------------------------------------ notifications


async def _notification(
    reader: Reader, principal: Principal, meter_id: str, notification_id: str, includes: set[str]
) -> dict[str, Any]:
    item = wire.notification_to_upkeep(await queries.get_notification(reader, principal, meter_id, notification_id))
    await _expanded(reader, principal, [item], includes)
    return item


@router.post(
    "/meters/{meter_id}/notifications", responses=NOTIFICATION, openapi_extra=wire.CREATE_NOTIFICATION.openapi()
)
async def create_notification(
    meter_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    command = wire.parse_notification(await read_body(request))
    notification_id = await runtime.write(lambda s: service.create_notification(s, principal, meter_id, command).id)
    return ok_result(await _notification(runtime.reader, principal, meter_id, notification_id, set()))


@router.get(
    "/meters/{meter_id}/notifications",
    responses=responses(results_schema(wire.NOTIFICATION_SCHEMA)),
    openapi_extra=NOTIFICATIONS.openapi(),
)
async def list_notifications(meter_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, NOTIFICATIONS, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_notifications(runtime.reader, principal, meter_id, parsed.query)
    return await _page(runtime.reader, principal, rows, wire.notification_to_upkeep, parsed.includes)


@router.get(
    "/meters/{meter_id}/notifications/{notification_id}",
    responses=NOTIFICATION,
    openapi_extra=includes_openapi(NOTIFICATION_INCLUDES),
)
async def get_notification(
    meter_id: str, notification_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    check_keys(request, frozenset({"includes", "includes[]"}))
    includes = parse_includes(include_values(request), NOTIFICATION_INCLUDES)
    return ok_result(await _notification(runtime.reader, principal, meter_id, notification_id, includes))


@router.patch(
    "/meters/{meter_id}/notifications/{notification_id}",
    responses=NOTIFICATION,
    openapi_extra=wire.UPDATE_NOTIFICATION.openapi(partial=True),
)
async def update_notification(
    meter_id: str, notification_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    changes = wire.parse_notification_update(await read_body(request))
    await runtime.write(lambda s: service.update_notification(s, principal, meter_id, notification_id, changes).id)
    return ok_result(await _notification(runtime.reader, principal, meter_id, notification_id, set()))


@router.delete("/meters/{meter_id}/notifications/{notification_id}", responses=MESSAGE)
async def delete_notification(
    meter_id: str, notification_id: str, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    await runtime.write(lambda s: service.delete_notification(s, principal, meter_id, notification_id))
    return ok_message("1 notification deleted")


@router.get(
    "/meters/{meter_id}/notifications/{notification_id}/hits",
    responses=responses(results_schema(wire.HIT_SCHEMA)),
    openapi_extra=HITS.openapi(),
)
async def list_hits(
    meter_id: str, notification_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    """Premises: every reading that met the notification's condition, and the work order it created (or
    ``open_work_order``: none, because the last one it created was still open)."""
    parsed = parse_list(request, HITS, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_hits(runtime.reader, principal, meter_id, notification_id, parsed.query)
    return await _page(runtime.reader, principal, rows, wire.hit_to_upkeep, parsed.includes)
