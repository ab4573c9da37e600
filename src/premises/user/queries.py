"""Reading users (lean read path)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from premises.db.reader import Reader
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
    select = _visible(principal).where_eq("id", user_id)
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


async def user_site_roles(reader: Reader, principal: Principal, user_id: str) -> dict[str, str]:
    """The user's site memberships: site id -> role there."""
    await get_user(reader, principal, user_id)
    rows = await reader.fetch(
        "SELECT m.place_id, m.role FROM site_memberships m WHERE m.account_id = :account_id AND m.user_id = :user_id "
        "ORDER BY m.place_id",
        {"account_id": principal.account_id, "user_id": user_id},
    )
    return {r[0]: r[1] for r in rows}
