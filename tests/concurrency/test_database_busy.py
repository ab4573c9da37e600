"""A server out of database connections answers 503 with ``Retry-After`` in each dialect's error format,
never a 500, and writes nothing for the refused request (``premises.db.unavailable``).

A real one-process server keeps two write connections (``PREMISES_DB_POOL_SIZE=1``: one kept, one
more at peaks) and waits one second for a free one. The test holds the account's work-order number
row locked, so two work-order creations take both connections and wait on the lock; a third waits for
a connection, gives up after a second and is told to retry. Once the lock is released the two finish.
PostgreSQL only: SQLite has no pool to run out of (its writers queue on the database lock).
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, text

from premises.config import Settings
from premises.db.engine import Database, make_engine
from premises.db.unavailable import as_unavailable
from premises.errors import ErrorCode, Unavailable
from premises.models import WorkOrder
from tests.support.client import Tenant
from tests.support.races import Call, RaceServer, statuses
from tests.support.server import running_server
from tests.support.v1 import admin_of

pytestmark = pytest.mark.slow
postgres_only = pytest.mark.skipif(not os.environ.get("PREMISES_TEST_DATABASE_URL"), reason="needs a PostgreSQL server")
SMALL_POOL = {"PREMISES_DB_POOL_SIZE": "1", "PREMISES_DB_POOL_TIMEOUT": "1"}


@pytest.fixture(scope="module")
def small_pool(settings: Settings, db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RaceServer]:
    if not settings.resolved_database_url.startswith("postgresql"):
        pytest.skip("needs a PostgreSQL server")
    data_dir = tmp_path_factory.mktemp("busy-data")
    with running_server(settings.resolved_database_url, data_dir, workers=1, env=SMALL_POOL) as base_url:
        yield RaceServer(base_url, db)


def _while_numbers_locked(server: RaceServer, tenant: Tenant, calls: list[Call]) -> list[httpx.Response]:
    """Send ``calls`` at once while the account's work-order counter row is locked; release it after 3 s,
    once the pool's wait (1 s) has passed for whichever call found no connection free."""
    results: list[httpx.Response] = []
    racing = threading.Thread(target=lambda: results.extend(server.race(tenant.admin.token, calls)))
    with server.db.engine.connect() as connection, connection.begin():
        locked = connection.execute(
            text("SELECT value FROM account_counters WHERE account_id = :a AND name = 'work_order_no' FOR UPDATE"),
            {"a": tenant.account_id},
        ).scalar()
        assert locked is not None
        racing.start()
        time.sleep(3.0)
    racing.join(timeout=60)
    return results


def _work_orders(server: RaceServer, tenant: Tenant) -> int:
    statement = select(func.count()).select_from(WorkOrder).where(WorkOrder.account_id == tenant.account_id)
    with server.db.unit_of_work() as session:
        return int(session.scalar(statement) or 0)


@postgres_only
def test_upkeep_answers_503_with_retry_after_when_no_connection_frees(small_pool: RaceServer, tenant: Tenant) -> None:
    assert tenant.admin.post("/work-orders", json={"title": "First"}).status_code == 200  # the counter row exists

    def create(client: httpx.Client) -> httpx.Response:
        return client.post("/work-orders", json={"title": "Filter swap"})

    responses = _while_numbers_locked(small_pool, tenant, [create] * 3)
    assert statuses(responses) == {200: 2, 503: 1}, [r.text for r in responses]
    busy = next(r for r in responses if r.status_code == 503)
    assert busy.headers["Retry-After"] == "1"
    assert busy.json() == {"success": False, "message": "the server is busy: retry in 1 s"}
    assert _work_orders(small_pool, tenant) == 3  # the refused one wrote nothing


@postgres_only
def test_v1_answers_503_in_its_own_format(small_pool: RaceServer, http: TestClient, tenant: Tenant) -> None:
    assert tenant.admin.post("/work-orders", json={"title": "First"}).status_code == 200
    api = admin_of(http, tenant.db, tenant.account_id, tenant.admin.user_id)

    def create(client: httpx.Client) -> httpx.Response:
        headers = {"Authorization": f"Bearer {api.token}"}
        return client.post(small_pool.base_url + "/v1/workOrders", json={"title": "Leak"}, headers=headers)

    responses = _while_numbers_locked(small_pool, tenant, [create] * 3)
    assert statuses(responses) == {201: 2, 503: 1}, [r.text for r in responses]
    busy = next(r for r in responses if r.status_code == 503)
    assert busy.headers["Retry-After"] == "1"
    body = busy.json()
    assert body["error"] == "temporarily_unavailable"
    assert body["details"]["code"] == ErrorCode.UNAVAILABLE.value
    assert _work_orders(small_pool, tenant) == 3


@postgres_only
def test_a_pool_that_stays_empty_is_unavailable(settings: Settings) -> None:
    engine = make_engine(settings.resolved_database_url, pool_size=1, pool_timeout=0.2)
    engine.pool._max_overflow = 0  # one connection only
    try:
        with engine.connect(), pytest.raises(Exception) as raised, engine.connect():
            pass
        assert isinstance(as_unavailable(raised.value), Unavailable)
    finally:
        engine.dispose()


def test_a_locked_sqlite_database_is_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "locked.db"
    holder = sqlite3.connect(path, timeout=0, isolation_level=None)
    holder.execute("CREATE TABLE t (x INTEGER)")
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    try:
        with pytest.raises(sqlite3.OperationalError) as raised:
            other.execute("INSERT INTO t VALUES (1)")
        assert isinstance(as_unavailable(raised.value), Unavailable)
        assert as_unavailable(sqlite3.OperationalError("no such table: t")) is None
    finally:
        holder.execute("ROLLBACK")
        holder.close()
        other.close()
