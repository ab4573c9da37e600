"""Webhook endpoints and their delivery log, read side (admins only: ``identity.permissions``)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from premises.db.reader import Reader, count_of
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery
from premises.webhook.fields import ATTEMPT_COLUMNS, DELIVERY_COLUMNS, WEBHOOKS

COLUMNS = WEBHOOKS.columns


def _rows(columns: tuple[str, ...], rows: Iterable[Any]) -> list[dict[str, Any]]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


def _visible(principal: Principal, dialect: str) -> Select:
    principal.require("webhook", "read")
    return Select("webhook_endpoints", COLUMNS, principal.account_id).where_live().where_eq("dialect", dialect)


async def list_webhooks(
    reader: Reader, principal: Principal, query: ListQuery, *, dialect: str
) -> list[dict[str, Any]]:
    """The live endpoints registered through ``dialect`` (another dialect's names mean nothing to it)."""
    return (await page_of_webhooks(reader, principal, query, dialect=dialect))[0]


async def page_of_webhooks(
    reader: Reader, principal: Principal, query: ListQuery, *, dialect: str
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of ``list_webhooks`` and, when ``query.count`` asks, how many match in all."""
    select = _visible(principal, dialect).apply(query)
    return _rows(COLUMNS, await reader.fetch(select.sql(), select.params)), await count_of(reader, select, query)


async def get_webhook(reader: Reader, principal: Principal, webhook_id: str, *, dialect: str) -> dict[str, Any]:
    select = _visible(principal, dialect).where_eq("id", webhook_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="webhook")
    return _rows(COLUMNS, [row])[0]


async def list_deliveries(
    reader: Reader,
    principal: Principal,
    webhook_id: str,
    *,
    dialect: str,
    offset: int,
    limit: int,
    delivery_id: str | None = None,
) -> list[dict[str, Any]]:
    """The endpoint's deliveries (or only ``delivery_id``), newest first, each with its ``attempts_log``
    (oldest attempt first)."""
    await get_webhook(reader, principal, webhook_id, dialect=dialect)
    select = Select("webhook_deliveries", DELIVERY_COLUMNS, principal.account_id).where_eq("endpoint_id", webhook_id)
    if delivery_id is not None:
        select.where_eq("id", delivery_id)
    select.order_by("created_at", True).order_by("id", True).page(offset, limit)
    deliveries = _rows(DELIVERY_COLUMNS, await reader.fetch(select.sql(), select.params))
    return await _with_attempts(reader, principal, deliveries)


async def page_of_deliveries(
    reader: Reader, principal: Principal, webhook_id: str, query: ListQuery, *, dialect: str
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of the endpoint's deliveries (``query`` over ``DELIVERIES``: its sort, cursor and page), each
    with its ``attempts_log``, and, when ``query.count`` asks, how many match in all."""
    await get_webhook(reader, principal, webhook_id, dialect=dialect)
    select = Select("webhook_deliveries", DELIVERY_COLUMNS, principal.account_id).where_eq("endpoint_id", webhook_id)
    select.apply(query)
    deliveries = _rows(DELIVERY_COLUMNS, await reader.fetch(select.sql(), select.params))
    return await _with_attempts(reader, principal, deliveries), await count_of(reader, select, query)


async def _with_attempts(
    reader: Reader, principal: Principal, deliveries: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """Each delivery with its ``attempts_log`` (oldest attempt first)."""
    attempts: dict[str, list[dict[str, Any]]] = {d["id"]: [] for d in deliveries}
    if deliveries:
        log = Select("webhook_attempts", ATTEMPT_COLUMNS, principal.account_id).where_in("delivery_id", list(attempts))
        log.order_by("delivery_id", False).order_by("attempt", False)
        for row in _rows(ATTEMPT_COLUMNS, await reader.fetch(log.sql(), log.params)):
            attempts[row["delivery_id"]].append(row)
    return [{**d, "attempts_log": attempts[d["id"]]} for d in deliveries]
