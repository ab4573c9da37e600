"""What the purchase-order services take: typed commands with domain names (style: ``premises.kit.commands``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from premises.asset.commands import FreeFieldChange, ValueChanges
from premises.kit.commands import UNSET, Unset

# A purchase order's custom fields are free fields ({name, value, unit}) like an asset's: the same commands.
__all__ = [
    "FreeFieldChange",
    "OrderLine",
    "PurchaseOrderCategoryChanges",
    "PurchaseOrderCategoryCreate",
    "PurchaseOrderChanges",
    "PurchaseOrderCreate",
    "Receipt",
    "ValueChanges",
]


@dataclass(frozen=True, slots=True)
class OrderLine:
    """``quantity`` units of ``part_id`` ordered (positive)."""

    part_id: str
    quantity: float | None


@dataclass(frozen=True, slots=True)
class Receipt:
    """A partial fulfilment: how many of each ordered part arrived (part id -> count, positive integers)."""

    received: Mapping[str, float]


@dataclass(frozen=True, slots=True)
class PurchaseOrderCreate:
    title: str | None
    purchase_order_number: int | None = None  # None: the account's next number
    parts: Sequence[OrderLine] = ()
    vendor_id: str | None = None
    description: str | None = None
    category: str | None = None
    due_date: int | None = None  # any instant of the day: stored as its midnight UTC
    po_date: int | None = None
    tax: float | None = None
    shipping_cost: float | None = None
    other_cost: float | None = None
    requisitioner: str | None = None
    shipping_method: str | None = None
    fob_point: str | None = None
    terms: str | None = None
    notes: str | None = None
    company_name: str | None = None
    company_slogan: str | None = None
    company_street: str | None = None
    company_city: str | None = None
    company_state: str | None = None
    company_zip: str | None = None
    company_phone: str | None = None
    company_fax: str | None = None
    shipping_name: str | None = None
    shipping_company: str | None = None
    shipping_street: str | None = None
    shipping_city: str | None = None
    shipping_state: str | None = None
    shipping_zip: str | None = None
    shipping_phone: str | None = None
    shipping_fax: str | None = None
    custom_fields: Sequence[FreeFieldChange] = ()


@dataclass(frozen=True, slots=True)
class PurchaseOrderChanges:
    """A partial update: ``UNSET`` leaves a field as it is, ``None`` clears it. ``status`` moves the
    workflow; ``receipt`` is a partial fulfilment; ``parts`` replaces every line; ``custom_fields`` adds or
    changes, never removes."""

    title: str | Unset | None = UNSET
    status: str | Unset | None = UNSET
    receipt: Receipt | Unset | None = UNSET
    purchase_order_number: int | Unset | None = UNSET
    parts: Sequence[OrderLine] | Unset | None = UNSET
    vendor_id: str | Unset | None = UNSET
    description: str | Unset | None = UNSET
    category: str | Unset | None = UNSET
    due_date: int | Unset | None = UNSET
    po_date: int | Unset | None = UNSET
    tax: float | Unset | None = UNSET
    shipping_cost: float | Unset | None = UNSET
    other_cost: float | Unset | None = UNSET
    requisitioner: str | Unset | None = UNSET
    shipping_method: str | Unset | None = UNSET
    fob_point: str | Unset | None = UNSET
    terms: str | Unset | None = UNSET
    notes: str | Unset | None = UNSET
    company_name: str | Unset | None = UNSET
    company_slogan: str | Unset | None = UNSET
    company_street: str | Unset | None = UNSET
    company_city: str | Unset | None = UNSET
    company_state: str | Unset | None = UNSET
    company_zip: str | Unset | None = UNSET
    company_phone: str | Unset | None = UNSET
    company_fax: str | Unset | None = UNSET
    shipping_name: str | Unset | None = UNSET
    shipping_company: str | Unset | None = UNSET
    shipping_street: str | Unset | None = UNSET
    shipping_city: str | Unset | None = UNSET
    shipping_state: str | Unset | None = UNSET
    shipping_zip: str | Unset | None = UNSET
    shipping_phone: str | Unset | None = UNSET
    shipping_fax: str | Unset | None = UNSET
    custom_fields: Sequence[FreeFieldChange] | Unset | None = UNSET


@dataclass(frozen=True, slots=True)
class PurchaseOrderCategoryCreate:
    name: str | None


@dataclass(frozen=True, slots=True)
class PurchaseOrderCategoryChanges:
    name: str | Unset | None = UNSET
