"""``Select.count_sql``: the rows a list counts are those its page chooses from, without what only gates
or decorates the page: a ``confirm`` condition (the caller's, not the rows') and a lookup join no
condition reads. Counted against a real database: the same totals either way."""

from __future__ import annotations

import asyncio

import pytest

from premises.db.engine import Database
from premises.db.reader import open_reader
from premises.db.sql import Select
from tests.support.client import Tenant
from tests.support.factories import make_place

LOOKUP = "LEFT JOIN places p ON p.account_id = {a}.account_id AND p.id = {a}.parent_id"


def _select(account_id: str) -> Select:
    select = Select("places", ("id", "name"), account_id).where_live()
    return select.join(LOOKUP, "p.name", lookup=True)


def _count(database_url: str, select: Select) -> int:
    async def run() -> int:
        reader = await open_reader(database_url, pool_size=1)
        try:
            sql = select.count_sql()
            row = await reader.fetchrow(sql, {k: v for k, v in select.params.items() if f":{k}" in sql})
            assert row is not None
            return int(row[0])
        finally:
            await reader.close()

    return asyncio.run(run())


def test_a_gate_is_in_the_statement_and_not_in_the_count() -> None:
    select = _select("acc").confirm("EXISTS (SELECT 1 FROM users g WHERE g.id = {})", "user-1")
    assert "g.id = :p1" in select.sql()
    assert "g.id" not in select.count_sql()
    assert select.params["p1"] == "user-1"


def test_a_lookup_is_counted_only_when_a_condition_reads_it(database_url: str, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Site")
    for name in ("A", "B"):
        make_place(db, tenant.account_id, name, parent_id=site)

    plain = _select(tenant.account_id)
    assert "LEFT JOIN places p" in plain.sql()
    assert "LEFT JOIN places p" not in plain.count_sql()
    assert _count(database_url, plain) == 3

    reading = _select(tenant.account_id).where("p.name = {}", "Site")
    assert "LEFT JOIN places p" in reading.count_sql()
    assert _count(database_url, reading) == 2


def test_a_lookup_is_one_left_join() -> None:
    with pytest.raises(ValueError, match="LEFT JOIN"):
        Select("places", ("id",), "acc").join("JOIN places p ON p.id = {a}.parent_id", lookup=True)
