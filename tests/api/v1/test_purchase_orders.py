"""/v1/purchaseOrders: the purchase orders of /api/v2 with the same ids, their part lines and the
workflow as actions (approve, decline, reopen, fulfil)."""

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
    "number",
    "title",
    "description",
    "status",
    "category",
    "vendor",
    "totalQuantity",
    "totalCost",
    "parts",
    "poDate",
    "dueDate",
    "tax",
    "shippingCost",
    "otherCost",
    "requisitioner",
    "shippingMethod",
    "fobPoint",
    "terms",
    "notes",
    "companyName",
    "companySlogan",
    "companyStreet",
    "companyCity",
    "companyState",
    "companyZip",
    "companyPhone",
    "companyFax",
    "shippingName",
    "shippingCompany",
    "shippingStreet",
    "shippingCity",
    "shippingState",
    "shippingZip",
    "shippingPhone",
    "shippingFax",
    "createdBy",
    "approvedAt",
    "approvedBy",
    "declinedAt",
    "declinedBy",
    "fulfilledAt",
    "fulfilledBy",
    "createdAt",
    "updatedAt",
    "customFields",
}


def _part(api: V1, name: str = "Filter", **body: object) -> str:
    created = api.post("/parts", json={"name": name, "cost": 2.5, "quantity": 1, **body})
    assert created.status_code == 201, created.text
    part_id: str = created.json()["id"]
    return part_id


def test_create_read_and_the_workflow(admin: V1, tenant: Tenant) -> None:
    part = _part(admin)
    created = admin.post(
        "/purchaseOrders",
        json={
            "title": "Filters",
            "parts": [{"id": part, "quantity": 4}],
            "tax": 1.5,
            "dueDate": "2026-06-30T10:00:00Z",
        },
    )
    assert created.status_code == 201, created.text
    order = created.json()
    assert set(order) == KEYS
    assert (order["title"], order["status"], order["tax"], order["totalQuantity"], order["totalCost"]) == (
        "Filters",
        "awaiting",
        1.5,
        4,
        10,
    )
    assert order["parts"] == [{"id": part, "quantity": 4, "received": 0, "unitCost": 2.5}]
    assert order["dueDate"] == "2026-06-30T00:00:00.000Z" and ISO_MS.match(order["createdAt"])
    assert order["createdBy"] == admin.user_id and isinstance(order["number"], int)
    assert admin.get(f"/purchaseOrders/{order['id']}").json() == order
    # The workflow: approve, a partial receipt, then the rest.
    error_details(
        admin.post(f"/purchaseOrders/{order['id']}/fulfil", json={"receipt": {part: 1}}), 422, "invalid_transition"
    )
    approved = admin.post(f"/purchaseOrders/{order['id']}/approve").json()
    assert (approved["status"], approved["approvedBy"]) == ("approved", admin.user_id) and approved["approvedAt"]
    partial = admin.post(f"/purchaseOrders/{order['id']}/fulfil", json={"receipt": {part: 1}}).json()
    assert (partial["status"], partial["parts"][0]["received"]) == ("partially-fulfilled", 1)
    assert admin.get(f"/parts/{part}").json()["quantity"] == 2
    fulfilled = admin.post(f"/purchaseOrders/{order['id']}/fulfil").json()
    assert (fulfilled["status"], fulfilled["fulfilledBy"]) == ("fulfilled", admin.user_id)
    assert admin.get(f"/parts/{part}").json()["quantity"] == 5
    reopened = admin.post(f"/purchaseOrders/{order['id']}/reopen")
    assert error_details(reopened, 422, "invalid_transition")["field"] == "status"
    # The same purchase order on /api/v2.
    v2 = tenant.admin.get(f"/purchase-orders/{order['id']}").json()["result"]
    assert (v2["title"], v2["status"]) == ("Filters", "fulfilled")
    assert admin.delete(f"/purchaseOrders/{order['id']}").status_code == 204
    error_details(admin.get(f"/purchaseOrders/{order['id']}"), 404, "not_found")


def test_decline_reopen_patch_and_list(admin: V1) -> None:
    part = _part(admin)
    first = admin.post("/purchaseOrders", json={"title": "Bolts"}).json()
    second = admin.post("/purchaseOrders", json={"title": "Anchors", "parts": [{"id": part, "quantity": 1}]}).json()
    declined = admin.post(f"/purchaseOrders/{first['id']}/decline").json()
    assert (declined["status"], declined["declinedBy"]) == ("declined", admin.user_id)
    assert admin.post(f"/purchaseOrders/{first['id']}/reopen").json()["status"] == "awaiting"
    changed = admin.patch(
        f"/purchaseOrders/{second['id']}", json={"parts": [{"id": part, "quantity": 3}], "notes": "x"}
    )
    assert (changed.json()["totalQuantity"], changed.json()["notes"]) == (3, "x"), changed.text
    listed = admin.get("/purchaseOrders", params={"sort": "title"}).json()
    assert listed["count"] == 2 and [o["title"] for o in listed["items"]] == ["Anchors", "Bolts"]
    assert listed["items"][0]["parts"][0]["quantity"] == 3 and listed["items"][1]["parts"] == []
    assert admin.get("/purchaseOrders", params={"status": "awaiting", "search": "bolt"}).json()["count"] == 1
    page = admin.get("/purchaseOrders", params={"limit": 1}).json()
    assert page["nextCursor"] and admin.get("/purchaseOrders", params={"cursor": page["nextCursor"]}).json()["count"]


