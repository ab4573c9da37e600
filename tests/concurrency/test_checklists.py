"""Checklists under parallel writers, against a real server with two worker processes: a work order's
lines and its time log change only under the work order's row lock (checklist.filling,
work_order.time_log), so 20 parallel PATCHes that fill the same METER line record one reading, and
20 parallel ``time`` changes leave a log that sums to the stored ``time``."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from premises.models import MeterReading, WorkOrderTimeEntry
from tests.support.client import Tenant
from tests.support.races import Call, RaceServer, statuses

pytestmark = pytest.mark.slow


def test_the_same_filled_meter_line_records_one_reading(server: RaceServer, tenant: Tenant) -> None:
    admin = tenant.admin
    meter = admin.post("/meters", json={"name": "Room temperature", "units": "F", "frequency": 1})
    meter_id = meter.json()["result"]["id"]
    line = {"name": "Record room temp", "type": "METER_READING", "meter": meter_id}
    created = admin.post("/work-orders", json={"title": "Rounds", "formItems": [line]})
    assert created.status_code == 200, created.text
    work_order = created.json()["result"]
    filled = [{**work_order["formItems"][0], "value": 72}]

    def fill(client: httpx.Client) -> httpx.Response:
        return client.patch(f"/work-orders/{work_order['id']}", json={"formItems": filled})

    responses = server.same(admin.token, fill)
    assert statuses(responses) == {200: 20}, [r.text for r in responses if r.status_code != 200]
    statement = (
        select(func.count())
        .select_from(MeterReading)
        .where(MeterReading.account_id == tenant.account_id, MeterReading.meter_id == meter_id)
    )
    with server.db.unit_of_work() as session:
        assert session.scalar(statement) == 1
    assert server.events(tenant.account_id, "METER_READING_CREATED") == 1


def test_parallel_time_changes_leave_a_log_that_sums_to_the_time(server: RaceServer, tenant: Tenant) -> None:
    admin = tenant.admin
    created = admin.post("/work-orders", json={"title": "Fix", "time": 1})
    work_order_id = created.json()["result"]["id"]
    sent = [float(2 + i) for i in range(20)]

    def set_time(hours: float) -> Call:
        return lambda c: c.patch(f"/work-orders/{work_order_id}", json={"time": hours})

    responses = server.race(admin.token, [set_time(h) for h in sent])
    assert statuses(responses) == {200: 20}, [r.text for r in responses if r.status_code != 200]
    stored = float(admin.get(f"/work-orders/{work_order_id}").json()["result"]["time"])
    assert stored in sent
    statement = select(WorkOrderTimeEntry.duration).where(
        WorkOrderTimeEntry.account_id == tenant.account_id, WorkOrderTimeEntry.work_order_id == work_order_id
    )
    with server.db.unit_of_work() as session:
        durations = list(session.scalars(statement))
    assert len(durations) == 21 and sum(durations) == pytest.approx(stored)
