"""The lean read side (premises.db.reader) on the engine under test."""

from __future__ import annotations

import asyncio

import pytest

from premises.db.reader import open_reader


def test_postgres_read_connections_plan_once_and_keep_no_session_state(database_url: str) -> None:
    """The pool plans each prepared statement once and releases connections without reset round trips.

    Without ``force_generic_plan`` PostgreSQL re-planned the work-order list on every execution,
    which cost four times the execution itself (docs/benchmarks.md).
    """
    if not database_url.startswith("postgresql"):
        pytest.skip("PostgreSQL only")

    async def run() -> list[object]:
        reader = await open_reader(database_url, pool_size=2)
        try:
            modes = []
            for _ in range(3):  # pooled connections, released and acquired again
                row = await reader.fetchrow("SELECT current_setting('plan_cache_mode') AS mode", {})
                assert row is not None
                modes.append(row[0])
            return modes
        finally:
            await reader.close()

    assert asyncio.run(run()) == ["force_generic_plan"] * 3


def test_reader_binds_named_parameters_in_any_order(database_url: str) -> None:
    async def run() -> list[tuple[object, ...]]:
        reader = await open_reader(database_url)
        try:
            rows = await reader.fetch("SELECT :b AS b, :a AS a, :b AS again", {"a": "first", "b": "second"})
            return [tuple(r) for r in rows]
        finally:
            await reader.close()

    assert asyncio.run(run()) == [("second", "first", "second")]
