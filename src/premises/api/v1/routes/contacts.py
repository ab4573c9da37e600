"""/v1/contacts: every contact of the account — customers, vendors (contractors' companies) and residents.

A contact's ``types`` are its roles (``customer``, ``vendor``, ``resident``; a resident is always a
customer too); the list filters on them (``type``) and on ``kind`` (person, organisation). A contact
made here is a customer or a vendor (``type``, customer by default); residents are made on
``/v1/residents``. A resident of a site the caller is not a member of is not seen here either.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit import body
from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Spec, read_body
from premises.api.kit.representation import Fields, Wire
from premises.api.v1.listing import ListSpec, each, get_route, list_route, requested_sites
from premises.api.v1.routes.residents import list_openapi, route_filter
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, object_schema, responses
from premises.contact import service
from premises.contact.commands import ContactChanges, ContactCreate, ContactRole
from premises.contact.fields import CONTACTS
from premises.db.reader import Reader
from premises.identity.principal import Principal
from premises.kit.commands import UNSET
from premises.models import Contact
from premises.occupancy import queries
from premises.occupancy.queries import ContactType

router = APIRouter(tags=["contacts"])

TYPES_SCHEMA = {"type": "array", "items": {"enum": [t.value for t in ContactType]}}
V1 = Fields(
    CONTACTS.attach(
        "v1",
        {
            "id": Wire("id"),
            "kind": Wire("kind", filter="person or organisation (a comma list: any of)", then=("types",)),
            "name": Wire("name", sort=True, schema={"type": "string", "examples": ["John Doe"]}),
            "first_name": Wire("first"),
            "last_name": Wire("last"),
            "email": Wire("email"),
            "phone_number": Wire("phone"),
            "address": Wire("address"),
            "description": Wire("description"),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
ROLE_CHOICES = (ContactRole.CUSTOMER.value, ContactRole.VENDOR.value)
CREATE = Spec(
    *V1.body_fields(required=("name",)),
    body.Field("type", to="role", nullable=False, choices=ROLE_CHOICES),
    model=Contact,
)
UPDATE = Spec(*V1.body_fields(), model=Contact)
# Contacts have no site of their own: ``sites`` keeps the residents of those sites (requested_sites).
LIST = ListSpec.of(V1, site_field=None)
SCHEMA = object_schema(V1, {"types": TYPES_SCHEMA})
TYPE_FILTER = "type"


def to_v1(row: dict[str, Any]) -> dict[str, Any]:
    item = V1.render(row)
    item["types"] = queries.contact_types(row)
    return item


def _role(row: dict[str, Any]) -> ContactRole:
    """The role a contact is changed in: customer (every resident is one), else vendor."""
    return ContactRole.CUSTOMER if row["is_customer"] else ContactRole.VENDOR


async def _contact(reader: Reader, principal: Principal, contact_id: str) -> dict[str, Any]:
    return await queries.get_contact(reader, principal, contact_id)


@router.get(
    "/contacts",
    responses=responses(list_schema(SCHEMA)),
    openapi_extra=list_openapi(LIST, TYPE_FILTER, ContactType, "customer, vendor or resident (a comma list: any of)"),
)
async def list_contacts(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    types, rest = route_filter(request, TYPE_FILTER, ContactType)
    fetch = lambda r, p, q: queries.page_of_contacts(r, p, q, types=types, site_ids=requested_sites(rest, p))  # noqa: E731
    return await list_route(rest, runtime.reader, principal, LIST, fetch, each(to_v1))


@router.get("/contacts/{contact_id}", responses=responses(SCHEMA))
async def get_contact(contact_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    return await get_route(request, lambda: _contact(runtime.reader, principal, contact_id), to_v1)


@router.post("/contacts", status_code=201, responses=responses(SCHEMA, status=201), openapi_extra=CREATE.openapi())
async def create_contact(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields = CREATE.parse(await read_body(request))
    role = ContactRole(fields.pop("role", ContactRole.CUSTOMER.value))
    command = ContactCreate(**fields)
    contact_id = await runtime.write(lambda s: service.create_contact(s, principal, role, command).id)
    return JSON(to_v1(await _contact(runtime.reader, principal, contact_id)), status_code=201)


@router.patch("/contacts/{contact_id}", responses=responses(SCHEMA), openapi_extra=UPDATE.openapi(partial=True))
async def update_contact(contact_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields = UPDATE.parse(await read_body(request), partial=True)
    role = _role(await _contact(runtime.reader, principal, contact_id))
    changes = ContactChanges(**{name: fields.get(name, UNSET) for name in fields})
    await runtime.write(lambda s: service.update_contact(s, principal, role, contact_id, changes))
    return JSON(to_v1(await _contact(runtime.reader, principal, contact_id)))
