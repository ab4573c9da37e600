"""Work requests: raised by requesters, approved into a work order, rejected or cancelled."""

from __future__ import annotations

from sqlalchemy import BigInteger, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premises.models._helpers import live_index, tenant_fk
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin

REQUEST_STATUSES = ("open", "approved", "rejected", "cancelled")


class WorkRequest(TenantMixin, TimestampMixin, Base):
    __tablename__ = "requests"
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="open")
    priority: Mapped[int] = mapped_column(Integer, default=0)
    category: Mapped[str | None] = mapped_column(String(200))
    due_date: Mapped[int | None] = mapped_column(BigInteger)
    end_due_date: Mapped[int | None] = mapped_column(BigInteger)
    location_id: Mapped[str | None] = mapped_column(IdColumn())
    asset_id: Mapped[str | None] = mapped_column(IdColumn())
    team_id: Mapped[str | None] = mapped_column(IdColumn())
    assigned_to_user_id: Mapped[str | None] = mapped_column(IdColumn())
    assigned_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    requested_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    public_requester_email: Mapped[str | None] = mapped_column(String(320))
    image_file_id: Mapped[str | None] = mapped_column(IdColumn())
    file_ids: Mapped[str] = mapped_column(Text, default="[]")  # JSON list, as on work orders
    work_order_id: Mapped[str | None] = mapped_column(IdColumn())
    # Who approved, rejected or cancelled the request (each is final), when, and the reason given.
    decided_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    decided_at: Mapped[int | None] = mapped_column(BigInteger)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("location_id", "places"),
        tenant_fk("asset_id", "assets"),
        tenant_fk("team_id", "teams"),
        tenant_fk("assigned_to_user_id", "users"),
        tenant_fk("assigned_by_user_id", "users"),
        tenant_fk("requested_by_user_id", "users"),
        tenant_fk("decided_by_user_id", "users"),
        tenant_fk("work_order_id", "work_orders"),
        live_index("ix_requests_account_created", "created_at"),
    )
