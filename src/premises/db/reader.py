"""The lean read path: raw drivers on the event loop, no ORM, no thread hop.

Measured on these machines (docs/benchmarks.md, ../shared/reference/perf-baseline.md), this is
what makes list endpoints reach a useful fraction of the framework's floor: asyncpg on
PostgreSQL, and a blocking ``sqlite3`` call on the loop thread for SQLite (SQLite reads of an
indexed page take tens of microseconds, less than a thread hop costs).

SQL is written with ``:name`` placeholders; the PostgreSQL reader rewrites them to ``$n`` once
per distinct statement. Rows come back as tuples in select-list order.
"""

from __future__ import annotations

import asyncio
import functools
import itertools
import re
import sqlite3
import time
from collections import OrderedDict, deque
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from premises.db import jsonsql, observe

if TYPE_CHECKING:
    from premises.db.sql import Select
    from premises.kit.listing import ListQuery

Row = Sequence[Any]
_PLACEHOLDER = re.compile(r"(?<![:\w]):([A-Za-z_][A-Za-z0-9_]*)")


class Reader(Protocol):
    dialect: str
    version_is_cheap: bool  # ``data_version`` costs less than a round trip (no reason not to ask first)

    async def fetch(self, sql: str, params: Mapping[str, Any]) -> list[Row]: ...

    async def fetchrow(self, sql: str, params: Mapping[str, Any]) -> Row | None: ...

    async def data_version(self) -> str: ...

    async def close(self) -> None: ...


# Counting a list's matching rows costs as much as its page once they pass a few thousand, on every
# page. A count of at least COUNT_VERSIONED_FROM rows is kept per statement and filter values (the
# tenant and the caller's visibility are among them; a cursor is not) with the database's data
# version when it was counted (``Reader.data_version``: it changes with every commit), and reused
# while the version is the same: exact, for one cheap statement. A count of at least COUNT_EXACT_BELOW
# rows is also reused for COUNT_KEPT_S seconds whatever was written since, so a paginating or polling
# client counts a million rows once (docs/dialects/v1.md). Requests that need the same count while it
# runs wait for that one count instead of each starting their own.
COUNT_VERSIONED_FROM = 1_000
COUNT_EXACT_BELOW = 10_000
COUNT_KEPT_S = 10.0
COUNTS_KEPT = 4096


@dataclass(frozen=True, slots=True)
class _Kept:
    total: int
    until: float  # monotonic time before which it is reused unchecked (0: checked every time)
    version: str | None  # the data version it was counted at (None: not known)


_counts: OrderedDict[tuple[str, str], _Kept] = OrderedDict()
_counting: dict[tuple[str, str], asyncio.Future[int]] = {}


@functools.lru_cache(maxsize=1024)
def _placeholders(sql: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(_PLACEHOLDER.findall(sql)))


async def count_of(reader: Reader, select: Select, query: ListQuery) -> int | None:
    """How many rows match ``select``'s filters in all (``Select.count_sql``: no cursor, no page) when
    ``query.count`` asks, else None: a list page's total (a large one may be ``COUNT_KEPT_S`` old)."""
    if not query.count:
        return None
    sql = select.count_sql()
    values = {name: select.params[name] for name in _placeholders(sql)}
    key = (sql, repr(tuple(values.values())))  # the names follow from the statement, in its order
    kept = _counts.get(key)
    version = None
    if kept is not None:
        if kept.until > time.monotonic():
            return kept.total
        version = await reader.data_version()
        if version == kept.version:
            return kept.total
    elif reader.version_is_cheap:
        version = await reader.data_version()  # so that a first large count is kept with its version
    counting = _counting.get(key)
    if counting is None:
        # A task of its own: a caller that goes away (cancelled) does not cancel the others' count.
        counting = asyncio.ensure_future(_count(reader, key, sql, values, version))
        _counting[key] = counting
        counting.add_done_callback(lambda done: _forget(key, done))
    return await asyncio.shield(counting)


