"""A list's total (``db.reader.count_of``): from ``COUNT_VERSIONED_FROM`` rows it is reused while the
database's data version is the same (exact: any commit changes it); from ``COUNT_EXACT_BELOW`` rows it is
also kept for ``COUNT_KEPT_S`` seconds per statement and filter values, whatever the cursor."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator

import pytest

from premises.db import observe as observe_module
from premises.db import reader as reader_module
from premises.db.engine import Database
from premises.db.reader import Reader, count_of, open_reader
from premises.db.sql import Select
from premises.kit.listing import ListQuery
from premises.place.fields import PLACES
from tests.support.client import Tenant
from tests.support.factories import make_place


async def _count_with(
    reader: Reader, account_id: str, name_like: str | None = None, cursor_value: str = ""
) -> int | None:
    select = Select("places", ("id",), account_id).where_live()
    if name_like is not None:
        select.where("{a}.name LIKE {}", name_like)
    # a cursor's position (a parameter of the page's statement): never part of the count
    select.keyset.append(f"{select.alias}.id > {select._param(cursor_value)}")
    return await count_of(reader, select, ListQuery.of(PLACES, limit=10).with_count())


def _count(database_url: str, account_id: str, *, name_like: str | None = None, cursor_value: str = "") -> int | None:
    async def run() -> int | None:
        reader = await open_reader(database_url, pool_size=1)
        try:
            return await _count_with(reader, account_id, name_like, cursor_value)
        finally:
            await reader.close()

    return asyncio.run(run())


@contextlib.contextmanager
def _counts_run() -> Iterator[list[str]]:
    """The COUNT statements run by any reader while the block runs."""
    counted: list[str] = []

    def observe(sql: str) -> None:
        if "count(" in sql.lower():
            counted.append(sql)

    observe_module.statement_observers.append(observe)
    try:
        yield counted
    finally:
        observe_module.statement_observers.remove(observe)


def test_a_count_is_reused_until_anything_is_committed(
    database_url: str, db: Database, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One reader, as a server process has: the count is run again only after a commit (by any
    connection), so the total is always exact."""
    monkeypatch.setattr(reader_module, "COUNT_VERSIONED_FROM", 2)
    for name in ("A1", "A2"):
        make_place(db, tenant.account_id, name)

    async def run() -> list[int | None]:
        reader = await open_reader(database_url, pool_size=1)
        try:
            totals = [await _count_with(reader, tenant.account_id) for _ in range(3)]
            await asyncio.to_thread(make_place, db, tenant.account_id, "A3")  # another connection commits
            totals += [await _count_with(reader, tenant.account_id) for _ in range(3)]
            return totals
        finally:
            await reader.close()

    with _counts_run() as counted:
        totals = asyncio.run(run())
    assert totals == [2, 2, 2, 3, 3, 3]
    # counted the first time (with the data version on SQLite, where asking costs no round trip; on
    # PostgreSQL once more to learn it) and once after the commit
    assert len(counted) == (2 if database_url.startswith("sqlite") else 3)


def test_small_counts_are_exact_and_large_ones_kept_a_moment(
    database_url: str, db: Database, tenant: Tenant, other_tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("A1", "A2", "B1"):
        make_place(db, tenant.account_id, name)
    assert _count(database_url, tenant.account_id) == 3
    make_place(db, tenant.account_id, "A3")
    assert _count(database_url, tenant.account_id) == 4  # below the threshold: exact every time

    monkeypatch.setattr(reader_module, "COUNT_VERSIONED_FROM", 3)
    monkeypatch.setattr(reader_module, "COUNT_EXACT_BELOW", 3)
    monkeypatch.setattr(reader_module, "COUNT_KEPT_S", 1.0)
    assert _count(database_url, tenant.account_id) == 4
    make_place(db, tenant.account_id, "A4")
    assert _count(database_url, tenant.account_id, cursor_value="x") == 4  # kept, whatever the cursor
    assert _count(database_url, tenant.account_id, name_like="B%") == 1  # other filter values: their own count
    assert _count(database_url, other_tenant.account_id) == 0  # another tenant: its own count

    time.sleep(1.1)
    assert _count(database_url, tenant.account_id) == 5  # kept long enough: counted again


def test_requests_needing_the_same_count_at_once_share_one_count(
    database_url: str, db: Database, tenant: Tenant
) -> None:
    for name in ("A1", "A2", "A3"):
        make_place(db, tenant.account_id, name)

    async def run() -> list[int | None]:
        reader = await open_reader(database_url, pool_size=4)
        try:
            select = Select("places", ("id",), tenant.account_id).where_live()
            query = ListQuery.of(PLACES, limit=10).with_count()
            return await asyncio.gather(*(count_of(reader, select, query) for _ in range(10)))
        finally:
            await reader.close()

    with _counts_run() as counted:
        totals = asyncio.run(run())
    assert totals == [3] * 10
    assert len(counted) == 1  # one statement for the ten callers, though the count is small (not kept)
