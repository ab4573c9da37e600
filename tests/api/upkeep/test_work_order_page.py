"""The work-order list page rendered by the database is byte for byte the page rendered in Python.

``GET /work-orders`` without ``includes`` renders each row in SQL (``mappers.work_orders.page_projection``)
and falls back to Python only for rows SQL cannot render exactly; these tests store awkward values
directly and compare the response's bytes with ``orjson.dumps`` of the Python rendering (``to_upkeep``
through ``render``), on whichever engine the suite runs.
"""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from sqlalchemy import text

from premises.api.upkeep.mappers import work_orders as wire
from premises.db.reader import Reader
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery
from premises.work_order import queries
from tests.domain.reading import read
from tests.support.client import Tenant
from tests.support.factories import make_custom_status

PAGE = ListQuery(order_column="created_at", descending=True, limit=500)


def _store(tenant: Tenant, work_order_id: str, **columns: Any) -> None:
    assignments = ", ".join(f"{name} = :{name}" for name in columns)
    with tenant.db.unit_of_work() as session:
        session.execute(
            text(f"UPDATE work_orders SET {assignments} WHERE account_id = :account_id AND id = :id"),
            {**columns, "account_id": tenant.account_id, "id": work_order_id},
        )


def _new(tenant: Tenant, **body: Any) -> str:
    response = tenant.admin.post("/work-orders", json={"title": "Repair sink", **body})
    assert response.status_code == 200, response.text
    work_order_id: str = response.json()["result"]["id"]
    return work_order_id


def _python_page(database_url: str, principal: Principal, query: ListQuery = PAGE) -> bytes:
    async def page(reader: Reader) -> bytes:
        rows = await queries.list_work_orders(reader, principal, query)
        return orjson.dumps({"success": True, "results": await wire.render(reader, principal, rows)})

    return read(database_url, page)


def _flags(database_url: str, principal: Principal, expected: dict[str, int]) -> None:
    """On SQLite, which rows the database renders (0) and which it leaves to Python (1)."""

    async def flags(reader: Reader) -> dict[str, int] | None:
        if reader.dialect != "sqlite":
            return None  # PostgreSQL renders every row in Python (wire.render_rows)
        rows = await queries.list_work_orders_as(reader, principal, PAGE, wire.page_projection())
        return {orjson.loads(row[0])["id"]: row[1] for row in rows}

    found = read(database_url, flags)
    if found is not None:
        assert {work_order_id: found[work_order_id] for work_order_id in expected} == expected


FLOATS = (2.0, 0.5, 0.1, 7.25, 1234.5678, 123456.789, 99999999999.9999, 0.0001, -2.5, 5.0)
AWKWARD_FLOATS = (0.30000000000000004, 1e-05, 0.0, 1e15, 123456.78901, 1e11)
INSTANTS = (-1, -62_135_596_800_000, 0, 1, 999, 86_399_999, 1_515_452_422_310, 1_764_684_000_123, 253_402_300_799_999)
RESPONSE_OFFSETS = (
    0,
    18_000,
    450_000,
    -5,
    1,
    17_999,
    18_001,
    35_999,
    3_600_000,
    5_400_000,
    360_000_000_123,
)  # ms after created_at


