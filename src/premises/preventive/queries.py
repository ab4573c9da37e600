"""Preventive maintenance, read side: triggers, always as a principal (role, tenant, visibility)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from premises.db.reader import Reader, count_of
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery
from premises.preventive.fields import PM_TRIGGERS
from premises.preventive.visibility import RESOURCE, restrict

COLUMNS = PM_TRIGGERS.columns
BOOLEANS = ("create_first_wo", "next_on_completion", "schedule_has_ended", "is_paused", "is_archived")


def _row(values: Any) -> dict[str, Any]:
    row = dict(zip(COLUMNS, values, strict=True))
    for name in BOOLEANS:
        row[name] = bool(row[name])
    return row


def _triggers(principal: Principal) -> Select:
    principal.require(RESOURCE, "read")
    return restrict(Select("pm_triggers", COLUMNS, principal.account_id).where_live(), principal)


async def list_triggers(reader: Reader, principal: Principal, query: ListQuery) -> list[dict[str, Any]]:
    select = _triggers(principal).apply(query)
    return [_row(r) for r in await reader.fetch(select.sql(), select.params)]


async def page_of_triggers(
    reader: Reader, principal: Principal, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of the triggers the principal sees (/v1) and, when ``query.count`` asks, how many match in all."""
    select = _triggers(principal).apply(query)
    return [_row(r) for r in await reader.fetch(select.sql(), select.params)], await count_of(reader, select, query)


async def legacy_triggers(
    reader: Reader, principal: Principal, work_order_ids: Iterable[str] | None = None
) -> dict[str, dict[str, Any]]:
    """The live triggers of legacy recurring work orders (``preventive.legacy``) by their root work order's
    id: every one, or those of ``work_order_ids``; oldest first."""
    select = _triggers(principal)
    if work_order_ids is None:
        select.where("{a}.legacy_work_order_id IS NOT NULL")
    else:
        select.where_in("legacy_work_order_id", work_order_ids)
    select.order_by("created_at", False).order_by("id", False)
    rows = [_row(r) for r in await reader.fetch(select.sql(), select.params)]
    return {row["legacy_work_order_id"]: row for row in rows}


async def get_trigger(reader: Reader, principal: Principal, trigger_id: str) -> dict[str, Any]:
    select = _triggers(principal).where_eq("id", trigger_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="trigger")
    return _row(row)
