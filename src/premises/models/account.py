from __future__ import annotations

from sqlalchemy import BigInteger, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premises.models.base import Base, IdColumn


class Account(Base):
    """The tenant. Its ``id`` is the distribution key of every tenant table."""

    __tablename__ = "accounts"
    id: Mapped[str] = mapped_column(IdColumn(), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    settings: Mapped[str] = mapped_column(Text, default="{}")
    # The UpKeep API version of requests without an ``upkeep-version`` header (YYYY-MM-DD; None: the
    # current one). Before 2022-09-14 work orders recur the legacy way (docs/dialects/upkeep.md#versions).
    upkeep_api_version: Mapped[str | None] = mapped_column(String(10))
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


class AccountCounter(Base):
    """Per-account sequences (work order numbers, record numbers), incremented atomically."""

    __tablename__ = "account_counters"
    account_id: Mapped[str] = mapped_column(IdColumn())
    name: Mapped[str] = mapped_column(String(40))
    value: Mapped[int] = mapped_column(BigInteger, default=0)
    __table_args__ = (PrimaryKeyConstraint("account_id", "name"),)
