"""/vendors: create, list, get, update."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.runtime import Runtime
from premises.api.upkeep.body import read_body
from premises.api.upkeep.deps import PrincipalDep, RuntimeDep
from premises.api.upkeep.listing import Filter, ListSpec, check_keys, parse_list
from premises.api.upkeep.mappers import vendors as wire
from premises.api.upkeep.wire import ok_result, ok_results, responses, result_schema, results_schema
from premises.contact import queries, service
from premises.identity.principal import Principal

router = APIRouter(tags=["vendors"])

ROLE = wire.ROLE
LIST = ListSpec(filters=(Filter("businessName", "name", description="Only vendors with exactly this business name."),))
ITEM = responses(result_schema(wire.SCHEMA))


async def _one(runtime: Runtime, principal: Principal, vendor_id: str) -> dict[str, Any]:
    row = await queries.get_contact(runtime.reader, principal, ROLE, vendor_id)
    [item] = await wire.render(runtime.reader, principal, [row])
    return item


@router.post("/vendors", responses=ITEM, openapi_extra=wire.CREATE.openapi())
async def create_vendor(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields = wire.parse_create(await read_body(request))
    vendor_id = await runtime.write(lambda s: service.create_contact(s, principal, ROLE, fields).id)
    return ok_result(await _one(runtime, principal, vendor_id))


@router.get("/vendors", responses=responses(results_schema(wire.SCHEMA)), openapi_extra=LIST.openapi())
async def list_vendors(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, LIST, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_contacts(runtime.reader, principal, ROLE, parsed.query)
    return ok_results(await wire.render(runtime.reader, principal, rows))


@router.get("/vendors/{vendor_id}", responses=ITEM)
async def get_vendor(vendor_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset())
    return ok_result(await _one(runtime, principal, vendor_id))


@router.patch("/vendors/{vendor_id}", responses=ITEM, openapi_extra=wire.UPDATE.openapi(partial=True))
async def update_vendor(vendor_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    changes = wire.parse_update(await read_body(request))
    await runtime.write(lambda s: service.update_contact(s, principal, ROLE, vendor_id, changes).id)
    return ok_result(await _one(runtime, principal, vendor_id))
