"""The password policy on /api/v2 (POST /users): 400 in UpKeep's format, nothing created; the minimum
length from PREMISES_PASSWORD_MIN_LENGTH; older weak passwords still log in. The rules themselves:
tests/domain/identity/test_passwords.py."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from premises.api.app import create_app
from premises.config import Settings
from premises.db.engine import Database
from premises.identity.passwords import hash_password
from premises.kit.ids import new_id
from premises.models import Login
from tests.support.client import PASSWORD, Tenant, login, new_tenant


def _create(tenant: Tenant, email: str, password: str) -> tuple[int, dict[str, object]]:
    response = tenant.admin.post("/users", json={"email": email, "accountType": "TECH", "password": password})
    return response.status_code, response.json()


def _exists(tenant: Tenant, email: str) -> bool:
    with tenant.db.unit_of_work() as session:
        return session.get(Login, email) is not None


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("short", "password must be at least 10 characters long"),
        ("            ", "password must not be only whitespace"),
        ("{local}", "password must not be the email address or its local part"),
        ("{email}", "password must not be the email address or its local part"),
        ("password123", "password is too common: choose one that is not on lists of common passwords"),
        ("QWERTYUIOP", "password is too common: choose one that is not on lists of common passwords"),
    ],
)
def test_a_weak_password_is_refused_and_nothing_is_created(tenant: Tenant, password: str, message: str) -> None:
    local = f"facilities.{new_id().lower()}"
    email = f"{local}@example.test"
    status, body = _create(tenant, email, password.format(local=local, email=email))
    assert (status, body) == (400, {"success": False, "message": message})
    assert not _exists(tenant, email)


def test_a_conforming_password_creates_a_user_that_logs_in(tenant: Tenant) -> None:
    email = f"new-{new_id().lower()}@example.test"
    assert _create(tenant, email, "a long enough passphrase")[0] == 200
    assert login(tenant.http, email, "a long enough passphrase").startswith("r:")


def test_who_may_not_create_users_is_refused_before_the_password_is_looked_at(tenant: Tenant) -> None:
    tech = tenant.as_role("TECH")
    response = tech.post("/users", json={"email": "n@example.test", "accountType": "TECH", "password": "x"})
    assert (response.status_code, response.json()["message"]) == (403, "TECH users may not create users")


def test_the_minimum_length_is_configured(settings: Settings, db: Database, tmp_path: Path) -> None:
    strict = Settings(database_url=settings.database_url, data_dir=tmp_path, password_min_length=30)
    with TestClient(create_app(strict)) as http:
        tenant = new_tenant(http, db)
        email = f"strict-{new_id().lower()}@example.test"
        status, body = _create(tenant, email, PASSWORD)  # 28 characters
        assert (status, body) == (400, {"success": False, "message": "password must be at least 30 characters long"})
        assert _create(tenant, email, PASSWORD + " ok")[0] == 200


def test_a_weak_password_set_before_the_policy_still_logs_in(tenant: Tenant) -> None:
    tech = tenant.as_role("TECH")
    with tenant.db.unit_of_work() as session:
        row = session.get(Login, tech.email)
        assert row is not None
        row.password_hash = hash_password("pw")
    assert login(tenant.http, tech.email, "pw").startswith("r:")
