"""/v1/parts and their inventory ledger: the parts of /api/v2 with the same ids."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import Role
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, error_details, site_client

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
KEYS = {
    "id",
    "name",
    "partNumber",
    "barcode",
    "description",
    "category",
    "cost",
    "quantity",
    "minimumQuantity",
    "area",
    "details",
    "location",
    "parentPart",
    "createdAt",
    "updatedAt",
}


def test_create_read_adjust_and_the_ledger(admin: V1, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux")
    created = admin.post(
        "/parts",
        json={
            "name": "Filter",
            "partNumber": "F-100",
            "barcode": "0123",
            "cost": 12.5,
            "quantity": 10,
            "minimumQuantity": 2,
            "area": "Shelf 3",
            "location": site,
        },
    )
    assert created.status_code == 201, created.text
    part = created.json()
    assert set(part) == KEYS
    assert (part["name"], part["partNumber"], part["barcode"], part["cost"], part["quantity"]) == (
        "Filter",
        "F-100",
        "0123",
        12.5,
        10,
    )
    assert (part["location"], part["parentPart"], part["description"]) == (site, None, None)
    assert ISO_MS.match(part["createdAt"])
    assert admin.get(f"/parts/{part['id']}").json() == part
    adjusted = admin.patch(f"/parts/{part['id']}", json={"quantity": 7, "description": "Air"}).json()
    assert (adjusted["quantity"], adjusted["description"]) == (7, "Air")
    ledger = admin.get(f"/parts/{part['id']}/ledger").json()
    assert ledger["count"] == 2 and ledger["nextCursor"] is None
    first, second = ledger["items"]
    assert set(first) == {"id", "delta", "quantityAfter", "reason", "sourceType", "sourceId", "userId", "createdAt"}
    assert (first["reason"], first["delta"], first["quantityAfter"]) == ("created", 10, 10)
    assert (second["reason"], second["delta"], second["quantityAfter"], second["userId"]) == (
        "adjusted",
        -3,
        7,
        admin.user_id,
    )
    assert admin.get(f"/parts/{part['id']}/ledger", params={"reason": "adjusted"}).json()["count"] == 1
    newest = admin.get(f"/parts/{part['id']}/ledger", params={"sort": "-createdAt", "limit": 1}).json()
    assert newest["items"][0]["reason"] == "adjusted" and newest["nextCursor"]
    # The same part on /api/v2.
    v2 = tenant.admin.get(f"/parts/{part['id']}").json()["result"]
    assert (v2["name"], v2["quantity"]) == ("Filter", "7")
    assert admin.delete(f"/parts/{part['id']}").status_code == 204
    error_details(admin.get(f"/parts/{part['id']}"), 404, "not_found")
    error_details(admin.get(f"/parts/{part['id']}/ledger"), 404, "not_found")


def test_list_filters_sorts_searches_and_sites(admin: V1, db: Database, tenant: Tenant) -> None:
    lux = make_place(db, tenant.account_id, "Lux")
    level = make_place(db, tenant.account_id, "Level 1", parent_id=lux)
    bay = make_place(db, tenant.account_id, "Bay")
    for name, location, category in (("Fuse", level, "Electrical"), ("Filter", lux, "HVAC"), ("Valve", bay, None)):
        body = {"name": name, "location": location, **({"category": category} if category else {})}
        tenant.admin.post("/part-categories", json={"name": category}) if category else None
        assert admin.post("/parts", json=body).status_code == 201, name
    assert [p["name"] for p in admin.get("/parts", params={"sort": "name"}).json()["items"]] == [
        "Filter",
        "Fuse",
        "Valve",
    ]
    at_lux = admin.get("/parts", params={"sites": lux, "sort": "-name"}).json()
    assert at_lux["count"] == 2 and [p["name"] for p in at_lux["items"]] == ["Fuse", "Filter"]  # below it too
    assert admin.get("/parts", params={"location": level}).json()["count"] == 1
    assert admin.get("/parts", params={"category": "HVAC"}).json()["items"][0]["name"] == "Filter"
    assert admin.get("/parts", params={"search": "valv"}).json()["count"] == 1


def test_validation_names_the_field(admin: V1, db: Database, tenant: Tenant) -> None:
    assert error_details(admin.post("/parts", json={"quantity": 1}), 400, "invalid_request")["field"] == "name"
    assert error_details(admin.post("/parts", json={"name": "A", "cost": "x"}), 400, "invalid_request")["field"] == (
        "cost"
    )
    nowhere = admin.post("/parts", json={"name": "A", "location": "nope"})
    assert error_details(nowhere, 400, "invalid_request")["field"] == "location"
    assert error_details(admin.post("/parts", json={"name": "A", "sku": "1"}), 400, "invalid_request")["field"] == "sku"
    part = admin.post("/parts", json={"name": "A"}).json()
    assert error_details(admin.patch(f"/parts/{part['id']}", json={"quantity": None}), 400, "invalid_request")[
        "field"
    ] == ("quantity")
    ledger = admin.get(f"/parts/{part['id']}/ledger", params={"sites": "x"})
    assert error_details(ledger, 400, "invalid_request")["field"] == "sites"


def test_another_accounts_part_is_404(admin: V1, other_tenant: Tenant) -> None:
    theirs = other_tenant.admin.post("/parts", json={"name": "Theirs"}).json()["result"]["id"]
    error_details(admin.get(f"/parts/{theirs}"), 404, "not_found")
    error_details(admin.get(f"/parts/{theirs}/ledger"), 404, "not_found")
    error_details(admin.patch(f"/parts/{theirs}", json={"name": "Mine"}), 404, "not_found")
    error_details(admin.delete(f"/parts/{theirs}"), 404, "not_found")


def test_a_service_account_reaches_only_the_parts_of_its_sites(
    admin: V1, http: TestClient, db: Database, tenant: Tenant
) -> None:
    mine = make_place(db, tenant.account_id, "Lux")
    other = make_place(db, tenant.account_id, "Bay")
    here = admin.post("/parts", json={"name": "Here", "location": mine}).json()
    there = admin.post("/parts", json={"name": "There", "location": other}).json()
    admin.post("/parts", json={"name": "Nowhere"})
    api = site_client(http, db, tenant.account_id, mine, role=Role.STAFF)
    listed = api.get("/parts").json()
    assert [p["id"] for p in listed["items"]] == [here["id"]] and listed["count"] == 1
    error_details(api.get(f"/parts/{there['id']}"), 404, "not_found")
    error_details(api.get(f"/parts/{there['id']}/ledger"), 404, "not_found")
    error_details(api.patch(f"/parts/{there['id']}", json={"name": "x"}), 404, "not_found")
    assert error_details(api.get("/parts", params={"sites": other}), 403, "forbidden")["id"] == other
    assert api.get("/parts", params={"search": "There"}).json()["count"] == 0
    elsewhere = api.post("/parts", json={"name": "X", "location": other})  # a place it does not see: none
    assert error_details(elsewhere, 400, "invalid_request")["field"] == "location"
    assert api.post("/parts", json={"name": "Mine", "location": mine}).status_code == 201


def test_roles_staff_writes_managers_delete(admin: V1, http: TestClient, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux")
    part = admin.post("/parts", json={"name": "Filter", "location": site}).json()
    staff = site_client(http, db, tenant.account_id, site, role=Role.STAFF)
    assert staff.patch(f"/parts/{part['id']}", json={"quantity": 3}).status_code == 200
    error_details(staff.delete(f"/parts/{part['id']}"), 403, "forbidden")
    viewer = site_client(http, db, tenant.account_id, site, role=Role.VIEW_ONLY)
    assert [m["quantityAfter"] for m in viewer.get(f"/parts/{part['id']}/ledger").json()["items"]] == [3]
    error_details(viewer.patch(f"/parts/{part['id']}", json={"quantity": 1}), 403, "forbidden")
    manager = site_client(http, db, tenant.account_id, site, role=Role.MANAGER)
    assert manager.delete(f"/parts/{part['id']}").status_code == 204
