"""The catalogued list query compiled by premises.db.sql and run by the reader, on the engine under test.

One account holds twelve work orders with ties, NULLs and LIKE's special characters in their texts
(plus a deleted one and another account's, which no statement may return). Expected results are
computed here in Python from the same rows: filters by their definition, sorts with NULL as the
largest value and the id as tie-breaker (the ids are lower-case ASCII, so every collation orders
them alike).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from premises.account.service import create_account
from premises.db.engine import Database
from premises.db.reader import open_reader
from premises.db.sql import Select
from premises.kit.ids import new_id
from premises.kit.listing import ListQuery
from premises.models import WorkOrder
from premises.work_order.fields import WORK_ORDERS
from tests.support.factories import new_password

COLUMNS = WORK_ORDERS.columns
T0 = 1_700_000_000_000

# id, no, title, status, priority, category, due_date, cost, archived, created_at, description, email
ROWS: list[tuple[Any, ...]] = [
    ("wo01", 1, "Pump A", "open", 0, "HVAC", T0 + 5, 10.5, False, T0, "leaks", None),
    ("wo02", 2, "pump b", "open", 1, None, None, None, False, T0, None, "john@example.test"),
    ("wo03", 3, "Valve 50% off", "onHold", 1, "Plumbing", T0 + 5, 99.0, True, T0 + 1, "half price", None),
    ("wo04", 4, "Valve 50 of", "inProgress", 2, "Plumbing", T0 + 1, 0.0, False, T0 + 1, None, None),
    ("wo05", 5, "under_score", "complete", 3, "HVAC", None, 10.5, False, T0 + 1, "UNDER the PUMP", None),
    ("wo06", 6, "underXscore", "complete", 3, None, T0 + 9, None, True, T0 + 2, None, None),
    ("wo07", 7, "back\\slash", "open", 2, "Electrical", T0 + 9, 5.25, False, T0 + 2, None, "ann@example.test"),
    ("wo08", 8, "Boiler", "onHold", 0, "HVAC", T0 + 1, 1000.0, False, T0 + 2, "pump room", None),
    ("wo09", 9, "Boiler 2", "open", 1, "hvac", None, 7.0, False, T0 + 3, None, None),
    ("wo10", 10, "Door", "inProgress", 2, None, T0 + 3, 7.0, True, T0 + 3, "front", None),
    ("wo11", 11, "Door_2", "open", 3, "Doors", T0 + 3, None, False, T0 + 3, None, "pump@example.test"),
    ("wo12", 12, "Window", "complete", 0, "Windows", T0 + 7, 3.0, False, T0 + 4, None, None),
]
NAMES = (
    "id",
    "work_order_no",
    "title",
    "status",
    "priority",
    "category",
    "due_date",
    "cost",
    "archived",
    "created_at",
    "description",
    "public_requester_email",
)
DATA = [dict(zip(NAMES, row, strict=True)) for row in ROWS]
ALL = {r["id"] for r in DATA}


def _insert(db: Database, account_id: str, rows: list[dict[str, Any]], *, deleted: bool = False) -> None:
    with db.unit_of_work() as session:
        for row in rows:
            session.add(
                WorkOrder(
                    account_id=account_id,
                    updated_at=row["created_at"],
                    deleted_at=T0 if deleted else None,
                    **row,
                )
            )


def _account(db: Database, name: str) -> str:
    email = f"admin-{new_id().lower()}@example.test"
    with db.unit_of_work() as session:
        created = create_account(session, name=name, admin_email=email, admin_password=new_password(email))
    return created.account_id


@dataclass
class Listing:
    database_url: str
    account_id: str

    def run(self, query: ListQuery) -> tuple[list[dict[str, Any]], int | None]:
        """The page's rows (keyed by domain name) and, when asked, the total."""
        select = Select("work_orders", COLUMNS, self.account_id).where_live()
        # The assignee (``uto``) whose names the catalogue's search reads, joined as work_order.queries does.
        select.join("LEFT JOIN users uto ON uto.account_id = {a}.account_id AND uto.id = {a}.assigned_to_user_id")
        select.apply(query)

        async def fetch() -> tuple[list[dict[str, Any]], int | None]:
            reader = await open_reader(self.database_url, pool_size=2)
            try:
                rows = [dict(zip(COLUMNS, r, strict=True)) for r in await reader.fetch(select.sql(), select.params)]
                total = None
                if query.count:
                    counted = await reader.fetchrow(select.count_sql(), select.params)
                    assert counted is not None
                    total = int(counted[0])
                return rows, total
            finally:
                await reader.close()

        return asyncio.run(fetch())

    def ids(self, build: Callable[[ListQuery], ListQuery]) -> list[str]:
        return [r["id"] for r in self.run(build(ListQuery.of(WORK_ORDERS, limit=1000)))[0]]

    def pages(self, fresh: Callable[[], ListQuery]) -> tuple[list[str], set[int | None]]:
        """Every page of ``fresh()``, each continuing after the previous one's cursor: ids and totals."""
        seen: list[str] = []
        totals: set[int | None] = set()
        query = fresh()
        for _ in range(20):
            rows, total = self.run(query)
            seen.extend(r["id"] for r in rows)
            totals.add(total)
            if len(rows) < query.limit:
                break
            query = fresh().after(query.next_cursor(rows[-1]))
        return seen, totals


