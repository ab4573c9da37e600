"""/v1/assets and their downtime: the assets of /api/v2 with the same ids."""

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
    "description",
    "model",
    "barcode",
    "serialNumber",
    "additionalInformation",
    "notes",
    "area",
    "status",
    "category",
    "location",
    "parentAsset",
    "manufacturer",
    "assignee",
    "createdBy",
    "image",
    "purchaseDate",
    "placedInServiceDate",
    "warrantyExpiration",
    "purchasePrice",
    "residualValue",
    "downtimeStatus",
    "availabilityTracking",
    "incompleteWorkOrders",
    "createdAt",
    "updatedAt",
    "customFields",
}


def test_create_read_update_downtime_and_delete(admin: V1, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux")
    created = admin.post(
        "/assets",
        json={
            "name": "Boiler",
            "model": "B-2",
            "barcode": "0123",
            "serialNumber": "SN1",
            "purchasePrice": 1200.5,
            "purchaseDate": "2026-01-02T00:00:00.000Z",
            "location": site,
        },
    )
    assert created.status_code == 201, created.text
    asset = created.json()
    assert set(asset) == KEYS
    assert (asset["name"], asset["model"], asset["barcode"], asset["serialNumber"], asset["purchasePrice"]) == (
        "Boiler",
        "B-2",
        "0123",
        "SN1",
        1200.5,
    )
    assert (asset["location"], asset["status"], asset["downtimeStatus"]) == (site, "active", "available")
    assert (asset["createdBy"], asset["incompleteWorkOrders"], asset["availabilityTracking"]) == (
        admin.user_id,
        0,
        False,
    )
    assert asset["purchaseDate"] == "2026-01-02T00:00:00.000Z" and ISO_MS.match(asset["createdAt"])
    assert admin.get(f"/assets/{asset['id']}").json() == asset
    changed = admin.patch(f"/assets/{asset['id']}", json={"notes": "Serviced", "status": "inactive"}).json()
    assert (changed["notes"], changed["status"]) == ("Serviced", "inactive")
    down = admin.post(
        f"/assets/{asset['id']}/downtime", json={"status": "not-available", "recordedAt": "2026-02-01T10:00:00Z"}
    )
    assert down.status_code == 200, down.text
    assert down.json()["downtimeStatus"] == "not-available"
    older = admin.post(
        f"/assets/{asset['id']}/downtime", json={"status": "available", "recordedAt": "2026-01-01T10:00:00Z"}
    )
    assert older.json()["downtimeStatus"] == "not-available"  # not the newest: the status stays
    # The same asset on /api/v2.
    v2 = tenant.admin.get(f"/assets/{asset['id']}").json()["result"]
    assert (v2["name"], v2["downtimeStatus"]) == ("Boiler", "not-available")
    assert admin.delete(f"/assets/{asset['id']}").status_code == 204
    error_details(admin.get(f"/assets/{asset['id']}"), 404, "not_found")


def test_an_asset_made_on_v2_reads_on_v1(admin: V1, tenant: Tenant) -> None:
    made = tenant.admin.post("/assets", json={"name": "Pump"}).json()["result"]
    assert admin.get(f"/assets/{made['id']}").json()["name"] == "Pump"


def test_list_filters_sorts_searches_and_sites(admin: V1, db: Database, tenant: Tenant) -> None:
    lux = make_place(db, tenant.account_id, "Lux")
    level = make_place(db, tenant.account_id, "Level 1", parent_id=lux)
    bay = make_place(db, tenant.account_id, "Bay")
    for name, location in (("Fan", level), ("Boiler", lux), ("Valve", bay)):
        assert admin.post("/assets", json={"name": name, "location": location}).status_code == 201, name
    assert [a["name"] for a in admin.get("/assets", params={"sort": "name"}).json()["items"]] == [
        "Boiler",
        "Fan",
        "Valve",
    ]
    at_lux = admin.get("/assets", params={"sites": lux, "sort": "-name"}).json()
    assert at_lux["count"] == 2 and [a["name"] for a in at_lux["items"]] == ["Fan", "Boiler"]
    assert admin.get("/assets", params={"location": level}).json()["count"] == 1
    assert admin.get("/assets", params={"search": "valv"}).json()["count"] == 1
    first = admin.get("/assets", params={"sort": "name", "limit": 2}).json()
    assert first["nextCursor"]
    rest = admin.get("/assets", params={"sort": "name", "limit": 2, "cursor": first["nextCursor"]}).json()
    assert [a["name"] for a in rest["items"]] == ["Valve"]


def test_validation_names_the_field(admin: V1) -> None:
    assert error_details(admin.post("/assets", json={"model": "x"}), 400, "invalid_request")["field"] == "name"
    bad_price = admin.post("/assets", json={"name": "A", "purchasePrice": "x"})
    assert error_details(bad_price, 400, "invalid_request")["field"] == "purchasePrice"
    nowhere = admin.post("/assets", json={"name": "A", "location": "nope"})
    assert error_details(nowhere, 400, "invalid_request")["field"] == "location"
    assert error_details(admin.post("/assets", json={"name": "A", "sku": "1"}), 400, "invalid_request")["field"] == (
        "sku"
    )
    asset = admin.post("/assets", json={"name": "A"}).json()
    cleared = admin.patch(f"/assets/{asset['id']}", json={"name": None})
    assert error_details(cleared, 400, "invalid_request")["field"] == "name"
    path = f"/assets/{asset['id']}/downtime"
    no_status = admin.post(path, json={"recordedAt": "2026-01-01T00:00:00Z"})
    assert error_details(no_status, 400, "invalid_request")["field"] == "status"
    bad_date = admin.post(path, json={"status": "available", "recordedAt": "soon"})
    assert error_details(bad_date, 400, "invalid_request")["field"] == "recordedAt"
    no_reason = admin.post(path, json={"status": "not-available", "recordedAt": 1, "statusCategory": "nope"})
    assert error_details(no_reason, 400, "invalid_request")["field"] == "statusCategory"


def test_another_accounts_asset_is_404(admin: V1, other_tenant: Tenant) -> None:
    theirs = other_tenant.admin.post("/assets", json={"name": "Theirs"}).json()["result"]["id"]
    error_details(admin.get(f"/assets/{theirs}"), 404, "not_found")
    error_details(admin.patch(f"/assets/{theirs}", json={"name": "Mine"}), 404, "not_found")
    error_details(admin.delete(f"/assets/{theirs}"), 404, "not_found")
    downtime = admin.post(f"/assets/{theirs}/downtime", json={"status": "available", "recordedAt": 1})
    error_details(downtime, 404, "not_found")


def test_a_service_account_reaches_only_the_assets_of_its_sites(
    admin: V1, http: TestClient, db: Database, tenant: Tenant
) -> None:
    mine = make_place(db, tenant.account_id, "Lux")
    other = make_place(db, tenant.account_id, "Bay")
    here = admin.post("/assets", json={"name": "Here", "location": mine}).json()
    there = admin.post("/assets", json={"name": "There", "location": other}).json()
    admin.post("/assets", json={"name": "Nowhere"})
    api = site_client(http, db, tenant.account_id, mine, role=Role.STAFF)
    listed = api.get("/assets").json()
    assert [a["id"] for a in listed["items"]] == [here["id"]] and listed["count"] == 1
    error_details(api.get(f"/assets/{there['id']}"), 404, "not_found")
    error_details(api.patch(f"/assets/{there['id']}", json={"name": "x"}), 404, "not_found")
    assert error_details(api.get("/assets", params={"sites": other}), 403, "forbidden")["id"] == other
    elsewhere = api.post("/assets", json={"name": "X", "location": other})
    assert error_details(elsewhere, 400, "invalid_request")["field"] == "location"
    assert api.post("/assets", json={"name": "Mine", "location": mine}).status_code == 201


def test_roles(admin: V1, http: TestClient, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux")
    asset = admin.post("/assets", json={"name": "Boiler", "location": site}).json()
    staff = site_client(http, db, tenant.account_id, site, role=Role.STAFF)
    assert staff.patch(f"/assets/{asset['id']}", json={"notes": "x"}).status_code == 200
    downtime = staff.post(f"/assets/{asset['id']}/downtime", json={"status": "not-available", "recordedAt": 5})
    assert downtime.status_code == 200, downtime.text
    error_details(staff.delete(f"/assets/{asset['id']}"), 403, "forbidden")
    viewer = site_client(http, db, tenant.account_id, site, role=Role.VIEW_ONLY)
    assert viewer.get(f"/assets/{asset['id']}").json()["notes"] == "x"
    error_details(viewer.patch(f"/assets/{asset['id']}", json={"notes": "y"}), 403, "forbidden")
    error_details(
        viewer.post(f"/assets/{asset['id']}/downtime", json={"status": "available", "recordedAt": 6}), 403, "forbidden"
    )
    manager = site_client(http, db, tenant.account_id, site, role=Role.MANAGER)
    assert manager.delete(f"/assets/{asset['id']}").status_code == 204


def test_custom_fields_list_change_and_delete(admin: V1, tenant: Tenant, other_tenant: Tenant) -> None:
    typed = tenant.admin.post("/custom-fields/assets", json={"name": "Colour", "type": "singleLineText"}).json()
    typed_id = typed["result"]["id"]
    body = {
        "name": "Boiler",
        "customFields": [{"id": typed_id, "fieldValue": {"singleLineTextValue": "Red"}}],
        "customFieldsAsset": [{"name": "width", "value": "10", "unit": "cm"}],
    }
    asset_id = tenant.admin.post("/assets", json=body).json()["result"]["id"]
    listed = admin.get(f"/assets/{asset_id}/customFields").json()
    assert listed["count"] == 2 and listed["nextCursor"] is None
    by_name = {f["name"]: f for f in listed["items"]}
    assert set(by_name["Colour"]) == {"id", "definition", "name", "value", "unit", "createdAt", "updatedAt"}
    assert (by_name["Colour"]["id"], by_name["Colour"]["definition"], by_name["Colour"]["value"]) == (
        typed_id,
        typed_id,
        "Red",
    )
    free = by_name["width"]
    assert (free["definition"], free["value"], free["unit"]) == (None, "10", "cm")
    changed = admin.patch(f"/assets/{asset_id}/customFields/{free['id']}", json={"value": "12"}).json()
    assert (changed["id"], changed["value"], changed["unit"]) == (free["id"], "12", "cm")
    assert admin.patch(f"/assets/{asset_id}/customFields/{typed_id}", json={"value": "Blue"}).json()["value"] == "Blue"
    renamed = admin.patch(f"/assets/{asset_id}/customFields/{typed_id}", json={"name": "Hue"})
    assert error_details(renamed, 400, "invalid_request")["field"] == "name"
    assert admin.delete(f"/assets/{asset_id}/customFields/{free['id']}").status_code == 204
    assert [f["name"] for f in admin.get(f"/assets/{asset_id}/customFields").json()["items"]] == ["Colour"]
    error_details(admin.delete(f"/assets/{asset_id}/customFields/{free['id']}"), 404, "not_found")
    theirs = other_tenant.admin.post("/assets", json={"name": "Theirs"}).json()["result"]["id"]
    error_details(admin.get(f"/assets/{theirs}/customFields"), 404, "not_found")


def test_custom_field_routes_refuse_bad_input_other_accounts_and_weaker_roles(
    admin: V1, http: TestClient, db: Database, tenant: Tenant, other_tenant: Tenant
) -> None:
    site = make_place(db, tenant.account_id, "Lux")
    asset = admin.post("/assets", json={"name": "Boiler", "location": site, "customFields": [{"name": "width"}]}).json()
    base = f"/assets/{asset['id']}/customFields"
    field_id = asset["customFields"][0]["id"]
    assert error_details(admin.get(base, params={"page": "2"}), 400, "invalid_request")["field"] == "page"
    too_long = admin.patch(f"{base}/{field_id}", json={"value": "x" * 5001})
    assert error_details(too_long, 400, "invalid_request")["field"] == "value"
    unknown = admin.patch(f"{base}/{field_id}", json={"colour": "red"})
    assert error_details(unknown, 400, "invalid_request")["field"] == "colour"
    theirs = other_tenant.admin.post("/assets", json={"name": "Theirs", "customFieldsAsset": [{"name": "w"}]}).json()
    their_base = f"/assets/{theirs['result']['id']}/customFields"
    their_field = other_tenant.admin.get(f"/assets/{theirs['result']['id']}").json()["result"]["customFieldsAsset"]
    error_details(admin.patch(f"{their_base}/{their_field[0]['id']}", json={"value": "1"}), 404, "not_found")
    error_details(admin.delete(f"{their_base}/{their_field[0]['id']}"), 404, "not_found")
    error_details(admin.patch(f"{base}/{their_field[0]['id']}", json={"value": "1"}), 404, "not_found")
    viewer = site_client(http, db, tenant.account_id, site, role=Role.VIEW_ONLY)
    assert viewer.get(base).json()["count"] == 1
    error_details(viewer.patch(f"{base}/{field_id}", json={"value": "1"}), 403, "forbidden")
    error_details(viewer.delete(f"{base}/{field_id}"), 403, "forbidden")
    elsewhere = site_client(http, db, tenant.account_id, make_place(db, tenant.account_id, "Bay"), role=Role.MANAGER)
    error_details(elsewhere.get(base), 404, "not_found")
    error_details(elsewhere.delete(f"{base}/{field_id}"), 404, "not_found")
    staff = site_client(http, db, tenant.account_id, site, role=Role.STAFF)
    assert staff.patch(f"{base}/{field_id}", json={"value": "12"}).json()["value"] == "12"
    assert staff.delete(f"{base}/{field_id}").status_code == 204
