"""Reading files' metadata (lean read path), always as a principal: roles with an OWN grant (requesters)
see only the files they uploaded. The one exception is ``file_for_signed_link``, whose permission is the
link's signature."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from premises.db.reader import Reader, count_of
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.file.fields import FILES
from premises.identity.permissions import Grant
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery

# The read model's columns, in select order (the tenant first: a download link names it): declared
# once in ``file.fields``.
COLUMNS = FILES.columns


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
    return await _one(_visible(principal).where_eq("id", file_id), reader)


async def _one(select: Select, reader: Reader) -> dict[str, Any]:
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="file")
    return dict(zip(COLUMNS, row, strict=True))


def _reaching(principal: Principal) -> Select:
    """The files a principal reads, for a location-based one (a site-scoped service account) only those
    it uploaded: a file names no site, so none of another site's reaches it this way (the records it
    sees show their files with signed links)."""
    select = _visible(principal)
    if principal.location_ids is not None:
        select.where_eq("created_by_user_id", principal.user_id)
    return select


async def page_of_site_files(
    reader: Reader, principal: Principal, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of the files the principal reaches (``_reaching``) and, when asked, how many in all."""
    select = _reaching(principal).apply(query)
    return _rows(await reader.fetch(select.sql(), select.params)), await count_of(reader, select, query)


async def get_site_file(reader: Reader, principal: Principal, file_id: str) -> dict[str, Any]:
    """One file the principal reaches (``_reaching``); else not found."""
    return await _one(_reaching(principal).where_eq("id", file_id), reader)


async def files_by_ids(reader: Reader, principal: Principal, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The live files among ``ids`` the principal may read, for expansions and file objects."""
    wanted = sorted(set(ids))
    if not wanted or not principal.may("file", "read"):
        return {}
    select = _visible(principal).where_in("id", wanted)
    return {r["id"]: r for r in _rows(await reader.fetch(select.sql(), select.params))}


async def file_for_signed_link(reader: Reader, account_id: str, file_id: str) -> dict[str, Any] | None:
    """The live file a signed download link names (``premises.file.links``): the valid signature is the
    permission, given when the link was rendered for a principal who could read the file."""
    select = Select("files", COLUMNS, account_id).where_eq("id", file_id).where_live()
    row = await reader.fetchrow(select.sql(), select.params)
    return None if row is None else dict(zip(COLUMNS, row, strict=True))
