"""Checklists, read side: form templates, and the checklist lines recorded on an asset's work orders.

Every function takes the principal: templates need ``form_template: read``; an asset's lines come
only from the work orders the principal sees (``work_order.visibility``'s rule).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from premises.checklist.fields import FORM_TEMPLATES
from premises.db.reader import Reader, count_of
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.listing import ListQuery
from premises.work_order import visibility as work_order_visibility

COLUMNS = FORM_TEMPLATES.columns
# An asset shows the lines of at most this many of its newest work orders that have lines.
ASSET_WORK_ORDERS = 50


def _row(values: Iterable[Any]) -> dict[str, Any]:
    row = dict(zip(COLUMNS, values, strict=True))
    row["form_items"] = jsonutil.loads(row["form_items"]) or []
    return row


def _visible(principal: Principal) -> Select:
    principal.require("form_template", "read")
    return Select("form_templates", COLUMNS, principal.account_id).where_live()


async def list_form_templates(reader: Reader, principal: Principal, query: ListQuery) -> list[dict[str, Any]]:
    return (await page_of_form_templates(reader, principal, query))[0]


async def page_of_form_templates(
    reader: Reader, principal: Principal, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of form templates and, when ``query.count`` asks, how many match in all."""
    select = _visible(principal).apply(query)
    return [_row(r) for r in await reader.fetch(select.sql(), select.params)], await count_of(reader, select, query)


async def get_form_template(reader: Reader, principal: Principal, template_id: str) -> dict[str, Any]:
    select = _visible(principal).where_eq("id", template_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="form template")
    return _row(row)


async def asset_form_items(reader: Reader, principal: Principal, asset_id: str) -> list[dict[str, Any]]:
    """The checklist lines of the asset's live work orders the principal sees, newest work order first
    (its lines in order), each with ``work_order_id``; the newest ``ASSET_WORK_ORDERS`` work orders
    with lines. None without ``work_order: read``."""
    if not principal.may("work_order", "read"):
        return []
    grant = principal.require("work_order", "read")
    select = Select("work_orders", ("id", "form_items"), principal.account_id).where_live()
    select.where_eq("asset_id", asset_id).where("{a}.form_items <> {}", "[]")
    select = work_order_visibility.restrict(select, principal, grant)
    select.order_by("created_at", True).order_by("id", True).page(0, ASSET_WORK_ORDERS)
    out: list[dict[str, Any]] = []
    for work_order_id, lines in await reader.fetch(select.sql(), select.params):
        out += [{**line, "work_order_id": work_order_id} for line in jsonutil.loads(lines) or []]
    return out
