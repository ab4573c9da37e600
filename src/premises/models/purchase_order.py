"""Purchase orders: the order, its part lines and its update messages (categories are ``categories`` of
kind "purchase_order"; custom fields are free ``custom_field_values`` of owner "purchase_order")."""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, Index, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premises.models._helpers import live_index, tenant_fk
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin

# The workflow (purchase_order.service.TRANSITIONS): awaiting -> approved | declined -> fulfilled, with
# partially-fulfilled while some received parts are still pending.
PURCHASE_ORDER_STATUSES = ("awaiting", "approved", "declined", "partially-fulfilled", "fulfilled")


class PurchaseOrder(TenantMixin, TimestampMixin, Base):
    __tablename__ = "purchase_orders"
    title: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="awaiting")
    purchase_order_number: Mapped[int] = mapped_column(BigInteger)
    vendor_id: Mapped[str | None] = mapped_column(IdColumn())
    category: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[int | None] = mapped_column(BigInteger)  # a day: midnight UTC, epoch ms
    po_date: Mapped[int | None] = mapped_column(BigInteger)  # a day: midnight UTC, epoch ms
    tax: Mapped[float | None] = mapped_column(Float)
    shipping_cost: Mapped[float | None] = mapped_column(Float)
    other_cost: Mapped[float | None] = mapped_column(Float)
    requisitioner: Mapped[str | None] = mapped_column(String(200))
    shipping_method: Mapped[str | None] = mapped_column(String(200))
    fob_point: Mapped[str | None] = mapped_column(String(200))
    terms: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    company_name: Mapped[str | None] = mapped_column(String(200))
    company_slogan: Mapped[str | None] = mapped_column(String(200))
    company_street: Mapped[str | None] = mapped_column(String(200))
    company_city: Mapped[str | None] = mapped_column(String(200))
    company_state: Mapped[str | None] = mapped_column(String(200))
    company_zip: Mapped[str | None] = mapped_column(String(40))
    company_phone: Mapped[str | None] = mapped_column(String(60))
    company_fax: Mapped[str | None] = mapped_column(String(60))
    shipping_name: Mapped[str | None] = mapped_column(String(200))
    shipping_company: Mapped[str | None] = mapped_column(String(200))
    shipping_street: Mapped[str | None] = mapped_column(String(200))
    shipping_city: Mapped[str | None] = mapped_column(String(200))
    shipping_state: Mapped[str | None] = mapped_column(String(200))
    shipping_zip: Mapped[str | None] = mapped_column(String(40))
    shipping_phone: Mapped[str | None] = mapped_column(String(60))
    shipping_fax: Mapped[str | None] = mapped_column(String(60))
    # The partial receipts, oldest first: a JSON list of {timestamp (ms), user, received {part id: count}}.
    fulfill_history: Mapped[str] = mapped_column(Text, default="[]")
    approved_at: Mapped[int | None] = mapped_column(BigInteger)
    approved_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    declined_at: Mapped[int | None] = mapped_column(BigInteger)
    declined_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    fulfilled_at: Mapped[int | None] = mapped_column(BigInteger)
    fulfilled_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("vendor_id", "contacts"),
        tenant_fk("approved_by_user_id", "users"),
        tenant_fk("declined_by_user_id", "users"),
        tenant_fk("fulfilled_by_user_id", "users"),
        tenant_fk("created_by_user_id", "users"),
        live_index("ix_purchase_orders_account_created", "created_at"),
        live_index("ix_purchase_orders_account_status", "status"),
    )


class PurchaseOrderPart(Base):
    """A part line: how many are ordered, how many were received, and the part's unit cost when ordered.

    Changed only under the purchase order's row lock (``purchase_order.service``)."""

    __tablename__ = "purchase_order_parts"
    account_id: Mapped[str] = mapped_column(IdColumn())
    purchase_order_id: Mapped[str] = mapped_column(IdColumn())
    part_id: Mapped[str] = mapped_column(IdColumn())
    position: Mapped[int] = mapped_column(Integer, default=0)
    quantity: Mapped[float] = mapped_column(Float)
    received: Mapped[float] = mapped_column(Float, default=0)  # what the part's inventory was increased by
    unit_cost: Mapped[float | None] = mapped_column(Float)
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "purchase_order_id", "part_id"),
        tenant_fk("purchase_order_id", "purchase_orders"),
        tenant_fk("part_id", "parts"),
        Index("ix_purchase_order_parts_part", "account_id", "part_id"),
    )


class PurchaseOrderUpdate(TenantMixin, Base):
    """An update message on a purchase order (UpKeep ``arrayOfUpdateItems``)."""

    __tablename__ = "purchase_order_updates"
    purchase_order_id: Mapped[str] = mapped_column(IdColumn())
    text: Mapped[str] = mapped_column(Text)
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    created_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("purchase_order_id", "purchase_orders"),
        tenant_fk("created_by_user_id", "users"),
        Index("ix_purchase_order_updates_po", "account_id", "purchase_order_id", "created_at"),
    )
