"""Webhook endpoints, the deliveries of events to them and every delivery attempt (docs/webhooks.md)."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premises.models._helpers import live_index, tenant_fk
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin

URL_MAX_LENGTH = 2000


class WebhookEndpoint(TenantMixin, TimestampMixin, Base):
    """A receiver URL and the events it subscribes to, in the names of the dialect that registered it."""

    __tablename__ = "webhook_endpoints"
    dialect: Mapped[str] = mapped_column(String(20))  # whose event names and body format (e.g. "upkeep")
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(URL_MAX_LENGTH))
    events: Mapped[str] = mapped_column(Text)  # JSON list of the dialect's event names
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    secret: Mapped[str] = mapped_column(String(100))  # whsec_<base64>: signs every delivery (shown once)
    failing_since: Mapped[int | None] = mapped_column(BigInteger)  # first failure of the current run of failures
    disabled_reason: Mapped[str | None] = mapped_column(String(20))  # gone (410) | failing (days of failures)
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("created_by_user_id", "users"),
        live_index("ix_webhook_endpoints_account_created", "created_at"),
    )


class WebhookDelivery(TenantMixin, Base):
    """One event for one endpoint. ``id`` is the ``webhook-id`` header: the same on every attempt."""

    __tablename__ = "webhook_deliveries"
    endpoint_id: Mapped[str] = mapped_column(IdColumn())
    event_id: Mapped[str] = mapped_column(IdColumn())
    event_name: Mapped[str] = mapped_column(String(64))  # the dialect's name for the event
    body: Mapped[str] = mapped_column(Text)  # the JSON sent, rendered once at fan-out
    status: Mapped[str] = mapped_column(String(16))  # pending | delivered | failed | cancelled
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[int | None] = mapped_column(BigInteger)
    delivered_at: Mapped[int | None] = mapped_column(BigInteger)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("endpoint_id", "webhook_endpoints"),
        tenant_fk("event_id", "events"),
        # One delivery per endpoint and event: a second fan-out of an event adds nothing (never seen by clients).
        Index(
            "uq_webhook_deliveries_endpoint_event",
            "account_id",
            "endpoint_id",
            "event_id",
            unique=True,
        ),
        Index("ix_webhook_deliveries_account_endpoint_created", "account_id", "endpoint_id", "created_at"),
    )


class WebhookAttempt(Base):
    """One POST of a delivery: when, the answer's status, latency and first bytes, or the error."""

    __tablename__ = "webhook_attempts"
    account_id: Mapped[str] = mapped_column(IdColumn(), primary_key=True)
    delivery_id: Mapped[str] = mapped_column(IdColumn(), primary_key=True)
    attempt: Mapped[int] = mapped_column(Integer, primary_key=True)  # 1, 2, ...: never recorded twice
    endpoint_id: Mapped[str] = mapped_column(IdColumn())
    attempted_at: Mapped[int] = mapped_column(BigInteger)
    status_code: Mapped[int | None] = mapped_column(Integer)
    latency_ms: Mapped[int] = mapped_column(Integer)
    response_body: Mapped[str | None] = mapped_column(Text)  # the first 1,000 characters
    error: Mapped[str | None] = mapped_column(String(300))  # timeout, connection refused, refused address, ...
    __table_args__ = (tenant_fk("delivery_id", "webhook_deliveries"),)
