"""/users: create, list, get, update, and location access."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import read_body
from premises.api.kit.listing import check_keys
from premises.api.upkeep.listing import ListSpec, parse_list
from premises.api.upkeep.mappers import users as wire
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
from premises.identity.passwords import NewPassword, PasswordPolicy
from premises.user import queries, service

router = APIRouter(tags=["users"])

LIST = ListSpec(filters=wire.UPKEEP.filters(), ranges=wire.UPKEEP.ordered(), order_fields=wire.UPKEEP.ordered())
LOCATIONS_SCHEMA = results_schema({"type": "object", "properties": {"locationId": {"type": "string"}}})


@router.post("/users", responses=responses(result_schema(wire.SCHEMA)), openapi_extra=wire.CREATE.openapi())
async def create_user(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command, password = wire.parse_create(await read_body(request))
    # Only for a principal that may create users (the service checks again): the policy, then the
    # hash on the password pool, before the transaction (no slow work under the write lock).
    principal.require("user", "create")
    policy = PasswordPolicy(min_length=runtime.settings.password_min_length)
    new_password = await NewPassword.make_off_loop(password, email=command.email, policy=policy)
    user = await runtime.write(lambda s: service.create_user(s, principal, command, new_password).id)
    return ok_result(wire.to_upkeep(await queries.get_user(runtime.reader, principal, user)))


@router.get("/users", responses=responses(results_schema(wire.SCHEMA)), openapi_extra=LIST.openapi())
async def list_users(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, LIST, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_users(runtime.reader, principal, parsed.query)
    return ok_results([wire.to_upkeep(r) for r in rows])


@router.get("/users/{user_id}", responses=responses(result_schema(wire.SCHEMA)))
async def get_user(user_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset())
    return ok_result(wire.to_upkeep(await queries.get_user(runtime.reader, principal, user_id)))


@router.patch(
    "/users/{user_id}",
    responses=responses(result_schema(wire.SCHEMA)),
    openapi_extra=wire.UPDATE.openapi(partial=True),
)
async def update_user(user_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    changes = wire.parse_update(await read_body(request))
    await runtime.write(lambda s: service.update_user(s, principal, user_id, changes).id)
    return ok_result(wire.to_upkeep(await queries.get_user(runtime.reader, principal, user_id)))


@router.put(
    "/users/{user_id}/locations",
    responses=responses(LOCATIONS_SCHEMA),
    openapi_extra=wire.SET_LOCATIONS.openapi(),
)
async def set_user_locations(user_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields = wire.SET_LOCATIONS.parse(await read_body(request))
    ids = await runtime.write(lambda s: service.set_user_locations(s, principal, user_id, fields["location_ids"]))
    return ok_results([{"locationId": i} for i in ids])


@router.delete("/users/{user_id}/sessions", responses=responses(MESSAGE_SCHEMA))
async def sign_out_everywhere(user_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Premises extension: revoke every session of the user (the user itself, or an admin)."""
    check_keys(request, frozenset())
    count = await runtime.write(lambda s: service.sign_out_everywhere(s, principal, user_id))
    return ok_message(f"{count} session{'' if count == 1 else 's'} deleted")
