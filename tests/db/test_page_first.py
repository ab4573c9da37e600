"""``Select.page_first_sql``: the page chosen from the table's own rows, then the projection (with its
per-row subselects) computed for those rows only: the same rows, in the same order, as ``sql()``."""

from __future__ import annotations

import asyncio
from typing import Any

from premises.db.engine import Database
from premises.db.reader import open_reader
from premises.db.sql import Select
from tests.support.client import Tenant
from tests.support.factories import make_place

# A related record's name as a subselect per row (as ``place.related.name_of`` builds them).
PROJECTION = (
    "t.id",
    "t.name",
    "(SELECT p.name FROM places p WHERE p.account_id = t.account_id AND p.id = t.parent_id)",
)


def _pages(database_url: str, account_id: str, *, offset: int, after: str | None) -> tuple[list[Any], list[Any]]:
    async def run() -> tuple[list[Any], list[Any]]:
        reader = await open_reader(database_url, pool_size=1)
        try:
            pages = []
            for page_first in (False, True):
                select = Select("places", ("id",), account_id).where_live()
                if after is not None:
                    select.keyset.append(f"t.name > {select._param(after)}")
                select.order_by("name", descending=False).order_by("id", descending=False).page(offset, 3)
                sql = select.page_first_sql(PROJECTION) if page_first else select.sql(PROJECTION)
                pages.append([tuple(row) for row in await reader.fetch(sql, select.params)])
            return pages[0], pages[1]
        finally:
            await reader.close()

    return asyncio.run(run())


def test_the_same_page_as_the_plain_statement(
    database_url: str, db: Database, tenant: Tenant, other_tenant: Tenant
) -> None:
    site = make_place(db, tenant.account_id, "Site")
    for name in ("E", "B", "D", "A", "C"):
        make_place(db, tenant.account_id, name, parent_id=site)
    make_place(db, other_tenant.account_id, "A0")

    plain, page_first = _pages(database_url, tenant.account_id, offset=0, after=None)
    assert page_first == plain
    assert [row[1] for row in page_first] == ["A", "B", "C"]
    assert {row[2] for row in page_first} == {"Site"}  # the subselect, computed for the page's rows

    plain, page_first = _pages(database_url, tenant.account_id, offset=1, after="B")
    assert page_first == plain
    assert [row[1] for row in page_first] == ["D", "E", "Site"]
    assert page_first[2][2] is None


def test_the_page_size_is_written_into_the_statement() -> None:
    """A generic plan (PostgreSQL's read pool) must see the page's size to join its rows by index:
    with ``LIMIT $n`` it plans for a tenth of the table and hashes the related tables whole."""
    select = Select("places", ("id",), "acc").where_live().order_by("id", descending=False).page(40, 20)
    sql = select.page_first_sql(PROJECTION)
    assert " LIMIT 20 OFFSET :offset)" in sql
    assert "limit" not in select.params and select.params["offset"] == 40


def test_the_page_carries_only_the_columns_the_statement_reads() -> None:
    """Not ``t.*``: the page's rows carry the columns the projection, the joins and the order read."""
    select = Select("places", ("id",), "acc").where_live().order_by("name", descending=False).page(0, 20)
    select.join("LEFT JOIN users u ON u.account_id = {a}.account_id AND u.id = {a}.created_by_user_id", lookup=True)
    sql = select.page_first_sql(("t.id", "u.email"), ("LEFT JOIN places s ON s.id = {a}.site_id",))
    page = sql[sql.index("FROM (") + 6 : sql.index(" FROM places t")]
    assert page == "SELECT t.id, t.account_id, t.created_by_user_id, t.site_id, t.name"


def test_the_page_is_chosen_without_the_lookups_it_does_not_read() -> None:
    select = Select("places", ("id",), "acc").where_live().order_by("name", descending=False).page(0, 20)
    select.join("LEFT JOIN users u ON u.account_id = {a}.account_id AND u.id = {a}.created_by_user_id", lookup=True)
    select.join("LEFT JOIN users v ON v.account_id = {a}.account_id AND v.id = {a}.parent_id", lookup=True)
    select.where("v.email = {}", "a@example.com")
    sql = select.page_first_sql(("t.id", "u.email"))
    inner = sql[sql.index("FROM (") : sql.index(") t ")]
    assert "JOIN users v" in inner and "JOIN users u" not in inner  # only the one its condition reads
    assert sql.count("JOIN users u") == 1  # joined to the page's rows, for the projection
