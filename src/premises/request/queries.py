"""Work requests, read side: one query per page (the assignee's email joined in).

Every query takes the principal: the read permission, the tenant and ``request.visibility``'s rule
(the same SQL the write side checks) are applied here.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from premises.db.reader import Reader
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.listing import ListQuery
from premises.request import visibility
from premises.request.fields import REQUESTS

# The read model's columns and joined values, in select order: declared once in ``request.fields``.
COLUMNS = REQUESTS.columns
JOINED_FIELDS = tuple(f for f in REQUESTS if f.expression is not None)
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