async def _count(reader: Reader, key: tuple[str, str], sql: str, values: Mapping[str, Any], version: str | None) -> int:
    """The count, kept when large enough with ``version``: taken before counting, so a commit between the
    two leaves a version no later check matches."""
    counted = await reader.fetchrow(sql, values)
    total = int(counted[0]) if counted is not None else 0
    if total >= COUNT_VERSIONED_FROM:
        until = time.monotonic() + COUNT_KEPT_S if total >= COUNT_EXACT_BELOW else 0.0
        _counts[key] = _Kept(total, until, version)
        _counts.move_to_end(key)
        while len(_counts) > COUNTS_KEPT:
            _counts.popitem(last=False)
    else:
        _counts.pop(key, None)
    return total


def _forget(key: tuple[str, str], done: asyncio.Future[int]) -> None:
    _counting.pop(key, None)
    if not done.cancelled():
        done.exception()  # its callers have it (or went away): not an unretrieved error


_readers = itertools.count(1)


class SqliteReader:
    """One read-only connection per process, used from the event loop thread (WAL: never blocks writers)."""

    dialect = "sqlite"
    version_is_cheap = True

    def __init__(self, path: Path) -> None:
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA busy_timeout=30000")
        self._conn.execute("PRAGMA query_only=ON")
        self._functions = jsonsql.install(self._conn)  # Python renderings that SQLite-rendered pages call
        self._serial = next(_readers)

    async def fetch(self, sql: str, params: Mapping[str, Any]) -> list[Row]:
        if observe.statement_observers:
            observe.notify(sql)
        if self._functions != len(jsonsql.SQL_FUNCTIONS):  # a module registered one since
            self._functions = jsonsql.install(self._conn)
        return self._conn.execute(sql, params).fetchall()

    async def fetchrow(self, sql: str, params: Mapping[str, Any]) -> Row | None:
        if observe.statement_observers:
            observe.notify(sql)
        row: Row | None = self._conn.execute(sql, params).fetchone()
        return row

    async def data_version(self) -> str:
        """This connection's ``PRAGMA data_version``: it changes when any other connection (every
        writer, in any process) commits. Only comparable on this connection, hence the serial."""
        return f"{self._serial}:{self._conn.execute('PRAGMA data_version').fetchone()[0]}"

    async def close(self) -> None:
        self._conn.close()


class _Translated:
    __slots__ = ("names", "sql")

    def __init__(self, sql: str, names: list[str]) -> None:
        self.sql = sql
        self.names = names


class Connections:
    """asyncpg connections handed out and back without ``asyncpg.Pool``'s bookkeeping.

    ``Pool.fetch`` costs 40-60 µs of CPU per statement beyond the statement itself (a shielded task
    per release, timeouts, reset hooks), two statements per list request (docs/benchmarks.md). Here
    a free connection is taken from a list and put back; up to ``max_size`` are opened on demand and
    further callers wait in order. Nothing on a read connection carries session state (no SET, no
    advisory locks, no LISTEN, no transaction left open: ADR 6), so a connection is reused as it is;
    one whose statement failed or was cancelled is closed, never reused.
    """

    def __init__(self, dsn: str, max_size: int, server_settings: Mapping[str, str]) -> None:
        self._dsn = dsn
        self._max_size = max_size
        self._server_settings = dict(server_settings)
        self._idle: list[Any] = []
        self._busy: set[Any] = set()
        self._opening = 0
        self._waiters: deque[asyncio.Future[Any]] = deque()
        self._tasks: set[asyncio.Task[None]] = set()
        self._closed = False

    async def _open(self) -> Any:
        import asyncpg

        self._opening += 1
        try:
            return await asyncpg.connect(self._dsn, server_settings=self._server_settings)
        finally:
            self._opening -= 1

    async def acquire(self) -> Any:
        if self._closed:
            raise RuntimeError("the reader is closed")
        if self._idle:
            connection = self._idle.pop()
        elif len(self._busy) + self._opening < self._max_size:
            connection = await self._open()
        else:
            waiter: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
            self._waiters.append(waiter)
            try:
                connection = await waiter
            except asyncio.CancelledError:
                if waiter.done() and not waiter.cancelled():
                    self._busy.add(waiter.result())
                    self.release(waiter.result())
                raise
        self._busy.add(connection)
        return connection

    def release(self, connection: Any, *, broken: bool = False) -> None:
        self._busy.discard(connection)
        if broken or self._closed or connection.is_closed():
            connection.terminate()
            self._refill()
            return
        while self._waiters:
            waiter = self._waiters.popleft()
            if not waiter.done():
                waiter.set_result(connection)
                return
        self._idle.append(connection)

    def _refill(self) -> None:
        """A connection was dropped: open one for the first caller still waiting, if any."""
        while self._waiters and self._waiters[0].done():
            self._waiters.popleft()
        if not self._waiters or self._closed:
            return
        waiter = self._waiters.popleft()

        async def hand_over() -> None:
            try:
                connection = await self._open()
            except BaseException as error:
                if not waiter.done():
                    waiter.set_exception(error)
                return
            if waiter.done():
                self._idle.append(connection)
            else:
                waiter.set_result(connection)

        task = asyncio.get_running_loop().create_task(hand_over())
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def counts(self) -> tuple[int, int, int]:
        """(connections in use, connections open, the most that may be open): for the metrics."""
        return len(self._busy), len(self._busy) + len(self._idle), self._max_size

    async def run(self, method: str, sql: str, args: Sequence[Any]) -> Any:
        connection = await self.acquire()
        try:
            result = await getattr(connection, method)(sql, *args)
        except BaseException:
            self.release(connection, broken=True)
            raise
        self.release(connection)
        return result

    async def close(self) -> None:
        self._closed = True
        idle, self._idle = self._idle, []
        for waiter in self._waiters:
            if not waiter.done():
                waiter.set_exception(RuntimeError("the reader is closed"))
        for connection in idle:
            await connection.close()
        for connection in list(self._busy):
            connection.terminate()


