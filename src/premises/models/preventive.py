"""Preventive maintenance: triggers (a recurrence and a work-order template) and the work orders they made."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Float, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from premises.models._helpers import live_index, tenant_fk
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin


class PmTrigger(TenantMixin, TimestampMixin, Base):
    """A preventive-maintenance trigger (docs/preventive-maintenance.md).

    The recurrence is an RFC 5545 rule in wall-clock time: ``rrdtstart``, ``rruntil``, ``rdates``
    and ``exdates`` are local times (``YYYY-MM-DDTHH:MM:SS``) in the IANA zone ``rrtzid``; the by-lists
    and dates are JSON lists. ``next_due_at`` (epoch ms) is the next occurrence without a work order:
    the sweep creates it when it comes (None: the schedule has ended, or it waits for the completion of
    ``last_work_order_id``). ``wo_*``: the template of the work orders it creates.
    """

    __tablename__ = "pm_triggers"
    name: Mapped[str] = mapped_column(String(500))
    schedule_type: Mapped[str] = mapped_column(String(60))
    rrfreq: Mapped[str] = mapped_column(String(10))
    rrinterval: Mapped[int] = mapped_column(Integer)
    rrbyweekday: Mapped[str | None] = mapped_column(Text)
    rrbymonthday: Mapped[str | None] = mapped_column(Text)
    rrbysetpos: Mapped[str | None] = mapped_column(Text)
    rrdtstart: Mapped[str] = mapped_column(String(19))
    rruntil: Mapped[str | None] = mapped_column(String(19))
    rrtzid: Mapped[str] = mapped_column(String(64))
    rdates: Mapped[str | None] = mapped_column(Text)
    exdates: Mapped[str | None] = mapped_column(Text)
    create_first_wo: Mapped[bool] = mapped_column(Boolean, default=False)
    next_on_completion: Mapped[bool] = mapped_column(Boolean, default=False)
    cadence_type: Mapped[str | None] = mapped_column(String(60))
    cadence_freq: Mapped[str | None] = mapped_column(String(10))
    cadence_interval: Mapped[int | None] = mapped_column(Integer)
    meter_id: Mapped[str | None] = mapped_column(IdColumn())
    meter_condition: Mapped[str | None] = mapped_column(String(40))
    meter_condition_value: Mapped[float | None] = mapped_column(Float)
    meter_due_interval: Mapped[int | None] = mapped_column(Integer)
    meter_due_frequency: Mapped[str | None] = mapped_column(String(10))
    meter_baseline: Mapped[float | None] = mapped_column(Float)  # EVERY: the reading the interval counts from
    next_due_at: Mapped[int | None] = mapped_column(BigInteger)
    last_due_at: Mapped[int | None] = mapped_column(BigInteger)
    schedule_has_ended: Mapped[bool] = mapped_column(Boolean, default=False)
    is_paused: Mapped[bool] = mapped_column(Boolean, default=False)
    is_archived: Mapped[bool] = mapped_column(Boolean, default=False)
    archived_at: Mapped[int | None] = mapped_column(BigInteger)
    archived_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    last_work_order_id: Mapped[str | None] = mapped_column(IdColumn())
    # A legacy recurring work order (UpKeep before 2022-09-14, ``preventive.legacy``): the root work order
    # this trigger was made from, whose schedule it is; None for the triggers of /preventive-maintenance.
    legacy_work_order_id: Mapped[str | None] = mapped_column(IdColumn())
    wo_title: Mapped[str] = mapped_column(String(500))
    wo_description: Mapped[str | None] = mapped_column(Text)
    wo_priority: Mapped[int | None] = mapped_column(Integer)
    wo_category: Mapped[str | None] = mapped_column(String(200))
    wo_asset_id: Mapped[str | None] = mapped_column(IdColumn())
    wo_location_id: Mapped[str | None] = mapped_column(IdColumn())
    wo_assigned_to_user_id: Mapped[str | None] = mapped_column(IdColumn())
    wo_additional_user_ids: Mapped[str | None] = mapped_column(Text)
    wo_parts: Mapped[str | None] = mapped_column(Text)
    wo_part_quantities: Mapped[str | None] = mapped_column(Text)
    wo_duration: Mapped[float | None] = mapped_column(Float)
    created_by_user_id: Mapped[str] = mapped_column(IdColumn())  # also in whose name its work orders are made
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("meter_id", "meters"),
        tenant_fk("archived_by_user_id", "users"),
        tenant_fk("last_work_order_id", "work_orders"),
        tenant_fk("legacy_work_order_id", "work_orders"),
        tenant_fk("wo_asset_id", "assets"),
        tenant_fk("wo_location_id", "places"),
        tenant_fk("wo_assigned_to_user_id", "users"),
        tenant_fk("created_by_user_id", "users"),
        live_index("ix_pm_triggers_account_created", "created_at"),
        # The sweep's question: which live, running triggers of an account are due.
        Index(
            "ix_pm_triggers_account_due",
            "account_id",
            "next_due_at",
            postgresql_where=text("deleted_at IS NULL AND NOT is_paused AND NOT is_archived"),
            sqlite_where=text("deleted_at IS NULL AND NOT is_paused AND NOT is_archived"),
        ),
    )


class PmWorkOrder(TenantMixin, Base):
    """The work order a trigger created for one occurrence (``due_at``, epoch ms).

    The unique key (account, trigger, occurrence) is what makes the sweep exactly-once: two sweeps
    that both reach an occurrence cannot both record it, so only one work order survives.
    """

    __tablename__ = "pm_work_orders"
    trigger_id: Mapped[str] = mapped_column(IdColumn())
    due_at: Mapped[int] = mapped_column(BigInteger)
    work_order_id: Mapped[str] = mapped_column(IdColumn())
    created_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("trigger_id", "pm_triggers"),
        tenant_fk("work_order_id", "work_orders"),
        Index(
            "uq_pm_work_orders_trigger_due",  # no UpKeep wording: the sweep takes a violation as "made already"
            "account_id",
            "trigger_id",
            "due_at",
            unique=True,
        ),
        Index("ix_pm_work_orders_account_work_order", "account_id", "work_order_id", unique=True),
    )