@pytest.fixture(scope="module")
def listing(database_url: str, db: Database, tenant_guard: None) -> Iterator[Listing]:
    account_id = _account(db, "Listing Co")
    _insert(db, account_id, DATA)
    _insert(db, account_id, [{**DATA[0], "id": "wo00", "work_order_no": 100, "title": "Pump gone"}], deleted=True)
    other = _account(db, "Other Listing Co")
    _insert(db, other, [{**row, "title": "Pump elsewhere"} for row in DATA])
    yield Listing(database_url, account_id)


def matching(predicate: Callable[[dict[str, Any]], bool]) -> set[str]:
    return {r["id"] for r in DATA if predicate(r)}


CASES: list[tuple[str, str, Any, set[str]]] = [
    ("status", "=", "open", matching(lambda r: r["status"] == "open")),
    ("status", "!=", "open", matching(lambda r: r["status"] != "open")),
    ("priority", "<", 1, matching(lambda r: r["priority"] < 1)),
    ("priority", "<=", 1, matching(lambda r: r["priority"] <= 1)),
    ("priority", ">", "2", matching(lambda r: r["priority"] > 2)),
    ("priority", ">=", 2, matching(lambda r: r["priority"] >= 2)),
    ("due_date", ">", T0 + 3, matching(lambda r: r["due_date"] is not None and r["due_date"] > T0 + 3)),
    ("cost", "<=", "10.5", matching(lambda r: r["cost"] is not None and r["cost"] <= 10.5)),
    ("cost", "=", 7, {"wo09", "wo10"}),
    ("status", "in", ["onHold", "complete"], matching(lambda r: r["status"] in ("onHold", "complete"))),
    ("status", "in", [], set()),
    ("status", "not in", [], ALL),
    ("status", "not in", ["open", "complete"], matching(lambda r: r["status"] in ("onHold", "inProgress"))),
    ("category", "in", ["HVAC", "Doors"], {"wo01", "wo05", "wo08", "wo11"}),
    # Negations are complements: they match NULL too.
    ("category", "!=", "HVAC", matching(lambda r: r["category"] != "HVAC")),
    ("category", "not in", ["HVAC", "Plumbing"], matching(lambda r: r["category"] not in ("HVAC", "Plumbing"))),
    ("category", "not like", "h%", matching(lambda r: not (r["category"] or "").lower().startswith("h"))),
    ("category", "is null", None, matching(lambda r: r["category"] is None)),
    ("category", "is not null", None, matching(lambda r: r["category"] is not None)),
    ("due_date", "between", [T0 + 1, T0 + 5], matching(lambda r: T0 + 1 <= (r["due_date"] or 0) <= T0 + 5)),
    ("created_at", "between", [T0 + 3, T0 + 3], {"wo09", "wo10", "wo11"}),
    ("created_at", "between", [T0 + 3, T0 + 1], set()),
    ("archived", "=", True, matching(lambda r: r["archived"])),
    ("archived", "!=", True, matching(lambda r: not r["archived"])),
    ("is_complete", "=", True, matching(lambda r: r["status"] == "complete")),
    ("is_complete", "!=", True, matching(lambda r: r["status"] != "complete")),
    ("id", "in", ["wo03", "wo04", "nope"], {"wo03", "wo04"}),
    ("id", "=", "wo00", set()),  # deleted
    # LIKE: case-insensitive; % and _ are wildcards unless escaped.
    ("title", "like", "pump%", {"wo01", "wo02"}),
    ("title", "like", "%50\\%%", {"wo03"}),
    ("title", "like", "%50%", {"wo03", "wo04"}),
    ("title", "like", "under\\_score", {"wo05"}),
    ("title", "like", "under_score", {"wo05", "wo06"}),
    ("title", "like", "back\\\\slash", {"wo07"}),
    ("title", "like", "door\\_%", {"wo11"}),
    ("title", "not like", "%o%", matching(lambda r: "o" not in r["title"].lower())),
    ("description", "like", "%PUMP%", {"wo05", "wo08"}),
]


@pytest.mark.parametrize(("name", "op", "value", "expected"), CASES, ids=[f"{c[0]} {c[1]} {c[2]!r}" for c in CASES])
def test_each_operator(listing: Listing, name: str, op: str, value: Any, expected: set[str]) -> None:
    ids = listing.ids(lambda q: q.where(name, op, value))
    assert sorted(ids) == sorted(expected)


def test_conditions_combine_with_and(listing: Listing) -> None:
    ids = listing.ids(lambda q: q.where("status", "in", ["open", "onHold"]).where("priority", ">=", 1))
    assert set(ids) == {"wo02", "wo03", "wo07", "wo09", "wo11"}


