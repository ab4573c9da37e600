"""Purchase orders, read side: lists and details, part lines, update messages, free custom fields, receipts
(the inventory ledger's rows of an order), categories.

Every function takes the principal and applies the tenant and the role (``purchase_order: read``).
Purchase orders have no place: every principal that may read them sees all of the account's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from premises.account import queries as account_queries
from premises.db.reader import Reader, count_of
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery
from premises.place.queries import free_field, free_field_select, free_fields_by_owner, with_free_field
from premises.purchase_order.fields import PURCHASE_ORDER_CATEGORIES, PURCHASE_ORDERS, RECEIPTS, UPDATE_MESSAGES

COLUMNS = PURCHASE_ORDERS.columns
LINE_COLUMNS = ("purchase_order_id", "part_id", "quantity", "received", "unit_cost")
UPDATE_COLUMNS = UPDATE_MESSAGES.columns
RECEIPT_COLUMNS = RECEIPTS.columns
OWNER = "purchase_order"


def _base(principal: Principal) -> Select:
    principal.require("purchase_order", "read")
    return Select("purchase_orders", COLUMNS, principal.account_id).where_live()


def _row(values: Iterable[Any]) -> dict[str, Any]:
    return dict(zip(COLUMNS, values, strict=True))


async def list_purchase_orders(reader: Reader, principal: Principal, query: ListQuery) -> list[dict[str, Any]]:
    """A page of purchase orders; ``query.equals`` may also hold the custom-field pseudo-columns
    (``place.queries.CUSTOM_FIELD_FILTERS``)."""
    select = with_free_field(_base(principal), query, OWNER)
    return [_row(r) for r in await reader.fetch(select.sql(), select.params)]


async def page_of_purchase_orders(
    reader: Reader, principal: Principal, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of the account's purchase orders (/v1) and, when ``query.count`` asks, how many match in all."""
    select = _base(principal).apply(query)
    return [_row(r) for r in await reader.fetch(select.sql(), select.params)], await count_of(reader, select, query)


async def get_purchase_order(reader: Reader, principal: Principal, purchase_order_id: str) -> dict[str, Any]:
    select = _base(principal).where_eq("id", purchase_order_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="purchase order")
    return _row(row)


async def lines(reader: Reader, principal: Principal, ids: Iterable[str]) -> dict[str, list[dict[str, Any]]]:
    """The part lines of these purchase orders, in the order they were given, by purchase order id."""
    wanted = sorted(set(ids))
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in wanted}
    if not wanted:
        return out
    select = Select("purchase_order_parts", LINE_COLUMNS, principal.account_id).where_in("purchase_order_id", wanted)
    select.order_by("position", False).order_by("part_id", False)
    for values in await reader.fetch(select.sql(), select.params):
        row = dict(zip(LINE_COLUMNS, values, strict=True))
        out[row["purchase_order_id"]].append(row)
    return out


async def custom_fields(
    reader: Reader, principal: Principal, ids: Iterable[str], *, newest_first: bool = True
) -> dict[str, list[dict[str, Any]]]:
    """The free custom fields of these purchase orders, newest first (as UpKeep lists them; /v1: oldest
    first), by id."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    select = free_field_select(principal, OWNER).where_in("owner_id", wanted)
    return await free_fields_by_owner(reader, select, wanted, newest_first=newest_first)


async def get_custom_field(
    reader: Reader, principal: Principal, purchase_order_id: str, field_id: str
) -> dict[str, Any]:
    """One free custom field of a live purchase order."""
    await get_purchase_order(reader, principal, purchase_order_id)
    return await free_field(reader, principal, OWNER, purchase_order_id, field_id)


async def update_messages(reader: Reader, principal: Principal, purchase_order_id: str) -> list[dict[str, Any]]:
    select = Select("purchase_order_updates", UPDATE_COLUMNS, principal.account_id)
    select.where_eq("purchase_order_id", purchase_order_id).order_by("created_at", False).order_by("id", False)
    return [dict(zip(UPDATE_COLUMNS, r, strict=True)) for r in await reader.fetch(select.sql(), select.params)]


async def page_of_update_messages(
    reader: Reader, principal: Principal, purchase_order_id: str, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of a live purchase order's update messages (a ``ListQuery`` of ``UPDATE_MESSAGES``, oldest first
    unless it sorts otherwise) and, when ``query.count`` asks, how many there are."""
    await get_purchase_order(reader, principal, purchase_order_id)
    select = Select("purchase_order_updates", UPDATE_COLUMNS, principal.account_id)
    select.where_eq("purchase_order_id", purchase_order_id).apply(query)
    rows = [dict(zip(UPDATE_COLUMNS, r, strict=True)) for r in await reader.fetch(select.sql(), select.params)]
    return rows, await count_of(reader, select, query)


async def get_update_message(
    reader: Reader, principal: Principal, purchase_order_id: str, message_id: str
) -> dict[str, Any]:
    """One update message of a live purchase order."""
    await get_purchase_order(reader, principal, purchase_order_id)
    select = Select("purchase_order_updates", UPDATE_COLUMNS, principal.account_id)
    select.where_eq("purchase_order_id", purchase_order_id).where_eq("id", message_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="update message")
    return dict(zip(UPDATE_COLUMNS, row, strict=True))


async def page_of_receipts(
    reader: Reader, principal: Principal, purchase_order_id: str, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of what was received on a live purchase order: the inventory ledger's rows whose source is the
    order (``part.inventory.move`` with reason ``purchase_order``: one a part and receipt, partial or the rest),
    oldest first unless the query sorts otherwise; and, when ``query.count`` asks, how many there are."""
    await get_purchase_order(reader, principal, purchase_order_id)
    select = Select("part_inventory_moves", RECEIPT_COLUMNS, principal.account_id)
    select.where_eq("source_type", OWNER).where_eq("source_id", purchase_order_id).apply(query)
    rows = [dict(zip(RECEIPT_COLUMNS, r, strict=True)) for r in await reader.fetch(select.sql(), select.params)]
    return rows, await count_of(reader, select, query)


@dataclass(frozen=True, slots=True)
class PurchaseOrderDetail:
    order: dict[str, Any]
    lines: list[dict[str, Any]]
    fields: list[dict[str, Any]]  # free custom fields, newest first
    update_messages: list[dict[str, Any]]  # oldest first


async def purchase_order_detail(reader: Reader, principal: Principal, purchase_order_id: str) -> PurchaseOrderDetail:
    row = await get_purchase_order(reader, principal, purchase_order_id)
    order_id = row["id"]
    return PurchaseOrderDetail(
        row,
        (await lines(reader, principal, [order_id]))[order_id],
        (await custom_fields(reader, principal, [order_id]))[order_id],
        await update_messages(reader, principal, order_id),
    )


# ------------------------------------------------------------------------------------------ categories


async def purchase_order_categories(reader: Reader, principal: Principal, query: ListQuery) -> list[dict[str, Any]]:
    return await account_queries.categories(reader, principal, PURCHASE_ORDER_CATEGORIES, "purchase_order", query)


async def page_of_purchase_order_categories(
    reader: Reader, principal: Principal, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of the purchase-order categories (/v1) and, when ``query.count`` asks, how many match in all."""
    return await account_queries.page_of_categories(
        reader, principal, PURCHASE_ORDER_CATEGORIES, "purchase_order", query
    )


async def get_purchase_order_category(reader: Reader, principal: Principal, category_id: str) -> dict[str, Any]:
    return await account_queries.get_category(
        reader, principal, PURCHASE_ORDER_CATEGORIES, "purchase_order", category_id
    )
