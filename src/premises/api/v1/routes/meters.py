"""/v1/meters and their readings: the meters of /api/v2 (the same ids), each with its latest reading
embedded (``lastReading``: ``{"id", "value", "date"}`` or null).

A meter is at a place (``location``): a location-based caller sees the meters at its places
(``meter.visibility``), and ``sites`` lists the meters at or below those sites. Readings:
``GET/POST /v1/meters/{id}/readings``, ``PATCH/DELETE /v1/meters/{id}/readings/{readingId}``; a new
reading is evaluated against the meter's notifications and preventive-maintenance triggers as on
/api/v2.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Spec, read_body
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.v1.listing import ListSpec, each, get_route, list_route, requested_sites
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, object_schema, responses
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.meter import queries, service
from premises.meter.commands import MeterChanges, MeterCreate, ReadingChanges, ReadingCreate
from premises.meter.fields import METERS, READINGS
from premises.models import Meter, MeterReading

router = APIRouter(tags=["meters"])

LAST_READING_SCHEMA = {
    "anyOf": [
        {
            "type": "object",
            "required": ["id", "value", "date"],
            "properties": {"id": {"type": "string"}, "value": {"type": "number"}, "date": INSTANT_SCHEMA},
        },
        {"type": "null"},
    ]
}
V1 = Fields(
    METERS.attach(
        "v1",
        {
            "id": Wire("id"),
            "name": Wire("name", filter="The meter's name (a comma list: any of)", sort=True),
            "units": Wire("units", filter="The meter's units (a comma list: any of)"),
            "frequency": Wire("frequency"),
            "cumulative": Wire("cumulative", bool),
            "asset_id": Wire("asset", filter="The meter's asset (a comma list: any of)"),
            "location_id": Wire("location", filter="The meter's place (a comma list: any of)"),
            "last_reading_id": Wire("lastReading", expands="reading", schema=LAST_READING_SCHEMA),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
CREATE = Spec(*V1.body_fields(required=required_of(MeterCreate)), model=Meter)
UPDATE = Spec(*V1.body_fields(), model=Meter)
LIST = ListSpec.of(V1, site_field=None)
SCHEMA = object_schema(V1)

READING = Fields(
    READINGS.attach(
        "v1",
        {
            "id": Wire("id"),
            "value": Wire("value", sort=True),
            "date": Wire("date", instant, sort=True, schema=INSTANT_SCHEMA),
            "is_reset": Wire("isReset", bool),
            "created_by_user_id": Wire("userId"),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
READING_CREATE = Spec(*READING.body_fields(required=required_of(ReadingCreate)), model=MeterReading)
READING_UPDATE = Spec(*READING.body_fields(without=("is_reset",)), model=MeterReading)
READING_LIST = ListSpec.of(READING, site_field=None, sited=False)
READING_SCHEMA = object_schema(READING)


async def _render(runtime: RuntimeDep, principal: Principal, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [r["last_reading_id"] for r in rows if r["last_reading_id"]]
    readings = await queries.readings_by_ids(runtime.reader, principal, ids)
    last = {i: {"id": i, "value": r["value"], "date": instant(r["date"])} for i, r in readings.items()}
    return [V1.render(row, {"reading": last}) for row in rows]


async def _meter(runtime: RuntimeDep, principal: Principal, meter_id: str, status_code: int = 200) -> Response:
    row = await queries.get_meter(runtime.reader, principal, meter_id)
    return JSON((await _render(runtime, principal, [row]))[0], status_code=status_code)


async def _reading(
    runtime: RuntimeDep, principal: Principal, meter_id: str, reading_id: str, status_code: int = 200
) -> Response:
    row = await queries.get_reading(runtime.reader, principal, meter_id, reading_id)
    return JSON(READING.render(row), status_code=status_code)


@router.get("/meters", responses=responses(list_schema(SCHEMA)), openapi_extra=LIST.openapi())
async def list_meters(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fetch = lambda r, p, q: queries.page_of_meters(r, p, q, requested_sites(request, p))  # noqa: E731
    render = lambda rows: _render(runtime, principal, rows)  # noqa: E731
    return await list_route(request, runtime.reader, principal, LIST, fetch, render)


@router.get("/meters/{meter_id}", responses=responses(SCHEMA))
async def get_meter(meter_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    return await get_route(request, lambda: _meter(runtime, principal, meter_id))


@router.post("/meters", status_code=201, responses=responses(SCHEMA, status=201), openapi_extra=CREATE.openapi())
async def create_meter(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = build(MeterCreate, CREATE.parse(await read_body(request)))
    meter_id = await runtime.write(lambda s: service.create_meter(s, principal, command).id)
    return await _meter(runtime, principal, meter_id, 201)


@router.patch("/meters/{meter_id}", responses=responses(SCHEMA), openapi_extra=UPDATE.openapi(partial=True))
async def update_meter(meter_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    changes = build(MeterChanges, UPDATE.parse(await read_body(request), partial=True))
    await runtime.write(lambda s: service.update_meter(s, principal, meter_id, changes))
    return await _meter(runtime, principal, meter_id)


@router.delete("/meters/{meter_id}", status_code=204, responses=responses(None, status=204))
async def delete_meter(meter_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_meter(s, principal, meter_id))
    return Response(status_code=204)


@router.get(
    "/meters/{meter_id}/readings",
    responses=responses(list_schema(READING_SCHEMA)),
    openapi_extra=READING_LIST.openapi(),
)
async def list_readings(meter_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fetch = lambda r, p, q: queries.page_of_readings(r, p, meter_id, q)  # noqa: E731
    return await list_route(request, runtime.reader, principal, READING_LIST, fetch, each(READING.render))


@router.post(
    "/meters/{meter_id}/readings",
    status_code=201,
    responses=responses(READING_SCHEMA, status=201),
    openapi_extra=READING_CREATE.openapi(),
)
async def add_reading(meter_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = build(ReadingCreate, READING_CREATE.parse(await read_body(request)))
    reading_id = await runtime.write(lambda s: service.add_reading(s, principal, meter_id, command).id)
    return await _reading(runtime, principal, meter_id, reading_id, 201)


@router.get("/meters/{meter_id}/readings/{reading_id}", responses=responses(READING_SCHEMA))
async def get_reading(
    meter_id: str, reading_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    return await get_route(request, lambda: _reading(runtime, principal, meter_id, reading_id))


@router.patch(
    "/meters/{meter_id}/readings/{reading_id}",
    responses=responses(READING_SCHEMA),
    openapi_extra=READING_UPDATE.openapi(partial=True),
)
async def update_reading(
    meter_id: str, reading_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    changes = build(ReadingChanges, READING_UPDATE.parse(await read_body(request), partial=True))
    await runtime.write(lambda s: service.update_reading(s, principal, meter_id, reading_id, changes))
    return await _reading(runtime, principal, meter_id, reading_id)


@router.delete("/meters/{meter_id}/readings/{reading_id}", status_code=204, responses=responses(None, status=204))
async def delete_reading(meter_id: str, reading_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_reading(s, principal, meter_id, reading_id))
    return Response(status_code=204)
