"""/v1/teams: the account's teams (the teams of /api/v2, with the same ids), each with its members as
``"members": [{"id", "first", "last"}]``.

A team belongs to no site: everyone who may read teams lists them all (the list takes no ``sites``);
a site-scoped caller sees only the members its sites reach (``user.queries.site_users_by_ids``).
``PUT /v1/teams/{id}/members/{userId}`` adds a member (adding twice is no error) and answers the
team; ``DELETE`` of the same path removes it (204). Creating, changing and deleting teams and their
members is for the account's Admins and Managers (``docs/permissions.md``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Spec, read_body
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.v1.listing import ListSpec, get_route, list_route
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, object_schema, responses
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models import Team
from premises.team import queries, service
from premises.team.commands import TeamChanges, TeamCreate
from premises.team.fields import TEAMS
from premises.user import queries as user_queries

router = APIRouter(tags=["teams"])

V1 = Fields(
    TEAMS.attach(
        "v1",
        {
            "id": Wire("id"),
            "name": Wire("name", filter="The team's name (a comma list: any of)", sort=True),
            "description": Wire("description", then=("members",)),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
CREATE = Spec(*V1.body_fields(required=required_of(TeamCreate)), model=Team)
UPDATE = Spec(*V1.body_fields(), model=Team)
LIST = ListSpec.of(V1, site_field=None, sited=False)
PERSON_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["id", "first", "last"],
    "properties": {
        "id": {"type": "string"},
        "first": {"type": ["string", "null"]},
        "last": {"type": ["string", "null"]},
    },
}
SCHEMA = object_schema(V1, {"members": {"type": "array", "items": PERSON_SCHEMA}})
SCHEMA["required"] = [*SCHEMA["required"], "members"]


def person(row: dict[str, Any]) -> dict[str, Any]:
    """A user embedded the /v1 way: ``{"id", "first", "last"}``."""
    return {"id": row["id"], "first": row["first_name"], "last": row["last_name"]}


async def _render(runtime: RuntimeDep, principal: Principal, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    members = await queries.member_ids(runtime.reader, principal, [r["id"] for r in rows])
    users = await user_queries.site_users_by_ids(
        runtime.reader, principal, {u for ids in members.values() for u in ids}
    )
    out = []
    for row in rows:
        team = V1.render(row)
        team["members"] = [person(users[u]) for u in members.get(row["id"], []) if u in users]
        out.append(team)
    return out


async def _team(runtime: RuntimeDep, principal: Principal, team_id: str, status_code: int = 200) -> Response:
    row = await queries.get_team(runtime.reader, principal, team_id)
    return JSON((await _render(runtime, principal, [row]))[0], status_code=status_code)


@router.get("/teams", responses=responses(list_schema(SCHEMA)), openapi_extra=LIST.openapi())
async def list_teams(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    render = lambda rows: _render(runtime, principal, rows)  # noqa: E731
    return await list_route(request, runtime.reader, principal, LIST, queries.page_of_teams, render)


@router.get("/teams/{team_id}", responses=responses(SCHEMA))
async def get_team(team_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    return await get_route(request, lambda: _team(runtime, principal, team_id))


@router.post("/teams", status_code=201, responses=responses(SCHEMA, status=201), openapi_extra=CREATE.openapi())
async def create_team(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = build(TeamCreate, CREATE.parse(await read_body(request)))
    team_id = await runtime.write(lambda s: service.create_team(s, principal, command).id)
    return await _team(runtime, principal, team_id, 201)


@router.patch("/teams/{team_id}", responses=responses(SCHEMA), openapi_extra=UPDATE.openapi(partial=True))
async def update_team(team_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    changes = build(TeamChanges, UPDATE.parse(await read_body(request), partial=True))
    await runtime.write(lambda s: service.update_team(s, principal, team_id, changes))
    return await _team(runtime, principal, team_id)


@router.delete("/teams/{team_id}", status_code=204, responses=responses(None, status=204))
async def delete_team(team_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_team(s, principal, team_id))
    return Response(status_code=204)


@router.put("/teams/{team_id}/members/{user_id}", responses=responses(SCHEMA))
async def add_member(team_id: str, user_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await user_queries.get_site_user(runtime.reader, principal, user_id)
    await runtime.write(lambda s: service.add_team_member(s, principal, team_id, user_id))
    return await _team(runtime, principal, team_id)


@router.delete("/teams/{team_id}/members/{user_id}", status_code=204, responses=responses(None, status=204))
async def remove_member(team_id: str, user_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await user_queries.get_site_user(runtime.reader, principal, user_id)
    await runtime.write(lambda s: service.remove_team_member(s, principal, team_id, user_id))
    return Response(status_code=204)
