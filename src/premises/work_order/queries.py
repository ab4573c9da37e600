"""Work orders, read side: one query per page (assignee names and custom status joined in).

Every query takes the principal: the read permission, the tenant and ``work_order.visibility``'s
rule (the same SQL the write side checks) are applied here. ``work_order_detail`` is the read model
of one work order with its cost lines and update messages.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from premises.db.reader import Reader, Row, count_of
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.identity.service import Confirmation
from premises.kit import jsonutil
from premises.kit.listing import ListQuery
from premises.place.related import PAGE_COLUMNS, PAGE_JOINS, without_sites
from premises.work_order import visibility
from premises.work_order.commands import Status
from premises.work_order.fields import COST_CATEGORIES, WORK_ORDERS

COLUMNS = (
    "id",
    "work_order_no",
    "title",
    "description",
    "status",
    "priority",
    "category",
    "start_date",
    "due_date",
    "end_due_date",
    "date_completed",
    "first_status_change_at",
    "location_id",
    "asset_id",
    "team_id",
    "assigned_to_user_id",
    "assigned_by_user_id",
    "completed_by_user_id",
    "created_by_user_id",
    "requested_by_user_id",
    "request_id",
    "case_id",
    "public_requester_email",
    "custom_status_id",
    "form_template_id",
    "estimated_duration_hours",
    "time_spent",
    "cost",
    "archived",
    "requires_signature",
    "decrease_inventory",
    "image_file_id",
    "image2_file_id",
    "image3_file_id",
    "image4_file_id",
    "image5_file_id",
    "signature_file_id",
    "additional_user_ids",
    "part_ids",
    "part_quantities",
    "file_ids",
    "form_items",
    "created_at",
    "updated_at",
)
# The joined columns of every read (``_base``'s joins), by name, as SQL.
JOINED_SQL = {
    "assigned_to_email": "uto.email",
    "assigned_by_email": "uby.email",
    "completed_by_email": "ucb.email",
    "custom_status_name": "cs.name",
    "custom_status_type": "cs.type",
    "custom_status_created_by": "cs.created_by_user_id",
    "custom_status_deleted_by": "cs.deleted_by_user_id",
}
JOINED = tuple(JOINED_SQL)
ALL_COLUMNS = COLUMNS + JOINED
JSON_COLUMNS = ("additional_user_ids", "part_ids", "part_quantities", "file_ids", "form_items")
# Pseudo-columns the dialects may filter on, handled here rather than by plain equality.
IS_COMPLETE, ARCHIVED = "is_complete", "archived"


# The related records a work order's joined columns come from: (alias, table, the work order's column).
LOOKUPS = (
    ("uto", "users", "assigned_to_user_id"),
    ("uby", "users", "assigned_by_user_id"),
    ("ucb", "users", "completed_by_user_id"),
    ("cs", "work_order_statuses", "custom_status_id"),
)


def _base(principal: Principal) -> Select:
    """The live work orders the principal sees, with the joined columns (``LOOKUPS``)."""
    grant = principal.require("work_order", "read")
    select = Select("work_orders", COLUMNS, principal.account_id).where_live()
    for alias, table, column in LOOKUPS:
        select.join(
            f"LEFT JOIN {table} {alias} ON {alias}.account_id = {{a}}.account_id AND {alias}.id = {{a}}.{column}",
            lookup=True,
        )
    select.extra_columns.extend(JOINED_SQL.values())
    return visibility.restrict(select, principal, grant)


def _row(values: Iterable[Any]) -> dict[str, Any]:
    row = dict(zip(ALL_COLUMNS, values, strict=True))
    for name in JSON_COLUMNS:
        row[name] = jsonutil.loads(row[name]) or []
    row["archived"] = bool(row["archived"])
    row["requires_signature"] = bool(row["requires_signature"])
    return row


def _list(principal: Principal, query: ListQuery) -> Select:
    select = _base(principal)
    equals = dict(query.equals)
    is_complete = equals.pop(IS_COMPLETE, None)
    if is_complete is not None:
        select.where("{a}.status = {}" if is_complete else "{a}.status <> {}", Status.COMPLETE.value)
    archived = equals.pop(ARCHIVED, None)
    if archived is not None:
        select.where("{a}.archived = {}", bool(archived))
    return select.apply(without_sites(select, replace(query, equals=equals)))


async def list_work_orders(reader: Reader, principal: Principal, query: ListQuery) -> list[dict[str, Any]]:
    select = _list(principal, query)
    return [_row(r) for r in await reader.fetch(select.sql(), select.params)]


def _confirmed(select: Select, confirmation: Confirmation | None) -> Select:
    if confirmation is not None:
        select.confirm(confirmation.condition, *confirmation.values)
    return select


async def list_work_order_rows(
    reader: Reader, principal: Principal, query: ListQuery, *, confirmation: Confirmation | None = None
) -> list[Row]:
    """The page ``list_work_orders`` returns, as the database returns it (``ALL_COLUMNS`` order, JSON lists
    as text): for a dialect that renders rows itself without the read model's dicts. With a
    ``confirmation`` (``identity.service.cached_principal``) the statement also confirms the
    principal's session: no row when it ended."""
    select = _confirmed(_list(principal, query), confirmation)
    return await reader.fetch(select.sql(), select.params)


async def list_work_orders_as(
    reader: Reader,
    principal: Principal,
    query: ListQuery,
    projection: Sequence[str],
    *,
    confirmation: Confirmation | None = None,
) -> list[Row]:
    """The page ``list_work_orders`` returns (same permission, visibility, filters, order and page), each
    row as the given SQL expressions instead: a dialect's page rendered by the database.

    ``projection`` is built from field declarations (``WORK_ORDERS`` and ``JOINED_SQL``, the alias
    ``t``), never from request values. ``confirmation`` as in ``list_work_order_rows``."""
    select = _confirmed(_list(principal, query), confirmation)
    return await reader.fetch(select.sql(projection), select.params)