def test_search_every_term_in_some_searchable_field(listing: Listing) -> None:
    assert set(listing.ids(lambda q: q.search_for("pump"))) == {"wo01", "wo02", "wo05", "wo08", "wo11"}
    assert set(listing.ids(lambda q: q.search_for("PUMP b"))) == {"wo02", "wo08"}  # "b": "pump b", "Boiler"
    assert set(listing.ids(lambda q: q.search_for("50%"))) == {"wo03"}
    assert set(listing.ids(lambda q: q.search_for("_"))) == {"wo05", "wo11"}
    assert set(listing.ids(lambda q: q.search_for("\\"))) == {"wo07"}
    assert set(listing.ids(lambda q: q.search_for("12"))) == {"wo12"}  # the number, as text
    assert set(listing.ids(lambda q: q.search_for("john@"))) == {"wo02"}
    assert listing.ids(lambda q: q.search_for("elsewhere")) == []  # another account's


def python_order(keys: list[tuple[str, bool]]) -> list[str]:
    """The rows' ids sorted by ``keys`` then id (in the first key's direction), NULL largest."""
    rows = list(DATA)
    rows.sort(key=lambda r: r["id"], reverse=keys[0][1])
    for name, descending in reversed(keys):
        rows.sort(key=lambda r: _null_largest(r[name]), reverse=descending)
    return [r["id"] for r in rows]


def _null_largest(value: Any) -> tuple[bool, Any]:
    return (value is None, 0 if value is None else value)


SORTS: list[list[tuple[str, bool]]] = [
    [("created_at", True)],
    [("created_at", False)],
    [("priority", True), ("due_date", False)],
    [("due_date", False), ("priority", True)],
    [("due_date", True)],
    [("cost", False), ("created_at", True)],
    [("archived", False), ("cost", True)],
    [("priority", False), ("created_at", False), ("due_date", True)],
    [("id", True)],
    [("work_order_no", False)],
]


@pytest.mark.parametrize("keys", SORTS, ids=[" ".join(f"{n}{'-' if d else '+'}" for n, d in k) for k in SORTS])
def test_several_sort_keys_with_nulls_last_ascending(listing: Listing, keys: list[tuple[str, bool]]) -> None:
    def build(q: ListQuery) -> ListQuery:
        for name, descending in keys:
            q.order(name, descending=descending)
        return q

    assert listing.ids(build) == python_order(keys)


@pytest.mark.parametrize("page_size", [1, 2, 5, 12])
@pytest.mark.parametrize("keys", SORTS, ids=[" ".join(f"{n}{'-' if d else '+'}" for n, d in k) for k in SORTS])
def test_cursor_pages_return_every_row_once_in_order(
    listing: Listing, keys: list[tuple[str, bool]], page_size: int
) -> None:
    def fresh() -> ListQuery:
        q = ListQuery.of(WORK_ORDERS, limit=page_size)
        for name, descending in keys:
            q.order(name, descending=descending)
        return q

    assert listing.pages(fresh)[0] == python_order(keys)


def test_cursor_with_filters_and_the_default_sort(listing: Listing) -> None:
    expected = [i for i in python_order([("created_at", True)]) if i in matching(lambda r: r["status"] != "open")]
    seen, totals = listing.pages(lambda: ListQuery.of(WORK_ORDERS, limit=3).where("status", "!=", "open").with_count())
    assert seen == expected
    assert totals == {len(expected)}  # the total ignores the cursor and the page


def test_count_is_the_total_matching_in_this_account(listing: Listing) -> None:
    rows, total = listing.run(ListQuery.of(WORK_ORDERS, limit=2).with_count())
    assert (len(rows), total) == (2, 12)
    rows, total = listing.run(ListQuery.of(WORK_ORDERS, limit=2, offset=1).where("title", "like", "pump%").with_count())
    assert (len(rows), total) == (1, 2)
    assert listing.run(ListQuery.of(WORK_ORDERS).where("status", "in", []).with_count())[1] == 0
    assert listing.run(ListQuery.of(WORK_ORDERS))[1] is None


def test_simple_and_catalogued_forms_combine(listing: Listing) -> None:
    query = ListQuery.of(WORK_ORDERS, limit=1000).where("priority", ">=", 2)
    query.equals["status"] = "complete"
    query.ranges.append(("created_at", ">", T0 + 1))
    rows, _ = listing.run(query)
    assert [r["id"] for r in rows] == ["wo06"]


SORTABLE = sorted(n for n in WORK_ORDERS.sortable if n in NAMES)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    keys=st.lists(
        st.tuples(st.sampled_from(SORTABLE), st.booleans()), min_size=1, max_size=3, unique_by=lambda k: k[0]
    ),
    page_size=st.integers(min_value=1, max_value=6),
    statuses=st.sets(st.sampled_from(["open", "onHold", "inProgress", "complete"])),
)
def test_any_sort_pages_by_cursor_like_one_query(
    listing: Listing, keys: list[tuple[str, bool]], page_size: int, statuses: set[str]
) -> None:
    def fresh() -> ListQuery:
        q = ListQuery.of(WORK_ORDERS, limit=page_size).where("status", "not in", sorted(statuses))
        for name, descending in keys:
            q.order(name, descending=descending)
        return q

    expected = [i for i in python_order(keys) if i in matching(lambda r: r["status"] not in statuses)]
    assert listing.pages(fresh)[0] == expected
