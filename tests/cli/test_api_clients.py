"""``premises api-client create|rotate|revoke``: the client id and secret as JSON, usable at once
against ``POST /oauth/token`` and ``/v1``; refusals are one line."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from premises.identity.clients import NewSecret
from tests.cli.run import environment, premises
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import v1_client


def _token_status(http: TestClient, client_id: str, secret: str) -> int:
    data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    return http.post("/oauth/token", data=data).status_code


def test_create_rotate_revoke(tenant: Tenant, http: TestClient, database_url: str, tmp_path: Path) -> None:
    env = environment(tmp_path / "data", database_url)
    site = make_place(tenant.db, tenant.account_id, "Lux Apartments")
    make_place(tenant.db, tenant.account_id, "Harbour View")
    args = (
        "api-client",
        "create",
        "--account",
        tenant.account_id,
        "--name",
        "Strata sync",
        "--site",
        f"{site}:manager",
    )
    created = premises(*args, env=env)
    assert created.returncode == 0, created.stderr
    client = json.loads(created.stdout)
    assert set(client) == {"client_id", "client_secret"}
    assert client["client_id"].startswith("pc_") and client["client_secret"].startswith("pcs_")
    api = v1_client(http, tenant.account_id, NewSecret(client["client_id"], client["client_secret"], ""))
    assert [s["id"] for s in api.get("/sites").json()["items"]] == [site]  # only the site it was added to
    rotated = premises(
        "api-client", "rotate", "--account", tenant.account_id, "--client-id", client["client_id"], env=env
    )
    assert rotated.returncode == 0, rotated.stderr
    secret = json.loads(rotated.stdout)["client_secret"]
    assert _token_status(http, client["client_id"], client["client_secret"]) == 401
    assert _token_status(http, client["client_id"], secret) == 200
    revoked = premises(
        "api-client", "revoke", "--account", tenant.account_id, "--client-id", client["client_id"], env=env
    )
    assert revoked.returncode == 0, revoked.stderr
    assert _token_status(http, client["client_id"], secret) == 401
    assert api.get("/sites").status_code == 401


def test_refusals_are_one_line(tenant: Tenant, database_url: str, tmp_path: Path) -> None:
    env = environment(tmp_path / "data", database_url)
    base = ("api-client", "create", "--name", "X")
    cases = [
        ((*base, "--account", "NoSuchAccount"), "account not found"),
        ((*base, "--account", tenant.account_id, "--site", "NoSuchSite"), "NoSuchSite"),
        ((*base, "--account", tenant.account_id, "--site", "x:chief"), "is not a role"),
        ((*base, "--account", tenant.account_id, "--scope", "everything"), "everything"),
        (("api-client", "revoke", "--account", tenant.account_id, "--client-id", "pc_nope"), "not found"),
    ]
    for args, expected in cases:
        result = premises(*args, env=env)
        assert result.returncode != 0, args
        lines = result.stderr.strip().splitlines()
        assert expected in lines[-1], (args, result.stderr)
