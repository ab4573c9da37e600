"""Login throttling on POST /api/v2/auth: 429 with Retry-After in UpKeep's format, per email and per
client address, the right password refused too while throttled, window expiry, events, the OpenAPI
document. Each test logs in from an address of its own (TestClient's ``client``) against an app with
small limits; the counters live in the shared test database."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import argon2
import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update

from premises.api.app import create_app
from premises.config import Settings
from premises.db.engine import Database
from premises.event.types import EventType
from premises.identity.service import LoginLimits
from premises.kit import jsonutil
from premises.kit.ids import new_id
from premises.models import Event, ThrottleCounter
from tests.support.client import PASSWORD, Tenant

PER_EMAIL, PER_ADDRESS, WINDOW = 3, 6, 600
LIMITS = LoginLimits(PER_EMAIL, PER_ADDRESS, WINDOW)


@pytest.fixture
def address() -> str:
    return f"198.51.100.{new_id().lower()}"  # any string TestClient reports as the peer; unique per test


@pytest.fixture
def strict(settings: Settings, tmp_path: Path, address: str) -> Iterator[TestClient]:
    """The app with small limits, seen from the test's own client address."""
    configured = Settings(
        database_url=settings.database_url,
        data_dir=tmp_path,
        login_failures_per_email=PER_EMAIL,
        login_failures_per_address=PER_ADDRESS,
        login_window_seconds=WINDOW,
    )
    with TestClient(create_app(configured), client=(address, 40000)) as client:
        yield client


def _login(http: TestClient, email: str, password: str = "wrong password") -> httpx.Response:
    return http.post("/api/v2/auth", json={"email": email, "password": password})


def _throttled(response: httpx.Response) -> int:
    """The Retry-After seconds of a 429 in UpKeep's format."""
    assert response.status_code == 429, response.text
    body = response.json()
    assert body["success"] is False
    retry_after = int(response.headers["Retry-After"])
    assert body["message"] == f"too many failed logins: try again in {retry_after} seconds"
    assert 0 < retry_after <= WINDOW
    return retry_after


def test_failures_up_to_the_limit_then_429_even_with_the_right_password(tenant: Tenant, strict: TestClient) -> None:
    tech = tenant.as_role("TECH")
    assert [_login(strict, tech.email).status_code for _ in range(PER_EMAIL)] == [401] * PER_EMAIL
    _throttled(_login(strict, tech.email))
    _throttled(_login(strict, tech.email, PASSWORD))  # refused without a check: no oracle
    _throttled(_login(strict, tech.email.upper(), PASSWORD))  # the same email, however written
    assert tech.get(f"/users/{tech.user_id}").status_code == 200  # its existing sessions go on


def test_unknown_emails_are_throttled_alike(strict: TestClient) -> None:
    nobody = f"nobody-{new_id().lower()}@example.test"
    assert [_login(strict, nobody).status_code for _ in range(PER_EMAIL)] == [401] * PER_EMAIL
    _throttled(_login(strict, nobody))


def test_the_address_limit_spans_emails(tenant: Tenant, strict: TestClient) -> None:
    statuses = [_login(strict, f"spray-{n}-{new_id().lower()}@example.test").status_code for n in range(PER_ADDRESS)]
    assert statuses == [401] * PER_ADDRESS
    _throttled(_login(strict, tenant.admin.email, PASSWORD))  # a valid login from that address waits too


def test_another_address_is_not_throttled_by_this_one(
    tenant: Tenant, strict: TestClient, settings: Settings, tmp_path: Path
) -> None:
    for n in range(PER_ADDRESS):
        _login(strict, f"spray-{n}-{new_id().lower()}@example.test")
    _throttled(_login(strict, tenant.admin.email, PASSWORD))
    with TestClient(create_app(settings), client=(f"203.0.113.{new_id().lower()}", 1)) as elsewhere:
        assert _login(elsewhere, tenant.admin.email, PASSWORD).status_code == 200


def test_successful_logins_do_not_count_and_clear_the_emails_failures(tenant: Tenant, strict: TestClient) -> None:
    tech = tenant.as_role("TECH")
    assert [_login(strict, tech.email, PASSWORD).status_code for _ in range(PER_ADDRESS + 2)] == [200] * (
        PER_ADDRESS + 2
    )
    for _ in range(2):
        for _ in range(PER_EMAIL - 1):
            assert _login(strict, tech.email).status_code == 401
        assert _login(strict, tech.email, PASSWORD).status_code == 200  # forgets the email's failures


def test_after_the_window_the_right_password_works_again(tenant: Tenant, strict: TestClient, db: Database) -> None:
    tech = tenant.as_role("TECH")
    for _ in range(PER_EMAIL + 1):
        _login(strict, tech.email)
    _throttled(_login(strict, tech.email, PASSWORD))
    with db.unit_of_work() as session:  # the window ends now (no sleeping for ten minutes)
        ended = {"window_start": ThrottleCounter.window_start - WINDOW * 1000, "expires_at": 1}
        key = LIMITS.email.key(tech.email)
        assert session.execute(update(ThrottleCounter).where(ThrottleCounter.key_hash == key).values(**ended)).rowcount
    assert _login(strict, tech.email, PASSWORD).status_code == 200


def test_failures_and_the_first_refusal_are_recorded(tenant: Tenant, strict: TestClient, address: str) -> None:
    tech = tenant.as_role("TECH")
    for _ in range(PER_EMAIL + 3):
        _login(strict, tech.email)
    with tenant.db.unit_of_work() as session:
        rows = session.execute(
            select(Event.type, Event.payload, Event.resource_type, Event.actor_user_id)
            .where(Event.account_id == tenant.account_id, Event.resource_id == tech.user_id)
            .order_by(Event.id)
        ).all()
    assert [r.type for r in rows] == [EventType.LOGIN_FAILED] * PER_EMAIL + [EventType.LOGIN_THROTTLED]
    assert {(r.resource_type, r.actor_user_id) for r in rows} == {("user", None)}
    assert jsonutil.loads(rows[0].payload) == {"email": tech.email, "address": address}
    throttled = jsonutil.loads(rows[-1].payload)
    assert (throttled["limited_by"], throttled["address"]) == (["email"], address)


def test_a_throttled_login_verifies_no_password(
    tenant: Tenant, strict: TestClient, db: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Refusals over the limit cost one short write: no argon2, and one event per limit crossed."""
    tech = tenant.as_role("TECH")
    verified: list[str] = []
    original = argon2.PasswordHasher.verify

    def verify(self: argon2.PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:
        verified.append(str(password))
        return original(self, hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", verify)
    for _ in range(PER_EMAIL + 10):
        _login(strict, tech.email)
    assert len(verified) == PER_EMAIL
    with db.unit_of_work() as session:
        rows = session.execute(
            select(Event.type, Event.payload)
            .where(Event.account_id == tenant.account_id, Event.resource_id == tech.user_id)
            .order_by(Event.id)
        ).all()
    throttled = [jsonutil.loads(r.payload)["limited_by"] for r in rows if r.type == EventType.LOGIN_THROTTLED]
    assert len(rows) == PER_EMAIL + 2
    assert throttled == [["email"], ["address"]]  # the 4th attempt crossed the email's limit, the 7th the address's


def test_the_openapi_document_declares_429_with_retry_after(http: TestClient) -> None:
    document = http.get("/api/v2/openapi.json").json()
    responses = document["paths"]["/auth"]["post"]["responses"]
    assert responses["429"]["headers"]["Retry-After"]["schema"]["type"] == "integer"
    assert responses["429"]["content"]["application/json"]["schema"]["required"] == ["success", "message"]
