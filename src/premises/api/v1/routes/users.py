"""/v1/users: the account's staff users (the users of /api/v2, with the same ids), each with its site
roles: ``"sites": [{"Site": {"id", "label"}, "role"}]`` (ADR 9).

Everyone who may read users reads them; creating, changing and deactivating users is the account
admins' (``docs/permissions.md``; a site-scoped admin only for users of its own sites). A
location-based caller (a site-scoped service account) reaches account-wide users, the members of
its sites and itself, and sees only the memberships of its sites. ``sites`` in a body replaces the
user's memberships (``[{"site": SITE_ID, "role": "MANAGER"}]``, the role defaulting to the user's);
given without ``isLocationBased``, a non-empty list makes the user location-based. ``DELETE``
deactivates the user (it can no longer log in; records keep naming it).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Field, Spec, read_body
from premises.api.kit.listing import check_keys
from premises.api.kit.representation import Fields, Wire
from premises.api.v1.listing import ListSpec, list_route, requested_sites
from premises.api.v1.memberships import ROLES, SITE_ROLES_SCHEMA, site_roles
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, object_schema, responses
from premises.identity.passwords import NewPassword, PasswordPolicy
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models import User
from premises.user import queries, service
from premises.user.commands import SiteRole, UserChanges, UserCreate
from premises.user.fields import USERS

router = APIRouter(tags=["users"])

NULLABLE_INSTANT = {**INSTANT_SCHEMA, "type": ["string", "null"]}
V1 = Fields(
    USERS.attach(
        "v1",
        {
            "id": Wire("id"),
            "email": Wire("email", filter="The user's email (a comma list: any of)", sort=True),
            "first_name": Wire("first", sort=True),
            "last_name": Wire("last", sort=True),
            "phone_number": Wire("phone"),
            "job_title": Wire("jobTitle"),
            "account_type": Wire("role", filter="The user's account-wide role (a comma list: any of)", sort=True),
            "is_location_based": Wire("isLocationBased", bool, then=("sites",)),
            "date_of_last_login": Wire("lastLoginAt", instant, schema=NULLABLE_INSTANT),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
SITES = Field("sites", "object_list", to="location_ids")  # the service's name for a user's sites
CREATE = Spec(*V1.body_fields(required=("email",)), Field("password", required=True, max_length=500), SITES, model=User)
UPDATE = Spec(*V1.body_fields(), SITES, model=User)
LIST = ListSpec.of(V1, site_field=None)
SITE_ROLE_SCHEMA = {
    "type": "object",
    "required": ["Site", "role"],
    "properties": {
        "Site": {
            "type": "object",
            "required": ["id", "label"],
            "properties": {"id": {"type": "string"}, "label": {"type": "string"}},
        },
        "role": {"enum": list(ROLES)},
    },
}
SCHEMA = object_schema(V1, {"sites": {"type": "array", "items": SITE_ROLE_SCHEMA}})
SCHEMA["required"] = [*SCHEMA["required"], "sites"]


def _openapi(spec: Spec, *, partial: bool = False) -> dict[str, Any]:
    document = spec.openapi(partial=partial)
    document["requestBody"]["content"]["application/json"]["schema"]["properties"]["sites"] = SITE_ROLES_SCHEMA
    return document


async def _render(runtime: RuntimeDep, principal: Principal, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    memberships = await queries.site_roles_of(runtime.reader, principal, [r["id"] for r in rows])
    out = []
    for row in rows:
        user = V1.render(row)
        user["sites"] = [
            {"Site": {"id": site_id, "label": label}, "role": role}
            for site_id, label, role in memberships.get(row["id"], [])
        ]
        out.append(user)
    return out


async def _one(runtime: RuntimeDep, principal: Principal, row: dict[str, Any], status_code: int = 200) -> Response:
    return JSON((await _render(runtime, principal, [row]))[0], status_code=status_code)


def _typed(fields: dict[str, Any]) -> tuple[dict[str, Any], list[SiteRole] | None]:
    """The command's fields (a typed role; a non-empty ``sites`` list makes the user location-based
    unless ``isLocationBased`` says) and the memberships (None: not given)."""
    given = fields.pop("location_ids", None)
    sites = None if given is None else site_roles(given)
    if fields.get("account_type") is not None:
        fields["account_type"] = Role(fields["account_type"])
    if sites is not None and fields.get("is_location_based") is None:
        fields["is_location_based"] = bool(sites)
    return fields, sites


@router.get("/users", responses=responses(list_schema(SCHEMA)), openapi_extra=LIST.openapi())
async def list_users(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fetch = lambda r, p, q: queries.page_of_site_users(r, p, q, requested_sites(request, p))  # noqa: E731
    render = lambda rows: _render(runtime, principal, rows)  # noqa: E731
    return await list_route(request, runtime.reader, principal, LIST, fetch, render)


@router.get("/users/{user_id}", responses=responses(SCHEMA))
async def get_user(user_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset())
    return await _one(runtime, principal, await queries.get_site_user(runtime.reader, principal, user_id))


@router.post(
    "/users", status_code=201, responses=responses(SCHEMA, status=201, extra=(409,)), openapi_extra=_openapi(CREATE)
)
async def create_user(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields, sites = _typed(CREATE.parse(await read_body(request)))
    password = fields.pop("password")
    fields.setdefault("account_type", Role.STAFF)
    command = build(UserCreate, {name: value for name, value in fields.items() if value is not None})
    # Only for a principal that may create users (the service checks again): the policy, then the hash
    # on the password pool, before the transaction (no slow work under the write lock).
    principal.require("user", "create")
    policy = PasswordPolicy(min_length=runtime.settings.password_min_length)
    new_password = await NewPassword.make_off_loop(password, email=command.email, policy=policy)

    def create(session: Session) -> str:
        user = service.create_user(session, principal, command, new_password)
        if sites:
            service.set_site_memberships(session, principal, user.id, sites)
        return user.id

    user_id = await runtime.write(create)
    return await _one(runtime, principal, await queries.get_user(runtime.reader, principal, user_id), 201)


@router.patch(
    "/users/{user_id}", responses=responses(SCHEMA, extra=(409,)), openapi_extra=_openapi(UPDATE, partial=True)
)
async def update_user(user_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields, sites = _typed(UPDATE.parse(await read_body(request), partial=True))
    await queries.get_site_user(runtime.reader, principal, user_id)
    changes = build(UserChanges, fields)

    def update(session: Session) -> None:
        service.update_user(session, principal, user_id, changes)
        if sites is not None:
            service.set_site_memberships(session, principal, user_id, sites)

    await runtime.write(update)
    return await _one(runtime, principal, await queries.get_user(runtime.reader, principal, user_id))


@router.delete("/users/{user_id}", status_code=204, responses=responses(None, status=204))
async def deactivate_user(user_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await queries.get_site_user(runtime.reader, principal, user_id)
    await runtime.write(lambda s: service.deactivate_user(s, principal, user_id))
    return Response(status_code=204)
