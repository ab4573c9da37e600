"""Failures that mean "the database cannot serve this request now", not a bug: each dialect answers
them with a 503 and ``Retry-After`` (``premises.errors.Unavailable``) instead of a 500.

They are: no pooled connection came free within ``PREMISES_DB_POOL_TIMEOUT``; PostgreSQL refused a
new connection (``too many clients``: more processes x pool size than ``max_connections``; starting
up or shutting down) or dropped one; SQLite stayed locked past its busy timeout. The transaction
did not commit, so sending the same request again is safe.
"""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from premises.errors import Unavailable

RETRY_AFTER_SECONDS = 1
# SQLSTATE classes and codes: connection exception; insufficient resources (too many connections,
# out of memory or disk); admin or crash shutdown, cannot connect now.
_CLASSES = ("08", "53")
_CODES = frozenset({"57P01", "57P02", "57P03"})


def _sqlstate_unavailable(sqlstate: object) -> bool:
    return isinstance(sqlstate, str) and (sqlstate[:2] in _CLASSES or sqlstate in _CODES)


def _driver_unavailable(error: BaseException) -> bool:
    """A driver's own exception: psycopg's, sqlite3's or asyncpg's (the read side)."""
    if isinstance(error, sqlite3.OperationalError):
        return "locked" in str(error) or "busy" in str(error)
    if isinstance(error, ConnectionError):  # refused or reset before PostgreSQL answered (asyncpg)
        return True
    module = type(error).__module__
    if module.startswith("psycopg"):
        import psycopg

        # A connection that failed before any SQLSTATE (refused, "too many clients" at startup) has none.
        return isinstance(error, psycopg.OperationalError) and (
            getattr(error, "sqlstate", None) is None or _sqlstate_unavailable(error.sqlstate)
        )
    if module.startswith("asyncpg"):
        import asyncpg

        return isinstance(error, asyncpg.PostgresConnectionError) or _sqlstate_unavailable(
            getattr(error, "sqlstate", None)
        )
    return False


def as_unavailable(error: BaseException) -> Unavailable | None:
    """``Unavailable`` when ``error`` (or what it wraps) is one of the failures above, else None."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, PoolTimeout):
            return Unavailable(retry_after=RETRY_AFTER_SECONDS)
        if isinstance(current, DBAPIError):
            if current.connection_invalidated or (current.orig is not None and _driver_unavailable(current.orig)):
                return Unavailable(retry_after=RETRY_AFTER_SECONDS)
            return None
        if _driver_unavailable(current):
            return Unavailable(retry_after=RETRY_AFTER_SECONDS)
        current = current.__cause__ or current.__context__
    return None
