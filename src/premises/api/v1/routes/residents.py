"""/v1/residents: contacts with an occupancy of a unit (or of a site), Onsite's residents.

A resident's id is its contact's: the same record is an UpKeep customer (``/api/v2/customers/{id}``).
Bodies name the site and unit by id (``site``, ``unit``), as the Onsite seed's create-resident
request does; objects show them again embedded (``Site`` / ``Unit``: ``{id, label}``). ``status`` is
``current``, ``past`` or ``future`` by the move-in and move-out instants, and the list filters on it.
A service account sees (and searches, and filters by) the residents of its sites only.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any, TypeVar
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Spec, not_one_of, read_body
from premises.api.kit.listing import query_param
from premises.api.kit.representation import Computed, Fields, Wire
from premises.api.v1.listing import ListSpec, each, get_route, list_route, member_sites
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, object_schema, responses
from premises.kit.commands import UNSET
from premises.kit.time import now_ms
from premises.models import Contact
from premises.occupancy import queries, service
from premises.occupancy.commands import OccupancyType, ResidentChanges, ResidentCreate
from premises.occupancy.fields import RESIDENTS
from premises.occupancy.queries import When

router = APIRouter(tags=["residents"])
E = TypeVar("E", bound=StrEnum)

PLACE_SCHEMA = {
    "type": ["object", "null"],
    "required": ["id", "label"],
    "properties": {"id": {"type": "string"}, "label": {"type": "string"}},
}
STATUS_SCHEMA = {"enum": [w.value for w in When], "description": "By the move-in and move-out instants, now"}


def status_at(move_in: int | None, move_out: int | None, now: int | None = None) -> str:
    now = now_ms() if now is None else now
    if move_out is not None and move_out <= now:
        return When.PAST.value
    return When.FUTURE.value if move_in is not None and move_in > now else When.CURRENT.value


def _embedded(id_column: str, name_column: str) -> Any:
    def render(row: Mapping[str, Any]) -> dict[str, Any] | None:
        return {"id": row[id_column], "label": row[name_column]} if row[id_column] else None

    return render


V1 = Fields(
    RESIDENTS.attach(
        "v1",
        {
            "id": Wire("id"),
            "first_name": Wire("first", sort=True, schema={"type": ["string", "null"], "examples": ["John"]}),
            "last_name": Wire("last", sort=True, schema={"type": ["string", "null"], "examples": ["Doe"]}),
            "email": Wire("email"),
            "phone_number": Wire("phone", schema={"type": ["string", "null"], "examples": ["+61412345678"]}),
            "type": Wire("type", filter="The occupancy's type (a comma list: any of)", sort=True),
            "site_id": Wire("site"),
            "site_name": Wire("Site", render=_embedded("site_id", "site_name"), whole_row=True, schema=PLACE_SCHEMA),
            "unit_id": Wire("unit", filter="The unit's id (a comma list: any of)"),
            "unit_name": Wire("Unit", render=_embedded("unit_id", "unit_name"), whole_row=True, schema=PLACE_SCHEMA),
            "move_in_at": Wire("moveInAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "move_out_at": Wire(
                "moveOutAt",
                instant,
                sort=True,
                schema=INSTANT_SCHEMA,
                then=(Computed("status", "_status({move_in_at}, {move_out_at})", STATUS_SCHEMA),),
            ),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    ),
    functions={"_status": status_at},
)
CREATE = Spec(*V1.body_fields(required=("site_id", "first_name", "type")), model=Contact)
UPDATE = Spec(*V1.body_fields(not_null=("first_name",)), model=Contact)
LIST = ListSpec.of(V1, site_field="site_id")
SCHEMA = object_schema(V1)
STATUS_FILTER = "status"
to_v1 = V1.render


def route_filter(request: Request, key: str, choices: type[E]) -> tuple[list[E], Request]:
    """A list filter the route applies itself: its values (a comma list, or the parameter repeated),
    each one of ``choices`` (else 400 naming ``key``), and the request without it, for ``parse_list``."""
    raw = [part.strip() for value in request.query_params.getlist(key) for part in value.split(",") if part.strip()]
    try:
        values = [choices(value) for value in raw]
    except ValueError:
        raise not_one_of(key, [c.value for c in choices]) from None
    rest = [(k, v) for k, v in request.query_params.multi_items() if k != key]
    return values, Request({**request.scope, "query_string": urlencode(rest).encode()})


def list_openapi(spec: ListSpec, key: str, choices: type[StrEnum], description: str) -> dict[str, Any]:
    document = spec.openapi()
    document["parameters"].append(query_param(key, {"type": "string", "enum": [c.value for c in choices]}, description))
    return document


def _changes(fields: Mapping[str, Any]) -> ResidentChanges:
    return ResidentChanges(**{name: fields.get(name, UNSET) for name in RESIDENTS.writable if name in fields})


@router.get(
    "/residents",
    responses=responses(list_schema(SCHEMA)),
    openapi_extra=list_openapi(LIST, STATUS_FILTER, When, "current, past or future (a comma list: any of)"),
)
async def list_residents(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    statuses, rest = route_filter(request, STATUS_FILTER, When)
    fetch = lambda r, p, q: queries.page_of_residents(r, p, q, when=set(statuses))  # noqa: E731
    return await list_route(rest, runtime.reader, principal, LIST, fetch, each(to_v1))


@router.get("/residents/{resident_id}", responses=responses(SCHEMA))
async def get_resident(resident_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    return await get_route(request, lambda: queries.get_resident(runtime.reader, principal, resident_id), to_v1)


@router.post("/residents", status_code=201, responses=responses(SCHEMA, status=201), openapi_extra=CREATE.openapi())
async def create_resident(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields = CREATE.parse(await read_body(request))
    member_sites(principal, [fields["site_id"]], "site")
    command = ResidentCreate(
        site_id=fields["site_id"],
        first_name=fields["first_name"],
        type=OccupancyType(fields["type"]),
        **{name: fields[name] for name in service.OPTIONAL_ON_CREATE if name in fields},
    )
    resident_id = await runtime.write(lambda s: service.create_resident(s, principal, command).id)
    return JSON(to_v1(await queries.get_resident(runtime.reader, principal, resident_id)), status_code=201)


@router.patch("/residents/{resident_id}", responses=responses(SCHEMA), openapi_extra=UPDATE.openapi(partial=True))
async def update_resident(resident_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields = UPDATE.parse(await read_body(request), partial=True)
    await queries.get_resident(runtime.reader, principal, resident_id)
    if fields.get("site_id") is not None:
        member_sites(principal, [fields["site_id"]], "site")
    changes = _changes(fields)
    await runtime.write(lambda s: service.update_resident(s, principal, resident_id, changes))
    return JSON(to_v1(await queries.get_resident(runtime.reader, principal, resident_id)))


@router.delete("/residents/{resident_id}", status_code=204, responses=responses(None, status=204))
async def delete_resident(resident_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await queries.get_resident(runtime.reader, principal, resident_id)
    await runtime.write(lambda s: service.delete_resident(s, principal, resident_id))
    return Response(status_code=204)