# The read pool's session settings. Generic plans (see ``PostgresReader``); and random reads priced as
# on an SSD or from memory (PostgreSQL's default of 4 assumes a spinning disk): otherwise a lookup by
# primary key in a small table (an account's 200 places) is planned as a scan of the whole table, once
# per row of a page (docs/benchmarks.md, 2026-12-03 "/v1 work orders"). No JIT: a generic plan's
# cost is estimated for an unknown LIMIT (a tenth of the table), so at a million rows a 50-row page
# crossed jit_above_cost and spent 580 ms compiling to run for 0.3 ms, on every execution.
READ_SETTINGS = {"plan_cache_mode": "force_generic_plan", "random_page_cost": "1.1", "jit": "off"}


class PostgresReader:
    """asyncpg connections (:class:`Connections`); statements are prepared and cached per connection.

    The connections plan prepared statements once (``plan_cache_mode=force_generic_plan``):
    PostgreSQL would otherwise re-plan the list statement on every execution (0.6 ms of planning
    for 0.15 ms of execution, docs/benchmarks.md). Every read statement is tenant-scoped and
    index-driven, so the generic plan is the plan a custom one would choose; ``bench/explain.py``
    prints it.
    """

    dialect = "postgresql"
    version_is_cheap = False  # a round trip: asked only to confirm a count already kept
    _CACHE_SIZE = 2048

    def __init__(self, pool: Any) -> None:
        self._pool = pool
        self._cache: OrderedDict[str, _Translated] = OrderedDict()
        self._serial = next(_readers)

    @property
    def connections(self) -> Connections:
        connections: Connections = self._pool
        return connections

    @classmethod
    async def connect(cls, dsn: str, *, min_size: int = 2, max_size: int = 10) -> PostgresReader:
        connections = Connections(dsn, max_size, READ_SETTINGS)
        opened = [await connections.acquire() for _ in range(min(min_size, max_size))]
        for connection in opened:
            connections.release(connection)
        return cls(connections)

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
        rows: list[Row] = await self._pool.run("fetch", t.sql, [params[n] for n in t.names])
        return rows

    async def fetchrow(self, sql: str, params: Mapping[str, Any]) -> Row | None:
        if observe.statement_observers:
            observe.notify(sql)
        t = self._translate(sql)
        row: Row | None = await self._pool.run("fetchrow", t.sql, [params[n] for n in t.names])
        return row

    async def data_version(self) -> str:
        """The server's current snapshot (``xmin:xmax:in-progress``): every commit of a transaction that
        wrote changes it, in any database of the server, so two equal snapshots saw the same data."""
        snapshot = await self._pool.run("fetchval", "SELECT pg_current_snapshot()::text", [])
        return f"{self._serial}:{snapshot}"

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
