"""The lean read path: raw drivers on the event loop, no ORM, no thread hop.

Measured on these machines (docs/benchmarks.md, ../shared/reference/perf-baseline.md), this is
what makes list endpoints reach a useful fraction of the framework's floor: asyncpg on
PostgreSQL, and a blocking ``sqlite3`` call on the loop thread for SQLite (SQLite reads of an
indexed page take tens of microseconds, less than a thread hop costs).

SQL is written with ``:name`` placeholders; the PostgreSQL reader rewrites them to ``$n`` once
per distinct statement. Rows come back as tuples in select-list order.
"""

from __future__ import annotations

import re
import sqlite3
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

from premises.db import jsonsql, observe

Row = Sequence[Any]
_PLACEHOLDER = re.compile(r"(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)")


class Reader(Protocol):
    dialect: str

    async def fetch(self, sql: str, params: Mapping[str, Any]) -> list[Row]: ...

    async def fetchrow(self, sql: str, params: Mapping[str, Any]) -> Row | None: ...

    async def close(self) -> None: ...


class SqliteReader:
    """One read-only connection per process, used from the event loop thread (WAL: never blocks writers)."""

    dialect = "sqlite"

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA busy_timeout=30000")
        self._conn.execute("PRAGMA query_only=ON")
        jsonsql.install(self._conn)  # the Python renderings list pages rendered by SQLite call

    async def fetch(self, sql: str, params: Mapping[str, Any]) -> list[Row]:
        if observe.statement_observers:
            observe.notify(sql)
        return self._conn.execute(sql, params).fetchall()

    async def fetchrow(self, sql: str, params: Mapping[str, Any]) -> Row | None:
        if observe.statement_observers:
            observe.notify(sql)
        row: Row | None = self._conn.execute(sql, params).fetchone()
        return row

    async def close(self) -> None:
        self._conn.close()


class _Translated:
    __slots__ = ("names", "sql")

    def __init__(self, sql: str, names: list[str]) -> None:
        self.sql = sql
        self.names = names


async def _keep_connection(_connection: Any) -> None:
    """Release a read connection without asyncpg's reset statements (an extra round trip per query).

    Nothing on a read connection carries session state: no SET, no advisory locks, no LISTEN,
    no transactions left open (ADR 6).
    """


class PostgresReader:
    """An asyncpg pool; statements are prepared and cached per connection by asyncpg.

    The connections plan prepared statements once (``plan_cache_mode=force_generic_plan``):
    PostgreSQL would otherwise re-plan the list statement on every execution (0.6 ms of planning
    for 0.15 ms of execution, docs/benchmarks.md). Every read statement is tenant-scoped and
    index-driven, so the generic plan is the plan a custom one would choose; ``bench/explain.py``
    prints it.
    """

    dialect = "postgresql"
    _CACHE_SIZE = 2048

    def __init__(self, pool: Any) -> None:
        self._pool = pool
        self._cache: OrderedDict[str, _Translated] = OrderedDict()

    @classmethod
    async def connect(cls, dsn: str, *, min_size: int = 2, max_size: int = 10) -> PostgresReader:
        import asyncpg

        pool = await asyncpg.create_pool(
            dsn,
            min_size=min_size,
            max_size=max_size,
            reset=_keep_connection,
            server_settings={"plan_cache_mode": "force_generic_plan"},
        )
        return cls(pool)

    def _translate(self, sql: str) -> _Translated:
        hit = self._cache.get(sql)
        if hit is not None:
            return hit
        names: list[str] = []

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name not in names:
                names.append(name)
            return f"${names.index(name) + 1}"

        translated = _Translated(_PLACEHOLDER.sub(replace, sql), names)
        self._cache[sql] = translated
        if len(self._cache) > self._CACHE_SIZE:
            self._cache.popitem(last=False)
        return translated

    async def fetch(self, sql: str, params: Mapping[str, Any]) -> list[Row]:
        if observe.statement_observers:
            observe.notify(sql)
        t = self._translate(sql)
        rows: list[Row] = await self._pool.fetch(t.sql, *[params[n] for n in t.names])
        return rows

    async def fetchrow(self, sql: str, params: Mapping[str, Any]) -> Row | None:
        if observe.statement_observers:
            observe.notify(sql)
        t = self._translate(sql)
        row: Row | None = await self._pool.fetchrow(t.sql, *[params[n] for n in t.names])
        return row

    async def close(self) -> None:
        await self._pool.close()


def sqlite_path(database_url: str) -> Path:
    prefix = "sqlite:///"
    if not database_url.startswith(prefix):
        raise ValueError(f"not a file-backed SQLite URL: {database_url}")
    return Path(database_url[len(prefix) :])


def asyncpg_dsn(database_url: str) -> str:
    for prefix in ("postgresql+psycopg://", "postgresql+asyncpg://", "postgres://"):
        if database_url.startswith(prefix):
            return "postgresql://" + database_url[len(prefix) :]
    return database_url


async def open_reader(database_url: str, *, pool_size: int = 10) -> Reader:
    if database_url.startswith("sqlite"):
        return SqliteReader(sqlite_path(database_url))
    return await PostgresReader.connect(asyncpg_dsn(database_url), max_size=pool_size)
