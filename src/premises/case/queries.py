"""Cases, read side: pages and details of cases (the names of what they embed joined in), pages of their
comments, activity and linked cases, and the sites' case types.

Every query takes the principal: the read permission, the tenant and ``case.visibility``'s rule (a
case is seen at its site) are applied here; a case the principal does not see is NotFound.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from premises.case import visibility
from premises.case.fields import CASE_ACTIVITY, CASE_COMMENTS, CASE_TYPES, CASES
from premises.db.reader import Reader, count_of
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.kit.fields import Catalogue, Op
from premises.kit.listing import ListQuery

# The read model's columns and joined values, in select order: declared once in ``case.fields``.
COLUMNS = CASES.columns
JOINED_FIELDS = tuple(f for f in CASES if f.expression is not None)
ALL_COLUMNS = COLUMNS + tuple(f.name for f in JOINED_FIELDS)
JOINS = (
    "JOIN places s ON s.account_id = {a}.account_id AND s.id = {a}.site_id",
    "LEFT JOIN users au ON au.account_id = {a}.account_id AND au.id = {a}.assignee_user_id",
    "LEFT JOIN places up ON up.account_id = {a}.account_id AND up.id = {a}.unit_id",
    "LEFT JOIN contacts rc ON rc.account_id = {a}.account_id AND rc.id = {a}.resident_id",
    "LEFT JOIN contacts cc ON cc.account_id = {a}.account_id AND cc.id = {a}.contractor_id",
    "LEFT JOIN assets ast ON ast.account_id = {a}.account_id AND ast.id = {a}.asset_id",
)


def _base(principal: Principal) -> Select:
    """The live cases the principal may read and sees."""
    principal.require("case", "read")
    select = Select("cases", COLUMNS, principal.account_id).where_live()
    for join in JOINS[:-1]:
        select.join(join)
    select.join(JOINS[-1], *(f.sql(select.alias) for f in JOINED_FIELDS))  # the joined names, in field order
    return visibility.restrict(select, principal)


def _row(values: Iterable[Any]) -> dict[str, Any]:
    return dict(zip(ALL_COLUMNS, values, strict=True))


async def page_of_cases(
    reader: Reader, principal: Principal, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of cases (a catalogued ``ListQuery`` of ``CASES``) and, when ``query.count`` asks, how many
    match in all."""
    select = _base(principal).apply(query)
    rows = [_row(r) for r in await reader.fetch(select.sql(), select.params)]
    if not query.count:
        return rows, None
    counted = await reader.fetchrow(select.count_sql(), select.params)
    return rows, int(counted[0]) if counted is not None else 0


async def get_case(reader: Reader, principal: Principal, case_id: str) -> dict[str, Any]:
    select = _base(principal).where_eq("id", case_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="case")
    return _row(row)


async def page_of_linked_cases(
    reader: Reader, principal: Principal, case_id: str, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of the cases linked to a case the principal sees (a ``ListQuery`` of ``LINKED_CASES``), those it
    sees too, and, when ``query.count`` asks, how many there are."""
    await get_case(reader, principal, case_id)
    select = _base(principal).where(
        "EXISTS (SELECT 1 FROM case_links l WHERE l.account_id = {a}.account_id AND l.case_id = {} "
        "AND l.other_case_id = {a}.id)",
        case_id,
    )
    select.apply(query)
    return [_row(r) for r in await reader.fetch(select.sql(), select.params)], await count_of(reader, select, query)


async def _page_of(
    reader: Reader, principal: Principal, case_id: str, table: str, catalogue: Catalogue, by: str, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of the rows of ``table`` about a case the principal sees (a ``ListQuery`` of ``catalogue``), with
    the names of the user ``by``, and, when ``query.count`` asks, how many there are."""
    await get_case(reader, principal, case_id)
    joined = tuple(f for f in catalogue if f.expression is not None)
    select = Select(table, catalogue.columns, principal.account_id).where_eq("case_id", case_id)
    select.join(
        "LEFT JOIN users u ON u.account_id = {a}.account_id AND u.id = {a}." + by,
        *(f.sql(select.alias) for f in joined),
    )
    select.apply(query)
    names = catalogue.columns + tuple(f.name for f in joined)
    rows = [dict(zip(names, r, strict=True)) for r in await reader.fetch(select.sql(), select.params)]
    return rows, await count_of(reader, select, query)


async def page_of_comments(
    reader: Reader, principal: Principal, case_id: str, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    return await _page_of(reader, principal, case_id, "case_comments", CASE_COMMENTS, "author_user_id", query)


async def get_comment(reader: Reader, principal: Principal, case_id: str, comment_id: str) -> dict[str, Any]:
    """One comment of a case the principal sees (NotFound otherwise)."""
    query = ListQuery.of(CASE_COMMENTS, limit=1).where("id", Op.EQ, comment_id)
    rows, _ = await page_of_comments(reader, principal, case_id, query)
    if not rows:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="comment")
    return rows[0]


async def page_of_activity(
    reader: Reader, principal: Principal, case_id: str, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    return await _page_of(reader, principal, case_id, "case_activity", CASE_ACTIVITY, "actor_user_id", query)


async def case_types(reader: Reader, principal: Principal, site_id: str) -> list[dict[str, Any]]:
    """The live case types of a site the principal is a member of (NotFound otherwise), the defaults first, then
    oldest first;
    empty for a site that has not been given its defaults yet (``service.ensure_case_types``)."""
    principal.require("case_type", "read", at=site_id if principal.sees_place(site_id) else None)
    site = Select("places", ("id",), principal.account_id).where_live().where_eq("id", site_id)
    site.where("{a}.parent_id IS NULL")
    if not principal.sees_place(site_id) or await reader.fetchrow(site.sql(), site.params) is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="site")
    select = Select("case_types", CASE_TYPES.columns, principal.account_id).where_live().where_eq("site_id", site_id)
    select.order_by("is_default", True).order_by("created_at", False).order_by("id", False)
    rows = [dict(zip(CASE_TYPES.columns, r, strict=True)) for r in await reader.fetch(select.sql(), select.params)]
    for row in rows:
        row["is_default"] = bool(row["is_default"])
    return rows
