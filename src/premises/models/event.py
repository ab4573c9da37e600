from __future__ import annotations

from sqlalchemy import BigInteger, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premises.models.base import Base, IdColumn, TenantMixin


class Event(TenantMixin, Base):
    """A business event (``WORK_ORDER_CREATED`` ...), written in the transaction of the change.

    The webhook worker (roadmap) reads these rows; nothing else deletes them.
    """

    __tablename__ = "events"
    type: Mapped[str] = mapped_column(String(64))
    resource_type: Mapped[str] = mapped_column(String(40))
    resource_id: Mapped[str] = mapped_column(IdColumn())
    actor_user_id: Mapped[str | None] = mapped_column(IdColumn())
    payload: Mapped[str] = mapped_column(Text)
    occurred_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (Index("ix_events_account_occurred", "account_id", "occurred_at"),)
