"""Reading files' metadata (lean read path). REQUESTER users see only the files they uploaded."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from premises.db.reader import Reader
from premises.db.sql import Select
from premises.errors import NotFound
from premises.identity.permissions import Grant
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery

COLUMNS = (
    "account_id",
    "id",
    "filename",
    "content_type",
    "size_bytes",
    "storage_key",
    "created_by_user_id",
    "created_at",
    "updated_at",
)


def _visible(principal: Principal) -> Select:
    grant = principal.require("file", "read")
    select = Select("files", COLUMNS, principal.account_id).where_live()
    if grant is Grant.OWN:
        select.where_eq("created_by_user_id", principal.user_id)
    return select


def _rows(rows: Iterable[Any]) -> list[dict[str, Any]]:
    return [dict(zip(COLUMNS, row, strict=True)) for row in rows]


async def list_files(reader: Reader, principal: Principal, query: ListQuery) -> list[dict[str, Any]]:
    select = _visible(principal).apply(query)
    return _rows(await reader.fetch(select.sql(), select.params))


async def get_file(reader: Reader, principal: Principal, file_id: str) -> dict[str, Any]:
    select = _visible(principal).where_eq("id", file_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound("file not found")
    return dict(zip(COLUMNS, row, strict=True))


async def files_by_ids(reader: Reader, account_id: str, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Live files by id, for expansions, file objects and downloads; no permission check."""
    wanted = list(set(ids))
    if not wanted:
        return {}
    select = Select("files", COLUMNS, account_id).where_in("id", wanted).where_live()
    return {r["id"]: r for r in _rows(await reader.fetch(select.sql(), select.params))}
