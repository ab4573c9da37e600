"""/v1/units and /v1/places: the places under the account's sites, with their kind and where they are.

A unit is a place of kind ``unit`` under a site, right under it or under one of its buildings or
floors (``place.service.PARENT_KINDS``). Every place (site, building, floor, unit, area, and UpKeep's
generic ``location``: a sub-location created through ``/api/v2``) is a ``/v1/places`` item with its
``kind``. Both embed the place's ``Site`` (``{"id", "label"}``) and ``Parent`` (``{"id", "label",
"kind"}``, null at the top), kept by the place service (``places.site_id``), so ``sites`` filters them
at any depth. Another kind's id is a 404 on ``/v1/units``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Field, Spec, read_body
from premises.api.kit.errors import WireInputError
from premises.api.kit.listing import check_keys
from premises.api.kit.representation import Fields, Wire
from premises.api.runtime import Runtime
from premises.api.v1.listing import ListSpec, page_body, parse_list
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

router = APIRouter()

STRING: dict[str, Any] = {"type": "string"}
SITE_SCHEMA: dict[str, Any] = {
    "type": ["object", "null"],
    "required": ["id", "label"],
    "properties": {"id": STRING, "label": STRING},
    "description": "The site the place is in (itself for a site)",
}
PARENT_SCHEMA: dict[str, Any] = {
    "type": ["object", "null"],
    "required": ["id", "label", "kind"],
    "properties": {"id": STRING, "label": STRING, "kind": {"enum": [k.value for k in PlaceKind]}},
    "description": "The place it is directly under (null for a site)",
}
LABEL = Wire("label", sort=True, schema={"type": "string", "examples": ["Unit 4B"]})
NUMBER = Wire("number", filter="The unit's number (a comma list: any of)", sort=True)
SITE = Wire("Site", expands="site", schema=SITE_SCHEMA)
PARENT = Wire("Parent", expands="parent", body=False, schema=PARENT_SCHEMA)
CREATED = Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA)
UPDATED = Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA)
# Where a place is, in a body: ``site`` (a unit right under it, or the site ``parent`` must be in) and
# ``parent`` (a site, building or floor for a unit; any place for a place).
WHERE = (Field("site", kind="id", to="in_site", nullable=False), Field("parent", kind="id", to="parent_id"))

UNITS = Fields(
    PLACES.attach(
        "v1.units",
        {
            "id": Wire("id"),
            "name": LABEL,
            "number": NUMBER,
            "site_id": SITE,
            "parent_id": PARENT,
            "created_at": CREATED,
            "updated_at": UPDATED,
        },
    )
)
PLACES_V1 = Fields(
    PLACES.attach(
        "v1.places",
        {
            "id": Wire("id"),
            "name": LABEL,
            "kind": Wire("kind", filter="The place's kind (a comma list: any of)", sort=True),
            "code": Wire("code", filter="The site's code (a comma list: any of)", sort=True),
            "number": NUMBER,
            "address": Wire("address"),
            "site_id": SITE,
            "parent_id": PARENT,
            "created_at": CREATED,
            "updated_at": UPDATED,
        },
    )
)
UNIT_CREATE = Spec(*UNITS.body_fields(required=("name",)), *WHERE, model=Place)
UNIT_UPDATE = Spec(
    *UNITS.body_fields(), *WHERE[:1], Field("parent", kind="id", to="parent_id", nullable=False), model=Place
)
PLACE_CREATE = Spec(*PLACES_V1.body_fields(required=("name",)), *WHERE, model=Place)
PLACE_UPDATE = Spec(*PLACES_V1.body_fields(fixed=("kind",), not_null=("kind",)), *WHERE, model=Place)
UNIT_LIST = ListSpec.of(UNITS, site_field="site_id")
PLACE_LIST = ListSpec.of(PLACES_V1, site_field="site_id")
UNIT_SCHEMA = object_schema(UNITS)
PLACE_SCHEMA = object_schema(PLACES_V1)


async def _embedded(reader: Reader, principal: Principal, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``Site`` and ``Parent`` objects of these places, by id (one read for the page)."""
    ids = {r["site_id"] for r in rows if r["site_id"]} | {r["parent_id"] for r in rows if r["parent_id"]}
    loaded = await queries.places_by_ids(reader, principal, ids)
    return {
        "site": {i: {"id": i, "label": p["name"]} for i, p in loaded.items()},
        "parent": {i: {"id": i, "label": p["name"], "kind": p["kind"]} for i, p in loaded.items()},
    }


async def _render(reader: Reader, principal: Principal, fields: Fields, rows: list[dict[str, Any]]) -> list[Any]:
    objects = await _embedded(reader, principal, rows)
    return [fields.render(r, objects) for r in rows]


