"""/teams: create, list, get, update, delete, and team membership."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import read_body
from premises.api.kit.listing import check_keys
from premises.api.upkeep.listing import ListSpec, parse_list
from premises.api.upkeep.mappers import teams as wire
from premises.api.upkeep.mappers import users as user_wire
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
from premises.team import queries, service

router = APIRouter(tags=["teams"])

LIST = ListSpec(filters=wire.UPKEEP.filters(), ranges=wire.UPKEEP.ordered(), order_fields=wire.UPKEEP.ordered())
USERS = ListSpec()  # paging and createdAt/updatedAt ranges of the users; the reference lists no filters
ITEM = responses(result_schema(wire.SCHEMA))


@router.post("/teams", responses=ITEM, openapi_extra=wire.CREATE.openapi())
async def create_team(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields = wire.parse_create(await read_body(request))
    team_id = await runtime.write(lambda s: service.create_team(s, principal, fields).id)
    return ok_result(wire.to_upkeep(await queries.get_team(runtime.reader, principal, team_id)))


@router.get("/teams", responses=responses(results_schema(wire.SCHEMA)), openapi_extra=LIST.openapi())
async def list_teams(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, LIST, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_teams(runtime.reader, principal, parsed.query)
    return ok_results([wire.to_upkeep(r) for r in rows])


@router.get("/teams/{team_id}", responses=ITEM)
async def get_team(team_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset())
    return ok_result(wire.to_upkeep(await queries.get_team(runtime.reader, principal, team_id)))


@router.patch("/teams/{team_id}", responses=ITEM, openapi_extra=wire.UPDATE.openapi(partial=True))
async def update_team(team_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    changes = wire.parse_update(await read_body(request))
    await runtime.write(lambda s: service.update_team(s, principal, team_id, changes).id)
    return ok_result(wire.to_upkeep(await queries.get_team(runtime.reader, principal, team_id)))


@router.delete("/teams/{team_id}", responses=responses(MESSAGE_SCHEMA))
async def delete_team(team_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_team(s, principal, team_id))
    return ok_message("1 team deleted")


@router.get(
    "/teams/{team_id}/users",
    responses=responses(results_schema(user_wire.SCHEMA)),
    openapi_extra=USERS.openapi(),
)
async def list_team_users(team_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, USERS, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_team_users(runtime.reader, principal, team_id, parsed.query)
    return ok_results([user_wire.to_upkeep(r) for r in rows])


@router.post("/teams/{team_id}/users/{user_id}", responses=responses(MESSAGE_SCHEMA))
async def add_team_user(team_id: str, user_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.add_team_member(s, principal, team_id, user_id))
    return ok_message(f"1 user added to team {team_id}")


@router.delete("/teams/{team_id}/users/{user_id}", responses=responses(MESSAGE_SCHEMA))
async def remove_team_user(team_id: str, user_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.remove_team_member(s, principal, team_id, user_id))
    return ok_message(f"1 user removed from team {team_id}")