def test_ordinary_rows_are_rendered_by_the_database_exactly_as_in_python(tenant: Tenant, database_url: str) -> None:
    admin = Principal(tenant.account_id, tenant.admin.user_id, Role.ADMIN)
    status = make_custom_status(tenant.db, tenant.account_id, "Waiting on parts", "onHold")
    ids = []
    for n, (number, instant, offset) in enumerate(zip(FLOATS, (*INSTANTS, None), RESPONSE_OFFSETS, strict=False)):
        work_order_id = _new(
            tenant,
            title=f'Fix "pump" {n} \\ tab\there\nnewline \x01 é ✓ 😀',
            description=None if n % 2 else "line one\r\nline two\u2028",
            priority=n % 4,
            formItems=[{"name": "Check & close", "type": "TASK"}] if n % 3 == 0 else [],
            customWOStatusId=status if n % 2 else None,
        )
        created = 1_700_000_000_000 + n
        _store(
            tenant,
            work_order_id,
            estimated_duration_hours=number,
            time_spent=FLOATS[(n + 3) % len(FLOATS)],
            cost=-number if n % 2 else number,
            start_date=instant,
            due_date=instant,
            created_at=created,
            first_status_change_at=created + offset,
            work_order_no=(11, 99, 100, 1000, 123_456, 12, 13, 14, 15, 16)[n],  # created as 1..10
            archived=bool(n % 2),
            requires_signature=bool(n % 3),
        )
        ids.append(work_order_id)
    _flags(database_url, admin, dict.fromkeys(ids, 0))
    listed = tenant.admin.get("/work-orders", params={"limit": 500})
    assert listed.status_code == 200
    assert listed.content == _python_page(database_url, admin)


@pytest.mark.parametrize("value", AWKWARD_FLOATS)
def test_awkward_floats_render_as_in_python(tenant: Tenant, database_url: str, value: float) -> None:
    admin = Principal(tenant.account_id, tenant.admin.user_id, Role.ADMIN)
    plain = _new(tenant)
    for column in ("estimated_duration_hours", "time_spent", "cost"):
        odd = _new(tenant)
        _store(tenant, odd, **{column: value})
    _flags(database_url, admin, {plain: 0, odd: 0})
    assert tenant.admin.get("/work-orders", params={"limit": 500}).content == _python_page(database_url, admin)


def test_rows_with_images_or_odd_values_are_rendered_in_python(tenant: Tenant, database_url: str) -> None:
    admin = Principal(tenant.account_id, tenant.admin.user_id, Role.ADMIN)
    plain = _new(tenant)
    odd = {
        "image": {"image_file_id": "NoSuchFile"},
        "not a list": {"file_ids": "null"},
    }
    ids = {}
    for name, columns in odd.items():
        ids[name] = _new(tenant)
        _store(tenant, ids[name], **columns)
    _flags(database_url, admin, {plain: 0, **dict.fromkeys(ids.values(), 1)})
    assert tenant.admin.get("/work-orders", params={"limit": 500}).content == _python_page(database_url, admin)


def test_filters_order_paging_and_visibility_are_the_python_pages(tenant: Tenant, database_url: str) -> None:
    for n in range(6):
        work_order_id = _new(tenant, priority=n % 4)
        _store(tenant, work_order_id, created_at=1_700_000_000_000 + n * 1000, status=("open", "complete")[n % 2])
    tech = tenant.as_role("LIMITED_TECH")
    mine = _new(tenant, assignedToUser=tech.user_id)
    for client, role, user_id in (
        (tenant.admin, Role.ADMIN, tenant.admin.user_id),
        (tech, Role.LIMITED_TECH, tech.user_id),
    ):
        principal = Principal(tenant.account_id, user_id, role)
        for params, query in (
            ({"status": "open", "limit": 2}, ListQuery({"status": "open"}, limit=2)),
            ({"limit": 2, "offset": 2}, ListQuery(limit=2, offset=2)),
            ({"isComplete": "1"}, ListQuery({queries.IS_COMPLETE: True}, limit=100)),
        ):
            listed = client.get("/work-orders", params=params)
            assert listed.status_code == 200, listed.text
            assert listed.content == _python_page(database_url, principal, query), params
    assert [item["id"] for item in tech.get("/work-orders").json()["results"]] == [mine]


def test_the_list_operation_documents_the_security_of_the_other_operations(http: Any) -> None:
    document = http.get("/api/v2/openapi.json").json()
    listed = document["paths"]["/work-orders"]["get"]
    assert listed["security"] == document["paths"]["/work-orders/{work_order_id}"]["get"]["security"]
    assert set(listed["security"][0]) <= set(document["components"]["securitySchemes"])