def column_sql(name: str) -> str:
    """A declared field's (``WORK_ORDERS``, alias ``t``) or joined column's SQL in the list statement."""
    declared = WORK_ORDERS.get(name)
    return declared.sql("t") if declared is not None else JOINED_SQL[name]


# A page's related names and case code, by joins on the page's rows (``Select.page_first_sql``).
CASE_JOIN = "LEFT JOIN cases rc ON rc.account_id = {a}.account_id AND rc.id = {a}.case_id"
_PAGE_JOINS = (*PAGE_JOINS, CASE_JOIN)
_PAGE_COLUMNS = {**PAGE_COLUMNS, "case_code": "rc.code"}


def page_column_sql(name: str) -> str:
    """``column_sql`` in a page's statement (``page_of_work_orders``), where the related names and the
    case's code are the page joins' columns (``place.related.PAGE_JOINS``, ``CASE_JOIN``)."""
    return _PAGE_COLUMNS.get(name) or column_sql(name)


@functools.cache
def _page_projection(columns: tuple[str, ...]) -> tuple[str, ...]:
    """The select list of a page of ``columns`` (a dialect's fixed tuple): built once, not per request."""
    return tuple(page_column_sql(name) for name in columns)


async def page_of_work_orders(
    reader: Reader,
    principal: Principal,
    query: ListQuery,
    columns: Sequence[str],
    *,
    confirmation: Confirmation | None = None,
) -> tuple[list[Row], int | None]:
    """A page of a catalogued ``ListQuery`` of ``WORK_ORDERS`` (same permission, visibility and filters as
    ``list_work_orders``), each row as ``columns`` (declared fields or joined columns, in that order, as
    the database returns them) and, when ``query.count`` asks and the page is not empty, how many match
    in all (no cursor, no page). ``confirmation`` as in ``list_work_order_rows``."""
    projection = _page_projection(tuple(columns))
    return await page_of_work_orders_as(reader, principal, query, projection, confirmation=confirmation)


async def page_of_work_orders_as(
    reader: Reader,
    principal: Principal,
    query: ListQuery,
    projection: Sequence[str],
    *,
    confirmation: Confirmation | None = None,
) -> tuple[list[Row], int | None]:
    """``page_of_work_orders`` with each row as the given SQL expressions over ``page_column_sql``'s
    columns (a dialect's page rendered by the database), built from declarations, never from request
    values."""
    select = _confirmed(_list(principal, query), confirmation)
    rows = await reader.fetch(select.page_first_sql(projection, _PAGE_JOINS), select.params)
    if not rows and confirmation is not None:
        return rows, None  # perhaps no longer a live credential: the caller checks before counting
    # The same statement counts (``count_sql``: without the confirmation, and without the lookups unless a
    # search reads one, the assignee's names).
    return rows, await count_of(reader, select, query)


async def get_work_order(reader: Reader, principal: Principal, work_order_id: str) -> dict[str, Any]:
    select = _base(principal).where_eq("id", work_order_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="work order")
    return _row(row)


async def work_orders_by_ids(reader: Reader, principal: Principal, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """Work orders the principal may read, by id (for expansions)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    select = _base(principal).where_in("id", wanted)
    return {r["id"]: r for r in (_row(v) for v in await reader.fetch(select.sql(), select.params))}


COST_COLUMNS = ("id", "amount", "info", "category", "assigned_to_user_id", "date", "included_in_total_cost")


async def _costs(reader: Reader, account_id: str, work_order_id: str) -> list[dict[str, Any]]:
    select = Select("work_order_costs", COST_COLUMNS, account_id).where_eq("work_order_id", work_order_id)
    select.order_by("position", False).order_by("id", False)
    rows = [dict(zip(COST_COLUMNS, r, strict=True)) for r in await reader.fetch(select.sql(), select.params)]
    for row in rows:
        row["included_in_total_cost"] = bool(row["included_in_total_cost"])
    return rows


UPDATE_COLUMNS = ("id", "text", "created_by_user_id", "created_at")


async def _update_messages(reader: Reader, account_id: str, work_order_id: str) -> list[dict[str, Any]]:
    select = Select("work_order_updates", UPDATE_COLUMNS, account_id).where_eq("work_order_id", work_order_id)
    select.order_by("created_at", False).order_by("id", False)
    return [dict(zip(UPDATE_COLUMNS, r, strict=True)) for r in await reader.fetch(select.sql(), select.params)]


@dataclass(frozen=True, slots=True)
class WorkOrderDetail:
    """One work order as its detail page shows it: the row, its cost lines, its update messages (oldest first)."""

    work_order: dict[str, Any]
    costs: list[dict[str, Any]]
    update_messages: list[dict[str, Any]]


async def work_order_detail(reader: Reader, principal: Principal, work_order_id: str) -> WorkOrderDetail:
    """The work order, if the principal may read and sees it (else NotFound), with its costs and messages."""
    row = await get_work_order(reader, principal, work_order_id)
    account_id = principal.account_id
    return WorkOrderDetail(
        row, await _costs(reader, account_id, row["id"]), await _update_messages(reader, account_id, row["id"])
    )


async def cost_categories(reader: Reader, principal: Principal) -> list[dict[str, Any]]:
    principal.require("cost_category", "read")
    select = Select("categories", COST_CATEGORIES.columns, principal.account_id).where_eq("kind", "cost")
    for name, descending in COST_CATEGORIES.default_sort:
        select.order_by(name, descending)
    rows = await reader.fetch(select.sql(), select.params)
    return [dict(zip(COST_CATEGORIES.columns, r, strict=True)) for r in rows]
