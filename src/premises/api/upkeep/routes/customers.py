"""/customers: create, list, get, update (also PATCH /customer/{id}, the reference's other spelling)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.runtime import Runtime
from premises.api.upkeep.body import read_body
from premises.api.upkeep.deps import PrincipalDep, RuntimeDep
from premises.api.upkeep.listing import Filter, ListSpec, check_keys, parse_list
from premises.api.upkeep.mappers import customers as wire
from premises.api.upkeep.wire import ok_result, ok_results, responses, result_schema, results_schema
from premises.contact import queries, service
from premises.identity.principal import Principal

router = APIRouter(tags=["customers"])

ROLE = wire.ROLE
LIST = ListSpec(filters=(Filter("name", "name", description="Only customers with exactly this name."),))
ITEM = responses(result_schema(wire.SCHEMA))


async def _one(runtime: Runtime, principal: Principal, customer_id: str) -> dict[str, Any]:
    row = await queries.get_contact(runtime.reader, principal, ROLE, customer_id)
    [item] = await wire.render(runtime.reader, principal, [row])
    return item


@router.post("/customers", responses=ITEM, openapi_extra=wire.CREATE.openapi())
async def create_customer(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields = wire.parse_create(await read_body(request))
    customer_id = await runtime.write(lambda s: service.create_contact(s, principal, ROLE, fields).id)
    return ok_result(await _one(runtime, principal, customer_id))


@router.get("/customers", responses=responses(results_schema(wire.SCHEMA)), openapi_extra=LIST.openapi())
async def list_customers(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, LIST, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_contacts(runtime.reader, principal, ROLE, parsed.query)
    return ok_results(await wire.render(runtime.reader, principal, rows))


@router.get("/customers/{customer_id}", responses=ITEM)
async def get_customer(customer_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset())
    return ok_result(await _one(runtime, principal, customer_id))


@router.patch("/customers/{customer_id}", responses=ITEM, openapi_extra=wire.UPDATE.openapi(partial=True))
@router.patch("/customer/{customer_id}", responses=ITEM, openapi_extra=wire.UPDATE.openapi(partial=True))
async def update_customer(customer_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    changes = wire.parse_update(await read_body(request))
    await runtime.write(lambda s: service.update_contact(s, principal, ROLE, customer_id, changes).id)
    return ok_result(await _one(runtime, principal, customer_id))
