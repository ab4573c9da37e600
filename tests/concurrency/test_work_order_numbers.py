"""20 parallel creations in one account get 20 distinct, consecutive workOrderNo values,
against a real server with two worker processes (so the guarantee does not rest on one process)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from premises.config import Settings
from tests.support.client import Tenant
from tests.support.server import running_server

pytestmark = pytest.mark.slow


def test_parallel_creations_get_consecutive_numbers(tenant: Tenant, settings: Settings, tmp_path: Path) -> None:
    with running_server(settings.resolved_database_url, tmp_path, workers=2) as base_url:
        headers = {"Session-Token": tenant.admin.token}

        def create(index: int) -> httpx.Response:
            return httpx.post(
                f"{base_url}/api/v2/work-orders",
                json={"title": f"Parallel {index}"},
                headers=headers,
                timeout=60,
            )

        with ThreadPoolExecutor(max_workers=20) as pool:
            responses = list(pool.map(create, range(20)))
    assert [r.status_code for r in responses] == [200] * 20, [r.text for r in responses if r.status_code != 200]
    numbers = sorted(int(r.json()["result"]["workOrderNo"]) for r in responses)
    assert numbers == list(range(1, 21))
