"""/v1/apiClients: what ``premises api-client`` does, for an account's admins (``identity.clients``).

``POST`` creates a client acting as a new service account (``sites``: the sites it is added to, each
with its role; without sites it reaches every site with ``role``) or, with ``user``, a personal
client of that user; the answer (201) is the only time ``clientSecret`` is shown. ``GET`` lists the
live clients (the secret's visible prefix only). ``POST /{clientId}/rotate`` issues a new secret;
``DELETE /{clientId}`` revokes the client and every token it holds.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Field, Spec, read_body
from premises.api.kit.errors import WireInputError
from premises.api.kit.listing import check_keys
from premises.api.v1.listing import paging
from premises.api.v1.memberships import ROLES, SITE_ROLES_SCHEMA, site_roles
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, responses
from premises.errors import ErrorCode
from premises.identity import clients
from premises.identity.permissions import Role

router = APIRouter(tags=["apiClients"])

CREATE = Spec(
    Field("name", required=True, max_length=200),
    Field("sites", kind="object_list"),
    Field("role", choices=ROLES),
    Field("user", kind="id", to="user_id"),
    Field("scopes", kind="any"),
)
SCOPES_SCHEMA = {"type": "array", "items": {"enum": list(clients.OAUTH_SCOPES)}}
SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["clientId", "name", "kind", "userId", "secretPrefix", "scopes", "createdAt", "updatedAt"],
    "properties": {
        "clientId": {"type": "string", "examples": ["pc_0123456789abcdefghijklmn"]},
        "name": {"type": "string"},
        "kind": {"enum": [k.value for k in clients.ClientKind]},
        "userId": {"type": "string", "description": "The service account (or, for a personal client, the user)"},
        "secretPrefix": {"type": "string", "description": "The secret's first characters, to tell secrets apart"},
        "scopes": SCOPES_SCHEMA,
        "createdAt": INSTANT_SCHEMA,
        "updatedAt": INSTANT_SCHEMA,
    },
}
SECRET_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["clientId", "clientSecret", "userId"],
    "properties": {
        "clientId": {"type": "string"},
        "clientSecret": {"type": "string", "description": "Shown once: store it now"},
        "userId": {"type": "string"},
    },
}
CREATE_OPENAPI = CREATE.openapi()
_BODY = CREATE_OPENAPI["requestBody"]["content"]["application/json"]["schema"]["properties"]
_BODY["sites"] = SITE_ROLES_SCHEMA
_BODY["scopes"] = SCOPES_SCHEMA


def _scopes(value: Any) -> tuple[str, ...]:
    if value is None:
        return clients.DEFAULT_SCOPES
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise WireInputError(ErrorCode.WRONG_TYPE, field="scopes", expected="an array of scope names")
    return tuple(value) or clients.DEFAULT_SCOPES


def _secret(secret: clients.NewSecret) -> dict[str, str]:
    return {"clientId": secret.client_id, "clientSecret": secret.client_secret, "userId": secret.user_id}


def to_v1(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "clientId": row["client_id"],
        "name": row["name"],
        "kind": row["kind"],
        "userId": row["user_id"],
        "secretPrefix": row["secret_prefix"],
        "scopes": list(row["scopes"]),
        "createdAt": instant(row["created_at"]),
        "updatedAt": instant(row["updated_at"]),
    }


@router.post(
    "/apiClients", status_code=201, responses=responses(SECRET_SCHEMA, status=201), openapi_extra=CREATE_OPENAPI
)
async def create_api_client(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields = CREATE.parse(await read_body(request))
    scopes, user_id = _scopes(fields.get("scopes")), fields.get("user_id")
    if user_id is not None:
        if fields.get("sites") or fields.get("role"):
            raise WireInputError(ErrorCode.READ_ONLY, field="sites" if fields.get("sites") else "role")
        created = await runtime.write(
            lambda s: clients.create_personal_client(s, principal, name=fields["name"], user_id=user_id, scopes=scopes)
        )
    else:
        sites, role = site_roles(fields.get("sites") or []), Role(fields.get("role") or Role.STAFF)
        created = await runtime.write(
            lambda s: clients.create_service_client(
                s, principal, name=fields["name"], sites=sites, role=role, scopes=scopes
            )
        )
    return JSON(_secret(created), status_code=201)


@router.get("/apiClients", responses=responses(list_schema(SCHEMA)))
async def list_api_clients(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset({"page", "limit"}))
    offset, limit = paging(request)
    rows, count = await clients.list_clients(runtime.reader, principal, offset=offset, limit=limit)
    return JSON({"count": count, "items": [to_v1(r) for r in rows], "nextCursor": None})


@router.post("/apiClients/{client_id}/rotate", responses=responses(SECRET_SCHEMA))
async def rotate_api_client(client_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    return JSON(_secret(await runtime.write(lambda s: clients.rotate_secret(s, principal, client_id))))


@router.delete("/apiClients/{client_id}", status_code=204, responses=responses(None, status=204))
async def revoke_api_client(client_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: clients.revoke_client(s, principal, client_id))
    return Response(status_code=204)
