"""Small builders for the composite (account_id, x_id) foreign keys the Citus rules require."""

from __future__ import annotations

from sqlalchemy import ForeignKeyConstraint, Index


def tenant_fk(column: str, table: str, *, ondelete: str | None = None) -> ForeignKeyConstraint:
    """``FOREIGN KEY (account_id, column) REFERENCES table (account_id, id)``."""
    return ForeignKeyConstraint(["account_id", column], [f"{table}.account_id", f"{table}.id"], ondelete=ondelete)


def live_index(name: str, *columns: str) -> Index:
    """An index over rows that are not soft-deleted (partial index on both engines)."""
    from sqlalchemy import text

    where = text("deleted_at IS NULL")
    return Index(name, "account_id", *columns, postgresql_where=where, sqlite_where=where)
