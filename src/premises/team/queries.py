"""Teams, read side: teams and their members, always as a principal (teams are not place-bound: the
role's read permission decides)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from premises.db.reader import Reader, count_of
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.identity.permissions import Grant
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery
from premises.team.fields import TEAMS
from premises.user import queries as user_queries

# The read model's columns, in select order: declared once in ``team.fields``.
COLUMNS = TEAMS.columns


def _rows(rows: Iterable[Any]) -> list[dict[str, Any]]:
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


def _visible(principal: Principal) -> Select:
    principal.require("team", "read")
    return Select("teams", COLUMNS, principal.account_id).where_live()


async def list_teams(reader: Reader, principal: Principal, query: ListQuery) -> list[dict[str, Any]]:
    return (await page_of_teams(reader, principal, query))[0]


async def page_of_teams(
    reader: Reader, principal: Principal, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of teams and, when ``query.count`` asks, how many match in all."""
    select = _visible(principal).apply(query)
    return _rows(await reader.fetch(select.sql(), select.params)), await count_of(reader, select, query)


async def get_team(reader: Reader, principal: Principal, team_id: str) -> dict[str, Any]:
    select = _visible(principal).where_eq("id", team_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="team")
    return _rows([row])[0]


async def teams_by_ids(reader: Reader, principal: Principal, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The live teams among ``ids``, for expansions and names (none if the principal may not read teams)."""
    wanted = sorted(set(ids))
    if not wanted or not principal.may("team", "read"):
        return {}
    select = _visible(principal).where_in("id", wanted)
    return {r["id"]: r for r in _rows(await reader.fetch(select.sql(), select.params))}


async def member_ids(reader: Reader, principal: Principal, team_ids: Iterable[str]) -> dict[str, list[str]]:
    """The live users of each team, by team id (teams without members are absent; none if the principal
    may not read teams)."""
    wanted = sorted(set(team_ids))
    if not wanted or not principal.may("team", "read"):
        return {}
    select = Select("team_members", ("team_id", "user_id"), principal.account_id, alias="m")
    select.join("JOIN users u ON u.account_id = {a}.account_id AND u.id = {a}.user_id")
    select.where_in("team_id", wanted).where("u.deleted_at IS NULL")
    select.order_by("created_at", False).order_by("user_id", False)
    out: dict[str, list[str]] = {}
    for team_id, user_id in await reader.fetch(select.sql(), select.params):
        out.setdefault(team_id, []).append(user_id)
    return out


async def list_team_users(reader: Reader, principal: Principal, team_id: str, query: ListQuery) -> list[dict[str, Any]]:
    """The team's live users as user rows (``premises.user.queries`` columns)."""
    await get_team(reader, principal, team_id)
    grant = principal.require("user", "read")
    select = Select("users", user_queries.COLUMNS, principal.account_id, alias="u").where_live()
    if grant is Grant.OWN:
        select.where_eq("id", principal.user_id)
    select.join("JOIN team_members m ON m.account_id = {a}.account_id AND m.user_id = {a}.id AND m.team_id = :team_id")
    select.params["team_id"] = team_id
    select.apply(query)
    return [dict(zip(user_queries.COLUMNS, r, strict=True)) for r in await reader.fetch(select.sql(), select.params)]
