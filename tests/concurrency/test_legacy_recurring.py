"""Legacy recurring work orders (UpKeep before 2022-09-14) against a real server with two worker
processes: parallel PATCHes that make one work order recur make one trigger (the work order's row lock
serialises them; the unique (account, work order) key of pm_work_orders backs it), and parallel changes
of a root's template leave the trigger equal to the root. SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from premises.config import Settings
from premises.models import PmTrigger, PmWorkOrder
from tests.support.client import Tenant
from tests.support.server import running_server

pytestmark = pytest.mark.slow

PARALLEL = 12
START = 1_925_020_800_000  # 2031-01-01T08:00:00Z


def test_parallel_patches_make_one_trigger(tenant: Tenant, settings: Settings, tmp_path: Path) -> None:
    headers = {"Session-Token": tenant.admin.token, "upkeep-version": "2021-11-23"}
    with running_server(settings.resolved_database_url, tmp_path, workers=2) as base_url:
        created = httpx.post(
            f"{base_url}/api/v2/work-orders", json={"title": "Check Oil", "dueDate": START}, headers=headers, timeout=60
        )
        work_order_id = created.json()["result"]["id"]

        def patch(index: int) -> httpx.Response:
            schedule = "daily" if index % 2 else "weekly"
            body = {"recurringSchedule": schedule, "description": f"round {index}"}
            return httpx.patch(f"{base_url}/api/v2/work-orders/{work_order_id}", json=body, headers=headers, timeout=60)

        with ThreadPoolExecutor(max_workers=PARALLEL) as pool:
            responses = list(pool.map(patch, range(PARALLEL)))
        final = httpx.get(f"{base_url}/api/v2/work-orders/{work_order_id}", headers=headers, timeout=60).json()
    assert [r.status_code for r in responses] == [200] * PARALLEL, [r.text for r in responses if r.status_code != 200]
    with tenant.db.unit_of_work() as session:
        triggers = session.scalars(
            select(PmTrigger).where(
                PmTrigger.account_id == tenant.account_id, PmTrigger.legacy_work_order_id == work_order_id
            )
        ).all()
        assert len(triggers) == 1
        [trigger] = triggers
        links = session.scalars(
            select(PmWorkOrder.due_at).where(
                PmWorkOrder.account_id == tenant.account_id, PmWorkOrder.trigger_id == trigger.id
            )
        ).all()
        assert links == [START]
        # The last PATCH to commit wrote both the root and its trigger.
        assert trigger.wo_description == final["result"]["description"]
        assert (
            final["result"]["recurringSchedule"]
            == {"EVERY_N_DAYS": "daily", "EVERY_N_WEEKS": "weekly"}[trigger.schedule_type]
        )
