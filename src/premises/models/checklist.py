"""Checklists: form templates (UpKeep's ``/form-templates``) and the time logged on work orders.

A template's items are a small ordered list read with the template on every read, so they are kept
on the row as JSON (``[{name, type, options?, meter?}]``), as a work order keeps its own form items;
a work order copies them when it names the template (``checklist.service.items_for_work_order``).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premises.models._helpers import live_index, tenant_fk
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin


class FormTemplate(TenantMixin, TimestampMixin, Base):
    """A checklist template: a name, a description and the lines a work order copies."""

    __tablename__ = "form_templates"
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    form_items: Mapped[str] = mapped_column(Text, default="[]")  # [{name, type, options?, meter?}]
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("created_by_user_id", "users"),
        live_index("ix_form_templates_account_created", "created_at", "id"),
        live_index("ix_form_templates_account_updated", "updated_at", "id"),
    )


class WorkOrderTimeEntry(TenantMixin, Base):
    """Time spent on a work order (UpKeep's ``timeLog`` timers), in hours like the work order's ``time``.

    Setting a work order's ``time`` records the difference as an ``adjustment`` of the acting user for
    the work order's assignee (``work_order.time_log``), so ``time`` is always the sum of its entries.
    """

    __tablename__ = "work_order_time_entries"
    work_order_id: Mapped[str] = mapped_column(IdColumn())
    user_id: Mapped[str | None] = mapped_column(IdColumn())  # whose time (UpKeep: assignedToUser)
    duration: Mapped[float] = mapped_column(Float)  # hours; an adjustment may be negative
    status: Mapped[str] = mapped_column(String(20), default="adjustment")
    hourly_cost: Mapped[float | None] = mapped_column(Float)
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    created_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("work_order_id", "work_orders"),
        tenant_fk("user_id", "users"),
        tenant_fk("created_by_user_id", "users"),
        Index("ix_work_order_time_entries_wo", "account_id", "work_order_id", "created_at"),
    )
