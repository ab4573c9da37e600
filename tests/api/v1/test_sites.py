"""/v1/sites: the pattern every /v1 resource follows (shape, codes, lists, errors, site roles, dialects)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import Role
from premises.user.commands import SiteRole
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, personal_client, service_client, v1_client

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def _error(response: object, status: int, error: str) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error", "message", "details"} and body["error"] == error
    assert isinstance(body["message"], str) and body["message"]
    details: dict[str, object] = body["details"]
    return details


def test_create_derives_the_code_from_the_labels_initials(admin: V1) -> None:
    created = admin.post("/sites", json={"label": "Lux Apartments", "address": "1 Main St"})
    assert created.status_code == 201, created.text
    site = created.json()
    assert set(site) == {"id", "label", "code", "address", "timeZone", "createdAt", "updatedAt"}
    assert (site["label"], site["code"], site["address"]) == ("Lux Apartments", "LA", "1 Main St")
    assert site["timeZone"] == "UTC"  # the default: accounts have no time zone
    assert ISO_MS.match(site["createdAt"]) and ISO_MS.match(site["updatedAt"])
    assert admin.post("/sites", json={"label": "lake   apartments"}).json()["code"] == "LA2"
    assert admin.post("/sites", json={"label": "Lighthouse Arcade"}).json()["code"] == "LA3"
    assert admin.post("/sites", json={"label": "Quay", "code": "qy1"}).json()["code"] == "QY1"
    assert admin.get(f"/sites/{site['id']}").json() == site


def test_a_code_is_unique_in_the_account_and_editable(
    admin: V1, http: TestClient, db: Database, other_tenant: Tenant
) -> None:
    first = admin.post("/sites", json={"label": "Lux Apartments", "code": "LUX"}).json()
    second = admin.post("/sites", json={"label": "Harbour View"}).json()
    details = _error(admin.post("/sites", json={"label": "Other", "code": "lux"}), 409, "conflict")
    assert details == {"code": "duplicate", "field": "code", "record": "site"}
    _error(admin.patch(f"/sites/{second['id']}", json={"code": "LUX"}), 409, "conflict")
    changed = admin.patch(f"/sites/{first['id']}", json={"code": "LX", "label": "Lux"})
    assert changed.status_code == 200 and (changed.json()["code"], changed.json()["label"]) == ("LX", "Lux")
    assert admin.patch(f"/sites/{second['id']}", json={"code": "LUX"}).json()["code"] == "LUX"  # freed
    other = v1_client(
        http, other_tenant.account_id, personal_client(db, other_tenant.account_id, other_tenant.admin.user_id)
    )
    assert other.post("/sites", json={"label": "Lux", "code": "LUX"}).status_code == 201  # another account


def test_validation_names_the_field_in_v1_words(admin: V1) -> None:
    assert _error(admin.post("/sites", json={"address": "x"}), 400, "invalid_request") == {
        "code": "required",
        "field": "label",
    }
    assert _error(admin.post("/sites", json={"label": "   "}), 400, "invalid_request")["field"] == "label"
    details = _error(admin.post("/sites", json={"label": "A", "code": "L-A"}), 400, "invalid_request")
    assert details == {"code": "not_a_code", "field": "code", "max": 12}
    assert (
        _error(admin.post("/sites", json={"label": "A", "colour": "red"}), 400, "invalid_request")["field"] == "colour"
    )
    assert _error(admin.post("/sites", json=["x"]), 400, "invalid_request")["code"] == "body_not_object"
    site = admin.post("/sites", json={"label": "Lux"}).json()
    assert _error(admin.patch(f"/sites/{site['id']}", json={"label": None}), 400, "invalid_request")["field"] == "label"


def test_list_counts_pages_searches_sorts_and_continues_with_a_cursor(admin: V1) -> None:
    labels = ["Lux Apartments", "Harbour View", "Quay Tower", "Bay Lofts", "Lux Gardens"]
    for label in labels:
        assert admin.post("/sites", json={"label": label}).status_code == 201
    page = admin.get("/sites", params={"limit": 2, "sort": "label"}).json()
    assert page["count"] == 5 and [s["label"] for s in page["items"]] == ["Bay Lofts", "Harbour View"]
    second = admin.get("/sites", params={"limit": 2, "sort": "label", "page": 2}).json()
    assert [s["label"] for s in second["items"]] == ["Lux Apartments", "Lux Gardens"]
    by_cursor = admin.get("/sites", params={"limit": 2, "sort": "label", "cursor": page["nextCursor"]}).json()
    assert by_cursor["items"] == second["items"] and by_cursor["count"] == 5
    last = admin.get("/sites", params={"limit": 2, "sort": "label", "cursor": by_cursor["nextCursor"]}).json()
    assert [s["label"] for s in last["items"]] == ["Quay Tower"] and last["nextCursor"] is None
    found = admin.get("/sites", params={"search": "lux"}).json()
    assert found["count"] == 2 and {s["label"] for s in found["items"]} == {"Lux Apartments", "Lux Gardens"}
    assert admin.get("/sites", params={"search": "LG"}).json()["count"] == 1  # codes are searched too
    newest = admin.get("/sites", params={"sort": "-createdAt", "limit": 1}).json()["items"][0]
    assert newest["label"] == "Lux Gardens"
    assert admin.get("/sites", params={"code": "HV,QT"}).json()["count"] == 2


def test_list_parameters_are_checked(admin: V1) -> None:
    assert _error(admin.get("/sites", params={"colour": "red"}), 400, "invalid_request")["field"] == "colour"
    assert _error(admin.get("/sites", params={"page": 0}), 400, "invalid_request")["field"] == "page"
    assert _error(admin.get("/sites", params={"limit": "x"}), 400, "invalid_request")["field"] == "limit"
    assert _error(admin.get("/sites", params={"sort": "colour"}), 400, "invalid_request")["field"] == "sort"
    assert _error(admin.get("/sites", params={"cursor": "nope"}), 400, "invalid_request")["field"] == "cursor"
    assert admin.get("/sites", params={"limit": 5000}).status_code == 200  # taken as 200


def test_sub_locations_are_not_sites_and_api_v2_sites_are(admin: V1, db: Database, tenant: Tenant) -> None:
    from_v2 = tenant.admin.post("/locations", json={"name": "Harbour View"}).json()["result"]["id"]
    sub = make_place(db, tenant.account_id, "Level 1", parent_id=from_v2)
    site = admin.get(f"/sites/{from_v2}").json()
    assert (site["id"], site["label"], site["code"]) == (from_v2, "Harbour View", None)
    assert [s["id"] for s in admin.get("/sites").json()["items"]] == [from_v2]
    _error(admin.get(f"/sites/{sub}"), 404, "not_found")
    _error(admin.patch(f"/sites/{sub}", json={"label": "x"}), 404, "not_found")


def test_a_site_created_on_v1_is_a_location_on_api_v2_with_the_same_id(admin: V1, tenant: Tenant) -> None:
    site = admin.post("/sites", json={"label": "Lux Apartments", "address": "1 Main St"}).json()
    location = tenant.admin.get(f"/locations/{site['id']}")
    assert location.status_code == 200
    assert (location.json()["result"]["name"], location.json()["result"]["address"]) == ("Lux Apartments", "1 Main St")
    tenant.admin.patch(f"/locations/{site['id']}", json={"name": "Lux Residences"})
    assert admin.get(f"/sites/{site['id']}").json()["label"] == "Lux Residences"


def test_another_accounts_site_is_404(admin: V1, db: Database, other_tenant: Tenant) -> None:
    theirs = make_place(db, other_tenant.account_id, "Their Site")
    _error(admin.get(f"/sites/{theirs}"), 404, "not_found")
    _error(admin.patch(f"/sites/{theirs}", json={"label": "Mine now"}), 404, "not_found")
    _error(admin.delete(f"/sites/{theirs}"), 404, "not_found")
    assert admin.get("/sites", params={"sites": theirs}).json()["count"] == 0


def test_a_service_account_reaches_only_the_sites_it_was_added_to(
    http: TestClient, db: Database, tenant: Tenant
) -> None:
    mine = make_place(db, tenant.account_id, "Lux Apartments")
    other = make_place(db, tenant.account_id, "Harbour View")
    api = v1_client(http, tenant.account_id, service_client(db, tenant.account_id, sites=[SiteRole(mine, Role.ADMIN)]))
    listed = api.get("/sites").json()
    assert listed["count"] == 1 and [s["id"] for s in listed["items"]] == [mine]
    _error(api.get(f"/sites/{other}"), 404, "not_found")
    _error(api.patch(f"/sites/{other}", json={"label": "x"}), 404, "not_found")
    assert _error(api.get("/sites", params={"sites": f"{mine},{other}"}), 403, "forbidden")["id"] == other
    assert _error(api.get("/sites", params=[("sites", mine), ("sites", other)]), 403, "forbidden")["id"] == other
    assert api.get("/sites", params={"search": "Harbour"}).json()["count"] == 0
    # A site-scoped account cannot make a site nobody added it to.
    assert _error(api.post("/sites", json={"label": "New"}), 403, "forbidden")["code"] == (
        "top_level_create_for_location_based"
    )


@pytest.mark.parametrize(
    ("role", "may_update", "may_delete"),
    [(Role.ADMIN, True, True), (Role.MANAGER, True, True), (Role.STAFF, True, False)],
)
def test_each_site_role(
    http: TestClient, db: Database, tenant: Tenant, role: Role, may_update: bool, may_delete: bool
) -> None:
    site = make_place(db, tenant.account_id, "Lux Apartments")
    other = make_place(db, tenant.account_id, "Harbour View")
    client = service_client(db, tenant.account_id, sites=[SiteRole(site, role), SiteRole(other, Role.VIEW_ONLY)])
    api = v1_client(http, tenant.account_id, client)
    assert api.get(f"/sites/{site}").status_code == 200
    assert (api.patch(f"/sites/{site}", json={"code": "LUX"}).status_code == 200) is may_update
    refused = api.patch(f"/sites/{other}", json={"code": "HV"})  # VIEW_ONLY there
    assert refused.status_code == 403 and refused.json()["details"]["code"] == "role_may_not"
    deleted = api.delete(f"/sites/{site}")
    assert deleted.status_code == (204 if may_delete else 403), deleted.text


def test_unknown_paths_and_methods_answer_in_v1_format(admin: V1, http: TestClient) -> None:
    _error(admin.get("/nothing-here"), 404, "not_found")
    response = http.put("/v1/sites", headers={"Authorization": f"Bearer {admin.token}"})
    _error(response, 405, "method_not_allowed")


def test_the_openapi_document_and_docs(http: TestClient) -> None:
    document = http.get("/v1/openapi.json").json()
    assert document["openapi"].startswith("3.1")
    scheme = document["components"]["securitySchemes"]["oauth2"]
    assert scheme["flows"]["clientCredentials"]["tokenUrl"] == "/oauth/token"
    assert {"api", "sites:read", "sites:write"} <= set(scheme["flows"]["clientCredentials"]["scopes"])
    assert set(document["paths"]) >= {"/sites", "/sites/{site_id}"}
    assert document["paths"]["/sites"]["get"]["security"] == [{"oauth2": []}]
    page = http.get("/v1/docs")
    assert page.status_code == 200 and "/v1/openapi.json" in page.text and "/docs/assets/" in page.text
    assert any(d["url"] == "/v1" for d in http.get("/docs").json()["dialects"])


def test_a_site_has_an_iana_time_zone(admin: V1, tenant: Tenant) -> None:
    site = admin.post("/sites", json={"label": "Lux Apartments", "timeZone": "Europe/Berlin"}).json()
    assert site["timeZone"] == "Europe/Berlin"
    assert admin.patch(f"/sites/{site['id']}", json={"timeZone": " America/New_York "}).json()["timeZone"] == (
        "America/New_York"
    )
    details = _error(admin.patch(f"/sites/{site['id']}", json={"timeZone": "Mars/Olympus"}), 400, "invalid_request")
    assert (details["code"], details["field"]) == ("not_a_time_zone", "timeZone")
    details = _error(admin.post("/sites", json={"label": "X", "timeZone": "../etc/passwd"}), 400, "invalid_request")
    assert details["field"] == "timeZone"
    assert _error(admin.post("/sites", json={"label": "X", "timeZone": 5}), 400, "invalid_request")["field"] == (
        "timeZone"
    )
    assert admin.patch(f"/sites/{site['id']}", json={"timeZone": None}).json()["timeZone"] == "UTC"
    assert set(tenant.admin.get(f"/locations/{site['id']}").json()["result"]) >= {"id", "name"}
    assert "timeZone" not in tenant.admin.get(f"/locations/{site['id']}").json()["result"]  # /api/v2 unchanged
