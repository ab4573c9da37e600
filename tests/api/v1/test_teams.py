"""/v1/teams: teams with their members, the teams of /api/v2 with the same ids."""

from __future__ import annotations

from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import Role
from tests.support.client import Tenant
from tests.support.factories import make_place, make_team
from tests.support.v1 import V1, error_details, site_client

KEYS = {"id", "name", "description", "members", "createdAt", "updatedAt"}


def _person(tenant: Tenant, role: str = "TECH") -> str:
    return tenant.as_role(role).user_id


def test_create_add_members_and_read_back(admin: V1, tenant: Tenant) -> None:
    created = admin.post("/teams", json={"name": "Plumbers", "description": "Pipes"})
    assert created.status_code == 201, created.text
    team = created.json()
    assert set(team) == KEYS and (team["name"], team["description"], team["members"]) == ("Plumbers", "Pipes", [])
    member = _person(tenant)
    added = admin.put(f"/teams/{team['id']}/members/{member}")
    assert added.status_code == 200, added.text
    assert added.json()["members"] == [{"id": member, "first": "Tech", "last": None}]
    assert admin.put(f"/teams/{team['id']}/members/{member}").status_code == 200  # twice is no error
    assert admin.get(f"/teams/{team['id']}").json()["members"] == added.json()["members"]
    # The same team on /api/v2, with its member.
    v2_users = tenant.admin.get(f"/teams/{team['id']}/users").json()["results"]
    assert [u["id"] for u in v2_users] == [member]
    assert admin.delete(f"/teams/{team['id']}/members/{member}").status_code == 204
    assert admin.get(f"/teams/{team['id']}").json()["members"] == []
    error_details(admin.delete(f"/teams/{team['id']}/members/{member}"), 404, "not_found")


def test_update_list_and_delete(admin: V1, db: Database, tenant: Tenant) -> None:
    from_v2 = make_team(db, tenant.account_id, "Electricians")
    for name in ("Plumbers", "Cleaners"):
        assert admin.post("/teams", json={"name": name}).status_code == 201
    listed = admin.get("/teams", params={"sort": "name"}).json()
    assert listed["count"] == 3 and [t["name"] for t in listed["items"]] == ["Cleaners", "Electricians", "Plumbers"]
    assert admin.get("/teams", params={"name": "Plumbers,Cleaners"}).json()["count"] == 2
    assert admin.get("/teams", params={"search": "elec"}).json()["items"][0]["id"] == from_v2
    changed = admin.patch(f"/teams/{from_v2}", json={"description": "Wires"}).json()
    assert (changed["name"], changed["description"]) == ("Electricians", "Wires")
    assert admin.delete(f"/teams/{from_v2}").status_code == 204
    error_details(admin.get(f"/teams/{from_v2}"), 404, "not_found")
    assert admin.get("/teams").json()["count"] == 2


def test_validation_names_the_field(admin: V1) -> None:
    assert error_details(admin.post("/teams", json={}), 400, "invalid_request") == {"code": "required", "field": "name"}
    assert error_details(admin.post("/teams", json={"name": "  "}), 400, "invalid_request")["field"] == "name"
    assert error_details(admin.post("/teams", json={"name": "A", "size": 3}), 400, "invalid_request")["field"] == "size"
    team = admin.post("/teams", json={"name": "A"}).json()
    assert error_details(admin.patch(f"/teams/{team['id']}", json={"name": None}), 400, "invalid_request")["field"] == (
        "name"
    )
    assert error_details(admin.get("/teams", params={"sites": "x"}), 400, "invalid_request")["field"] == "sites"


def test_another_accounts_team_and_user_are_404(admin: V1, db: Database, tenant: Tenant, other_tenant: Tenant) -> None:
    theirs = make_team(db, other_tenant.account_id, "Theirs")
    error_details(admin.get(f"/teams/{theirs}"), 404, "not_found")
    error_details(admin.patch(f"/teams/{theirs}", json={"name": "Mine"}), 404, "not_found")
    error_details(admin.delete(f"/teams/{theirs}"), 404, "not_found")
    mine = admin.post("/teams", json={"name": "Mine"}).json()["id"]
    error_details(admin.put(f"/teams/{mine}/members/{other_tenant.admin.user_id}"), 404, "not_found")
    error_details(admin.put(f"/teams/{theirs}/members/{tenant.admin.user_id}"), 404, "not_found")


def test_a_service_account_sees_only_the_members_its_sites_reach(
    admin: V1, http: TestClient, db: Database, tenant: Tenant
) -> None:
    mine = make_place(db, tenant.account_id, "Lux")
    other = make_place(db, tenant.account_id, "Bay")
    here = admin.post("/users", json={"email": f"here@{mine.lower()}.test", "password": "correct horse battery staple"})
    there = admin.post(
        "/users", json={"email": f"there@{mine.lower()}.test", "password": "correct horse battery staple"}
    )
    admin.patch(f"/users/{here.json()['id']}", json={"sites": [{"site": mine}]})
    admin.patch(f"/users/{there.json()['id']}", json={"sites": [{"site": other}]})
    team = admin.post("/teams", json={"name": "Plumbers"}).json()["id"]
    for user in (here.json()["id"], there.json()["id"]):
        admin.put(f"/teams/{team}/members/{user}")
    api = site_client(http, db, tenant.account_id, mine, role=Role.MANAGER)
    assert [m["id"] for m in api.get(f"/teams/{team}").json()["members"]] == [here.json()["id"]]
    assert [m["id"] for m in api.get("/teams").json()["items"][0]["members"]] == [here.json()["id"]]
    error_details(api.put(f"/teams/{team}/members/{there.json()['id']}"), 404, "not_found")


def test_roles_staff_reads_managers_and_admins_write(http: TestClient, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux")
    team = make_team(db, tenant.account_id, "Plumbers")
    staff = site_client(http, db, tenant.account_id, site, role=Role.STAFF)
    assert staff.get(f"/teams/{team}").status_code == 200
    error_details(staff.post("/teams", json={"name": "X"}), 403, "forbidden")
    error_details(staff.patch(f"/teams/{team}", json={"name": "X"}), 403, "forbidden")
    error_details(staff.put(f"/teams/{team}/members/{staff.user_id}"), 403, "forbidden")
    error_details(staff.delete(f"/teams/{team}"), 403, "forbidden")
    manager = site_client(http, db, tenant.account_id, site, role=Role.MANAGER)
    assert manager.post("/teams", json={"name": "Cleaners"}).status_code == 201
    assert manager.put(f"/teams/{team}/members/{manager.user_id}").status_code == 200
    assert manager.delete(f"/teams/{team}").status_code == 204
