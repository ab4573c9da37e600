"""/v1/contractors (UpKeep's vendors, the same records and ids) and /v1/costCategories."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import Role
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, admin_of, error_details, site_client

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
KEYS = {
    "id",
    "name",
    "type",
    "email",
    "phone",
    "address",
    "website",
    "mainContact",
    "description",
    "createdAt",
    "updatedAt",
}


def test_create_and_read_back_and_the_same_vendor_on_api_v2(admin: V1, tenant: Tenant) -> None:
    body = {
        "name": "Acme Plumbing",
        "type": "Plumber",
        "email": "Jobs@Acme.test",
        "phone": "+44 20 7946 0000",
        "address": "1 Pipe St",
        "website": "https://acme.test",
        "mainContact": "Jo Pipe",
        "description": "24h call-outs",
    }
    created = admin.post("/contractors", json=body)
    assert created.status_code == 201, created.text
    contractor = created.json()
    assert set(contractor) == KEYS
    assert {k: contractor[k] for k in body} == body
    assert ISO_MS.match(contractor["createdAt"]) and ISO_MS.match(contractor["updatedAt"])
    assert admin.get(f"/contractors/{contractor['id']}").json() == contractor
    vendor = tenant.admin.get(f"/vendors/{contractor['id']}").json()["result"]
    assert (vendor["businessName"], vendor["type"], vendor["mainPointOfContact"]) == (
        "Acme Plumbing",
        "Plumber",
        "Jo Pipe",
    )
    # A vendor made on /api/v2 is a contractor here, and a change on either side shows on the other.
    made = tenant.admin.post("/vendors", json={"businessName": "Bright Sparks", "type": "Electrician"})
    vendor_id = made.json()["result"]["id"]
    assert (admin.get(f"/contractors/{vendor_id}").json()["name"], admin.get("/contractors").json()["count"]) == (
        "Bright Sparks",
        2,
    )
    admin.patch(f"/contractors/{vendor_id}", json={"website": "https://sparks.test", "type": None})
    changed = tenant.admin.get(f"/vendors/{vendor_id}").json()["result"]
    assert (changed["website"], changed["type"]) == ("https://sparks.test", None)


def test_list_filters_sorts_and_searches(admin: V1, tenant: Tenant) -> None:
    for name, trade in (("Acme Plumbing", "Plumber"), ("Bright Sparks", "Electrician"), ("Pipe Dreams", "Plumber")):
        assert admin.post("/contractors", json={"name": name, "type": trade}).status_code == 201
    tenant.admin.post("/customers", json={"name": "Not A Contractor"})
    listed = admin.get("/contractors", params={"sort": "name"}).json()
    assert listed["count"] == 3 and [c["name"] for c in listed["items"]] == [
        "Acme Plumbing",
        "Bright Sparks",
        "Pipe Dreams",
    ]
    plumbers = admin.get("/contractors", params={"type": "Plumber", "sort": "-name"}).json()
    assert [c["name"] for c in plumbers["items"]] == ["Pipe Dreams", "Acme Plumbing"]
    assert admin.get("/contractors", params={"search": "sparks"}).json()["count"] == 1
    page = admin.get("/contractors", params={"limit": 2, "sort": "name"}).json()
    rest = admin.get("/contractors", params={"limit": 2, "sort": "name", "cursor": page["nextCursor"]}).json()
    assert [c["name"] for c in rest["items"]] == ["Pipe Dreams"] and rest["nextCursor"] is None


def test_validation_names_the_field(admin: V1) -> None:
    assert error_details(admin.post("/contractors", json={"type": "Plumber"}), 400, "invalid_request") == {
        "code": "required",
        "field": "name",
    }
    assert error_details(admin.post("/contractors", json={"name": " "}), 400, "invalid_request")["field"] == "name"
    bad = admin.post("/contractors", json={"name": "A", "businessName": "B"})
    assert error_details(bad, 400, "invalid_request")["field"] == "businessName"
    long = admin.post("/contractors", json={"name": "A", "type": "x" * 101})
    assert error_details(long, 400, "invalid_request")["field"] == "type"
    made = admin.post("/contractors", json={"name": "A"}).json()
    assert error_details(admin.patch(f"/contractors/{made['id']}", json={"name": None}), 400, "invalid_request")[
        "field"
    ] == ("name")
    assert error_details(admin.get("/contractors", params={"sites": "x"}), 400, "invalid_request")["field"] == "sites"


def test_another_accounts_contractor_and_a_customer_are_404(admin: V1, tenant: Tenant, other_tenant: Tenant) -> None:
    theirs = other_tenant.admin.post("/vendors", json={"businessName": "Theirs"}).json()["result"]["id"]
    customer = tenant.admin.post("/customers", json={"name": "A Customer"}).json()["result"]["id"]
    for contractor_id in (theirs, customer):
        error_details(admin.get(f"/contractors/{contractor_id}"), 404, "not_found")
        error_details(admin.patch(f"/contractors/{contractor_id}", json={"name": "Mine"}), 404, "not_found")


def test_roles_staff_and_managers_write_a_site_scoped_account_sees_every_contractor(
    admin: V1, http: TestClient, db: Database, tenant: Tenant
) -> None:
    made = admin.post("/contractors", json={"name": "Acme"}).json()
    site = make_place(db, tenant.account_id, "Lux")
    for role in (Role.STAFF, Role.MANAGER):
        api = site_client(http, db, tenant.account_id, site, role=role)
        assert api.get("/contractors").json()["count"] >= 1  # contractors belong to no site
        assert api.post("/contractors", json={"name": f"By {role}"}).status_code == 201
        assert api.patch(f"/contractors/{made['id']}", json={"description": str(role)}).status_code == 200
    requester = site_client(http, db, tenant.account_id, site, role=Role.REQUESTER)
    error_details(requester.get("/contractors"), 403, "forbidden")
    error_details(requester.post("/contractors", json={"name": "X"}), 403, "forbidden")
    viewer = site_client(http, db, tenant.account_id, site, role=Role.VIEW_ONLY)
    assert viewer.get(f"/contractors/{made['id']}").status_code == 200
    error_details(viewer.patch(f"/contractors/{made['id']}", json={"name": "X"}), 403, "forbidden")


def test_cost_categories_are_the_accounts_on_api_v2(admin: V1, http: TestClient, db: Database, tenant: Tenant) -> None:
    listed = admin.get("/costCategories")
    assert listed.status_code == 200, listed.text
    body = listed.json()
    v2 = tenant.admin.get("/work-order-cost-categories").json()["results"]
    assert body == {
        "count": len(v2),
        "items": [{"id": c["objectId"], "name": c["name"]} for c in v2],
        "nextCursor": None,
    }
    assert body["count"] > 0
    assert admin.get("/cost-categories").json() == body  # the kebab alias
    assert error_details(admin.get("/costCategories", params={"page": 2}), 400, "invalid_request")["field"] == "page"
    other = admin_of(http, db, tenant.account_id, tenant.as_role("STAFF").user_id)
    assert other.get("/costCategories").json() == body
    requester = site_client(http, db, tenant.account_id, make_place(db, tenant.account_id, "Lux"), role=Role.REQUESTER)
    error_details(requester.get("/costCategories"), 403, "forbidden")
