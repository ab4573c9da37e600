"""Meters, read side: meters, their readings, notifications and trigger hits, always as a principal.

Every function applies the tenant, the role (``meter: read``, ``meter_notification: read``) and the
visibility rule (``meter.visibility``): a reading or notification is visible with its meter.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from premises.db.reader import Reader, count_of
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.identity.service import Confirmation
from premises.kit.listing import ListQuery
from premises.meter.fields import METERS, NOTIFICATIONS, READINGS
from premises.meter.visibility import restrict
from premises.place.subtree import under_sites

# The read models' columns (and joined values), in select order: declared once in ``meter.fields``.
COLUMNS = METERS.columns
JOINED_FIELDS = tuple(f for f in METERS if f.expression is not None)
ALL_COLUMNS = COLUMNS + tuple(f.name for f in JOINED_FIELDS)
READING_COLUMNS = READINGS.columns
NOTIFICATION_COLUMNS = NOTIFICATIONS.columns
HIT_COLUMNS = ("id", "notification_id", "meter_id", "reading_id", "value", "outcome", "work_order_id", "created_at")
BOOLEANS = ("cumulative", "is_reset", "one_open_work_order")


def _row(columns: tuple[str, ...], values: Iterable[Any]) -> dict[str, Any]:
    row = dict(zip(columns, values, strict=True))
    for name in BOOLEANS:
        if name in row:
            row[name] = bool(row[name])
    return row


async def _one(reader: Reader, select: Select, columns: tuple[str, ...], record: str) -> dict[str, Any]:
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record=record)
    return _row(columns, row)


async def _by_id(reader: Reader, select: Select, columns: tuple[str, ...]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in (_row(columns, v) for v in await reader.fetch(select.sql(), select.params))}


def _meters(principal: Principal) -> Select:
    principal.require("meter", "read")
    select = Select("meters", COLUMNS, principal.account_id).where_live()
    select.extra_columns.extend(f.sql(select.alias) for f in JOINED_FIELDS)
    return restrict(select, principal)


async def list_meters(
    reader: Reader, principal: Principal, query: ListQuery, *, confirmation: Confirmation | None = None
) -> list[dict[str, Any]]:
    """A page of meters. With a ``confirmation`` (``identity.service.cached_principal``) the statement
    also confirms the cached principal's session: no rows may then mean an ended session."""
    select = _meters(principal)
    if confirmation is not None:
        select.confirm(confirmation.condition, *confirmation.values)
    select.apply(query)
    return [_row(ALL_COLUMNS, r) for r in await reader.fetch(select.sql(), select.params)]


async def page_of_meters(
    reader: Reader, principal: Principal, query: ListQuery, sites: Sequence[str] = ()
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of the meters the principal sees (``sites``: only those at or below these sites) and,
    when ``query.count`` asks, how many match in all."""
    select = under_sites(_meters(principal), sites).apply(query)
    rows = [_row(ALL_COLUMNS, r) for r in await reader.fetch(select.sql(), select.params)]
    return rows, await count_of(reader, select, query)


async def get_meter(reader: Reader, principal: Principal, meter_id: str) -> dict[str, Any]:
    return await _one(reader, _meters(principal).where_eq("id", meter_id), ALL_COLUMNS, "meter")


async def meters_by_ids(reader: Reader, principal: Principal, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The live meters among ``ids`` the principal sees, by id (for expansions)."""
    wanted = sorted(set(ids))
    if not wanted or not principal.may("meter", "read"):
        return {}
    return await _by_id(reader, _meters(principal).where_in("id", wanted), ALL_COLUMNS)


def _of_visible_meters(select: Select, principal: Principal) -> Select:
    """Rows of a meter's child table only for live meters the principal sees."""
    principal.require("meter", "read")
    select.join("JOIN meters m ON m.account_id = {a}.account_id AND m.id = {a}.meter_id AND m.deleted_at IS NULL")
    return restrict(select, principal, "m")


def _readings(principal: Principal) -> Select:
    select = Select("meter_readings", READING_COLUMNS, principal.account_id, alias="r").where_live()
    return _of_visible_meters(select, principal)


async def list_readings(reader: Reader, principal: Principal, meter_id: str, query: ListQuery) -> list[dict[str, Any]]:
    return (await page_of_readings(reader, principal, meter_id, query))[0]


async def page_of_readings(
    reader: Reader, principal: Principal, meter_id: str, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of a visible meter's readings and, when ``query.count`` asks, how many it has."""
    await get_meter(reader, principal, meter_id)
    select = _readings(principal).where_eq("meter_id", meter_id).apply(query)
    rows = [_row(READING_COLUMNS, r) for r in await reader.fetch(select.sql(), select.params)]
    return rows, await count_of(reader, select, query)


async def get_reading(reader: Reader, principal: Principal, meter_id: str, reading_id: str) -> dict[str, Any]:
    select = _readings(principal).where_eq("meter_id", meter_id).where_eq("id", reading_id)
    return await _one(reader, select, READING_COLUMNS, "meter reading")


async def readings_by_ids(reader: Reader, principal: Principal, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The live readings among ``ids`` of meters the principal sees, by id (for expansions)."""
    wanted = sorted(set(ids))
    if not wanted or not principal.may("meter", "read"):
        return {}
    return await _by_id(reader, _readings(principal).where_in("id", wanted), READING_COLUMNS)


def _notifications(principal: Principal, meter_id: str) -> Select:
    principal.require("meter_notification", "read")
    select = Select("meter_notifications", NOTIFICATION_COLUMNS, principal.account_id, alias="n").where_live()
    return _of_visible_meters(select, principal).where_eq("meter_id", meter_id)


async def list_notifications(
    reader: Reader, principal: Principal, meter_id: str, query: ListQuery
) -> list[dict[str, Any]]:
    await get_meter(reader, principal, meter_id)
    select = _notifications(principal, meter_id).apply(query)
    return [_row(NOTIFICATION_COLUMNS, r) for r in await reader.fetch(select.sql(), select.params)]


async def get_notification(reader: Reader, principal: Principal, meter_id: str, notification_id: str) -> dict[str, Any]:
    select = _notifications(principal, meter_id).where_eq("id", notification_id)
    return await _one(reader, select, NOTIFICATION_COLUMNS, "meter notification")


async def list_hits(
    reader: Reader, principal: Principal, meter_id: str, notification_id: str, query: ListQuery
) -> list[dict[str, Any]]:
    """A notification's hits (every reading that met its condition), newest first by default."""
    await get_notification(reader, principal, meter_id, notification_id)
    select = Select("meter_trigger_hits", HIT_COLUMNS, principal.account_id, alias="h")
    select.where_eq("notification_id", notification_id).apply(query)
    return [dict(zip(HIT_COLUMNS, r, strict=True)) for r in await reader.fetch(select.sql(), select.params)]
