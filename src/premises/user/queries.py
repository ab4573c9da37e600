"""Reading users (lean read path)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from premises.db.reader import Reader, count_of
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.identity.permissions import Grant
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery
from premises.user.fields import USERS

COLUMNS = USERS.columns


def _visible(principal: Principal) -> Select:
    grant = principal.require("user", "read")
    select = Select("users", COLUMNS, principal.account_id).where_live()
    if grant is Grant.OWN:
        select.where_eq("id", principal.user_id)
    return select


def _rows(rows: Iterable[Any]) -> list[dict[str, Any]]:
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


async def list_users(reader: Reader, principal: Principal, query: ListQuery) -> list[dict[str, Any]]:
    select = _visible(principal).apply(query)
    return _rows(await reader.fetch(select.sql(), select.params))


async def get_user(reader: Reader, principal: Principal, user_id: str) -> dict[str, Any]:
    return await _one(reader, _visible(principal).where_eq("id", user_id))


async def _one(reader: Reader, select: Select) -> dict[str, Any]:
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="user")
    return dict(zip(COLUMNS, row, strict=True))


async def users_by_ids(reader: Reader, principal: Principal, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The users among ``ids`` the principal may read (deactivated ones too: records still name them)."""
    grant = principal.grant_at("user", "read", None)
    if grant is None:
        return {}
    wanted = set(ids)
    if grant is Grant.OWN:
        wanted &= {principal.user_id}
    if not wanted:
        return {}
    select = Select("users", COLUMNS, principal.account_id).where_in("id", sorted(wanted))
    return {r["id"]: r for r in _rows(await reader.fetch(select.sql(), select.params))}


async def user_location_ids(reader: Reader, principal: Principal, user_id: str) -> list[str]:
    await get_user(reader, principal, user_id)
    rows = await reader.fetch(
        "SELECT m.place_id FROM site_memberships m WHERE m.account_id = :account_id AND m.user_id = :user_id "
        "ORDER BY m.place_id",
        {"account_id": principal.account_id, "user_id": user_id},
    )
    return [r[0] for r in rows]


def _reaching(principal: Principal, sites: Sequence[str] = ()) -> Select:
    """The users a principal reads, narrowed to those its sites reach (ADR 9: a location-based
    principal, such as a site-scoped service account, sees account-wide users, the members of its
    sites and itself); ``sites``: only members of one of these sites."""
    select = _visible(principal)
    member_of = (
        "EXISTS (SELECT 1 FROM site_memberships m WHERE m.account_id = {{a}}.account_id AND m.user_id = {{a}}.id "
        "AND m.place_id IN ({}))"
    )
    if principal.location_ids is not None:
        places = sorted(principal.location_ids) or [""]
        marks = ", ".join("{}" for _ in places)
        select.where(
            "({a}.is_location_based = {} OR {a}.id = {} OR " + member_of.format(marks) + ")",
            False,
            principal.user_id,
            *places,
        )
    if sites:
        select.where(member_of.format(", ".join("{}" for _ in sites)), *sites)
    return select


async def page_of_site_users(
    reader: Reader, principal: Principal, query: ListQuery, sites: Sequence[str] = ()
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of the users the principal's sites reach (``_reaching``) and, when asked, their count."""
    select = _reaching(principal, sites).apply(query)
    return _rows(await reader.fetch(select.sql(), select.params)), await count_of(reader, select, query)


async def get_site_user(reader: Reader, principal: Principal, user_id: str) -> dict[str, Any]:
    """One user the principal's sites reach (``_reaching``); else not found."""
    return await _one(reader, _reaching(principal).where_eq("id", user_id))


async def site_users_by_ids(reader: Reader, principal: Principal, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The live users among ``ids`` the principal's sites reach (``_reaching``), by id: embedded users."""
    wanted = sorted(set(ids))
    if not wanted or not principal.may("user", "read"):
        return {}
    select = _reaching(principal).where_in("id", wanted)
    return {r["id"]: r for r in _rows(await reader.fetch(select.sql(), select.params))}


async def site_roles_of(
    reader: Reader, principal: Principal, user_ids: Iterable[str]
) -> dict[str, list[tuple[str, str, str]]]:
    """Each user's memberships of the sites the principal sees, as (site id, site name, role) by
    site name; users without any are absent."""
    wanted = sorted(set(user_ids))
    if not wanted:
        return {}
    select = Select("site_memberships", ("user_id", "place_id", "role"), principal.account_id, alias="m")
    select.join("JOIN places p ON p.account_id = {a}.account_id AND p.id = {a}.place_id", "p.name")
    select.where_in("user_id", wanted).where("p.deleted_at IS NULL")
    select.order.append("p.name ASC")
    select.order_by("place_id", False)
    out: dict[str, list[tuple[str, str, str]]] = {}
    for user_id, place_id, role, name in await reader.fetch(select.sql(), select.params):
        if principal.sees_place(place_id):
            out.setdefault(user_id, []).append((place_id, name, role))
    return out


async def user_site_roles(reader: Reader, principal: Principal, user_id: str) -> dict[str, str]:
    """The user's site memberships: site id -> role there."""
    await get_user(reader, principal, user_id)
    rows = await reader.fetch(
        "SELECT m.place_id, m.role FROM site_memberships m WHERE m.account_id = :account_id AND m.user_id = :user_id "
        "ORDER BY m.place_id",
        {"account_id": principal.account_id, "user_id": user_id},
    )
    return {r[0]: r[1] for r in rows}