def test_validation_names_the_field(admin: V1) -> None:
    def field(response: object) -> str:
        return str(error_details(response, 400, "invalid_request")["field"])

    assert field(admin.post("/purchaseOrders", json={"tax": 1})) == "title"
    assert field(admin.post("/purchaseOrders", json={"title": "A", "tax": "x"})) == "tax"
    assert field(admin.post("/purchaseOrders", json={"title": "A", "tax": -1})) == "tax"
    assert field(admin.post("/purchaseOrders", json={"title": "A", "status": "approved"})) == "status"
    assert field(admin.post("/purchaseOrders", json={"title": "A", "parts": [{"quantity": 1}]})) == "parts[0].id"
    assert field(admin.post("/purchaseOrders", json={"title": "A", "parts": [{"id": "nope", "quantity": 1}]})) == (
        "parts[0].id"
    )
    part = _part(admin)
    assert field(admin.post("/purchaseOrders", json={"title": "A", "parts": [{"id": part}]})) == "parts[0].quantity"
    assert field(admin.post("/purchaseOrders", json={"title": "A", "vendor": "nope"})) == "vendor"
    order = admin.post("/purchaseOrders", json={"title": "A", "parts": [{"id": part, "quantity": 2}]}).json()
    assert field(admin.patch(f"/purchaseOrders/{order['id']}", json={"title": None})) == "title"
    admin.post(f"/purchaseOrders/{order['id']}/approve")
    assert field(admin.post(f"/purchaseOrders/{order['id']}/fulfil", json={"receipt": {part: 5}})) == "receipt"
    assert field(admin.post(f"/purchaseOrders/{order['id']}/fulfil", json={"receipt": "x"})) == "receipt"
    assert field(admin.get("/purchaseOrders", params={"sites": "x"})) == "sites"


def test_another_accounts_purchase_order_is_404(admin: V1, other_tenant: Tenant) -> None:
    theirs = other_tenant.admin.post("/purchase-orders", json={"title": "Theirs"}).json()["result"]["id"]
    error_details(admin.get(f"/purchaseOrders/{theirs}"), 404, "not_found")
    error_details(admin.patch(f"/purchaseOrders/{theirs}", json={"title": "Mine"}), 404, "not_found")
    error_details(admin.post(f"/purchaseOrders/{theirs}/approve"), 404, "not_found")
    error_details(admin.post(f"/purchaseOrders/{theirs}/fulfil"), 404, "not_found")
    error_details(admin.delete(f"/purchaseOrders/{theirs}"), 404, "not_found")
    assert admin.get("/purchaseOrders").json()["count"] == 0


def test_a_service_account_orders_only_parts_of_its_sites(
    admin: V1, http: TestClient, db: Database, tenant: Tenant
) -> None:
    mine = make_place(db, tenant.account_id, "Lux")
    other = make_place(db, tenant.account_id, "Bay")
    here, there = _part(admin, "Here", location=mine), _part(admin, "There", location=other)
    api = site_client(http, db, tenant.account_id, mine, role=Role.STAFF)
    refused = api.post("/purchaseOrders", json={"title": "A", "parts": [{"id": there, "quantity": 1}]})
    assert error_details(refused, 400, "invalid_request")["field"] == "parts[0].id"
    created = api.post("/purchaseOrders", json={"title": "A", "parts": [{"id": here, "quantity": 1}]})
    assert created.status_code == 201, created.text
    assert api.get("/purchaseOrders").json()["count"] == 1


def test_roles_only_admins_and_managers_decide(admin: V1, http: TestClient, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux")
    part = _part(admin, location=site)
    staff = site_client(http, db, tenant.account_id, site, role=Role.STAFF)
    order = staff.post("/purchaseOrders", json={"title": "A", "parts": [{"id": part, "quantity": 1}]}).json()
    error_details(staff.post(f"/purchaseOrders/{order['id']}/approve"), 403, "forbidden")
    error_details(staff.delete(f"/purchaseOrders/{order['id']}"), 403, "forbidden")
    viewer = site_client(http, db, tenant.account_id, site, role=Role.VIEW_ONLY)
    assert viewer.get(f"/purchaseOrders/{order['id']}").status_code == 200
    error_details(viewer.patch(f"/purchaseOrders/{order['id']}", json={"notes": "x"}), 403, "forbidden")
    error_details(viewer.post("/purchaseOrders", json={"title": "B"}), 403, "forbidden")
    manager = site_client(http, db, tenant.account_id, site, role=Role.MANAGER)
    assert manager.post(f"/purchaseOrders/{order['id']}/approve").json()["status"] == "approved"
    assert staff.post(f"/purchaseOrders/{order['id']}/fulfil").json()["status"] == "fulfilled"
