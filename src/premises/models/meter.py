"""Meters, their readings, their notifications (triggers) and the record of every trigger hit."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premises.models._helpers import live_index, tenant_fk
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin


class Meter(TenantMixin, TimestampMixin, Base):
    """Something measured over time (mileage, run hours, a temperature). ``frequency``: days between readings.

    A ``cumulative`` meter (odometers, run hours) only counts up: a lower reading is refused unless
    it is marked as a reset (or the meter's replacement).
    """

    __tablename__ = "meters"
    name: Mapped[str] = mapped_column(String(200))
    units: Mapped[str] = mapped_column(String(100))
    frequency: Mapped[int] = mapped_column(Integer)
    asset_id: Mapped[str | None] = mapped_column(IdColumn())
    location_id: Mapped[str | None] = mapped_column(IdColumn())
    cumulative: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("asset_id", "assets"),
        tenant_fk("location_id", "places"),
        tenant_fk("created_by_user_id", "users"),
        live_index("ix_meters_account_created", "created_at"),
        live_index("ix_meters_account_asset", "asset_id"),
        live_index("ix_meters_account_location", "location_id"),
    )


class MeterReading(TenantMixin, TimestampMixin, Base):
    """One reading: ``value`` at ``date`` (epoch ms). ``is_reset``: the meter was reset or replaced here."""

    __tablename__ = "meter_readings"
    meter_id: Mapped[str] = mapped_column(IdColumn())
    value: Mapped[float] = mapped_column(Float)
    date: Mapped[int] = mapped_column(BigInteger)
    is_reset: Mapped[bool] = mapped_column(Boolean, default=False)
    evaluated_at: Mapped[int | None] = mapped_column(BigInteger)  # when meter.evaluation took it (once)
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("meter_id", "meters"),
        tenant_fk("created_by_user_id", "users"),
        live_index("ix_meter_readings_account_meter_date", "meter_id", "date"),
        live_index("ix_meter_readings_account_meter_created", "meter_id", "created_at"),
    )


class MeterNotification(TenantMixin, TimestampMixin, Base):
    """A trigger on a meter's readings that creates a work order (``meter.evaluation`` decides when).

    ``last_value_for_work_order`` is the baseline of an interval trigger (EVERY_TIME_REACHES);
    ``fired_at`` marks a ONE_TIME trigger that has fired (an edit re-arms it); ``last_work_order_id``
    is the last work order it created; ``one_open_work_order``: while that one is open, hits create
    nothing.
    """

    __tablename__ = "meter_notifications"
    meter_id: Mapped[str] = mapped_column(IdColumn())
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    trigger_value: Mapped[float] = mapped_column(Float)
    trigger_frequency: Mapped[str] = mapped_column(String(40))
    last_value_for_work_order: Mapped[float] = mapped_column(Float, default=0.0)
    assigned_to_user_id: Mapped[str | None] = mapped_column(IdColumn())
    category: Mapped[str | None] = mapped_column(String(200))
    one_open_work_order: Mapped[bool] = mapped_column(Boolean, default=True)
    fired_at: Mapped[int | None] = mapped_column(BigInteger)
    last_work_order_id: Mapped[str | None] = mapped_column(IdColumn())
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("meter_id", "meters"),
        tenant_fk("assigned_to_user_id", "users"),
        tenant_fk("created_by_user_id", "users"),
        tenant_fk("last_work_order_id", "work_orders"),
        live_index("ix_meter_notifications_account_meter", "meter_id", "created_at"),
    )


class MeterTriggerHit(TenantMixin, Base):
    """A reading that met a notification's condition: the work order it created, or why it created none.

    One row per (notification, reading).
    """

    __tablename__ = "meter_trigger_hits"
    notification_id: Mapped[str] = mapped_column(IdColumn())
    meter_id: Mapped[str] = mapped_column(IdColumn())
    reading_id: Mapped[str] = mapped_column(IdColumn())
    value: Mapped[float] = mapped_column(Float)
    outcome: Mapped[str] = mapped_column(String(20))  # created | open_work_order
    work_order_id: Mapped[str | None] = mapped_column(IdColumn())
    created_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("notification_id", "meter_notifications"),
        tenant_fk("meter_id", "meters"),
        tenant_fk("reading_id", "meter_readings"),
        tenant_fk("work_order_id", "work_orders"),
        # A reading hits a notification once (meter.evaluation takes a reading once; this holds it).
        Index("uq_meter_trigger_hits_notification_reading", "account_id", "notification_id", "reading_id", unique=True),
        Index("ix_meter_trigger_hits_account_meter", "account_id", "meter_id", "created_at"),
    )
