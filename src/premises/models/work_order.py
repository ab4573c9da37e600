"""Work orders and their parts: additional workers, cost lines, update messages, custom statuses."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Float, Index, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premises.models._helpers import live_index, tenant_fk
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin

WORK_ORDER_STATUSES = ("open", "onHold", "inProgress", "complete")
FORM_ITEM_TYPES = ("TASK", "TEXT", "NUMBER", "CHECKLIST", "MULTIPLE_CHOICE", "METER", "METER_READING")


class WorkOrder(TenantMixin, TimestampMixin, Base):
    __tablename__ = "work_orders"
    work_order_no: Mapped[int] = mapped_column(BigInteger)
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")
    priority: Mapped[int] = mapped_column(Integer, default=0)  # 0 lowest .. 3 highest
    category: Mapped[str | None] = mapped_column(String(200))
    start_date: Mapped[int | None] = mapped_column(BigInteger)
    due_date: Mapped[int | None] = mapped_column(BigInteger)
    end_due_date: Mapped[int | None] = mapped_column(BigInteger)
    date_completed: Mapped[int | None] = mapped_column(BigInteger)
    first_status_change_at: Mapped[int | None] = mapped_column(BigInteger)  # for responseTime
    location_id: Mapped[str | None] = mapped_column(IdColumn())
    asset_id: Mapped[str | None] = mapped_column(IdColumn())
    team_id: Mapped[str | None] = mapped_column(IdColumn())
    assigned_to_user_id: Mapped[str | None] = mapped_column(IdColumn())
    assigned_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    completed_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    requested_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    request_id: Mapped[str | None] = mapped_column(IdColumn())
    case_id: Mapped[str | None] = mapped_column(IdColumn())  # the case it was made for (/v1)
    public_requester_email: Mapped[str | None] = mapped_column(String(320))
    custom_status_id: Mapped[str | None] = mapped_column(IdColumn())
    form_template_id: Mapped[str | None] = mapped_column(IdColumn())
    estimated_duration_hours: Mapped[float | None] = mapped_column(Float)
    time_spent: Mapped[float | None] = mapped_column(Float)  # UpKeep "time"
    cost: Mapped[float | None] = mapped_column(Float)  # UpKeep "cost" (additional cost)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)
    requires_signature: Mapped[bool] = mapped_column(Boolean, default=False)
    decrease_inventory: Mapped[str] = mapped_column(String(10), default="auto")
    image_file_id: Mapped[str | None] = mapped_column(IdColumn())
    image2_file_id: Mapped[str | None] = mapped_column(IdColumn())
    image3_file_id: Mapped[str | None] = mapped_column(IdColumn())
    image4_file_id: Mapped[str | None] = mapped_column(IdColumn())
    image5_file_id: Mapped[str | None] = mapped_column(IdColumn())
    signature_file_id: Mapped[str | None] = mapped_column(IdColumn())
    # Small ordered child lists rendered on every read are kept on the row as JSON (one query per
    # page instead of one per list); work_order_users mirrors additional_user_ids for filtering.
    additional_user_ids: Mapped[str] = mapped_column(Text, default="[]")
    file_ids: Mapped[str] = mapped_column(Text, default="[]")
    form_items: Mapped[str] = mapped_column(Text, default="[]")  # [{id, name, type, value, options, meter}]
    # The list page's copy of work_order_parts (ids and quantities in order), rewritten by part.usage.
    part_ids: Mapped[str] = mapped_column(Text, default="[]")
    part_quantities: Mapped[str] = mapped_column(Text, default="[]")
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("location_id", "places"),
        tenant_fk("asset_id", "assets"),
        tenant_fk("team_id", "teams"),
        tenant_fk("assigned_to_user_id", "users"),
        tenant_fk("assigned_by_user_id", "users"),
        tenant_fk("completed_by_user_id", "users"),
        tenant_fk("created_by_user_id", "users"),
        tenant_fk("custom_status_id", "work_order_statuses"),
        tenant_fk("case_id", "cases"),
        Index("ix_work_orders_account_no", "account_id", "work_order_no", unique=True),
        live_index("ix_work_orders_account_created", "created_at", "id"),
        live_index("ix_work_orders_account_status_created", "status", "created_at", "id"),
        live_index("ix_work_orders_account_location", "location_id", "created_at"),
        live_index("ix_work_orders_account_asset", "asset_id"),
        live_index("ix_work_orders_account_assignee", "assigned_to_user_id"),
        live_index("ix_work_orders_account_case", "case_id", "created_at"),
    )


class WorkOrderStatus(TenantMixin, TimestampMixin, Base):
    """A custom work-order status; ``type`` is the built-in status it counts as."""

    __tablename__ = "work_order_statuses"
    name: Mapped[str] = mapped_column(String(200))
    type: Mapped[str] = mapped_column(String(20))
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    deleted_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)


class WorkOrderUser(Base):
    """An additional worker on a work order."""

    __tablename__ = "work_order_users"
    account_id: Mapped[str] = mapped_column(IdColumn())
    work_order_id: Mapped[str] = mapped_column(IdColumn())
    user_id: Mapped[str] = mapped_column(IdColumn())
    position: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "work_order_id", "user_id"),
        tenant_fk("work_order_id", "work_orders"),
        tenant_fk("user_id", "users"),
        Index("ix_work_order_users_user", "account_id", "user_id"),
    )


class WorkOrderCost(TenantMixin, TimestampMixin, Base):
    """An itemised additional cost (UpKeep ``additionalCosts``)."""

    __tablename__ = "work_order_costs"
    work_order_id: Mapped[str] = mapped_column(IdColumn())
    amount: Mapped[float] = mapped_column(Float)
    info: Mapped[str] = mapped_column(Text)
    category: Mapped[str] = mapped_column(String(200))
    assigned_to_user_id: Mapped[str | None] = mapped_column(IdColumn())
    date: Mapped[int] = mapped_column(BigInteger)
    included_in_total_cost: Mapped[bool] = mapped_column(Boolean, default=False)
    position: Mapped[int] = mapped_column(Integer, default=0)  # order within the work order
    __table_args__ = (
        tenant_fk("work_order_id", "work_orders"),
        tenant_fk("assigned_to_user_id", "users"),
        Index("ix_work_order_costs_wo", "account_id", "work_order_id"),
    )


class WorkOrderUpdate(TenantMixin, Base):
    """An update message on a work order (UpKeep ``arrayOfUpdateItems``)."""

    __tablename__ = "work_order_updates"
    work_order_id: Mapped[str] = mapped_column(IdColumn())
    text: Mapped[str] = mapped_column(Text)
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    created_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("work_order_id", "work_orders"),
        Index("ix_work_order_updates_wo", "account_id", "work_order_id", "created_at"),
    )
