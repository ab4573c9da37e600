"""Who may change a user's scope: role, isLocationBased and locations (issue 5, item 13).

Rule (docs/permissions.md): an admin that is not location-based may change anyone's scope but not
its own role; a location-based admin manages only location-based users within its own places, may
not change anyone's role or isLocationBased, may not change its own places and may not give
places it does not have. Nobody changes their own role.
"""

from __future__ import annotations

from typing import Any

from tests.support.client import PASSWORD, Tenant, UpKeep


def _site(tenant: Tenant, name: str) -> str:
    response = tenant.admin.post("/locations", json={"name": name})
    assert response.status_code == 200, response.text
    site: str = response.json()["result"]["id"]
    return site


def _denied(response: Any, message: str) -> None:
    assert response.status_code == 403, response.text
    assert response.json() == {"success": False, "message": message}


def _place_admin(tenant: Tenant, site: str) -> UpKeep:
    admin = tenant.as_role("ADMIN", location_based=True)
    assert tenant.admin.put(f"/users/{admin.user_id}/locations", json={"locationIds": [site]}).status_code == 200
    return admin


def _place_user(tenant: Tenant, role: str, site: str) -> UpKeep:
    user = tenant.as_role(role, location_based=True)
    assert tenant.admin.put(f"/users/{user.user_id}/locations", json={"locationIds": [site]}).status_code == 200
    return user


def test_a_location_based_admin_cannot_lift_its_own_restriction(tenant: Tenant) -> None:
    mine, other = _site(tenant, "Mine"), _site(tenant, "Other")
    admin = _place_admin(tenant, mine)
    _denied(
        admin.patch(f"/users/{admin.user_id}", json={"isLocationBased": False}),
        "location-based admins may not change isLocationBased",
    )
    _denied(
        admin.put(f"/users/{admin.user_id}/locations", json={"locationIds": [mine, other]}),
        "location-based admins may not change their own locations",
    )
    _denied(
        admin.patch(f"/users/{admin.user_id}", json={"accountType": "TECH"}),
        "users may not change their own accountType",
    )
    assert admin.get(f"/locations/{other}").status_code == 404
    assert admin.get(f"/users/{admin.user_id}").json()["result"]["isLocationBased"] is True
    # Sending the unchanged values is not a change.
    response = admin.patch(f"/users/{admin.user_id}", json={"isLocationBased": True, "accountType": "ADMIN"})
    assert response.status_code == 200, response.text


def test_a_location_based_admin_cannot_widen_or_promote_others(tenant: Tenant) -> None:
    mine, other = _site(tenant, "Mine"), _site(tenant, "Other")
    admin = _place_admin(tenant, mine)
    tech = _place_user(tenant, "TECH", mine)
    _denied(
        admin.put(f"/users/{tech.user_id}/locations", json={"locationIds": [other]}),
        "location-based admins may only give access to their own locations",
    )
    _denied(
        admin.patch(f"/users/{tech.user_id}", json={"isLocationBased": False}),
        "location-based admins may not change isLocationBased",
    )
    _denied(
        admin.patch(f"/users/{tech.user_id}", json={"accountType": "ADMIN"}),
        "location-based admins may not change accountType",
    )
    # Within its own places it manages the user.
    assert admin.put(f"/users/{tech.user_id}/locations", json={"locationIds": [mine]}).status_code == 200
    assert admin.patch(f"/users/{tech.user_id}", json={"jobTitle": "Plumber"}).status_code == 200


def test_a_location_based_admin_manages_only_users_within_its_places(tenant: Tenant) -> None:
    mine, other = _site(tenant, "Mine"), _site(tenant, "Other")
    admin = _place_admin(tenant, mine)
    elsewhere = _place_user(tenant, "TECH", other)
    everywhere = tenant.as_role("TECH")
    for user in (elsewhere, everywhere):
        _denied(
            admin.patch(f"/users/{user.user_id}", json={"jobTitle": "x"}),
            "location-based admins may only manage users within their locations",
        )
        _denied(
            admin.put(f"/users/{user.user_id}/locations", json={"locationIds": [mine]}),
            "location-based admins may only manage users within their locations",
        )
    _denied(
        admin.post("/users", json={"email": "wide@example.test", "accountType": "TECH", "password": PASSWORD}),
        "location-based admins may only create location-based users",
    )
    created = admin.post(
        "/users",
        json={"email": "narrow@example.test", "accountType": "TECH", "password": PASSWORD, "isLocationBased": True},
    )
    assert created.status_code == 200, created.text


def test_an_admin_changes_others_scope_but_not_its_own_role(tenant: Tenant) -> None:
    site = _site(tenant, "Site")
    _denied(
        tenant.admin.patch(f"/users/{tenant.admin.user_id}", json={"accountType": "TECH"}),
        "users may not change their own accountType",
    )
    tech = tenant.as_role("TECH")
    assert tenant.admin.patch(f"/users/{tech.user_id}", json={"isLocationBased": True}).status_code == 200
    assert tenant.admin.put(f"/users/{tech.user_id}/locations", json={"locationIds": [site]}).status_code == 200
    assert tenant.admin.patch(f"/users/{tech.user_id}", json={"accountType": "VIEW_ONLY"}).status_code == 200
