"""/v1/parts: the account's parts (the parts of /api/v2, with the same ids) and each part's inventory
ledger, ``GET /v1/parts/{id}/ledger``: every change of its count on hand, oldest first.

A part is at a place (``location``, a site or a place below one): a location-based caller sees the
parts at its places (``part.visibility``), and ``sites`` lists the parts at or below those sites.
``quantity`` in a ``PATCH`` sets the count on hand (a ledger row ``adjusted`` with the difference);
work orders and purchase orders move it too (``work_order``, ``purchase_order``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Spec, read_body
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.v1.listing import ListSpec, each, get_route, list_route, requested_sites
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, object_schema, responses
from premises.kit.commands import build
from premises.models import Part
from premises.part import queries, service
from premises.part.commands import PartChanges, PartCreate
from premises.part.fields import INVENTORY_MOVES, PARTS

router = APIRouter(tags=["parts"])

V1 = Fields(
    PARTS.attach(
        "v1",
        {
            "id": Wire("id"),
            "name": Wire("name", filter="The part's name (a comma list: any of)", sort=True),
            "part_number": Wire("partNumber", filter="The part number (a comma list: any of)", sort=True),
            "serial": Wire("barcode", filter="The barcode (a comma list: any of)"),
            "description": Wire("description"),
            "category": Wire("category", filter="The part category's name (a comma list: any of)", sort=True),
            "cost": Wire("cost", sort=True),
            "quantity": Wire("quantity", sort=True),
            "minimum_quantity": Wire("minimumQuantity"),
            "area": Wire("area"),
            "details": Wire("details"),
            "location_id": Wire("location", filter="The part's place (a comma list: any of)"),
            "parent_part_id": Wire("parentPart"),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
CREATE = Spec(*V1.body_fields(required=required_of(PartCreate)), model=Part)
UPDATE = Spec(*V1.body_fields(not_null=("quantity",)), model=Part)
LIST = ListSpec.of(V1, site_field=None)
SCHEMA = object_schema(V1)
to_v1 = V1.render

LEDGER = Fields(
    INVENTORY_MOVES.attach(
        "v1",
        {
            "id": Wire("id"),
            "delta": Wire("delta"),
            "quantity_after": Wire("quantityAfter"),
            "reason": Wire("reason", filter="created, adjusted, work_order, purchase_order (a comma list: any of)"),
            "source_type": Wire("sourceType"),
            "source_id": Wire("sourceId"),
            "user_id": Wire("userId"),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
LEDGER_LIST = ListSpec.of(LEDGER, site_field=None, sited=False)
LEDGER_SCHEMA = object_schema(LEDGER)


@router.get("/parts", responses=responses(list_schema(SCHEMA)), openapi_extra=LIST.openapi())
async def list_parts(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fetch = lambda r, p, q: queries.page_of_parts(r, p, q, requested_sites(request, p))  # noqa: E731
    return await list_route(request, runtime.reader, principal, LIST, fetch, each(to_v1))


@router.get("/parts/{part_id}", responses=responses(SCHEMA))
async def get_part(part_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    return await get_route(request, lambda: queries.get_part(runtime.reader, principal, part_id), to_v1)


@router.get(
    "/parts/{part_id}/ledger", responses=responses(list_schema(LEDGER_SCHEMA)), openapi_extra=LEDGER_LIST.openapi()
)
async def part_ledger(part_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fetch = lambda r, p, q: queries.page_of_inventory_moves(r, p, part_id, q)  # noqa: E731
    return await list_route(request, runtime.reader, principal, LEDGER_LIST, fetch, each(LEDGER.render))


@router.post("/parts", status_code=201, responses=responses(SCHEMA, status=201), openapi_extra=CREATE.openapi())
async def create_part(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = build(PartCreate, CREATE.parse(await read_body(request)))
    part_id = await runtime.write(lambda s: service.create_part(s, principal, command).id)
    return JSON(to_v1(await queries.get_part(runtime.reader, principal, part_id)), status_code=201)


@router.patch("/parts/{part_id}", responses=responses(SCHEMA), openapi_extra=UPDATE.openapi(partial=True))
async def update_part(part_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    changes = build(PartChanges, UPDATE.parse(await read_body(request), partial=True))
    await queries.get_part(runtime.reader, principal, part_id)
    await runtime.write(lambda s: service.update_part(s, principal, part_id, changes))
    return JSON(to_v1(await queries.get_part(runtime.reader, principal, part_id)))


@router.delete("/parts/{part_id}", status_code=204, responses=responses(None, status=204))
async def delete_part(part_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await queries.get_part(runtime.reader, principal, part_id)
    await runtime.write(lambda s: service.delete_part(s, principal, part_id))
    return Response(status_code=204)
