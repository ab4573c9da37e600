"""Purchase orders, write side: create, update (fields, part lines, the workflow, partial receipts), delete;
update messages; free custom fields; purchase-order categories.

The workflow (``TRANSITIONS``): awaiting -> approved | declined -> fulfilled. Only a principal that may
``approve`` decides (approved, declined, or back to awaiting). Receiving parts (``fulfill``) increases each
part's count through ``part.inventory.move`` (reason ``purchase_order``, a ledger row per part): all that
is pending when the status becomes fulfilled, or the counts of a partial receipt, after which the order is
``partially-fulfilled`` until nothing is pending (then ``fulfilled``). Every write locks the order's row
first (``load_purchase_order``) and the parts in id order after it, so parallel receipts of one order
serialise and each sees what the previous one left. Numbers come from the account's counter
``purchase_order_number`` (``kit.counters``) unless the client gives one.

Events: PURCHASE_ORDER_CREATED / _DELETED; _APPROVED / _DECLINED for the change that decides; _UPDATED for
any other change.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from premises.account.categories import category_name, load_category, require_category
from premises.asset import custom_fields
from premises.errors import DomainValidation, ErrorCode, InvalidState, NotFound
from premises.event.service import record_change
from premises.event.types import EventType
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.commands import given, require_non_negative, require_text
from premises.kit.counters import next_value
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import Category, Contact, CustomFieldValue, PurchaseOrder, PurchaseOrderPart, PurchaseOrderUpdate
from premises.part import inventory
from premises.part.service import check_part
from premises.purchase_order.commands import (
    OrderLine,
    PurchaseOrderCategoryChanges,
    PurchaseOrderCategoryCreate,
    PurchaseOrderChanges,
    PurchaseOrderCreate,
    Receipt,
    ValueChanges,
)
from premises.purchase_order.fields import PURCHASE_ORDERS

OWNER = "purchase_order"  # custom_field_values.owner_type of a purchase order's fields
CATEGORY_KIND = "purchase_order"
COUNTER = "purchase_order_number"
DAY_MS = 86_400_000
# The writable fields the service stores as given; the others have rules of their own.
OWN_RULES = frozenset({"title", "status", "category", "vendor_id", "due_date", "po_date", "purchase_order_number"})
SIMPLE_FIELDS = tuple(f.name for f in PURCHASE_ORDERS if f.writable and f.name not in OWN_RULES)
NON_NEGATIVE = ("tax", "shipping_cost", "other_cost")
MAX_NUMBER = PURCHASE_ORDERS.by_name["purchase_order_number"].maximum or 0  # a JavaScript client's safe integer

AWAITING, APPROVED, DECLINED = "awaiting", "approved", "declined"
PARTIALLY_FULFILLED, FULFILLED = "partially-fulfilled", "fulfilled"
# status -> the statuses a client may set from it (partially-fulfilled comes only from a receipt).
TRANSITIONS: Mapping[str, frozenset[str]] = {
    AWAITING: frozenset({APPROVED, DECLINED}),
    APPROVED: frozenset({AWAITING, DECLINED, FULFILLED}),
    DECLINED: frozenset({AWAITING, APPROVED}),
    PARTIALLY_FULFILLED: frozenset({FULFILLED}),
    FULFILLED: frozenset(),
}
# Which action a move to a status takes (the permission table's rows).
DECISIONS = frozenset({AWAITING, APPROVED, DECLINED})
RECEIVING = frozenset({APPROVED, PARTIALLY_FULFILLED})


# ------------------------------------------------------------------------------------------ loading


def load_purchase_order(session: Session, principal: Principal, purchase_order_id: str, action: str) -> PurchaseOrder:
    """A live purchase order the principal may ``action``, locked for the rest of the transaction; else NotFound."""
    principal.require("purchase_order", action)
    order = session.get(PurchaseOrder, (principal.account_id, purchase_order_id), with_for_update=True)
    if order is None or order.deleted_at is not None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="purchase order")
    return order


def _lines(session: Session, order: PurchaseOrder) -> list[PurchaseOrderPart]:
    return list(
        session.scalars(
            select(PurchaseOrderPart)
            .where(PurchaseOrderPart.account_id == order.account_id, PurchaseOrderPart.purchase_order_id == order.id)
            .order_by(PurchaseOrderPart.part_id)
        )
    )


# ------------------------------------------------------------------------------------------ validation


def _day(value: int | None) -> int | None:
    """A date-only field: the midnight (UTC) of the day the instant falls on."""
    return None if value is None else value - value % DAY_MS


def _check_fields(session: Session, principal: Principal, fields: Mapping[str, Any]) -> None:
    account_id = principal.account_id
    require_text(fields, "title")
    number = fields.get("purchase_order_number")
    if number is not None and not 0 <= number <= MAX_NUMBER:
        raise DomainValidation(ErrorCode.OUT_OF_RANGE, field="purchase_order_number")
    require_non_negative(fields, NON_NEGATIVE)
    if fields.get("category"):
        require_category(session, account_id, CATEGORY_KIND, fields["category"], label="purchase order")
    if fields.get("vendor_id"):
        vendor = session.get(Contact, (account_id, fields["vendor_id"]))
        if vendor is None or vendor.deleted_at is not None or not vendor.is_vendor:
            raise DomainValidation(ErrorCode.NOT_FOUND, field="vendor_id", id=fields["vendor_id"])


def _apply(order: PurchaseOrder, fields: Mapping[str, Any]) -> None:
    for name in SIMPLE_FIELDS:
        if name in fields:
            setattr(order, name, fields[name])
    if "title" in fields:
        order.title = str(fields["title"]).strip()
    for name in ("category", "vendor_id"):
        if name in fields:
            setattr(order, name, fields[name] or None)
    for name in ("due_date", "po_date"):
        if name in fields:
            setattr(order, name, _day(fields[name]))
    if fields.get("purchase_order_number") is not None:
        order.purchase_order_number = fields["purchase_order_number"]


def _set_lines(session: Session, principal: Principal, order: PurchaseOrder, lines: Sequence[OrderLine]) -> None:
    """Replace the part lines (every item carries its quantity); a part named twice is one line of the sum."""
    wanted: dict[str, float] = {}
    costs: dict[str, float | None] = {}
    for index, line in enumerate(lines):
        if line.quantity is None:
            raise DomainValidation(ErrorCode.REQUIRED, field=f"parts[{index}].quantity")
        if line.quantity <= 0:
            raise DomainValidation(ErrorCode.OUT_OF_RANGE, field=f"parts[{index}].quantity")
        part = check_part(session, principal, line.part_id, f"parts[{index}].id")
        costs[part.id] = part.cost
        wanted[part.id] = inventory.rounded(wanted.get(part.id, 0) + line.quantity)
    existing = _lines(session, order)
    if any(row.received for row in existing):
        raise InvalidState(ErrorCode.PARTS_ALREADY_RECEIVED, field="parts")
    session.execute(
        delete(PurchaseOrderPart).where(
            PurchaseOrderPart.account_id == order.account_id, PurchaseOrderPart.purchase_order_id == order.id
        )
    )
    for position, (part_id, quantity) in enumerate(wanted.items()):
        session.add(
            PurchaseOrderPart(
                account_id=order.account_id,
                purchase_order_id=order.id,
                part_id=part_id,
                position=position,
                quantity=quantity,
                received=0.0,
                unit_cost=costs[part_id],
            )
        )


# ------------------------------------------------------------------------------------------ receiving


def _receive(session: Session, principal: Principal, order: PurchaseOrder, counts: Mapping[str, float]) -> None:
    """Increase each part's count by what arrived (in part id order, under the order's lock) and the lines'
    ``received``; the order becomes fulfilled when nothing is pending any more."""
    lines = {row.part_id: row for row in _lines(session, order)}
    for part_id in sorted(counts):
        line = lines[part_id]
        line.received = inventory.rounded(line.received + counts[part_id])
        inventory.move(
            session,
            account_id=order.account_id,
            part_id=part_id,
            delta=counts[part_id],
            reason=inventory.Reason.PURCHASE_ORDER,
            user_id=principal.user_id,
            source_type="purchase_order",
            source_id=order.id,
        )
    if all(row.received >= row.quantity for row in lines.values()):
        _stamp(order, principal, FULFILLED)
    else:
        order.status = PARTIALLY_FULFILLED


def _receive_all(session: Session, principal: Principal, order: PurchaseOrder) -> None:
    pending = {row.part_id: row.quantity - row.received for row in _lines(session, order)}
    _receive(session, principal, order, {k: v for k, v in pending.items() if v > 0})


def _partial_receipt(session: Session, principal: Principal, order: PurchaseOrder, receipt: Receipt) -> None:
    counts = dict(receipt.received)
    if not counts or any(not float(v).is_integer() or v <= 0 for v in counts.values()):
        raise DomainValidation(ErrorCode.RECEIPT_NOT_POSITIVE, field="receipt")
    if order.status not in RECEIVING:
        raise InvalidState(ErrorCode.RECEIPT_WRONG_STATUS, field="receipt")
    lines = {row.part_id: row for row in _lines(session, order)}
    for part_id, count in counts.items():
        line = lines.get(part_id)
        if line is None or count > line.quantity - line.received:
            raise DomainValidation(ErrorCode.RECEIPT_OVER_PENDING, field="receipt")
    _receive(session, principal, order, counts)
    history = jsonutil.loads(order.fulfill_history) or []
    history.append({"timestamp": now_ms(), "user": principal.user_id, "received": counts})
    order.fulfill_history = jsonutil.dumps(history)


# ------------------------------------------------------------------------------------------ the workflow


def _stamp(order: PurchaseOrder, principal: Principal, status: str) -> None:
    """Set ``status`` and its stamps; a decision replaces the previous one (awaiting clears both)."""
    now = now_ms()
    order.status = status
    if status in DECISIONS:
        order.approved_at = now if status == APPROVED else None
        order.approved_by_user_id = principal.user_id if status == APPROVED else None
        order.declined_at = now if status == DECLINED else None
        order.declined_by_user_id = principal.user_id if status == DECLINED else None
    if status == FULFILLED:
        order.fulfilled_at = now
        order.fulfilled_by_user_id = principal.user_id


def _move(session: Session, principal: Principal, order: PurchaseOrder, status: str | None) -> EventType:
    """Move the workflow to ``status`` (checked against ``TRANSITIONS`` and the permission table)."""
    if status is None:
        raise DomainValidation(ErrorCode.REQUIRED, field="status")
    principal.require("purchase_order", "approve" if status in DECISIONS else "fulfill")
    if status not in TRANSITIONS[order.status]:
        raise InvalidState(record="purchase order", current=order.status, wanted=status, field="status")
    if status == FULFILLED:
        _receive_all(session, principal, order)
        return EventType.PURCHASE_ORDER_UPDATED
    _stamp(order, principal, status)
    return {APPROVED: EventType.PURCHASE_ORDER_APPROVED, DECLINED: EventType.PURCHASE_ORDER_DECLINED}.get(
        status, EventType.PURCHASE_ORDER_UPDATED
    )


# ------------------------------------------------------------------------------------------ create / update


def create_purchase_order(session: Session, principal: Principal, command: PurchaseOrderCreate) -> PurchaseOrder:
    principal.require("purchase_order", "create")
    fields = given(command)
    _check_fields(session, principal, fields)
    now = now_ms()
    number = command.purchase_order_number
    order = PurchaseOrder(
        account_id=principal.account_id,
        id=new_id(),
        status=AWAITING,
        purchase_order_number=number if number is not None else next_value(session, principal.account_id, COUNTER),
        fulfill_history="[]",
        created_by_user_id=principal.user_id,
        created_at=now,
        updated_at=now,
    )
    _apply(order, fields)
    session.add(order)
    session.flush()
    _set_lines(session, principal, order, command.parts)
    if command.custom_fields:
        custom_fields.put_free_fields(session, principal, OWNER, order.id, command.custom_fields, now, "custom_fields")
    record_change(session, principal, EventType.PURCHASE_ORDER_CREATED, "purchase_order", order)
    return order


def update_purchase_order(
    session: Session, principal: Principal, purchase_order_id: str, command: PurchaseOrderChanges
) -> PurchaseOrder:
    """Change fields, the part lines, the status and / or receive parts; a status the order already has
    changes nothing (no event: parallel fulfilments of one order receive its parts once)."""
    order = load_purchase_order(session, principal, purchase_order_id, "update")
    changes = given(command)
    status = changes.pop("status", order.status)
    if status == order.status and not changes:
        return order
    if "purchase_order_number" in changes and changes["purchase_order_number"] is None:
        raise DomainValidation(ErrorCode.REQUIRED, field="purchase_order_number")
    _check_fields(session, principal, changes)
    now = now_ms()
    _apply(order, changes)
    if changes.get("parts") is not None:
        _set_lines(session, principal, order, changes["parts"])
    elif "parts" in changes:
        _set_lines(session, principal, order, ())
    event = EventType.PURCHASE_ORDER_UPDATED
    if status != order.status:
        event = _move(session, principal, order, status)
    if changes.get("receipt") is not None:
        principal.require("purchase_order", "fulfill")
        _partial_receipt(session, principal, order, changes["receipt"])
    if changes.get("custom_fields"):  # null does not delete custom fields (UpKeep)
        custom_fields.put_free_fields(
            session, principal, OWNER, order.id, changes["custom_fields"], now, "custom_fields"
        )
    order.updated_at = now
    record_change(session, principal, event, "purchase_order", order)
    return order


def delete_purchase_order(session: Session, principal: Principal, purchase_order_id: str) -> None:
    """Soft delete; parts already received stay in stock (the ledger keeps the order's id)."""
    order = load_purchase_order(session, principal, purchase_order_id, "delete")
    now = now_ms()
    order.deleted_at = now
    order.updated_at = now
    record_change(session, principal, EventType.PURCHASE_ORDER_DELETED, "purchase_order", order)


def add_update_message(
    session: Session, principal: Principal, purchase_order_id: str, text: str | None
) -> PurchaseOrderUpdate:
    order = load_purchase_order(session, principal, purchase_order_id, "update")
    if text is None or not text.strip():
        raise DomainValidation(ErrorCode.REQUIRED, field="text")
    now = now_ms()
    message = PurchaseOrderUpdate(
        account_id=principal.account_id,
        id=new_id(),
        purchase_order_id=order.id,
        text=text,
        created_by_user_id=principal.user_id,
        created_at=now,
    )
    session.add(message)
    order.updated_at = now
    record_change(session, principal, EventType.PURCHASE_ORDER_UPDATED, "purchase_order", order)
    return message


# ------------------------------------------------------------------------------------------ one custom field


def update_custom_field(
    session: Session, principal: Principal, purchase_order_id: str, field_id: str, changes: ValueChanges
) -> CustomFieldValue:
    order = load_purchase_order(session, principal, purchase_order_id, "update")
    value = custom_fields.change_owned_value(session, principal.account_id, OWNER, order, field_id, changes)
    record_change(session, principal, EventType.PURCHASE_ORDER_UPDATED, "purchase_order", order)
    return value


def delete_custom_field(session: Session, principal: Principal, purchase_order_id: str, field_id: str) -> None:
    order = load_purchase_order(session, principal, purchase_order_id, "update")
    custom_fields.delete_owned_value(session, principal.account_id, OWNER, order, field_id)
    record_change(session, principal, EventType.PURCHASE_ORDER_UPDATED, "purchase_order", order)


# ------------------------------------------------------------------------------------------ categories


def _category_name(session: Session, account_id: str, name: str | None, exclude_id: str | None) -> str:
    """A category name: not blank, and no other purchase-order category of the account has it."""
    return category_name(
        session, account_id, CATEGORY_KIND, name, record="purchase order category", exclude_id=exclude_id
    )


def create_category(session: Session, principal: Principal, command: PurchaseOrderCategoryCreate) -> Category:
    principal.require("purchase_order_category", "write")
    now = now_ms()
    category = Category(
        account_id=principal.account_id,
        id=new_id(),
        kind=CATEGORY_KIND,
        name=_category_name(session, principal.account_id, command.name, None),
        position=0,
        created_at=now,
        updated_at=now,
    )
    session.add(category)
    session.flush()
    return category


def _load_category(session: Session, principal: Principal, category_id: str) -> Category:
    principal.require("purchase_order_category", "write")
    return load_category(session, principal.account_id, CATEGORY_KIND, category_id, record="purchase order category")


def rename_category(
    session: Session, principal: Principal, category_id: str, changes: PurchaseOrderCategoryChanges
) -> Category:
    """Rename a category; purchase orders that have the old name keep it (as a deleted category's)."""
    category = _load_category(session, principal, category_id)
    fields = given(changes)
    if "name" in fields:
        category.name = _category_name(session, principal.account_id, fields["name"], category.id)
        category.updated_at = now_ms()
    return category


def delete_category(session: Session, principal: Principal, category_id: str) -> None:
    """Remove a category; purchase orders that have it keep the name."""
    session.delete(_load_category(session, principal, category_id))