async def _one(reader: Reader, principal: Principal, place_id: str, kind: PlaceKind | None) -> dict[str, Any]:
    row = await queries.get_location(reader, principal, place_id)
    if kind is not None and row["kind"] != kind:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record=kind.value)
    return row


class Resource:
    """One of the two lists of places: its /v1 names, bodies and the kind it is limited to."""

    def __init__(self, fields: Fields, create: Spec, update: Spec, listing: ListSpec, kind: PlaceKind | None) -> None:
        self.fields, self.create, self.update, self.listing, self.kind = fields, create, update, listing, kind

    async def show(self, runtime: Runtime, principal: Principal, place_id: str, *, status: int = 200) -> Response:
        row = await _one(runtime.reader, principal, place_id, self.kind)
        return JSON((await _render(runtime.reader, principal, self.fields, [row]))[0], status_code=status)

    async def page(self, request: Request, runtime: Runtime, principal: Principal) -> Response:
        query = parse_list(request, self.listing, principal)
        if self.kind is not None:
            query.where("kind", Op.EQ, self.kind.value)
        rows, count = await queries.page_of_locations(runtime.reader, principal, query)
        items = await _render(runtime.reader, principal, self.fields, rows)
        return JSON(page_body(query, rows, count, items))

    async def add(self, request: Request, runtime: Runtime, principal: Principal) -> Response:
        fields = self.create.parse(await read_body(request))
        if self.kind is not None and not (fields.get("in_site") or fields.get("parent_id")):
            raise WireInputError(ErrorCode.REQUIRED, field="site")  # a unit is in a site: say which
        command = PlaceCreate(
            name=fields["name"],
            parent_id=fields.get("parent_id"),
            in_site=fields.get("in_site"),
            kind=self.kind or fields.get("kind"),
            code=fields.get("code"),
            number=fields.get("number"),
            address=fields.get("address"),
        )
        place_id = await runtime.write(lambda s: service.create_location(s, principal, command).id)
        return await self.show(runtime, queries.seeing_created(principal, place_id), place_id, status=201)

    async def change(self, request: Request, runtime: Runtime, principal: Principal, place_id: str) -> Response:
        fields = self.update.parse(await read_body(request), partial=True)
        await _one(runtime.reader, principal, place_id, self.kind)
        names = ("name", "parent_id", "in_site", "code", "number", "address")
        changes = PlaceChanges(**{name: fields.get(name, UNSET) for name in names})
        await runtime.write(lambda s: service.update_location(s, principal, place_id, changes))
        return await self.show(runtime, principal, place_id)

    async def remove(self, runtime: Runtime, principal: Principal, place_id: str) -> Response:
        await _one(runtime.reader, principal, place_id, self.kind)
        await runtime.write(lambda s: service.delete_location(s, principal, place_id))
        return Response(status_code=204)


def _routes(path: str, resource: Resource, schema: dict[str, Any], tag: str) -> None:
    """GET list, GET one, POST, PATCH and DELETE of ``/v1/<path>`` over ``resource``."""
    one = f"/{path}/{{place_id}}"

    async def list_(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
        return await resource.page(request, runtime, principal)

    async def get_(place_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
        check_keys(request, frozenset())
        return await resource.show(runtime, principal, place_id)

    async def post_(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
        return await resource.add(request, runtime, principal)

    async def patch_(place_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
        return await resource.change(request, runtime, principal, place_id)

    async def delete_(place_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
        return await resource.remove(runtime, principal, place_id)

    ok, created = responses(schema), responses(schema, status=201, extra=(409,))
    gone = responses(None, status=204, extra=(409,))
    table: tuple[tuple[str, Callable[..., Any], str, dict[str, Any]], ...] = (
        (
            f"/{path}",
            list_,
            "GET",
            {"responses": responses(list_schema(schema)), "openapi_extra": resource.listing.openapi()},
        ),
        (one, get_, "GET", {"responses": ok}),
        (
            f"/{path}",
            post_,
            "POST",
            {"status_code": 201, "responses": created, "openapi_extra": resource.create.openapi()},
        ),
        (one, patch_, "PATCH", {"responses": ok, "openapi_extra": resource.update.openapi(partial=True)}),
        (one, delete_, "DELETE", {"status_code": 204, "responses": gone}),
    )
    for route, endpoint, method, options in table:
        name = f"{method.lower()}_{path}{'_one' if route == one else ''}"
        router.add_api_route(route, endpoint, methods=[method], tags=[tag], name=name, **options)


_routes("units", Resource(UNITS, UNIT_CREATE, UNIT_UPDATE, UNIT_LIST, PlaceKind.UNIT), UNIT_SCHEMA, "units")
_routes("places", Resource(PLACES_V1, PLACE_CREATE, PLACE_UPDATE, PLACE_LIST, None), PLACE_SCHEMA, "places")
