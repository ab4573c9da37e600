"""Per-account sequences. ``next_value`` is atomic under concurrent transactions on both engines:
the UPDATE takes the row lock (PostgreSQL) or runs under the database write lock (SQLite,
where every unit of work begins IMMEDIATE), so no two transactions get the same number.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

_BUMP = text(
    "UPDATE account_counters SET value = value + :count WHERE account_id = :account_id AND name = :name RETURNING value"
)


def next_value(session: Session, account_id: str, name: str) -> int:
    return next_values(session, account_id, name, 1)


def next_values(session: Session, account_id: str, name: str, count: int) -> int:
    """Reserve ``count`` consecutive values in one statement; the first of them (a chunk of generated
    records numbers itself ``first .. first + count - 1``)."""
    params = {"account_id": account_id, "name": name, "count": count}
    value = session.execute(_BUMP, params).scalar()
    if value is None:
        session.execute(
            text(
                "INSERT INTO account_counters (account_id, name, value) VALUES (:account_id, :name, 0) "
                "ON CONFLICT (account_id, name) DO NOTHING"
            ),
            {"account_id": account_id, "name": name},
        )
        value = session.execute(_BUMP, params).scalar_one()
    return int(value) - count + 1
