"""Accounts, read side: the account's own settings (any principal of the account reads them), and its named
lists (``categories`` rows of a kind) as the domains that own a kind list them."""

from __future__ import annotations

from typing import Any

from premises.db.reader import Reader, count_of
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.kit.fields import Catalogue
from premises.kit.listing import ListQuery


async def upkeep_api_version(reader: Reader, account_id: str) -> str | None:
    """The account's default UpKeep API version (None: the current one; docs/dialects/upkeep.md#versions)."""
    row = await reader.fetchrow(
        "SELECT upkeep_api_version FROM accounts WHERE id = :account_id", {"account_id": account_id}
    )
    return None if row is None else row[0]


# ------------------------------------------------------------------------------------------ categories


def _category_select(principal: Principal, catalogue: Catalogue, kind: str) -> Select:
    principal.require(catalogue.resource, "read")
    return Select("categories", catalogue.columns, principal.account_id).where_eq("kind", kind)


async def categories(
    reader: Reader, principal: Principal, catalogue: Catalogue, kind: str, query: ListQuery
) -> list[dict[str, Any]]:
    """A page of the account's ``kind`` categories as ``catalogue`` declares them (its resource, e.g.
    "part_category", is the permission row the principal must read)."""
    return (await page_of_categories(reader, principal, catalogue, kind, query))[0]


async def page_of_categories(
    reader: Reader, principal: Principal, catalogue: Catalogue, kind: str, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """``categories``' page and, when ``query.count`` asks, how many of the kind match in all."""
    select = _category_select(principal, catalogue, kind).apply(query)
    rows = [dict(zip(catalogue.columns, r, strict=True)) for r in await reader.fetch(select.sql(), select.params)]
    return rows, await count_of(reader, select, query)


async def get_category(
    reader: Reader, principal: Principal, catalogue: Catalogue, kind: str, category_id: str
) -> dict[str, Any]:
    """One of the account's ``kind`` categories; else NotFound naming the catalogue's resource ("part category")."""
    select = _category_select(principal, catalogue, kind).where_eq("id", category_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record=catalogue.resource.replace("_", " "))
    return dict(zip(catalogue.columns, row, strict=True))
