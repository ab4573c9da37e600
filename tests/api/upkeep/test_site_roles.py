"""Onsite's roles and site memberships seen through /api/v2 (docs/adr/0009-identity-for-three-dialects.md).

/api/v2 keeps UpKeep's five account types: it refuses MANAGER and STAFF as values, serves users that
hold them with their grants, and shows them as TECH. Its location list is site memberships with the
user's role, and a changed accountType is the role on every site.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from premises.identity.permissions import Role
from premises.identity.service import principal_for_user
from premises.models import SiteMembership
from premises.user import service as users
from premises.user.commands import SiteRole
from tests.support.client import PASSWORD, Tenant

UPKEEP_TYPES = "accountType must be one of ADMIN, TECH, LIMITED_TECH, VIEW_ONLY, REQUESTER"


def _site(tenant: Tenant) -> str:
    response = tenant.admin.post("/locations", json={"name": "Harbour"})
    assert response.status_code == 200, response.text
    site: str = response.json()["result"]["id"]
    return site


def _roles(tenant: Tenant, user_id: str) -> dict[str, str]:
    with tenant.db.unit_of_work() as session:
        rows = session.execute(
            select(SiteMembership.place_id, SiteMembership.role).where(
                SiteMembership.account_id == tenant.account_id, SiteMembership.user_id == user_id
            )
        )
        return {row.place_id: row.role for row in rows}


@pytest.mark.parametrize("role", ["MANAGER", "STAFF"])
def test_onsite_roles_are_not_account_types(tenant: Tenant, role: str) -> None:
    created = tenant.admin.post(
        "/users", json={"email": f"{role.lower()}@example.test", "password": PASSWORD, "accountType": role}
    )
    assert (created.status_code, created.json()) == (400, {"success": False, "message": UPKEEP_TYPES})
    tech = tenant.as_role("TECH")
    changed = tenant.admin.patch(f"/users/{tech.user_id}", json={"accountType": role})
    assert (changed.status_code, changed.json()) == (400, {"success": False, "message": UPKEEP_TYPES})


def test_a_manager_acts_with_its_grants_and_shows_as_tech(tenant: Tenant) -> None:
    manager = tenant.as_role("MANAGER")
    shown = tenant.admin.get(f"/users/{manager.user_id}").json()["result"]
    assert shown["accountType"] == "TECH"
    site = manager.post("/locations", json={"name": "Manager's"}).json()["result"]["id"]
    assert manager.delete(f"/locations/{site}").status_code == 200
    refused = manager.post("/users", json={"email": "n@example.test", "password": PASSWORD, "accountType": "TECH"})
    denied = {"success": False, "message": "MANAGER users may not create users"}
    assert (refused.status_code, refused.json()) == (403, denied)


def test_the_location_list_is_memberships_with_the_users_role(tenant: Tenant) -> None:
    site = _site(tenant)
    tech = tenant.as_role("TECH", location_based=True)
    assert tenant.admin.put(f"/users/{tech.user_id}/locations", json={"locationIds": [site]}).status_code == 200
    assert _roles(tenant, tech.user_id) == {site: "TECH"}


def test_an_account_type_change_is_the_role_on_every_site(tenant: Tenant) -> None:
    site_a, site_b = _site(tenant), _site(tenant)
    user = tenant.as_role("TECH", location_based=True)
    with tenant.db.unit_of_work() as session:  # as /v1 will: another role on one site
        admin = principal_for_user(session, tenant.account_id, tenant.admin.user_id)
        users.set_site_memberships(session, admin, user.user_id, [SiteRole(site_a), SiteRole(site_b, Role.STAFF)])
    assert _roles(tenant, user.user_id) == {site_a: "TECH", site_b: "STAFF"}
    assert tenant.admin.get(f"/users/{user.user_id}").json()["result"]["accountType"] == "TECH"
    assert tenant.admin.patch(f"/users/{user.user_id}", json={"accountType": "VIEW_ONLY"}).status_code == 200
    assert _roles(tenant, user.user_id) == {site_a: "VIEW_ONLY", site_b: "VIEW_ONLY"}
