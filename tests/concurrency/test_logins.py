"""Logins against a real server with the real (default) argon2 parameters.

The suite hashes with the cheapest profile (tests/conftest.py); these tests start the server
without it, so that a password check costs what it costs in production.
"""

from __future__ import annotations

import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

from premises.config import Settings
from premises.kit.ids import new_id
from tests.support.client import PASSWORD, Tenant
from tests.support.server import running_server

pytestmark = pytest.mark.slow

# Real argon2 parameters, and no throttling: every wrong password here must cost a verification
# (throttling itself: test_login_throttling.py).
REAL_HASHES = {
    "PREMISES_PASSWORD_HASH_PROFILE": None,
    "PREMISES_LOGIN_FAILURES_PER_EMAIL": "1000000",
    "PREMISES_LOGIN_FAILURES_PER_ADDRESS": "1000000",
}


def _create_user(base_url: str, admin_token: str) -> str:
    """A user created through the server, so that its password is hashed with the real parameters."""
    email = f"flood-{new_id().lower()}@example.test"
    response = httpx.post(
        f"{base_url}/api/v2/users",
        json={"email": email, "accountType": "TECH", "password": PASSWORD},
        headers={"Session-Token": admin_token},
        timeout=60,
    )
    assert response.status_code == 200, response.text
    return email


def _timed_creates(base_url: str, admin_token: str, count: int) -> list[float]:
    times = []
    for index in range(count):
        started = time.perf_counter()
        response = httpx.post(
            f"{base_url}/api/v2/work-orders",
            json={"title": f"During logins {index}"},
            headers={"Session-Token": admin_token},
            timeout=60,
        )
        times.append(time.perf_counter() - started)
        assert response.status_code == 200, response.text
    return times


def test_a_flood_of_wrong_passwords_does_not_stall_writes(tenant: Tenant, settings: Settings, tmp_path: Path) -> None:
    """Passwords are verified outside the write lock and transaction (issue 5, item 7)."""
    with running_server(settings.resolved_database_url, tmp_path, env=REAL_HASHES) as base_url:
        token = tenant.admin.token
        email = _create_user(base_url, token)
        _timed_creates(base_url, token, 3)  # warm up
        baseline = statistics.median(_timed_creates(base_url, token, 10))

        stop = threading.Event()
        refused = []

        def flood() -> None:
            with httpx.Client(base_url=base_url, timeout=120) as client:
                while not stop.is_set():
                    response = client.post("/api/v2/auth", json={"email": email, "password": "wrong password"})
                    refused.append(response.status_code)

        with ThreadPoolExecutor(max_workers=20) as pool:
            for _ in range(20):
                pool.submit(flood)
            time.sleep(1.0)  # let the logins pile up
            try:
                during = _timed_creates(base_url, token, 10)
            finally:
                stop.set()
    assert refused and set(refused) == {401}
    median = statistics.median(during)
    assert median < 1.0, (baseline, during)
    assert median < 5 * max(baseline, 0.02), (baseline, during)


def test_unknown_and_known_emails_cost_the_same(tenant: Tenant, settings: Settings, tmp_path: Path) -> None:
    """A failed login takes as long for an unknown email as for an existing one (issue 5, item 8)."""
    with running_server(settings.resolved_database_url, tmp_path, env=REAL_HASHES) as base_url:
        email = _create_user(base_url, tenant.admin.token)
        unknown = f"nobody-{new_id().lower()}@example.test"
        timings: dict[str, list[float]] = {email: [], unknown: []}
        with httpx.Client(base_url=base_url, timeout=60) as client:
            for attempt in range(12):
                for address in (email, unknown):
                    started = time.perf_counter()
                    response = client.post("/api/v2/auth", json={"email": address, "password": "wrong password"})
                    elapsed = time.perf_counter() - started
                    assert response.status_code == 401
                    if attempt >= 2:  # the first attempts warm up (the dummy hash is made on first use)
                        timings[address].append(elapsed)
    ratio = statistics.median(timings[unknown]) / statistics.median(timings[email])
    assert 0.5 < ratio < 2.0, timings
