"""20 parallel readings that cross a meter's threshold create exactly one work order, against a real
server with two worker processes, their evaluations (``meter.evaluate`` jobs) run by two job workers
at once: evaluations serialise on the meter's row lock and each sees what the previous one committed
(meter.evaluation). On SQLite the writers serialise anyway; on
PostgreSQL without the lock several evaluations would see no open work order and each create one."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from sqlalchemy import func, select

from premises.models import MeterReading, MeterTriggerHit, WorkOrder
from tests.support.client import Tenant
from tests.support.jobs import run_account_jobs
from tests.support.races import RaceServer, statuses

pytestmark = pytest.mark.slow


def _count(server: RaceServer, model: type, account_id: str) -> int:
    statement = select(func.count()).select_from(model).where(model.account_id == account_id)  # type: ignore[attr-defined]
    with server.db.unit_of_work() as session:
        return int(session.scalar(statement) or 0)


@pytest.mark.parametrize("frequency", ["EVERY_TIME_IS_GREATER_THAN", "ONE_TIME_IS_GREATER_THAN", "EVERY_TIME_REACHES"])
def test_parallel_readings_crossing_a_threshold_create_one_work_order(
    server: RaceServer, tenant: Tenant, frequency: str
) -> None:
    admin = tenant.admin
    meter = admin.post("/meters", json={"name": "Run hours", "units": "h", "frequency": 1, "isCumulative": True})
    meter_id = meter.json()["result"]["id"]
    body = {"title": f"Service ({frequency})", "triggerValue": 100, "triggerFrequency": frequency}
    created = admin.post(f"/meters/{meter_id}/notifications", json=body)
    assert created.status_code == 200, created.text
    notification_id = created.json()["result"]["id"]

    def read(client: httpx.Client) -> httpx.Response:
        return client.post(f"/meters/{meter_id}/readings", json={"value": 150})

    responses = server.same(admin.token, read)
    assert statuses(responses) == {200: 20}, [r.text for r in responses if r.status_code != 200]
    assert _count(server, MeterReading, tenant.account_id) == 20
    # Their meter.evaluate jobs, run by two workers at once (four threads each, own connections).
    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda _: run_account_jobs(server.db, tenant.account_id, concurrency=4), range(2)))
    assert _count(server, WorkOrder, tenant.account_id) == 1
    assert server.events(tenant.account_id, "WORK_ORDER_CREATED") == 1
    hits = _count(server, MeterTriggerHit, tenant.account_id)
    # An interval moved to 100 after its work order, a ONE_TIME has fired: only the first reading hits.
    assert hits == (20 if frequency == "EVERY_TIME_IS_GREATER_THAN" else 1)
    assert server.events(tenant.account_id, "METER_NOTIFICATION_TRIGGERED", notification_id) == hits
