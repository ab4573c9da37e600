"""/v1/users: staff users with their site roles, the users of /api/v2 with the same ids."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import Role
from premises.kit.ids import new_id
from tests.support.client import Tenant
from tests.support.factories import PASSWORD, make_place
from tests.support.v1 import V1, error_details, site_client

MAIL = f"{new_id().lower()}.example.test"  # logins are global: this module's own domain
ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
KEYS = {
    "id",
    "email",
    "first",
    "last",
    "phone",
    "jobTitle",
    "role",
    "isLocationBased",
    "sites",
    "lastLoginAt",
    "createdAt",
    "updatedAt",
}


def _new(admin: V1, email: str, **body: object) -> dict[str, object]:
    created = admin.post("/users", json={"email": email, "password": PASSWORD, **body})
    assert created.status_code == 201, created.text
    user: dict[str, object] = created.json()
    return user


def test_create_with_site_roles_and_read_it_back(admin: V1, db: Database, tenant: Tenant) -> None:
    lux = make_place(db, tenant.account_id, "Lux Apartments")
    bay = make_place(db, tenant.account_id, "Bay Lofts")
    user = _new(
        admin,
        f"Ann@{MAIL.upper()}",
        first="Ann",
        last="Lee",
        phone="+44 20 1234",
        jobTitle="Caretaker",
        role="STAFF",
        sites=[{"site": lux, "role": "MANAGER"}, {"site": bay}],
    )
    assert set(user) == KEYS
    assert (user["email"], user["first"], user["last"], user["role"]) == (f"ann@{MAIL}", "Ann", "Lee", "STAFF")
    assert (user["phone"], user["jobTitle"], user["isLocationBased"], user["lastLoginAt"]) == (
        "+44 20 1234",
        "Caretaker",
        True,
        None,
    )
    assert user["sites"] == [
        {"Site": {"id": bay, "label": "Bay Lofts"}, "role": "STAFF"},
        {"Site": {"id": lux, "label": "Lux Apartments"}, "role": "MANAGER"},
    ]
    assert ISO_MS.match(str(user["createdAt"])) and ISO_MS.match(str(user["updatedAt"]))
    assert admin.get(f"/users/{user['id']}").json() == user
    # The same user on /api/v2 (an UpKeep account type: STAFF shows as TECH), and it can log in.
    v2 = tenant.admin.get(f"/users/{user['id']}").json()["result"]
    assert (v2["email"], v2["firstName"], v2["isLocationBased"]) == (f"ann@{MAIL}", "Ann", True)
    assert tenant.admin.post("/auth", json={"email": f"ann@{MAIL}", "password": PASSWORD}).status_code == 200


def test_an_api_v2_user_is_a_v1_user(admin: V1, tenant: Tenant) -> None:
    created = tenant.admin.post(
        "/users", json={"email": f"tech@{MAIL}", "password": PASSWORD, "accountType": "TECH", "firstName": "T"}
    )
    user_id = created.json()["result"]["id"]
    user = admin.get(f"/users/{user_id}").json()
    assert (user["role"], user["first"], user["isLocationBased"], user["sites"]) == ("TECH", "T", False, [])


def test_validation_names_the_field_in_v1_words(admin: V1, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux")
    sub = make_place(db, tenant.account_id, "Level 1", parent_id=site)
    body = {"email": f"a@{MAIL}", "password": PASSWORD}
    assert error_details(admin.post("/users", json={"password": PASSWORD}), 400, "invalid_request") == {
        "code": "required",
        "field": "email",
    }
    assert error_details(admin.post("/users", json={"email": f"a@{MAIL}"}), 400, "invalid_request")["field"] == (
        "password"
    )
    assert error_details(admin.post("/users", json={**body, "role": "BOSS"}), 400, "invalid_request")["field"] == "role"
    assert error_details(admin.post("/users", json={**body, "firstName": "A"}), 400, "invalid_request")["field"] == (
        "firstName"
    )
    bad_role = admin.post("/users", json={**body, "sites": [{"site": site, "role": "BOSS"}]})
    assert error_details(bad_role, 400, "invalid_request")["field"] == "sites[0].role"
    no_site = admin.post("/users", json={**body, "sites": [{"role": "STAFF"}]})
    assert error_details(no_site, 400, "invalid_request")["field"] == "sites[0].site"
    unknown = error_details(admin.post("/users", json={**body, "sites": [{"site": "nope"}]}), 400, "invalid_request")
    assert (unknown["field"], unknown["code"]) == ("sites", "site_not_found")
    assert error_details(admin.post("/users", json={**body, "sites": [{"site": sub}]}), 400, "invalid_request")[
        "field"
    ] == ("sites")
    assert error_details(admin.post("/users", json={**body, "password": "short"}), 400, "invalid_request")["field"] == (
        "password"
    )
    assert admin.get("/users", params={"email": f"a@{MAIL}"}).json()["count"] == 0  # nothing was made
    _new(admin, f"a@{MAIL}")
    duplicate = error_details(admin.post("/users", json=body), 409, "conflict")
    assert duplicate["field"] == "email"


def test_list_counts_filters_searches_and_sorts(admin: V1, db: Database, tenant: Tenant) -> None:
    lux = make_place(db, tenant.account_id, "Lux")
    _new(admin, f"zed@{MAIL}", first="Zed", role="MANAGER", sites=[{"site": lux}])
    _new(admin, f"amy@{MAIL}", first="Amy", role="STAFF")
    _new(admin, f"bob@{MAIL}", first="Bob", role="STAFF", sites=[{"site": lux}])
    everyone = admin.get("/users").json()
    assert everyone["count"] == 4  # and the account's admin
    staff = admin.get("/users", params={"role": "STAFF", "sort": "first"}).json()
    assert [u["first"] for u in staff["items"]] == ["Amy", "Bob"] and staff["count"] == 2
    at_lux = admin.get("/users", params={"sites": lux, "sort": "-first"}).json()
    assert [u["first"] for u in at_lux["items"]] == ["Zed", "Bob"] and at_lux["count"] == 2
    assert admin.get("/users", params={"search": "amy"}).json()["count"] == 1
    page = admin.get("/users", params={"limit": 1, "sort": "email"}).json()
    assert page["nextCursor"] and page["items"][0]["email"].startswith("admin-")
    after = admin.get("/users", params={"limit": 1, "sort": "email", "cursor": page["nextCursor"]}).json()
    assert after["items"][0]["email"] == f"amy@{MAIL}"
    assert error_details(admin.get("/users", params={"sort": "phone"}), 400, "invalid_request")["field"] == "sort"


def test_update_changes_fields_role_and_sites(admin: V1, db: Database, tenant: Tenant) -> None:
    lux = make_place(db, tenant.account_id, "Lux")
    bay = make_place(db, tenant.account_id, "Bay")
    user = _new(admin, f"ann2@{MAIL}", first="Ann", role="STAFF")
    changed = admin.patch(f"/users/{user['id']}", json={"last": "Lee", "role": "MANAGER", "sites": [{"site": lux}]})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["first"], body["last"], body["role"], body["isLocationBased"]) == ("Ann", "Lee", "MANAGER", True)
    assert body["sites"] == [{"Site": {"id": lux, "label": "Lux"}, "role": "MANAGER"}]
    moved = admin.patch(f"/users/{user['id']}", json={"sites": [{"site": bay, "role": "STAFF"}]}).json()
    assert moved["sites"] == [{"Site": {"id": bay, "label": "Bay"}, "role": "STAFF"}]
    cleared = admin.patch(f"/users/{user['id']}", json={"last": None, "sites": []}).json()
    assert (cleared["last"], cleared["sites"], cleared["isLocationBased"]) == (None, [], False)
    assert error_details(admin.patch(f"/users/{user['id']}", json={"email": None}), 400, "invalid_request")[
        "field"
    ] == ("email")
    own = admin.patch(f"/users/{admin.user_id}", json={"role": "STAFF"})
    assert error_details(own, 403, "forbidden")["field"] == "role"


def test_delete_deactivates(admin: V1, tenant: Tenant) -> None:
    user = _new(admin, f"ann3@{MAIL}")
    assert admin.delete(f"/users/{user['id']}").status_code == 204
    error_details(admin.get(f"/users/{user['id']}"), 404, "not_found")
    assert all(u["id"] != user["id"] for u in admin.get("/users").json()["items"])
    assert tenant.admin.post("/auth", json={"email": f"ann3@{MAIL}", "password": PASSWORD}).status_code == 401
    error_details(admin.delete(f"/users/{admin.user_id}"), 403, "forbidden")


def test_another_accounts_user_is_404(admin: V1, other_tenant: Tenant) -> None:
    theirs = other_tenant.admin.user_id
    error_details(admin.get(f"/users/{theirs}"), 404, "not_found")
    error_details(admin.patch(f"/users/{theirs}", json={"first": "Mine"}), 404, "not_found")
    error_details(admin.delete(f"/users/{theirs}"), 404, "not_found")
    assert all(u["id"] != theirs for u in admin.get("/users").json()["items"])


def test_a_service_account_reaches_only_the_users_of_its_sites(
    admin: V1, http: TestClient, db: Database, tenant: Tenant
) -> None:
    mine = make_place(db, tenant.account_id, "Lux")
    other = make_place(db, tenant.account_id, "Bay")
    both = _new(admin, f"both@{MAIL}", sites=[{"site": mine}, {"site": other, "role": "MANAGER"}])
    elsewhere = _new(admin, f"elsewhere@{MAIL}", sites=[{"site": other}])
    api = site_client(http, db, tenant.account_id, mine)
    listed = api.get("/users").json()
    ids = {u["id"] for u in listed["items"]}
    assert ids == {both["id"], tenant.admin.user_id, api.user_id} and listed["count"] == 3
    seen = api.get(f"/users/{both['id']}").json()
    assert seen["sites"] == [{"Site": {"id": mine, "label": "Lux"}, "role": "STAFF"}]  # not Bay
    error_details(api.get(f"/users/{elsewhere['id']}"), 404, "not_found")
    assert api.get("/users", params={"search": "elsewhere"}).json()["count"] == 0
    assert error_details(api.get("/users", params={"sites": other}), 403, "forbidden")["id"] == other
    assert api.get("/users", params={"sites": mine}).json()["count"] == 2  # its members: both and itself


def test_roles_staff_and_manager_read_admins_manage(admin: V1, http: TestClient, db: Database, tenant: Tenant) -> None:
    mine = make_place(db, tenant.account_id, "Lux")
    other = make_place(db, tenant.account_id, "Bay")
    user = _new(admin, f"ann4@{MAIL}", sites=[{"site": mine}])
    body = {"email": f"new@{MAIL}", "password": PASSWORD, "sites": [{"site": mine}]}
    for role in (Role.STAFF, Role.MANAGER):
        api = site_client(http, db, tenant.account_id, mine, role=role)
        assert api.get(f"/users/{user['id']}").status_code == 200
        error_details(api.post("/users", json=body), 403, "forbidden")
        error_details(api.patch(f"/users/{user['id']}", json={"first": "X"}), 403, "forbidden")
        error_details(api.delete(f"/users/{user['id']}"), 403, "forbidden")
    site_admin = site_client(http, db, tenant.account_id, mine, role=Role.ADMIN)
    created = site_admin.post("/users", json=body)
    assert created.status_code == 201, created.text
    assert created.json()["sites"] == [{"Site": {"id": mine, "label": "Lux"}, "role": "STAFF"}]
    elsewhere = {**body, "email": f"far@{MAIL}", "sites": [{"site": other}]}
    error_details(site_admin.post("/users", json=elsewhere), 403, "forbidden")
    error_details(site_admin.post("/users", json={**body, "email": f"wide@{MAIL}", "sites": []}), 403, "forbidden")
    assert site_admin.patch(f"/users/{user['id']}", json={"first": "Ann"}).json()["first"] == "Ann"
