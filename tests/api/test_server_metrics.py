"""Issue 7, metrics across worker processes: with ``PROMETHEUS_MULTIPROC_DIR`` set, ``premises serve
--workers 2`` answers every scrape with the sum of both workers' counts, whichever worker answers."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from premises.config import Settings
from tests.support.server import running_server

pytestmark = pytest.mark.slow

READYZ = 'premises_http_requests_total{method="GET",route="/readyz",status="200"}'


def _count(text: str, series: str) -> float:
    for line in text.splitlines():
        if line.startswith(series + " "):
            return float(line.rpartition(" ")[2])
    return 0.0


def test_every_scrape_sums_every_worker(settings: Settings, tmp_path: Path) -> None:
    shared = tmp_path / "metrics"
    stale = shared / "4194399"  # an earlier run whose process is gone (above any pid)
    stale.mkdir(parents=True)
    (stale / "counter_4194399.db").write_bytes(b"")
    env = {"PREMISES_METRICS_ENABLED": "true", "PROMETHEUS_MULTIPROC_DIR": str(shared)}
    with running_server(settings.resolved_database_url, tmp_path / "data", workers=2, env=env) as base_url:
        with ThreadPoolExecutor(8) as pool:  # separate connections, spread over the workers
            statuses = list(pool.map(lambda _: httpx.get(f"{base_url}/readyz").status_code, range(24)))
        assert statuses == [200] * 24
        scrapes = [httpx.get(f"{base_url}/metrics", headers={"Connection": "close"}) for _ in range(6)]
    assert all(s.status_code == 200 for s in scrapes)
    assert [_count(s.text, READYZ) for s in scrapes] == [24.0] * 6
    assert not stale.exists()
    runs = [entry for entry in shared.iterdir() if entry.is_dir()]
    assert len(runs) == 1 and any(runs[0].glob("*.db"))
