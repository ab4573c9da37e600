"""Declarative base and the column conventions every table follows (Citus-ready, see docs/architecture.md).

* Tenant tables carry ``account_id`` as their first column and in their primary key; foreign keys
  between tenant tables are composite ``(account_id, x_id)``; every unique constraint and index
  starts with ``account_id``.
* Ids are application-generated strings (``premises.kit.ids``); instants are epoch milliseconds.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, ForeignKey, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from premises.kit.ids import ID_COLUMN_LENGTH

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_N_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def IdColumn() -> String:  # noqa: N802 - reads like a type
    return String(ID_COLUMN_LENGTH)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TenantMixin:
    """``account_id`` + ``id`` primary key. Tables listed in ``GLOBAL_TABLES`` are the only exceptions."""

    @declared_attr
    def account_id(cls) -> Mapped[str]:  # noqa: N805
        return mapped_column(IdColumn(), ForeignKey("accounts.id"), primary_key=True, sort_order=-100)

    id: Mapped[str] = mapped_column(IdColumn(), primary_key=True, sort_order=-99)


class TimestampMixin:
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int] = mapped_column(BigInteger)


# Tables without an account_id: the tenant table itself, the global login lookups, OAuth clients and
# access tokens and the throttling counters (looked up before any account is known), and the job queue
# (claimed before a job's account is known; docs/adr/0010-job-table.md).
GLOBAL_TABLES = frozenset(
    {
        "accounts",
        "logins",
        "auth_sessions",
        "api_clients",
        "access_tokens",
        "throttle_counters",
        "jobs",
        "alembic_version",
    }
)
