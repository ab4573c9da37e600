"""/v1/sites/{id}/members: the users and service accounts added to a site, each with its role there.

``GET`` lists them (by name; ``page``, ``limit``), ``GET /{userId}`` shows one, ``POST`` adds one
(``{"user": USER_ID, "role": "MANAGER"}``), ``PATCH /{userId}`` changes the role (``{"role"}``),
``DELETE /{userId}`` ends the membership. Roles are the permission table's (Onsite's Admin, Manager,
Staff are ``ADMIN``, ``MANAGER``, ``STAFF``). Only the site's Admins and the account's admins manage
members (``user.service.add_site_member``...); these are the memberships UpKeep's
``PUT /api/v2/users/{id}/locations`` writes (ADR 9).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Field, Spec, read_body
from premises.api.kit.listing import check_keys
from premises.api.v1.listing import get_route, paging
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import JSON, list_schema, responses
from premises.identity.permissions import Role
from premises.place import queries
from premises.user import service

router = APIRouter(tags=["sites"])

ROLES = tuple(r.value for r in Role)
ADD = Spec(Field("user", kind="id", required=True, nullable=False), Field("role", choices=ROLES, required=True))
CHANGE = Spec(Field("role", choices=ROLES, required=True, nullable=False))
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "first", "last", "email", "role", "serviceAccount", "allSites"],
    "properties": {
        "id": {"type": "string", "description": "The user's id"},
        "first": {"type": ["string", "null"]},
        "last": {"type": ["string", "null"]},
        "email": {"type": "string"},
        "role": {"enum": list(ROLES), "description": "The role on this site"},
        "serviceAccount": {"type": "boolean", "description": "An API client's service account"},
        "allSites": {
            "type": "boolean",
            "description": "The user is not location-based: it reaches every site with its account-wide role, "
            "and this membership's role takes effect only once it is",
        },
    },
}


def to_v1(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "first": row["first_name"],
        "last": row["last_name"],
        "email": row["email"],
        "role": row["role"],
        "serviceAccount": row["service_account"],
        "allSites": not row["is_location_based"],
    }


@router.get("/sites/{site_id}/members", responses=responses(list_schema(SCHEMA)))
async def list_members(site_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset({"page", "limit"}))
    offset, limit = paging(request)
    rows, count = await queries.site_members(runtime.reader, principal, site_id, offset=offset, limit=limit)
    return JSON({"count": count, "items": [to_v1(r) for r in rows], "nextCursor": None})


@router.get("/sites/{site_id}/members/{user_id}", responses=responses(SCHEMA))
async def get_member(
    site_id: str, user_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    return await get_route(request, lambda: queries.site_member(runtime.reader, principal, site_id, user_id), to_v1)


@router.post(
    "/sites/{site_id}/members",
    status_code=201,
    responses=responses(SCHEMA, status=201, extra=(409,)),
    openapi_extra=ADD.openapi(),
)
async def add_member(site_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields = ADD.parse(await read_body(request))
    await runtime.write(lambda s: service.add_site_member(s, principal, site_id, fields["user"], fields["role"]))
    return JSON(to_v1(await queries.site_member(runtime.reader, principal, site_id, fields["user"])), status_code=201)


@router.patch("/sites/{site_id}/members/{user_id}", responses=responses(SCHEMA), openapi_extra=CHANGE.openapi())
async def change_member(
    site_id: str, user_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    fields = CHANGE.parse(await read_body(request))
    await runtime.write(lambda s: service.change_site_member(s, principal, site_id, user_id, fields["role"]))
    return JSON(to_v1(await queries.site_member(runtime.reader, principal, site_id, user_id)))


@router.delete("/sites/{site_id}/members/{user_id}", status_code=204, responses=responses(None, status=204))
async def remove_member(site_id: str, user_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.remove_site_member(s, principal, site_id, user_id))
    return Response(status_code=204)
