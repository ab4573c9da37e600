"""/v1/workOrders: the work orders of ``/api/v2/work-orders`` (the same records and ids) in /v1's words.

A work order is ``{"id", "number", "title", "description", "status", "priority", "category",
"startDate", "dueDate", "dateCompleted", "Site", "Location", "Asset", "Assignee", "case", "Case",
"createdAt", "updatedAt"}``. ``status`` is the domain's: ``open``, ``onHold``, ``inProgress``, ``complete``;
``priority`` 0 (lowest) to 3 (highest). Bodies name related records by id (``location``, ``asset``,
``assignee``); the answer embeds them: ``Site`` (the top-level place above the location) and
``Location`` as ``{"id", "label"}``, ``Asset`` as ``{"id", "label"}``, ``Assignee`` as ``{"id",
"first", "last"}``; a place or asset the caller does not reach is null. ``case`` is the case a work
order was made for (set on create, by ``case`` or ``POST /v1/cases/{id}/workOrders``), embedded as
``Case``: ``{"id", "code"}``.

The list is a lean route (``LeanRoute``): one statement renders the page with its embedded names, one
counts.
"""

from __future__ import annotations

import functools
from typing import Any

import orjson
from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep, get_runtime, read_in_one_round_trip
from premises.api.kit.body import Spec, read_body
from premises.api.kit.representation import Fields, Wire
from premises.api.kit.routing import LeanRoute
from premises.api.v1.embedded import CASE, EMBEDDED, MAYBE_INSTANT, RELATED_COLUMNS, renderer
from premises.api.v1.listing import ListSpec, get_route, parse_list
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, object_schema, responses
from premises.case import queries as case_queries
from premises.db.reader import Reader, Row
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.identity.service import Confirmation
from premises.kit.commands import build
from premises.kit.fields import Op
from premises.kit.listing import ListQuery
from premises.models.work_order import WorkOrder
from premises.work_order import queries, service
from premises.work_order.commands import Status, WorkOrderChanges, WorkOrderCreate
from premises.work_order.fields import PRIORITIES, WORK_ORDERS

router = APIRouter(tags=["workOrders"])

V1 = Fields(
    WORK_ORDERS.attach(
        "v1",
        {
            "id": Wire("id"),
            "work_order_no": Wire("number", sort=True),
            "title": Wire("title", sort=True),
            "description": Wire("description"),
            "status": Wire("status", filter="The status (a comma list: any of)"),
            "priority": Wire(
                "priority",
                schema={"enum": list(PRIORITIES)},
                body_kind="integer",
                null_default=True,
                filter="The priority, 0 to 3 (a comma list: any of)",
                sort=True,
            ),
            "category": Wire("category"),
            "start_date": Wire("startDate", instant, schema=MAYBE_INSTANT),
            "due_date": Wire("dueDate", instant, schema=MAYBE_INSTANT, sort=True),
            "date_completed": Wire("dateCompleted", instant, schema=MAYBE_INSTANT, then=EMBEDDED),
            "location_id": Wire("location", response=False),
            "asset_id": Wire("asset", response=False),
            "assigned_to_user_id": Wire("assignee", response=False),
            "case_id": Wire("case", then=(CASE,), filter="The case it was made for (a comma list: any of)"),
            "created_at": Wire("createdAt", instant, schema=INSTANT_SCHEMA, sort=True),
            "updated_at": Wire("updatedAt", instant, schema=INSTANT_SCHEMA, sort=True),
        },
    )
)
CREATE = Spec(*V1.body_fields(required=("title",), without=("status",)), model=WorkOrder)
UPDATE = Spec(*V1.body_fields(not_null=("title",), fixed=("case_id",)), model=WorkOrder)
# A work order made from another record (a case; an approved request): nothing required (the record's
# values stand in), no ``case``.
FROM_RECORD = Spec(*V1.body_fields(without=("status", "case_id")), model=WorkOrder)
# The related records' ids filter too (body names only, so not ``Fields.filter_names``).
LIST = ListSpec(
    WORK_ORDERS,
    "site_id",
    {**V1.filter_names(), "location": "location_id", "asset": "asset_id", "assignee": "assigned_to_user_id"},
    V1.sort_keys(),
)
SCHEMA = object_schema(V1)
# The page's columns: the work order's that /v1 shows or embeds, then the related records' values its
# embedded objects show (only these: each is carried from the page's rows to the answer).
COLUMNS = (*(f.name for f, _ in V1.body_items), *RELATED_COLUMNS, "case_code")
_render_rows = renderer(V1.row_renderer(COLUMNS), COLUMNS)
# A page SQLite renders: each row's JSON (byte for byte what ``_render_rows`` and orjson make of it),
# for a principal who sees every place (no place or asset to hide).
_SQLITE_ITEM = V1.sqlite_projection(queries.page_column_sql)
if _SQLITE_ITEM.unsafe is not None:
    raise ValueError("a /v1 work order SQLite cannot render")


async def _work_order(reader: Reader, principal: Principal, work_order_id: str) -> dict[str, Any]:
    query = ListQuery.of(WORK_ORDERS, limit=1).where("id", Op.EQ, work_order_id)
    rows, _ = await queries.page_of_work_orders(reader, principal, query, COLUMNS)
    if not rows:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="work order")
    return _render_rows(principal, rows)[0]


