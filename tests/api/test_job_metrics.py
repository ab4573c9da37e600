"""/metrics reports the job queue by status (premises_jobs), read when scraped."""

from __future__ import annotations

import re
from pathlib import Path

from fastapi.testclient import TestClient

from premises.api.app import create_app
from premises.config import Settings
from premises.db.engine import Database
from premises.job import service
from tests.support.client import new_tenant


def _gauge(text: str, status: str) -> float:
    match = re.search(rf'^premises_jobs\{{status="{status}"\}} (\S+)$', text, re.MULTILINE)
    assert match, text
    return float(match.group(1))


def test_the_queue_by_status(settings: Settings, db: Database, tmp_path: Path, tenant_guard: None) -> None:
    changed = settings.model_copy(update={"metrics_enabled": True, "data_dir": tmp_path})
    with TestClient(create_app(changed)) as client:
        before = _gauge(client.get("/metrics").text, "queued")
        tenant = new_tenant(client, db)
        with db.unit_of_work() as session:
            for _ in range(3):
                service.enqueue(session, "test.noop", {}, account_id=tenant.account_id, delay_ms=3_600_000)
        text = client.get("/metrics").text
    assert _gauge(text, "queued") >= before + 3
    assert _gauge(text, "running") >= 0 and _gauge(text, "failed") >= 0
