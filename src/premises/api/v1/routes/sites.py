"""/v1/sites: the top-level places of the account (a top-level location of /api/v2, with the same id).

A site has a ``label`` (the place's name), an ``address``, a ``code``: the prefix of its case codes,
given or derived from the label's initials ("Lux Apartments" -> "LA", then "LA2", ...), unique in the
account, editable, and a ``timeZone`` (IANA; "UTC" unless set). A sub-location's id is not a site (404).
Members: ``routes/site_members.py``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Spec, read_body
from premises.api.kit.representation import Fields, Wire
from premises.api.v1.listing import ListSpec, get_route, page_body, parse_list
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, object_schema, responses
from premises.db.reader import Reader
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.kit.commands import UNSET
from premises.kit.fields import Op
from premises.models import Place
from premises.place import queries, service
from premises.place.commands import PlaceChanges, PlaceCreate, PlaceKind
from premises.place.fields import PLACES

router = APIRouter(tags=["sites"])
DEFAULT_TIME_ZONE = "UTC"  # a site without a time zone of its own (accounts have none)


def utc_unless_set(value: str | None) -> str:
    return value or DEFAULT_TIME_ZONE


V1 = Fields(
    PLACES.attach(
        "v1",
        {
            "id": Wire("id"),
            "name": Wire("label", sort=True, schema={"type": "string", "examples": ["Lux Apartments"]}),
            "code": Wire("code", filter="The site's code (a comma list: any of)", sort=True),
            "address": Wire("address"),
            "time_zone": Wire("timeZone", utc_unless_set, schema={"type": "string", "examples": ["Europe/Berlin"]}),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
CREATE = Spec(*V1.body_fields(required=("name",)), model=Place)
UPDATE = Spec(*V1.body_fields(not_null=("code",)), model=Place)
LIST = ListSpec.of(V1, site_field="id")
SCHEMA = object_schema(V1)
to_v1 = V1.render


async def _site(reader: Reader, principal: Principal, site_id: str) -> dict[str, Any]:
    row = await queries.get_location(reader, principal, site_id)
    if row["parent_id"] is not None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="site")
    return row


@router.get("/sites", responses=responses(list_schema(SCHEMA)), openapi_extra=LIST.openapi())
async def list_sites(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    query = parse_list(request, LIST, principal).where("parent_id", Op.IS_NULL)
    rows, count = await queries.page_of_locations(runtime.reader, principal, query)
    return JSON(page_body(query, rows, count, [to_v1(r) for r in rows]))


@router.get("/sites/{site_id}", responses=responses(SCHEMA))
async def get_site(site_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    return await get_route(request, lambda: _site(runtime.reader, principal, site_id), to_v1)


@router.post(
    "/sites", status_code=201, responses=responses(SCHEMA, status=201, extra=(409,)), openapi_extra=CREATE.openapi()
)
async def create_site(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields = CREATE.parse(await read_body(request))
    command = PlaceCreate(
        name=fields["name"],
        kind=PlaceKind.SITE,
        code=fields.get("code"),
        derive_code=True,
        address=fields.get("address"),
        time_zone=fields.get("time_zone"),
    )
    site_id = await runtime.write(lambda s: service.create_location(s, principal, command).id)
    row = await queries.get_location(runtime.reader, queries.seeing_created(principal, site_id), site_id)
    return JSON(to_v1(row), status_code=201)


@router.patch("/sites/{site_id}", responses=responses(SCHEMA, extra=(409,)), openapi_extra=UPDATE.openapi(partial=True))
async def update_site(site_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields = UPDATE.parse(await read_body(request), partial=True)
    await _site(runtime.reader, principal, site_id)
    changes = PlaceChanges(
        name=fields.get("name", UNSET),
        code=fields.get("code", UNSET),
        address=fields.get("address", UNSET),
        time_zone=fields.get("time_zone", UNSET),
    )
    await runtime.write(lambda s: service.update_location(s, principal, site_id, changes))
    return JSON(to_v1(await _site(runtime.reader, principal, site_id)))


@router.delete("/sites/{site_id}", status_code=204, responses=responses(None, status=204, extra=(409,)))
async def delete_site(site_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await _site(runtime.reader, principal, site_id)
    await runtime.write(lambda s: service.delete_location(s, principal, site_id))
    return Response(status_code=204)
