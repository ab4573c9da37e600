"""What a failed write means in domain words: unique violations become ``Conflict``; deadlocks retry.

Services check uniqueness by reading first, to give a friendly message in the common case; under
parallel writers only the database constraint holds, and its violation surfaces here as an
``IntegrityError``. ``models._helpers.UNIQUE_RULES`` says what each named constraint means.
"""

from __future__ import annotations

import re
from typing import Any

from sqlalchemy.exc import DBAPIError, IntegrityError

from premises.errors import Conflict, ErrorCode
from premises.models import Base
from premises.models._helpers import UNIQUE_RULES

# Deadlock detected, serialization failure: the transaction did nothing and may simply run again.
RETRYABLE_SQLSTATES = frozenset({"40P01", "40001"})

_SQLITE_INDEX = re.compile(r"UNIQUE constraint failed: index '([^']+)'")
_SQLITE_COLUMNS = re.compile(r"UNIQUE constraint failed: (.+)$")


def _columns_to_constraint() -> dict[str, str]:
    """SQLite names the columns (``users.account_id, users.email``) rather than the index: map back."""
    found: dict[str, str] = {}
    for table in Base.metadata.tables.values():
        candidates: list[tuple[object, list[Any]]] = [
            (index.name, list(index.columns)) for index in table.indexes if index.unique
        ]
        candidates.append((table.primary_key.name, list(table.primary_key.columns)))
        for name, columns in candidates:
            if name and columns:
                found[", ".join(f"{table.name}.{column.name}" for column in columns)] = str(name)
    return found


_BY_COLUMNS: dict[str, str] | None = None


def constraint_name(error: IntegrityError) -> str | None:
    """The name of the violated constraint, from PostgreSQL's diagnostics or SQLite's message."""
    diag = getattr(error.orig, "diag", None)
    name = getattr(diag, "constraint_name", None)
    if name:
        return str(name)
    message = str(error.orig)
    match = _SQLITE_INDEX.search(message)
    if match:
        return match.group(1)
    match = _SQLITE_COLUMNS.search(message)
    if match:
        global _BY_COLUMNS
        if _BY_COLUMNS is None:
            _BY_COLUMNS = _columns_to_constraint()
        return _BY_COLUMNS.get(match.group(1).strip())
    return None


def as_conflict(error: IntegrityError) -> Conflict:
    """The domain error a constraint violation stands for (``CONFLICTING_CHANGE`` when it is not registered)."""
    rule = UNIQUE_RULES.get(constraint_name(error) or "")
    if rule is None:
        return Conflict(ErrorCode.CONFLICTING_CHANGE)
    return Conflict(ErrorCode.DUPLICATE, field=rule.field, record=rule.record)


def is_retryable(error: BaseException) -> bool:
    """A deadlock or serialization failure: nothing was written, running the unit again is safe."""
    return isinstance(error, DBAPIError) and getattr(error.orig, "sqlstate", None) in RETRYABLE_SQLSTATES
