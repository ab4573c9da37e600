"""/v1/formTemplates: checklist templates (the form templates of /api/v2, with the same ids).

A template's ``formItems`` are the lines a work order's checklist starts from: ``{"name", "type",
"options"?, "meter"?}`` (the types and checks of a work order's lines). A template belongs to no site
(its list takes no ``sites``); a line's ``meter`` must be one the caller sees. Everyone who works on
work orders reads templates; Admins and Managers write them.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Spec, read_body
from premises.api.kit.form_items import TEMPLATE_ITEM_SCHEMA, parse_template_items
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.v1.listing import ListSpec, each, get_route, list_route
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, object_schema, responses
from premises.checklist import queries, service
from premises.checklist.commands import FormTemplateChanges, FormTemplateCreate
from premises.checklist.fields import FORM_TEMPLATES
from premises.kit.commands import build
from premises.models import FormTemplate

router = APIRouter(tags=["formTemplates"])

V1 = Fields(
    FORM_TEMPLATES.attach(
        "v1",
        {
            "id": Wire("id"),
            "name": Wire("name", filter="The template's name (a comma list: any of)", sort=True),
            "description": Wire("description"),
            "form_items": Wire(
                "formItems",
                schema={"type": "array", "items": TEMPLATE_ITEM_SCHEMA},
                body_kind="object_list",
                null_default=True,
            ),
            "created_by_user_id": Wire("createdBy"),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
CREATE = Spec(*V1.body_fields(required=required_of(FormTemplateCreate)), model=FormTemplate)
UPDATE = Spec(*V1.body_fields(), model=FormTemplate)
LIST = ListSpec.of(V1, site_field=None, sited=False)
SCHEMA = object_schema(V1)
to_v1 = V1.render


def _items(fields: dict[str, Any]) -> dict[str, Any]:
    if "form_items" in fields:
        fields["form_items"] = parse_template_items(fields["form_items"])
    return fields


async def _template(runtime: RuntimeDep, principal: PrincipalDep, template_id: str, status_code: int = 200) -> Response:
    row = await queries.get_form_template(runtime.reader, principal, template_id)
    return JSON(to_v1(row), status_code=status_code)


@router.get("/formTemplates", responses=responses(list_schema(SCHEMA)), openapi_extra=LIST.openapi())
async def list_form_templates(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    return await list_route(request, runtime.reader, principal, LIST, queries.page_of_form_templates, each(to_v1))


@router.get("/formTemplates/{template_id}", responses=responses(SCHEMA))
async def get_form_template(
    template_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    return await get_route(request, lambda: _template(runtime, principal, template_id))


@router.post("/formTemplates", status_code=201, responses=responses(SCHEMA, status=201), openapi_extra=CREATE.openapi())
async def create_form_template(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = build(FormTemplateCreate, _items(CREATE.parse(await read_body(request))))
    template_id = await runtime.write(lambda s: service.create_form_template(s, principal, command).id)
    return await _template(runtime, principal, template_id, 201)


@router.patch("/formTemplates/{template_id}", responses=responses(SCHEMA), openapi_extra=UPDATE.openapi(partial=True))
async def update_form_template(
    template_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    changes = build(FormTemplateChanges, _items(UPDATE.parse(await read_body(request), partial=True)))
    await runtime.write(lambda s: service.update_form_template(s, principal, template_id, changes))
    return await _template(runtime, principal, template_id)


@router.delete("/formTemplates/{template_id}", status_code=204, responses=responses(None, status=204))
async def delete_form_template(template_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_form_template(s, principal, template_id))
    return Response(status_code=204)