async def list_work_orders(request: Request) -> Response:
    """A dependency-free route (``LeanRoute``): with a principal cached in this process, one statement
    renders the page with its embedded names and confirms the token, one counts."""
    reader = (await get_runtime(request)).reader

    async def read(principal: Principal, confirmation: Confirmation | None) -> Response | None:
        query = parse_list(request, LIST, principal)
        if reader.dialect == "sqlite" and principal.location_ids is None:
            return await _rendered_page(reader, principal, query, confirmation)
        rows, count = await queries.page_of_work_orders(reader, principal, query, COLUMNS, confirmation=confirmation)
        if not rows and confirmation is not None:
            return None
        return JSON(_page(principal, query, rows, count))

    return await read_in_one_round_trip(request, read)


def _page(principal: Principal, query: ListQuery, rows: list[Row], count: int | None) -> dict[str, Any]:
    last = dict(zip(COLUMNS, rows[-1], strict=True)) if rows and len(rows) == query.limit else None
    return {
        "count": count or 0,
        "items": _render_rows(principal, rows),
        "nextCursor": query.next_cursor(last) if last is not None else None,
    }


@functools.cache
def _rendered_projection(sort: tuple[str, ...]) -> tuple[str, ...]:
    """Each row's JSON, then the values of the ``sort`` fields (for the next cursor)."""
    return (_SQLITE_ITEM.sql, *(queries.page_column_sql(name) for name in sort))


async def _rendered_page(
    reader: Reader, principal: Principal, query: ListQuery, confirmation: Confirmation | None
) -> Response | None:
    """``_page``'s bytes with each item rendered by SQLite (``_SQLITE_ITEM``): no Python object per
    column, no mapping. None as ``read`` answers it."""
    sort = tuple(key.field.name for key in query.sort_keys())
    projection = _rendered_projection(sort)
    rows, count = await queries.page_of_work_orders_as(reader, principal, query, projection, confirmation=confirmation)
    if not rows and confirmation is not None:
        return None
    cursor = "null"
    if rows and len(rows) == query.limit:
        cursor = orjson.dumps(query.next_cursor(dict(zip(sort, rows[-1][1:], strict=True)))).decode()
    items = ",".join([row[0] for row in rows])
    return Response(
        f'{{"count":{count or 0},"items":[{items}],"nextCursor":{cursor}}}'.encode(), media_type=JSON.media_type
    )


router.add_api_route(
    "/workOrders",
    list_work_orders,
    methods=["GET"],
    responses=responses(list_schema(SCHEMA)),
    openapi_extra={**LIST.openapi(), "security": [{"oauth2": []}]},
    route_class_override=LeanRoute,
)


@router.get("/workOrders/{work_order_id}", responses=responses(SCHEMA))
async def get_work_order(
    work_order_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    return await get_route(request, lambda: _work_order(runtime.reader, principal, work_order_id))


@router.post(
    "/workOrders",
    status_code=201,
    responses=responses(SCHEMA, status=201, extra=(413,)),
    openapi_extra=CREATE.openapi(),
)
async def create_work_order(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = build(WorkOrderCreate, CREATE.parse(await read_body(request)))
    work_order_id = await runtime.write(lambda s: service.create_work_order(s, principal, command).id)
    return JSON(await _work_order(runtime.reader, principal, work_order_id), status_code=201)


@router.patch(
    "/workOrders/{work_order_id}", responses=responses(SCHEMA, extra=(413,)), openapi_extra=UPDATE.openapi(partial=True)
)
async def update_work_order(
    work_order_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    fields = UPDATE.parse(await read_body(request), partial=True)
    if "status" in fields:
        fields["status"] = Status(fields["status"])
    changes = build(WorkOrderChanges, fields)
    await runtime.write(lambda s: service.update_work_order(s, principal, work_order_id, changes).id)
    return JSON(await _work_order(runtime.reader, principal, work_order_id))


@router.delete("/workOrders/{work_order_id}", status_code=204, responses=responses(None, status=204))
async def delete_work_order(work_order_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_work_order(s, principal, work_order_id))
    return Response(status_code=204)


# ------------------------------------------------------------------------------------------ a case's


@router.get(
    "/cases/{case_id}/workOrders",
    responses=responses(list_schema(SCHEMA)),
    openapi_extra={**LIST.openapi(), "security": [{"oauth2": []}]},
)
async def list_case_work_orders(
    case_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    """The work orders made for a case (those the caller sees), as ``GET /v1/workOrders?case=`` pages them."""
    query = parse_list(request, LIST, principal).where("case_id", Op.EQ, case_id)
    await case_queries.get_case(runtime.reader, principal, case_id)
    rows, count = await queries.page_of_work_orders(runtime.reader, principal, query, COLUMNS)
    return JSON(_page(principal, query, rows, count))


@router.post(
    "/cases/{case_id}/workOrders",
    status_code=201,
    responses=responses(SCHEMA, status=201, extra=(413,)),
    openapi_extra=FROM_RECORD.openapi(),
)
async def create_case_work_order(
    case_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    fields = FROM_RECORD.parse(await read_body(request))
    work_order_id = await runtime.write(lambda s: service.create_from_case(s, principal, case_id, fields).id)
    return JSON(await _work_order(runtime.reader, principal, work_order_id), status_code=201)
