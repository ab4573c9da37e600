"""Purchase order, its custom fields and purchase-order category <-> UpKeep wire shapes.

A purchase order shows its part lines as ``parts`` (ids) with ``partQuantities`` beside them,
``partsPendingQuantities`` (part id -> still to receive), ``partialFulfillHistory`` ({timestamp, user,
received}), ``totalQuantity`` and ``totalCost`` (each line's quantity at the part's cost when ordered).
``dueDate`` and ``poDate`` are days, shown as their midnight (``2018-06-30T00:00:00.000Z``). A body's
``parts`` are objects ``{id, quantity}``; a partial fulfilment is ``{"partsReceived": {part id: count},
"statusAction": "partially-fulfilled"}``; custom fields are ``customFieldsPO`` items ``{name, value, unit}``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from premises.api.kit.body import Field, Spec
from premises.api.kit.errors import WireInputError
from premises.api.kit.order_lines import order_lines, receipt
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.upkeep.mappers import assets
from premises.api.upkeep.mappers.assets import parse_free_fields, parse_value_update
from premises.api.upkeep.mappers.common import DATE, ID_OR_OBJECT, IDS, NNUM, NSTR, iso, obj
from premises.api.upkeep.mappers.parts import free_field_renderer, free_field_schema, number
from premises.db.reader import Reader
from premises.errors import ErrorCode
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.commands import build
from premises.models import PurchaseOrder
from premises.purchase_order import queries
from premises.purchase_order.commands import (
    PurchaseOrderCategoryChanges,
    PurchaseOrderCategoryCreate,
    PurchaseOrderChanges,
    PurchaseOrderCreate,
)
from premises.purchase_order.fields import PURCHASE_ORDER_CATEGORIES, PURCHASE_ORDERS

CUSTOM_FIELDS = "customFieldsPO"
STATUS_ACTION = "partially-fulfilled"
LINE_KEYS = ("parts", "partQuantities", "partsPendingQuantities")
TOTAL_KEYS = ("totalQuantity", "totalCost")
MAP = {"type": "object", "additionalProperties": {"type": "number"}}
HISTORY = {
    "type": "array",
    "items": obj({"timestamp": DATE, "user": NSTR, "received": MAP}, ("timestamp", "received")),
}


def history(value: Any) -> list[dict[str, Any]]:
    """The stored receipts (a JSON text, or the list an event snapshot parsed) as UpKeep shows them."""
    items = jsonutil.loads(value) if isinstance(value, str) else value
    return [
        {
            "timestamp": iso(item["timestamp"]),
            "user": item.get("user"),
            "received": {k: number(v) for k, v in item["received"].items()},
        }
        for item in items or ()
    ]


def _number(name: str) -> Wire:
    return Wire(name, number)


# UpKeep's name and rendering of every purchase-order field (purchase_order.fields declares them), in order.
UPKEEP = Fields(
    PURCHASE_ORDERS.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "created_by_user_id": Wire(
                "createdByUser", schema=ID_OR_OBJECT, filter="Only purchase orders created by this user."
            ),
            "title": Wire("title", filter="Only purchase orders with exactly this title."),
            "description": Wire("description"),
            "status": Wire("status", filter="Only purchase orders with this status."),
            "approved_at": Wire("approvedAt", iso, ordered=True),
            "approved_by_user_id": Wire("approvedByUser", schema=ID_OR_OBJECT),
            "declined_at": Wire("declinedAt", iso, ordered=True),
            "declined_by_user_id": Wire("declinedByUser", schema=ID_OR_OBJECT),
            "fulfilled_at": Wire("fulfilledAt", iso, ordered=True),
            "fulfilled_by_user_id": Wire("fulfilledByUser", schema=ID_OR_OBJECT),
            "po_date": Wire("poDate", iso, ordered=True),
            "due_date": Wire("dueDate", iso, ordered=True),
            "vendor_id": Wire(
                "vendor", schema=ID_OR_OBJECT, filter="Only purchase orders of this vendor.", then=LINE_KEYS
            ),
            "fulfill_history": Wire("partialFulfillHistory", history, schema=HISTORY, then=TOTAL_KEYS),
            "tax": _number("tax"),
            "shipping_cost": _number("shippingCost"),
            "other_cost": _number("otherCost"),
            "requisitioner": Wire("requisitioner"),
            "shipping_method": Wire("shippingMethod"),
            "fob_point": Wire("fobPoint"),
            "terms": Wire("terms"),
            "notes": Wire("notes"),
            "company_name": Wire("companyName"),
            "company_slogan": Wire("companySlogan"),
            "company_street": Wire("companyStreet"),
            "company_city": Wire("companyCity"),
            "company_state": Wire("companyState"),
            "company_zip": Wire("companyZip"),
            "company_phone": Wire("companyPhone"),
            "company_fax": Wire("companyFax"),
            "shipping_name": Wire("shippingName"),
            "shipping_company": Wire("shippingCompany"),
            "shipping_street": Wire("shippingStreet"),
            "shipping_city": Wire("shippingCity"),
            "shipping_state": Wire("shippingState"),
            "shipping_zip": Wire("shippingZip"),
            "shipping_phone": Wire("shippingPhone"),
            "shipping_fax": Wire("shippingFax"),
            "purchase_order_number": Wire("purchaseOrderNumber"),
            "category": Wire(
                "category", filter="Only purchase orders of this category.", then=("arrayOfUpdateItems", CUSTOM_FIELDS)
            ),
            "created_at": Wire("createdAt", iso, ordered=True),
            "updated_at": Wire("updatedAt", iso, ordered=True),
        },
    )
)
# Body fields that are no column of the purchase order.
_LINES = (Field("parts", "object_list", to="parts"), Field(CUSTOM_FIELDS, "object_list", to="custom_fields"))
_RECEIPT = (
    Field("statusAction", choices=(STATUS_ACTION,), to="status_action"),
    Field("partsReceived", "object", to="receipt"),
)
CREATE = Spec(
    *UPKEEP.body_fields(required=required_of(PurchaseOrderCreate), without=("status",)), *_LINES, model=PurchaseOrder
)
UPDATE = Spec(*UPKEEP.body_fields(not_null=("title",)), *_LINES, *_RECEIPT, model=PurchaseOrder)
UPDATE_CUSTOM_FIELD = assets.UPDATE_CUSTOM_FIELD  # {name, value, unit}, as an asset's free field
UPDATE_MESSAGE = Spec(Field("text", required=True, nullable=False))
CATEGORIES = Fields(
    PURCHASE_ORDER_CATEGORIES.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "name": Wire("name", filter="Only the category with exactly this name."),
            "created_at": Wire("createdAt", iso, ordered=True),
            "updated_at": Wire("updatedAt", iso, ordered=True),
        },
    )
)
CREATE_CATEGORY = Spec(*CATEGORIES.body_fields(required=("name",)))
UPDATE_CATEGORY = Spec(*CATEGORIES.body_fields(not_null=("name",)))


# ------------------------------------------------------------------------------------------ parsing


def _receipt(fields: dict[str, Any]) -> None:
    """``statusAction`` and ``partsReceived`` come together: a ``Receipt`` of counts."""
    action, received = fields.pop("status_action", None), fields.get("receipt")
    if action is None and received is None:
        fields.pop("receipt", None)
        return
    if action is None:
        raise WireInputError(ErrorCode.REQUIRED, field="statusAction")
    if received is None:
        raise WireInputError(ErrorCode.REQUIRED, field="partsReceived")
    fields["receipt"] = receipt(received, "partsReceived")


def _finish(fields: dict[str, Any]) -> dict[str, Any]:
    if fields.get("parts") is not None:
        fields["parts"] = order_lines(fields["parts"])
    if "custom_fields" in fields:
        fields["custom_fields"] = parse_free_fields(fields["custom_fields"] or [], CUSTOM_FIELDS)
    return fields


def parse_create(body: Mapping[str, Any]) -> PurchaseOrderCreate:
    fields = _finish(CREATE.parse(body))
    fields["parts"] = fields.get("parts") or ()
    return build(PurchaseOrderCreate, fields)


def parse_update(body: Mapping[str, Any]) -> PurchaseOrderChanges:
    fields = _finish(UPDATE.parse(body, partial=True))
    _receipt(fields)
    return build(PurchaseOrderChanges, fields)


parse_custom_field_update = parse_value_update


def parse_category(body: Mapping[str, Any]) -> PurchaseOrderCategoryCreate:
    return build(PurchaseOrderCategoryCreate, CREATE_CATEGORY.parse(body))


def parse_category_update(body: Mapping[str, Any]) -> PurchaseOrderCategoryChanges:
    return build(PurchaseOrderCategoryChanges, UPDATE_CATEGORY.parse(body, partial=True))


# ------------------------------------------------------------------------------------------ rendering


custom_field_to_upkeep = free_field_renderer("purchaseOrder")


def update_message_to_upkeep(message: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": message["id"],
        "text": message["text"],
        "createdByUser": message["created_by_user_id"],
        "createdAt": iso(message["created_at"]),
    }


def to_upkeep(
    row: Mapping[str, Any], lines: Sequence[Mapping[str, Any]] = (), fields: Sequence[Mapping[str, Any]] = ()
) -> dict[str, Any]:
    """The purchase order with its part lines and custom fields (``arrayOfUpdateItems`` is the route's)."""
    out = UPKEEP.render(row)
    out["parts"] = [line["part_id"] for line in lines]
    out["partQuantities"] = [number(line["quantity"]) for line in lines]
    out["partsPendingQuantities"] = {line["part_id"]: number(line["quantity"] - line["received"]) for line in lines}
    out["totalQuantity"] = number(sum(line["quantity"] for line in lines))
    out["totalCost"] = number(round(sum(line["quantity"] * (line["unit_cost"] or 0) for line in lines), 6))
    out["arrayOfUpdateItems"] = []
    out[CUSTOM_FIELDS] = [custom_field_to_upkeep(f) for f in fields]
    return out


async def render(reader: Reader, principal: Principal, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Wire objects for a page of purchase orders: lines and custom fields come in one query each."""
    ids = [r["id"] for r in rows]
    lines = await queries.lines(reader, principal, ids)
    fields = await queries.custom_fields(reader, principal, ids)
    items = [to_upkeep(row, lines.get(row["id"], ()), fields.get(row["id"], ())) for row in rows]
    for item in items:
        del item["arrayOfUpdateItems"]  # the detail's (GET /purchase-orders/{id})
    return items


def render_detail(detail: queries.PurchaseOrderDetail, expand_messages: bool) -> dict[str, Any]:
    """``GET /purchase-orders/{id}``: with its update messages (ids, or objects when expanded)."""
    item = to_upkeep(detail.order, detail.lines, detail.fields)
    messages = detail.update_messages
    item["arrayOfUpdateItems"] = (
        [update_message_to_upkeep(m) for m in messages] if expand_messages else [m["id"] for m in messages]
    )
    return item


# ------------------------------------------------------------------------------------------ schemas

CUSTOM_FIELD_SCHEMA = free_field_schema("purchaseOrder")
SCHEMA = obj(
    UPKEEP.schema_properties(
        {
            "parts": IDS,
            "partQuantities": {"type": "array", "items": {"type": "number"}},
            "partsPendingQuantities": MAP,
            "totalQuantity": {"type": "number"},
            "totalCost": NNUM,
            "arrayOfUpdateItems": IDS,  # GET /purchase-orders/{id} only
            CUSTOM_FIELDS: {"type": "array", "items": CUSTOM_FIELD_SCHEMA},
        }
    ),
    UPKEEP.required(),
)
CATEGORY_SCHEMA = obj(CATEGORIES.schema_properties({}), ("id", "name"))
