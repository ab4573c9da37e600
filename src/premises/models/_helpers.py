"""Small builders for the composite (account_id, x_id) foreign keys the Citus rules require, and for
the unique indexes that enforce the domain's uniqueness rules."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ForeignKeyConstraint, Index, text


def tenant_fk(column: str, table: str, *, ondelete: str | None = None) -> ForeignKeyConstraint:
    """``FOREIGN KEY (account_id, column) REFERENCES table (account_id, id)``."""
    return ForeignKeyConstraint(["account_id", column], [f"{table}.account_id", f"{table}.id"], ondelete=ondelete)


@dataclass(frozen=True)
class UniqueRule:
    """What a violation of one unique index or key means in domain words: ``errors.Conflict`` with
    ``ErrorCode.DUPLICATE``, the domain ``field`` that must be unique and the ``record`` it belongs to
    (UpKeep says "a {record} with this {field} already exists")."""

    record: str
    field: str


# Unique index / constraint name -> the Conflict a violation becomes (db.integrity reads this).
UNIQUE_RULES: dict[str, UniqueRule] = {}


def unique_rule(constraint_name: str, *, record: str, field: str) -> str:
    """Register what violating ``constraint_name`` means; returns the name for use in the model."""
    UNIQUE_RULES[constraint_name] = UniqueRule(record, field)
    return constraint_name


def unique_live_name_index(name: str, *columns: str, record: str) -> Index:
    """Case-insensitive uniqueness of ``name`` among live rows (soft-deleted rows free the name).

    ``UNIQUE (account_id, *columns, name_key) WHERE deleted_at IS NULL`` on both engines, where
    ``name_key`` is the lower-cased name the model keeps (``name_key_of``). The service's friendly
    check reads first; this index is what holds under parallel writers.
    """
    where = text("deleted_at IS NULL")
    return Index(
        unique_rule(name, record=record, field="name"),
        "account_id",
        *columns,
        "name_key",
        unique=True,
        postgresql_where=where,
        sqlite_where=where,
    )


def name_key_of(name: str | None) -> str | None:
    """The comparison form of a name that must be unique regardless of case."""
    return None if name is None else name.strip().lower()


def live_index(name: str, *columns: str) -> Index:
    """An index over rows that are not soft-deleted (partial index on both engines)."""
    where = text("deleted_at IS NULL")
    return Index(name, "account_id", *columns, postgresql_where=where, sqlite_where=where)
