"""/v1/sites/{id}/members: who is added to a site with which role; the memberships /api/v2's
``PUT /users/{id}/locations`` writes (ADR 9)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import Role
from premises.user.commands import SiteRole
from tests.api.v1.test_places import error
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, service_client, v1_client

MEMBER_KEYS = {"id", "first", "last", "email", "role", "serviceAccount", "allSites"}


def test_add_list_change_and_remove_a_member(admin: V1, tenant: Tenant) -> None:
    site = make_place(tenant.db, tenant.account_id, "Lux Apartments")
    tech = tenant.as_role("TECH", location_based=True)
    assert admin.get(f"/sites/{site}/members").json() == {"count": 0, "items": [], "nextCursor": None}
    added = admin.post(f"/sites/{site}/members", json={"user": tech.user_id, "role": "MANAGER"})
    assert added.status_code == 201, added.text
    member = added.json()
    assert set(member) == MEMBER_KEYS
    assert (member["id"], member["first"], member["email"], member["role"]) == (
        tech.user_id,
        "Tech",
        tech.email,
        "MANAGER",
    )
    assert (member["serviceAccount"], member["allSites"]) == (False, False)
    listed = admin.get(f"/sites/{site}/members").json()
    assert listed["count"] == 1 and listed["items"] == [member]
    assert admin.get(f"/sites/{site}/members/{tech.user_id}").json() == member
    assert error(admin.post(f"/sites/{site}/members", json={"user": tech.user_id, "role": "STAFF"}), 409, "conflict")[
        "field"
    ] == ("user")
    changed = admin.patch(f"/sites/{site}/members/{tech.user_id}", json={"role": "STAFF"})
    assert changed.status_code == 200 and changed.json()["role"] == "STAFF"
    assert admin.delete(f"/sites/{site}/members/{tech.user_id}").status_code == 204
    assert admin.get(f"/sites/{site}/members").json()["count"] == 0
    error(admin.get(f"/sites/{site}/members/{tech.user_id}"), 404, "not_found")
    error(admin.delete(f"/sites/{site}/members/{tech.user_id}"), 404, "not_found")
    error(admin.patch(f"/sites/{site}/members/{tech.user_id}", json={"role": "STAFF"}), 404, "not_found")


def test_validation_names_the_field(admin: V1, tenant: Tenant) -> None:
    site = make_place(tenant.db, tenant.account_id, "Lux Apartments")
    tech = tenant.as_role("TECH", location_based=True)
    path = f"/sites/{site}/members"
    assert error(admin.post(path, json={"role": "STAFF"}), 400, "invalid_request")["field"] == "user"
    assert error(admin.post(path, json={"user": tech.user_id}), 400, "invalid_request")["field"] == "role"
    details = error(admin.post(path, json={"user": tech.user_id, "role": "OWNER"}), 400, "invalid_request")
    assert (details["code"], details["field"]) == ("not_one_of", "role")
    assert error(admin.post(path, json={"user": tech.user_id, "role": "STAFF", "x": 1}), 400, "invalid_request")[
        "field"
    ] == ("x")
    error(admin.post(path, json={"user": "nobody", "role": "STAFF"}), 404, "not_found")
    admin.post(path, json={"user": tech.user_id, "role": "STAFF"})
    assert error(admin.patch(f"{path}/{tech.user_id}", json={"role": None}), 400, "invalid_request")["field"] == "role"
    assert error(admin.get(path, params={"colour": "red"}), 400, "invalid_request")["field"] == "colour"


def test_a_sub_location_or_another_accounts_site_has_no_members(
    admin: V1, tenant: Tenant, other_tenant: Tenant
) -> None:
    site = make_place(tenant.db, tenant.account_id, "Lux Apartments")
    sub = make_place(tenant.db, tenant.account_id, "Block A", parent_id=site)
    theirs = make_place(other_tenant.db, other_tenant.account_id, "Their Site")
    tech = tenant.as_role("TECH", location_based=True)
    for place in (sub, theirs):
        error(admin.get(f"/sites/{place}/members"), 404, "not_found")
        error(admin.post(f"/sites/{place}/members", json={"user": tech.user_id, "role": "STAFF"}), 404, "not_found")
    their_user = other_tenant.as_role("TECH", location_based=True)
    error(admin.post(f"/sites/{site}/members", json={"user": their_user.user_id, "role": "STAFF"}), 404, "not_found")


def test_a_member_added_on_v1_reaches_the_site_on_api_v2_and_api_v2_locations_show_on_v1(
    admin: V1, tenant: Tenant
) -> None:
    site = tenant.admin.post("/locations", json={"name": "Lux Apartments"}).json()["result"]["id"]
    sub = tenant.admin.post("/locations", json={"name": "Block A", "parentLocation": site}).json()["result"]["id"]
    other = tenant.admin.post("/locations", json={"name": "Harbour View"}).json()["result"]["id"]
    tech = tenant.as_role("TECH", location_based=True)
    assert tech.get("/locations").json()["results"] == []
    assert admin.post(f"/sites/{site}/members", json={"user": tech.user_id, "role": "TECH"}).status_code == 201
    assert {r["id"] for r in tech.get("/locations").json()["results"]} == {site, sub}
    assert admin.delete(f"/sites/{site}/members/{tech.user_id}").status_code == 204
    assert tech.get("/locations").json()["results"] == []
    # UpKeep's PUT /users/{id}/locations writes the same memberships, with the user's role.
    put = tenant.admin.put(f"/users/{tech.user_id}/locations", json={"locationIds": [other]})
    assert put.status_code == 200, put.text
    member = admin.get(f"/sites/{other}/members").json()["items"]
    assert [(m["id"], m["role"]) for m in member] == [(tech.user_id, "TECH")]
    # A user that is not location-based reaches every site with its role: the membership is shown so.
    everywhere = tenant.as_role("TECH")
    shown = admin.post(f"/sites/{other}/members", json={"user": everywhere.user_id, "role": "STAFF"}).json()
    assert shown["allSites"] is True


def test_only_site_admins_and_account_admins_manage_members(http: TestClient, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux Apartments")
    elsewhere = make_place(db, tenant.account_id, "Harbour View")
    target = tenant.as_role("STAFF", location_based=True)
    clients = {
        role: v1_client(http, tenant.account_id, service_client(db, tenant.account_id, sites=[SiteRole(site, role)]))
        for role in (Role.ADMIN, Role.MANAGER, Role.STAFF)
    }
    site_admin = clients[Role.ADMIN]
    added = site_admin.post(f"/sites/{site}/members", json={"user": target.user_id, "role": "MANAGER"})
    assert added.status_code == 201, added.text
    for role in (Role.MANAGER, Role.STAFF):
        api = clients[role]
        assert api.get(f"/sites/{site}/members").status_code == 200
        refused = api.patch(f"/sites/{site}/members/{target.user_id}", json={"role": "ADMIN"})
        assert error(refused, 403, "forbidden")["code"] == "role_may_not"
        error(api.delete(f"/sites/{site}/members/{target.user_id}"), 403, "forbidden")
    listed = site_admin.get(f"/sites/{site}/members").json()["items"]
    assert {m["id"]: m["serviceAccount"] for m in listed}[site_admin.user_id] is True
    # Nobody changes their own membership; a site admin reaches only its sites.
    own = site_admin.patch(f"/sites/{site}/members/{site_admin.user_id}", json={"role": "STAFF"})
    assert error(own, 403, "forbidden")["code"] == "own_scope_change"
    error(site_admin.get(f"/sites/{elsewhere}/members"), 404, "not_found")
    error(
        site_admin.post(f"/sites/{elsewhere}/members", json={"user": target.user_id, "role": "STAFF"}), 404, "not_found"
    )
    # A site admin does not manage an account-wide user.
    everywhere = tenant.as_role("TECH")
    refused = site_admin.post(f"/sites/{site}/members", json={"user": everywhere.user_id, "role": "STAFF"})
    assert error(refused, 403, "forbidden")["code"] == "scoped_admin_outside_sites"
    assert site_admin.delete(f"/sites/{site}/members/{target.user_id}").status_code == 204
