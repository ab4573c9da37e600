"""The purchase-order fields, declared once (``premises.kit.fields``): domain names, columns, types, capabilities.

Every column of the ``purchase_orders`` read model, in the order ``purchase_order.queries`` selects it
(``queries.COLUMNS`` is ``PURCHASE_ORDERS.columns``); ``service.SIMPLE_FIELDS`` derives from ``writable``;
``tests/domain/purchase_order/test_fields.py`` keeps the declarations equal to the tables. ``UPDATE_MESSAGES``
are an order's update messages (``purchase_order_updates``), ``RECEIPTS`` what was received on it: the
inventory ledger's rows (``part_inventory_moves``) whose source is the order.
"""

from __future__ import annotations

from premises.kit.fields import Catalogue, Field, FieldType
from premises.models.purchase_order import PURCHASE_ORDER_STATUSES

ID, INSTANT, NUMBER, STRING, TEXT = FieldType.ID, FieldType.INSTANT, FieldType.NUMBER, FieldType.STRING, FieldType.TEXT
LONG_TEXT = 100_000


def _string(name: str, length: int) -> Field:
    return Field(name, STRING, max_length=length, writable=True)


def _text(name: str) -> Field:
    return Field(name, TEXT, max_length=LONG_TEXT, writable=True)


def _by(name: str) -> Field:
    return Field(name, ID, sortable=False)


PURCHASE_ORDERS = Catalogue(
    "purchase_order",
    (
        Field("id", ID, nullable=False),
        _by("created_by_user_id"),
        Field("title", STRING, nullable=False, max_length=300, searchable=True, writable=True),
        _text("description"),
        Field("status", FieldType.ENUM, nullable=False, choices=PURCHASE_ORDER_STATUSES, writable=True),
        Field("approved_at", INSTANT),
        _by("approved_by_user_id"),
        Field("declined_at", INSTANT),
        _by("declined_by_user_id"),
        Field("fulfilled_at", INSTANT),
        _by("fulfilled_by_user_id"),
        Field("po_date", INSTANT, writable=True),
        Field("due_date", INSTANT, writable=True),
        Field("vendor_id", ID, sortable=False, writable=True),
        Field("fulfill_history", FieldType.JSON, nullable=False),
        Field("tax", NUMBER, writable=True),
        Field("shipping_cost", NUMBER, writable=True),
        Field("other_cost", NUMBER, writable=True),
        _string("requisitioner", 200),
        _string("shipping_method", 200),
        _string("fob_point", 200),
        _text("terms"),
        _text("notes"),
        _string("company_name", 200),
        _string("company_slogan", 200),
        _string("company_street", 200),
        _string("company_city", 200),
        _string("company_state", 200),
        _string("company_zip", 40),
        _string("company_phone", 60),
        _string("company_fax", 60),
        _string("shipping_name", 200),
        _string("shipping_company", 200),
        _string("shipping_street", 200),
        _string("shipping_city", 200),
        _string("shipping_state", 200),
        _string("shipping_zip", 40),
        _string("shipping_phone", 60),
        _string("shipping_fax", 60),
        Field("purchase_order_number", FieldType.INTEGER, nullable=False, writable=True, minimum=0, maximum=2**53 - 1),
        _string("category", 200),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
    ),
    default_sort=(("created_at", True),),
)

# The account's purchase-order categories, the ``categories`` rows of kind "purchase_order", newest first.
PURCHASE_ORDER_CATEGORIES = Catalogue(
    "purchase_order_category",
    (
        Field("id", ID, nullable=False),
        Field("name", STRING, nullable=False, max_length=200, searchable=True, writable=True),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT),
    ),
    default_sort=(("created_at", True),),
)

# An order's update messages (``purchase_order_updates``), oldest first.
UPDATE_MESSAGES = Catalogue(
    "purchase_order_update",
    (
        Field("id", ID, nullable=False),
        Field("purchase_order_id", ID, nullable=False, sortable=False),
        Field("text", TEXT, nullable=False, max_length=LONG_TEXT, searchable=True),
        _by("created_by_user_id"),
        Field("created_at", INSTANT, nullable=False),
    ),
    default_sort=(("created_at", False),),
)

# What was received on an order: one ledger row (``part_inventory_moves``, source the order) per part and
# receipt, a partial one or the fulfilment of everything pending; oldest first.
RECEIPTS = Catalogue(
    "purchase_order_receipt",
    (
        Field("id", ID, nullable=False),
        Field("part_id", ID, nullable=False, sortable=False),
        Field("delta", NUMBER, nullable=False),
        _by("user_id"),
        Field("created_at", INSTANT, nullable=False),
    ),
    default_sort=(("created_at", False),),
)
