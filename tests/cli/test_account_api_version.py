"""``premises account set-api-version``: the account's default UpKeep API version (docs/dialects/upkeep.md#versions)."""

from __future__ import annotations

from pathlib import Path

from tests.cli.run import environment, premises
from tests.support.client import Tenant


def test_set_the_default_version_then_clear_it(tenant: Tenant, database_url: str, tmp_path: Path) -> None:
    env = environment(tmp_path / "data", database_url)
    created = tenant.admin.post("/work-orders", json={"title": "Check Oil"}).json()["result"]
    path = f"/work-orders/{created['id']}"
    old = premises("account", "set-api-version", "--account", tenant.account_id, "--version", "2021-11-23", env=env)
    assert old.returncode == 0, old.stderr
    assert "default UpKeep API version 2021-11-23" in old.stderr
    assert tenant.admin.get(path).json()["result"]["recurringSchedule"] is None  # a legacy client's work order
    current = premises("account", "set-api-version", "--account", tenant.account_id, "--version", "current", env=env)
    assert current.returncode == 0, current.stderr
    assert "recurringSchedule" not in tenant.admin.get(path).json()["result"]


def test_refusals_are_one_line(tenant: Tenant, database_url: str, tmp_path: Path) -> None:
    env = environment(tmp_path / "data", database_url)
    for account, version, expected in (
        (tenant.account_id, "last week", "upkeep_api_version must be a date such as 2022-09-14"),
        (tenant.account_id, "2021-02-30", "upkeep_api_version must be a date such as 2022-09-14"),
        ("NoSuchAccount", "2021-11-23", "account not found"),
    ):
        result = premises("account", "set-api-version", "--account", account, "--version", version, env=env)
        assert result.returncode == 1, result.stderr
        assert [line for line in result.stderr.splitlines() if line.startswith("error:")] == [f"error: {expected}"]
