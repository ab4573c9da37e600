"""References a location-based principal passes are checked against its places (issue 5, items 11-12).

A location-based user must put a new work order at one of its places (400 before anything is
written, as for assets); a place, asset or file it may not see is "<field> <id> not found", exactly
like one that does not exist, and nothing is stored.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.client import Tenant, UpKeep

ROLES = ("ADMIN", "TECH", "LIMITED_TECH", "VIEW_ONLY", "REQUESTER")


def _ok(response: Any) -> dict[str, Any]:
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def _refused(response: Any, message: str) -> None:
    assert response.status_code == 400, response.text
    assert response.json() == {"success": False, "message": message}


def _site(tenant: Tenant, name: str) -> str:
    return str(_ok(tenant.admin.post("/locations", json={"name": name}))["id"])


def _asset(tenant: Tenant, site: str) -> str:
    return str(_ok(tenant.admin.post("/assets", json={"name": "Boiler", "location": site}))["id"])


def _place_user(tenant: Tenant, role: str, site: str) -> UpKeep:
    user = tenant.as_role(role, location_based=True)
    assert tenant.admin.put(f"/users/{user.user_id}/locations", json={"locationIds": [site]}).status_code == 200
    return user


def _upload(client: UpKeep) -> str:
    response = client.post("/files", files={"file": ("note.txt", b"note", "text/plain"), "filename": (None, "note")})
    return str(_ok(response)["id"])


def _count(tenant: Tenant, path: str) -> int:
    response = tenant.admin.get(path, params={"limit": 1000})
    assert response.status_code == 200, response.text
    return len(response.json()["results"])


def test_a_location_based_tech_must_give_a_location_and_nothing_is_stored(tenant: Tenant) -> None:
    mine = _site(tenant, "Mine")
    tech = _place_user(tenant, "TECH", mine)
    before = _count(tenant, "/work-orders")
    for body in ({"title": "Leak"}, {"title": "Leak", "location": None}):
        _refused(tech.post("/work-orders", json=body), "location cannot be null for location-based users")
    assert _count(tenant, "/work-orders") == before
    created = _ok(tech.post("/work-orders", json={"title": "Leak", "location": mine}))
    assert _ok(tech.get(f"/work-orders/{created['id']}"))["location"] == mine
    # Nor may it take its work order away from its places.
    _refused(
        tech.patch(f"/work-orders/{created['id']}", json={"location": None}),
        "location cannot be null for location-based users",
    )


@pytest.mark.parametrize("role", ROLES)
def test_a_foreign_asset_is_not_found_in_work_orders_and_requests(tenant: Tenant, role: str) -> None:
    mine, other = _site(tenant, "Mine"), _site(tenant, "Other")
    own_asset, foreign = _asset(tenant, mine), _asset(tenant, other)
    user = _place_user(tenant, role, mine)
    orders, requests = _count(tenant, "/work-orders"), _count(tenant, "/requests")
    message = f"asset {foreign} not found"

    response = user.post("/work-orders", json={"title": "Leak", "location": mine, "asset": foreign})
    if response.status_code == 403:
        assert (
            user.post("/work-orders", json={"title": "Leak", "location": mine, "asset": own_asset}).status_code == 403
        )
    else:
        _refused(response, message)
        _ok(user.post("/work-orders", json={"title": "Leak", "location": mine, "asset": own_asset}))
        orders += 1

    response = user.post("/requests", json={"title": "Leak", "asset": foreign})
    if response.status_code == 403:
        assert user.post("/requests", json={"title": "Leak", "asset": own_asset}).status_code == 403
    else:
        _refused(response, message)
        _refused(user.post("/requests", json={"title": "Leak", "location": other}), f"location {other} not found")
        _ok(user.post("/requests", json={"title": "Leak", "location": mine, "asset": own_asset}))
        requests += 1

    assert _count(tenant, "/work-orders") == orders
    assert _count(tenant, "/requests") == requests


def test_a_foreign_asset_is_not_found_in_work_order_update_and_approval(tenant: Tenant) -> None:
    mine, other = _site(tenant, "Mine"), _site(tenant, "Other")
    own_asset, foreign = _asset(tenant, mine), _asset(tenant, other)
    admin = _place_user(tenant, "ADMIN", mine)
    order = _ok(admin.post("/work-orders", json={"title": "Leak", "location": mine, "asset": own_asset}))
    _refused(admin.patch(f"/work-orders/{order['id']}", json={"asset": foreign}), f"asset {foreign} not found")
    _refused(admin.patch(f"/work-orders/{order['id']}", json={"location": other}), f"location {other} not found")
    assert _ok(admin.get(f"/work-orders/{order['id']}"))["asset"] == own_asset

    request = _ok(admin.post("/requests", json={"title": "Drip", "location": mine}))
    orders = _count(tenant, "/work-orders")
    path = f"/requests/{request['id']}/approve"
    _refused(admin.patch(path, json={"asset": foreign}), f"asset {foreign} not found")
    _refused(admin.patch(path, json={"location": other}), f"location {other} not found")
    assert _count(tenant, "/work-orders") == orders
    assert _ok(admin.get(f"/requests/{request['id']}"))["status"] == "open"
    # The approver's own places still work: approval creates the work order as before.
    approved = _ok(admin.patch(path, json={"asset": own_asset}))
    assert approved["status"] == "approved" and approved["workOrder"]["asset"] == own_asset


def test_a_requester_may_only_attach_files_it_can_read(tenant: Tenant) -> None:
    requester = tenant.as_role("REQUESTER")
    others = _upload(tenant.admin)
    own = _upload(requester)
    requests = _count(tenant, "/requests")
    _refused(requester.post("/requests", json={"title": "Leak", "files": [own, others]}), f"files {others} not found")
    _refused(requester.post("/requests", json={"title": "Leak", "image": others}), f"image {others} not found")
    assert _count(tenant, "/requests") == requests
    created = _ok(requester.post("/requests", json={"title": "Leak", "files": [own], "image": own}))
    assert created["files"] == [own]
    # Others may attach any file of the account, as before.
    _ok(tenant.admin.post("/requests", json={"title": "Leak", "files": [own, others]}))


def test_an_assignee_outside_its_places_may_send_back_the_unchanged_location_and_asset(tenant: Tenant) -> None:
    mine, other = _site(tenant, "Mine"), _site(tenant, "Other")
    foreign, another = _asset(tenant, other), _asset(tenant, other)
    tech = _place_user(tenant, "TECH", mine)
    body = {"title": "Leak", "location": other, "asset": foreign, "assignedToUser": tech.user_id}
    order = _ok(tenant.admin.post("/work-orders", json=body))
    path = f"/work-orders/{order['id']}"
    changed = _ok(tech.patch(path, json={"title": "Big leak", "location": other, "asset": foreign}))
    assert changed["title"] == "Big leak"
    _refused(tech.patch(path, json={"asset": another}), f"asset {another} not found")
