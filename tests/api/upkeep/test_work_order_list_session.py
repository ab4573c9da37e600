"""``GET /work-orders`` confirms a cached principal's session inside the page's own statement.

With the principal in this process's cache, the list makes one statement (the page, carrying the
session condition) instead of two; an ended session, a changed access or an empty page falls back to
the full check (``identity.service.cached_principal``). The session is changed directly in the
database here, so that this process's cache still holds the principal, as another process's would.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import text

from premises.db import observe
from tests.support.client import Tenant


@contextmanager
def _statements() -> Iterator[list[str]]:
    seen: list[str] = []
    observe.statement_observers.append(seen.append)
    try:
        yield seen
    finally:
        observe.statement_observers.remove(seen.append)


def _sessions(tenant: Tenant, assignments: str) -> None:
    with tenant.db.unit_of_work() as session:
        session.execute(text(f"UPDATE auth_sessions SET {assignments} WHERE account_id = :a"), {"a": tenant.account_id})


def test_a_cached_principal_lists_in_one_statement(tenant: Tenant) -> None:
    tenant.admin.post("/work-orders", json={"title": "Leaking tap"})
    assert tenant.admin.get("/work-orders").status_code == 200  # the principal is now cached
    with _statements() as seen:
        response = tenant.admin.get("/work-orders?limit=50")
    assert response.status_code == 200
    assert [item["title"] for item in response.json()["results"]] == ["Leaking tap"]
    assert len(seen) == 1 and "auth_sessions" in seen[0]


def test_a_revoked_session_is_refused_although_its_principal_is_cached(tenant: Tenant) -> None:
    tenant.admin.post("/work-orders", json={"title": "Leaking tap"})
    assert tenant.admin.get("/work-orders").status_code == 200
    _sessions(tenant, "revoked_at = 1")
    response = tenant.admin.get("/work-orders")
    assert response.status_code == 401
    assert response.json()["success"] is False


def test_an_expired_session_is_refused_although_its_principal_is_cached(tenant: Tenant) -> None:
    tenant.admin.post("/work-orders", json={"title": "Leaking tap"})
    assert tenant.admin.get("/work-orders").status_code == 200
    _sessions(tenant, "expires_at = 1")
    assert tenant.admin.get("/work-orders").status_code == 401


def test_a_revoked_session_gets_401_not_the_error_of_its_cached_principal(tenant: Tenant) -> None:
    assert tenant.admin.get("/work-orders").status_code == 200
    _sessions(tenant, "revoked_at = 1")
    assert tenant.admin.get("/work-orders?nonsense=1").status_code == 401


def test_an_empty_page_is_still_an_empty_page(tenant: Tenant) -> None:
    assert tenant.admin.get("/work-orders").json() == {"success": True, "results": []}
    with _statements() as seen:
        response = tenant.admin.get("/work-orders?status=complete")
    assert response.json() == {"success": True, "results": []}
    assert len(seen) >= 2  # the page found nothing: the session was read before answering


def test_changed_access_is_applied_at_once(tenant: Tenant) -> None:
    here = tenant.admin.post("/locations", json={"name": "Here"}).json()["result"]["id"]
    there = tenant.admin.post("/locations", json={"name": "There"}).json()["result"]["id"]
    tech = tenant.as_role("TECH")
    tenant.admin.post("/work-orders", json={"title": "Here", "location": here})
    tenant.admin.post("/work-orders", json={"title": "There", "location": there})
    assert {item["title"] for item in tech.get("/work-orders").json()["results"]} == {"Here", "There"}
    assert tenant.admin.put(f"/users/{tech.user_id}/locations", json={"locationIds": [here]}).status_code == 200
    assert tenant.admin.patch(f"/users/{tech.user_id}", json={"isLocationBased": True}).status_code == 200
    titles = {item["title"] for item in tech.get("/work-orders").json()["results"]}
    assert titles == {"Here"}


def test_a_moved_access_version_rebuilds_the_principal(tenant: Tenant) -> None:
    tenant.admin.post("/work-orders", json={"title": "Leaking tap"})
    assert tenant.admin.get("/work-orders").status_code == 200
    _sessions(tenant, "access_version = access_version + 1")  # as another process's access change does
    with _statements() as seen:
        response = tenant.admin.get("/work-orders")
    assert [item["title"] for item in response.json()["results"]] == ["Leaking tap"]
    assert len(seen) > 2  # the confirmed page found nothing, the principal was rebuilt, the page read again
    with _statements() as seen:
        assert tenant.admin.get("/work-orders").status_code == 200
    assert len(seen) == 1
