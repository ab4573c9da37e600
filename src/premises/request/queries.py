"""Work requests, read side: one query per page (the assignee's email joined in).

Every query takes the principal: the read permission, the tenant and ``request.visibility``'s rule
(the same SQL the write side checks) are applied here.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from premises.db.reader import Reader, Row, count_of
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.listing import ListQuery
from premises.place.related import without_sites
from premises.request import visibility
from premises.request.fields import REQUESTS

# The read model's columns and joined values, in select order: declared once in ``request.fields``.
COLUMNS = REQUESTS.columns
# The assignee's email; the related fields after it (``place.related``) only ``page_of_requests`` selects.
JOINED_FIELDS = (REQUESTS.by_name["assigned_to_email"],)
JOINED = tuple(f.name for f in JOINED_FIELDS)
ALL_COLUMNS = COLUMNS + JOINED


def _base(principal: Principal) -> Select:
    """The requests the principal may read and sees."""
    grant = principal.require("request", "read")
    select = Select("requests", COLUMNS, principal.account_id).where_live()
    select.join(
        "LEFT JOIN users uto ON uto.account_id = {a}.account_id AND uto.id = {a}.assigned_to_user_id",
        *(f.sql(select.alias) for f in JOINED_FIELDS),
    )
    return visibility.restrict(select, principal, grant)


def _row(values: Iterable[Any]) -> dict[str, Any]:
    row = dict(zip(ALL_COLUMNS, values, strict=True))
    row["file_ids"] = jsonutil.loads(row["file_ids"]) or []
    return row


async def list_requests(reader: Reader, principal: Principal, query: ListQuery) -> list[dict[str, Any]]:
    select = _base(principal).apply(query)
    return [_row(r) for r in await reader.fetch(select.sql(), select.params)]


async def page_of_requests(
    reader: Reader, principal: Principal, query: ListQuery, columns: Sequence[str]
) -> tuple[list[Row], int | None]:
    """A page of a catalogued ``ListQuery`` of ``REQUESTS`` (same permission and visibility as
    ``list_requests``; a condition on ``site_id`` is "the location is under these sites"), each row as
    ``columns`` (declared fields, in that order, as the database returns them) and, when ``query.count``
    asks, how many match in all."""
    select = _base(principal)
    select.apply(without_sites(select, query))
    rows = await reader.fetch(select.sql([REQUESTS.by_name[name].sql(select.alias) for name in columns]), select.params)
    return rows, await count_of(reader, select, query)


async def get_request(reader: Reader, principal: Principal, request_id: str) -> dict[str, Any]:
    select = _base(principal).where_eq("id", request_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="request")
    return _row(row)


async def requests_by_ids(reader: Reader, principal: Principal, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Requests the principal may read, by id (for expansions)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    select = _base(principal).where_in("id", wanted)
    return {r["id"]: r for r in (_row(v) for v in await reader.fetch(select.sql(), select.params))}
