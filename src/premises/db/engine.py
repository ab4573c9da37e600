"""The write side: a synchronous SQLAlchemy engine and the one-transaction-per-unit-of-work helper.

Application code never commits. ``unit_of_work`` commits when its block ends without an exception
and rolls back otherwise; an API request, a job and a CLI command each run in exactly one.
On SQLite every unit of work starts with ``BEGIN IMMEDIATE`` so that concurrent writers queue on
the database lock instead of failing with SQLITE_BUSY half-way through. Within one process they
also queue on a lock first: SQLite's busy handler polls with growing sleeps, which left some
writers waiting seconds under load (docs/benchmarks.md); the lock hands the database over at once.
Other processes on the same file still wait in the busy handler.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from typing import Any, TypeVar

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from premises.db import integrity, observe

T = TypeVar("T")

SQLITE_BUSY_TIMEOUT_MS = 30_000


def sqlalchemy_url(database_url: str) -> str:
    """Normalise a user-facing URL to the driver this layer uses (psycopg 3 on PostgreSQL)."""
    for prefix in ("postgresql://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql+psycopg://" + database_url[len(prefix) :]
    return database_url


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we emit BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def _observe_statements(engine: Engine) -> None:
    @event.listens_for(engine, "before_cursor_execute")
    def _before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if observe.statement_observers:
            observe.notify(statement)


def make_engine(database_url: str, *, pool_size: int = 10, pool_timeout: float = 30) -> Engine:
    """``pool_size`` connections kept, as many again opened at peaks; a caller waits up to ``pool_timeout``
    seconds for one before ``db.unavailable`` makes it a 503 (SQLite waits ``SQLITE_BUSY_TIMEOUT_MS`` for its lock)."""
    url = sqlalchemy_url(database_url)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        _configure_sqlite(engine)
    else:
        engine = create_engine(
            url, pool_size=pool_size, max_overflow=pool_size, pool_timeout=pool_timeout, pool_pre_ping=True
        )
    _observe_statements(engine)
    return engine


class Database:
    """The write-side handle: an engine and its session factory."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.sessions = sessionmaker(engine, expire_on_commit=False, autoflush=True)
        self._writers: AbstractContextManager[Any] = (
            threading.RLock() if engine.dialect.name == "sqlite" else nullcontext()
        )

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One transaction; a unique-constraint violation leaves it as a domain ``Conflict``."""
        with self._writers:
            session = self.sessions()
            try:
                with session.begin():
                    yield session
            except IntegrityError as error:
                raise integrity.as_conflict(error) from error
            finally:
                session.close()

    def run(self, work: Callable[[Session], T], *, attempts: int = 3) -> T:
        """Run ``work`` in one unit of work, again (up to ``attempts`` times) after a deadlock or a
        serialization failure, which PostgreSQL resolves by aborting one of the transactions."""
        for attempt in range(1, attempts + 1):
            try:
                with self.unit_of_work() as session:
                    return work(session)
            except DBAPIError as error:
                if attempt == attempts or not integrity.is_retryable(error):
                    raise
        raise AssertionError("unreachable")

    def dispose(self) -> None:
        self.engine.dispose()
