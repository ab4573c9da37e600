"""/form-templates: UpKeep's list and get; create, update and delete as Premises endpoints (admins)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import read_body
from premises.api.kit.listing import check_keys
from premises.api.upkeep.listing import ListSpec, parse_list
from premises.api.upkeep.mappers import form_templates as wire
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
from premises.checklist import queries, service

router = APIRouter(tags=["form-templates"])

LIST = ListSpec(sort_param="sort", ranges=wire.UPKEEP.ordered(), order_fields=wire.UPKEEP.ordered())
ITEM = responses(result_schema(wire.SCHEMA))
EXTENSION = "Premises extension (UpKeep documents no way to write form templates): admins only."


@router.get("/form-templates", responses=responses(results_schema(wire.SCHEMA)), openapi_extra=LIST.openapi())
async def list_form_templates(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, LIST, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_form_templates(runtime.reader, principal, parsed.query)
    return ok_results([wire.to_upkeep(r) for r in rows])


@router.get("/form-templates/{template_id}", responses=ITEM)
async def get_form_template(
    template_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    check_keys(request, frozenset())
    return ok_result(wire.to_upkeep(await queries.get_form_template(runtime.reader, principal, template_id)))


@router.post("/form-templates", responses=ITEM, openapi_extra=wire.CREATE.openapi(), description=EXTENSION)
async def create_form_template(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = wire.parse_create(await read_body(request))
    template_id = await runtime.write(lambda s: service.create_form_template(s, principal, command).id)
    return ok_result(wire.to_upkeep(await queries.get_form_template(runtime.reader, principal, template_id)))


@router.patch(
    "/form-templates/{template_id}",
    responses=ITEM,
    openapi_extra=wire.UPDATE.openapi(partial=True),
    description=EXTENSION,
)
async def update_form_template(
    template_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    changes = wire.parse_update(await read_body(request))
    await runtime.write(lambda s: service.update_form_template(s, principal, template_id, changes).id)
    return ok_result(wire.to_upkeep(await queries.get_form_template(runtime.reader, principal, template_id)))


@router.delete("/form-templates/{template_id}", responses=responses(MESSAGE_SCHEMA), description=EXTENSION)
async def delete_form_template(template_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_form_template(s, principal, template_id))
    return ok_message("1 form template deleted")
