"""``premises user create|set-password|disable`` for operators: through the user services (the
password policy, the email rules, sessions ending), with passwords from stdin or a prompt."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from premises.kit.ids import new_id
from tests.cli.run import environment, premises
from tests.support.client import Tenant, login

PASSWORD = "a long enough passphrase"


def _email() -> str:
    return f"operator-{new_id().lower()}@example.test"


def test_user_create_then_log_in(tenant: Tenant, http: TestClient, database_url: str, tmp_path: Path) -> None:
    email = _email()
    env = environment(tmp_path / "data", database_url)
    args = ("user", "create", "--account", tenant.account_id, "--email", email, "--role", "tech", "--name", "Ada King")
    result = premises(*args, "--password-stdin", env=env, stdin=PASSWORD + "\n")
    assert result.returncode == 0, result.stderr
    created = json.loads(result.stdout)
    assert created["account_id"] == tenant.account_id
    user = tenant.admin.get(f"/users/{created['user_id']}").json()["result"]
    assert (user["email"], user["accountType"], user["firstName"], user["lastName"]) == (email, "TECH", "Ada", "King")
    assert login(http, email, PASSWORD).startswith("r:")


def test_user_create_from_the_prompt(tenant: Tenant, http: TestClient, database_url: str, tmp_path: Path) -> None:
    email = _email()
    env = environment(tmp_path / "data", database_url)
    args = ("user", "create", "--account", tenant.account_id, "--email", email, "--role", "VIEW_ONLY")
    result = premises(*args, env=env, stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.returncode == 0, result.stderr
    assert "Password" in result.stderr and PASSWORD not in result.stderr + result.stdout
    assert login(http, email, PASSWORD).startswith("r:")


def test_refusals_are_one_line(tenant: Tenant, database_url: str, tmp_path: Path) -> None:
    env = environment(tmp_path / "data", database_url)
    email = _email()
    base = ("user", "create", "--email", email, "--password-stdin")
    cases = [
        ((*base, "--account", tenant.account_id, "--role", "TECH"), "a\n", "at least 10 characters"),
        ((*base, "--account", tenant.account_id, "--role", "TECH"), "password123\n", "too common"),
        ((*base, "--account", tenant.account_id, "--role", "TECH"), "          \n", "whitespace"),
        ((*base, "--account", "NoSuchAccount", "--role", "TECH"), PASSWORD + "\n", "account not found"),
        ((*base, "--account", tenant.account_id, "--role", "TECH"), PASSWORD + "\n", None),  # created
        ((*base, "--account", tenant.account_id, "--role", "TECH"), PASSWORD + "\n", "email already exists"),
        (("user", "set-password", "--email", _email(), "--password-stdin"), PASSWORD + "\n", "user not found"),
        (("user", "disable", "--email", _email()), "", "user not found"),
    ]
    for args, stdin, expected in cases:
        result = premises(*args, env=env, stdin=stdin)
        if expected is None:
            assert result.returncode == 0, result.stderr
            continue
        assert result.returncode == 1, (args, result.stderr)
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and expected in errors[0], (args, result.stderr)
        assert "Traceback" not in result.stderr
    wrong_role = premises(*base, "--account", tenant.account_id, "--role", "BOSS", env=env, stdin=PASSWORD + "\n")
    assert wrong_role.returncode == 2
    assert "error: --role 'BOSS' is not a role" in wrong_role.stderr


def test_set_password_ends_sessions_and_disable_locks_out(
    tenant: Tenant, http: TestClient, database_url: str, tmp_path: Path
) -> None:
    env = environment(tmp_path / "data", database_url)
    email = _email()
    create = ("user", "create", "--account", tenant.account_id, "--email", email, "--role", "ADMIN", "--password-stdin")
    assert premises(*create, env=env, stdin=PASSWORD + "\n").returncode == 0
    token = login(http, email, PASSWORD)
    new = "another long passphrase"
    changed = premises("user", "set-password", "--email", email.upper(), "--password-stdin", env=env, stdin=new + "\n")
    assert changed.returncode == 0, changed.stderr
    assert f"password of {email} changed" in changed.stderr
    assert http.get("/api/v2/users", headers={"Session-Token": token}).status_code == 401
    assert http.post("/api/v2/auth", json={"email": email, "password": PASSWORD}).status_code != 200
    token = login(http, email, new)
    disabled = premises("user", "disable", "--email", email, env=env)
    assert disabled.returncode == 0, disabled.stderr
    assert http.get("/api/v2/users", headers={"Session-Token": token}).status_code == 401
    assert http.post("/api/v2/auth", json={"email": email, "password": new}).status_code != 200
    again = premises("user", "disable", "--email", email, env=env)
    assert again.returncode == 1 and "user not found" in again.stderr
