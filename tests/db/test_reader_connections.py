"""PostgreSQL's read connections (``premises.db.reader.Connections``): bounded, handed over in order,
and a connection whose statement failed or was cancelled is replaced, never reused."""

from __future__ import annotations

import asyncio

import pytest

from premises.db.reader import PostgresReader, asyncpg_dsn


@pytest.fixture
def dsn(database_url: str) -> str:
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    return asyncpg_dsn(database_url)


def test_callers_beyond_the_bound_wait_their_turn(dsn: str) -> None:
    async def run() -> None:
        reader = await PostgresReader.connect(dsn, min_size=1, max_size=2)
        try:
            results = await asyncio.gather(
                *(reader.fetchrow("SELECT pg_sleep(0.02), CAST(:i AS integer) AS i", {"i": i}) for i in range(12))
            )
            assert [row[1] for row in results if row is not None] == list(range(12))
            connections = reader._pool
            assert len(connections._idle) + len(connections._busy) <= 2
            assert not connections._busy and not connections._waiters
        finally:
            await reader.close()

    asyncio.run(run())


def test_a_failed_or_cancelled_statement_drops_its_connection_and_others_go_on(dsn: str) -> None:
    async def run() -> None:
        reader = await PostgresReader.connect(dsn, min_size=1, max_size=1)
        try:
            waiting = asyncio.ensure_future(reader.fetchrow("SELECT 2 AS two", {}))
            with pytest.raises(Exception, match="division by zero"):
                await reader.fetchrow("SELECT 1 / CAST(:zero AS integer)", {"zero": 0})
            assert (await waiting) is not None  # a new connection was opened for the waiting caller
            slow = asyncio.ensure_future(reader.fetchrow("SELECT pg_sleep(5)", {}))
            await asyncio.sleep(0.2)
            slow.cancel()
            with pytest.raises(asyncio.CancelledError):
                await slow
            row = await asyncio.wait_for(reader.fetchrow("SELECT CAST(:x AS text) AS x", {"x": "after"}), 5)
            assert row is not None and row[0] == "after"
            assert len(reader._pool._idle) + len(reader._pool._busy) <= 1
        finally:
            await reader.close()

    asyncio.run(run())
