from __future__ import annotations

from sqlalchemy import BigInteger, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premises.models._helpers import live_index, tenant_fk
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin


class Team(TenantMixin, TimestampMixin, Base):
    __tablename__ = "teams"
    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("created_by_user_id", "users"),
        live_index("ix_teams_account_created", "created_at"),
    )


class TeamMember(Base):
    __tablename__ = "team_members"
    account_id: Mapped[str] = mapped_column(IdColumn())
    team_id: Mapped[str] = mapped_column(IdColumn())
    user_id: Mapped[str] = mapped_column(IdColumn())
    created_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "team_id", "user_id"),
        tenant_fk("team_id", "teams"),
        tenant_fk("user_id", "users"),
    )
