"""/v1/contractors: the account's contractors, UpKeep's vendors (contacts in the vendor role, the same
ids as ``/api/v2/vendors``).

A contractor belongs to no site: everyone who may read vendors lists them all (no ``sites``). There is
no ``DELETE`` (``/api/v2`` has none either).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Spec, read_body
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.v1.listing import ListSpec, each, get_route, list_route
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, object_schema, responses
from premises.contact import queries, service
from premises.contact.commands import ContactChanges, ContactCreate, ContactRole
from premises.contact.fields import CONTACTS
from premises.kit.commands import build
from premises.models import Contact

router = APIRouter(tags=["contractors"])
ROLE = ContactRole.VENDOR

# Contacts are seen in several roles: this attachment is the vendor role's (``/v1/contacts`` has its own).
V1 = Fields(
    CONTACTS.attach(
        "v1.contractor",
        {
            "id": Wire("id"),
            "name": Wire("name", filter="The contractor's name (a comma list: any of)", sort=True),
            "vendor_type": Wire("type", filter="The contractor's trade or type (a comma list: any of)", sort=True),
            "email": Wire("email"),
            "phone_number": Wire("phone"),
            "address": Wire("address"),
            "website": Wire("website"),
            "main_point_of_contact": Wire("mainContact"),
            "description": Wire("description"),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
CREATE = Spec(*V1.body_fields(required=required_of(ContactCreate)), model=Contact)
UPDATE = Spec(*V1.body_fields(), model=Contact)
LIST = ListSpec.of(V1, site_field=None, sited=False)
SCHEMA = object_schema(V1)
to_v1 = V1.render


@router.get("/contractors", responses=responses(list_schema(SCHEMA)), openapi_extra=LIST.openapi())
async def list_contractors(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fetch = lambda r, p, q: queries.page_of_contacts_in(r, p, ROLE, q)  # noqa: E731
    return await list_route(request, runtime.reader, principal, LIST, fetch, each(to_v1))


@router.get("/contractors/{contractor_id}", responses=responses(SCHEMA))
async def get_contractor(
    contractor_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    return await get_route(request, lambda: queries.get_contact(runtime.reader, principal, ROLE, contractor_id), to_v1)


@router.post("/contractors", status_code=201, responses=responses(SCHEMA, status=201), openapi_extra=CREATE.openapi())
async def create_contractor(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = build(ContactCreate, CREATE.parse(await read_body(request)))
    contractor_id = await runtime.write(lambda s: service.create_contact(s, principal, ROLE, command).id)
    return JSON(to_v1(await queries.get_contact(runtime.reader, principal, ROLE, contractor_id)), status_code=201)


@router.patch("/contractors/{contractor_id}", responses=responses(SCHEMA), openapi_extra=UPDATE.openapi(partial=True))
async def update_contractor(
    contractor_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    changes = build(ContactChanges, UPDATE.parse(await read_body(request), partial=True))
    await runtime.write(lambda s: service.update_contact(s, principal, ROLE, contractor_id, changes))
    return JSON(to_v1(await queries.get_contact(runtime.reader, principal, ROLE, contractor_id)))
