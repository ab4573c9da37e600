"""Cases (Onsite's building issues, reference §2.3 and §3.2): one per issue at a site, numbered per site.

A case has a type from its site's case types, a status (todo, inProgress, closed), a priority "1"
(most urgent) to "5", an assignee, at most one linked resident, unit, contractor and asset, links to
other cases, comments and an activity row for every change.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Index, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premises.models._helpers import live_index, tenant_fk, unique_live_name_index, unique_rule
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin

CASE_STATUSES = ("todo", "inProgress", "closed")


class Case(TenantMixin, TimestampMixin, Base):
    __tablename__ = "cases"
    site_id: Mapped[str] = mapped_column(IdColumn())
    number: Mapped[int] = mapped_column(Integer)  # from the site's counter (kit.counters: "case:<site id>")
    code: Mapped[str] = mapped_column(String(48))  # "<site code>-<number>", fixed when the case is made
    case_type: Mapped[str] = mapped_column(String(100))  # a name among the site's case types
    title: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default="todo")
    priority: Mapped[str] = mapped_column(String(1), default="3")  # "1" (most urgent) to "5"
    due: Mapped[int | None] = mapped_column(BigInteger)
    assignee_user_id: Mapped[str | None] = mapped_column(IdColumn())
    unit_id: Mapped[str | None] = mapped_column(IdColumn())
    resident_id: Mapped[str | None] = mapped_column(IdColumn())
    contractor_id: Mapped[str | None] = mapped_column(IdColumn())
    asset_id: Mapped[str | None] = mapped_column(IdColumn())
    closed_at: Mapped[int | None] = mapped_column(BigInteger)
    reopen_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("site_id", "places"),
        tenant_fk("assignee_user_id", "users"),
        tenant_fk("unit_id", "places"),
        tenant_fk("resident_id", "contacts"),
        tenant_fk("contractor_id", "contacts"),
        tenant_fk("asset_id", "assets"),
        tenant_fk("created_by_user_id", "users"),
        Index(
            unique_rule("ix_cases_account_site_number", record="case", field="number"),
            "account_id",
            "site_id",
            "number",
            unique=True,
        ),
        live_index("ix_cases_account_created", "created_at"),
        live_index("ix_cases_account_site", "site_id"),
    )


class CaseType(TenantMixin, TimestampMixin, Base):
    """A case type of a site: the seven defaults (``is_default``) made with the site, and the site's own."""

    __tablename__ = "case_types"
    site_id: Mapped[str] = mapped_column(IdColumn())
    name: Mapped[str] = mapped_column(String(100))
    name_key: Mapped[str] = mapped_column(String(100))
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("site_id", "places"),
        tenant_fk("created_by_user_id", "users"),
        unique_live_name_index("ix_case_types_account_site_name", "site_id", record="case type"),
    )


class CaseComment(TenantMixin, TimestampMixin, Base):
    """A timestamped update on a case."""

    __tablename__ = "case_comments"
    case_id: Mapped[str] = mapped_column(IdColumn())
    author_user_id: Mapped[str | None] = mapped_column(IdColumn())
    body: Mapped[str] = mapped_column(Text)
    __table_args__ = (
        tenant_fk("case_id", "cases"),
        tenant_fk("author_user_id", "users"),
        Index("ix_case_comments_account_case", "account_id", "case_id", "created_at"),
    )


class CaseLink(Base):
    """Two linked cases: kept as two rows, one per direction (a link is symmetric)."""

    __tablename__ = "case_links"
    account_id: Mapped[str] = mapped_column(IdColumn())
    case_id: Mapped[str] = mapped_column(IdColumn())
    other_case_id: Mapped[str] = mapped_column(IdColumn())
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    created_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "case_id", "other_case_id"),
        tenant_fk("case_id", "cases"),
        tenant_fk("other_case_id", "cases"),
        tenant_fk("created_by_user_id", "users"),
    )


class CaseActivity(TenantMixin, Base):
    """One change to a case: who, when, what (``action``) and, for a field, its old and new value as text."""

    __tablename__ = "case_activity"
    case_id: Mapped[str] = mapped_column(IdColumn())
    actor_user_id: Mapped[str | None] = mapped_column(IdColumn())
    action: Mapped[str] = mapped_column(String(20))  # created, updated, commented, linked, unlinked, deleted
    field: Mapped[str | None] = mapped_column(String(40))
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("case_id", "cases"),
        tenant_fk("actor_user_id", "users"),
        Index("ix_case_activity_account_case", "account_id", "case_id", "at"),
    )
