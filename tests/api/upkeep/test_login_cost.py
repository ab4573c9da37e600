"""Every login attempt costs one argon2 verification with the same parameters, whether the email
exists, is unknown or belongs to a deleted user (issue 5, item 8): observed at the library boundary."""

from __future__ import annotations

from collections.abc import Iterator

import argon2
import pytest
from fastapi.testclient import TestClient

from premises.kit.ids import new_id
from premises.models import Login, User
from tests.support.client import PASSWORD, Tenant


@pytest.fixture
def verified(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The hashes argon2 verifies passwords against, in order."""
    hashes: list[str] = []
    original = argon2.PasswordHasher.verify

    def verify(self: argon2.PasswordHasher, hash: str | bytes, password: str | bytes) -> bool:
        hashes.append(hash if isinstance(hash, str) else hash.decode())
        return original(self, hash, password)

    monkeypatch.setattr(argon2.PasswordHasher, "verify", verify)
    yield hashes


def _attempt(http: TestClient, email: str, password: str = "wrong password") -> int:
    status: int = http.post("/api/v2/auth", json={"email": email, "password": password}).status_code
    return status


def _stored_hash(tenant: Tenant, email: str) -> str:
    with tenant.db.unit_of_work() as session:
        login = session.get(Login, email)
        assert login is not None
        return login.password_hash


def test_each_path_verifies_once_with_the_same_parameters(tenant: Tenant, verified: list[str]) -> None:
    user = tenant.as_role("TECH")
    stored = _stored_hash(tenant, user.email)
    verified.clear()

    assert _attempt(tenant.http, user.email) == 401
    assert verified == [stored]

    verified.clear()
    assert _attempt(tenant.http, f"nobody-{new_id().lower()}@example.test") == 401
    assert len(verified) == 1
    assert verified[0] != stored
    assert argon2.extract_parameters(verified[0]) == argon2.extract_parameters(stored)

    verified.clear()
    assert _attempt(tenant.http, user.email, PASSWORD) == 200
    assert verified == [stored]


def test_a_deleted_user_is_verified_against_the_dummy_hash(tenant: Tenant, verified: list[str]) -> None:
    user = tenant.as_role("TECH")
    stored = _stored_hash(tenant, user.email)
    with tenant.db.unit_of_work() as session:
        row = session.get(User, (tenant.account_id, user.user_id))
        assert row is not None
        row.deleted_at = 1
    verified.clear()
    assert _attempt(tenant.http, user.email, PASSWORD) == 401
    assert len(verified) == 1
    assert verified[0] != stored
    assert argon2.extract_parameters(verified[0]) == argon2.extract_parameters(stored)
