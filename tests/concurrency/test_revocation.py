"""A revoked session is refused at once by every process of a multi-process server, although each
process caches principals (identity.service.resolve_principal reads the session row every time)."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from premises.config import Settings
from tests.support.client import Tenant
from tests.support.server import running_server

pytestmark = pytest.mark.slow


def _statuses(base_url: str, token: str, user_id: str, count: int = 30) -> set[int]:
    """Fresh connections, so that requests spread over the worker processes: a detail, and the list
    whose page statement confirms a cached principal's session itself."""
    headers = {"Session-Token": token}
    return {
        httpx.get(f"{base_url}/api/v2/{path}", headers=headers, timeout=30).status_code
        for _ in range(count)
        for path in (f"users/{user_id}", "work-orders")
    }


def test_revocation_takes_effect_at_once_in_every_process(tenant: Tenant, settings: Settings, tmp_path: Path) -> None:
    tech = tenant.as_role("TECH")
    assert tenant.admin.post("/work-orders", json={"title": "Seen until revoked"}).status_code == 200
    with running_server(settings.resolved_database_url, tmp_path, workers=2) as base_url:
        assert _statuses(base_url, tech.token, tech.user_id) == {200}  # both processes cache the principal
        response = httpx.delete(
            f"{base_url}/api/v2/users/{tech.user_id}/sessions",
            headers={"Session-Token": tenant.admin.token},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        assert _statuses(base_url, tech.token, tech.user_id) == {401}


def test_a_scope_change_takes_effect_at_once_in_every_process(
    tenant: Tenant, settings: Settings, tmp_path: Path
) -> None:
    site = tenant.admin.post("/locations", json={"name": "Only here"}).json()["result"]["id"]
    other = tenant.admin.post("/locations", json={"name": "Not there"}).json()["result"]["id"]
    tech = tenant.as_role("TECH")
    with running_server(settings.resolved_database_url, tmp_path, workers=2) as base_url:
        headers = {"Session-Token": tech.token}

        def sees_other() -> set[int]:
            return {
                httpx.get(f"{base_url}/api/v2/locations/{other}", headers=headers, timeout=30).status_code
                for _ in range(30)
            }

        assert sees_other() == {200}
        admin = {"Session-Token": tenant.admin.token}
        assert (
            httpx.patch(
                f"{base_url}/api/v2/users/{tech.user_id}", json={"isLocationBased": True}, headers=admin
            ).status_code
            == 200
        )
        assert (
            httpx.put(
                f"{base_url}/api/v2/users/{tech.user_id}/locations", json={"locationIds": [site]}, headers=admin
            ).status_code
            == 200
        )
        assert sees_other() == {404}
