"""/v1/purchaseOrderCategories: the purchase-order categories of /api/v2 with the same ids; everyone who
reads purchase orders reads them, admins write them; scopes purchaseOrders:read / purchaseOrders:write."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import Role
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, error_details, service_client, site_client, v1_client

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
KEYS = {"id", "name", "createdAt", "updatedAt"}
PATH = "/purchaseOrderCategories"


def _category(api: V1, name: str = "Electrical") -> dict[str, object]:
    created = api.post(PATH, json={"name": name})
    assert created.status_code == 201, created.text
    body: dict[str, object] = created.json()
    return body


def test_create_read_rename_delete_the_categories_of_api_v2(admin: V1, tenant: Tenant) -> None:
    created = _category(admin)
    assert set(created) == KEYS and created["name"] == "Electrical"
    assert ISO_MS.match(str(created["createdAt"])) and ISO_MS.match(str(created["updatedAt"]))
    assert admin.get(f"{PATH}/{created['id']}").json() == created
    upkeep = tenant.admin.get(f"/purchase-order-categories/{created['id']}").json()["result"]
    assert (upkeep["id"], upkeep["name"]) == (created["id"], "Electrical")
    theirs = tenant.admin.post("/purchase-order-categories", json={"name": "Plumbing"}).json()["result"]["id"]
    assert admin.get(f"{PATH}/{theirs}").json()["name"] == "Plumbing"

    renamed = admin.patch(f"{PATH}/{created['id']}", json={"name": " Lighting "})
    assert renamed.status_code == 200, renamed.text
    assert renamed.json()["name"] == "Lighting" and renamed.json()["id"] == created["id"]
    assert admin.patch(f"{PATH}/{created['id']}", json={}).json()["name"] == "Lighting"

    page = admin.get(PATH).json()
    assert set(page) == {"count", "items", "nextCursor"} and page["count"] == 2 and page["nextCursor"] is None
    assert [c["name"] for c in page["items"]] == ["Plumbing", "Lighting"]  # newest first
    assert [c["name"] for c in admin.get(PATH, params={"sort": "name"}).json()["items"]] == ["Lighting", "Plumbing"]
    assert admin.get(PATH, params={"name": "Plumbing"}).json()["count"] == 1
    assert admin.get(PATH, params={"search": "ligh"}).json()["items"][0]["name"] == "Lighting"
    first = admin.get(PATH, params={"limit": 1, "sort": "name"}).json()
    assert first["count"] == 2 and first["nextCursor"]
    rest = admin.get(PATH, params={"limit": 1, "sort": "name", "cursor": first["nextCursor"]}).json()
    assert [c["name"] for c in rest["items"]] == ["Plumbing"]

    assert admin.delete(f"{PATH}/{created['id']}").status_code == 204
    error_details(admin.get(f"{PATH}/{created['id']}"), 404, "not_found")
    error_details(admin.delete(f"{PATH}/{created['id']}"), 404, "not_found")
    assert admin.get(PATH).json()["count"] == 1


def test_an_order_names_its_category(admin: V1) -> None:
    category = _category(admin)
    order = admin.post("/purchaseOrders", json={"title": "Cables", "category": category["name"]})
    assert order.status_code == 201, order.text
    assert order.json()["category"] == "Electrical"


def test_validation_names_the_field(admin: V1) -> None:
    def field(response: object, status: int = 400, error: str = "invalid_request") -> str:
        return str(error_details(response, status, error)["field"])

    assert field(admin.post(PATH, json={})) == "name"
    assert field(admin.post(PATH, json={"name": None})) == "name"
    assert field(admin.post(PATH, json={"name": "  "})) == "name"
    assert field(admin.post(PATH, json={"name": ["A"]})) == "name"
    assert field(admin.post(PATH, json={"name": "x" * 201})) == "name"
    assert field(admin.post(PATH, json={"name": "A", "colour": "red"})) == "colour"
    category = _category(admin)
    other = _category(admin, "Plumbing")
    assert field(admin.patch(f"{PATH}/{category['id']}", json={"name": None})) == "name"
    assert field(admin.patch(f"{PATH}/{other['id']}", json={"name": "Electrical"}), 409, "conflict") == "name"
    assert field(admin.post(PATH, json={"name": "Electrical"}), 409, "conflict") == "name"
    assert field(admin.get(PATH, params={"sort": "colour"})) == "sort"
    assert field(admin.get(PATH, params={"sites": "x"})) == "sites"
    assert field(admin.get(PATH, params={"limit": "x"})) == "limit"
    assert field(admin.get(PATH, params={"cursor": "nope"})) == "cursor"
    assert field(admin.get(f"{PATH}/{category['id']}", params={"x": "1"})) == "x"


def test_another_accounts_category_is_404(admin: V1, other_tenant: Tenant) -> None:
    theirs = other_tenant.admin.post("/purchase-order-categories", json={"name": "Theirs"}).json()["result"]["id"]
    error_details(admin.get(f"{PATH}/{theirs}"), 404, "not_found")
    error_details(admin.patch(f"{PATH}/{theirs}", json={"name": "Mine"}), 404, "not_found")
    error_details(admin.delete(f"{PATH}/{theirs}"), 404, "not_found")
    assert admin.get(PATH).json()["count"] == 0
    assert _category(admin, "Theirs")["name"] == "Theirs"  # names are per account


@pytest.mark.parametrize("role", [Role.STAFF, Role.VIEW_ONLY])
def test_weaker_roles_read_but_do_not_write(
    admin: V1, http: TestClient, db: Database, tenant: Tenant, role: Role
) -> None:
    category = _category(admin)
    site = make_place(db, tenant.account_id, "Lux")
    api = site_client(http, db, tenant.account_id, site, role=role)
    assert api.get(PATH).json()["count"] == 1
    assert api.get(f"{PATH}/{category['id']}").json() == category
    error_details(api.post(PATH, json={"name": "Mine"}), 403, "forbidden")
    error_details(api.patch(f"{PATH}/{category['id']}", json={"name": "Mine"}), 403, "forbidden")
    error_details(api.delete(f"{PATH}/{category['id']}"), 403, "forbidden")
    assert admin.get(f"{PATH}/{category['id']}").json()["name"] == "Electrical"


def test_a_manager_writes_categories(http: TestClient, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux")
    manager = site_client(http, db, tenant.account_id, site, role=Role.MANAGER)
    category = _category(manager)
    assert manager.patch(f"{PATH}/{category['id']}", json={"name": "Lighting"}).json()["name"] == "Lighting"
    assert manager.delete(f"{PATH}/{category['id']}").status_code == 204


def test_the_purchase_orders_scopes(http: TestClient, db: Database, tenant: Tenant) -> None:
    client = service_client(
        db, tenant.account_id, role=Role.ADMIN, scopes=("purchaseOrders:read", "purchaseOrders:write", "parts:read")
    )
    reader = v1_client(http, tenant.account_id, client, "purchaseOrders:read")
    assert reader.get(PATH).json()["count"] == 0
    refused = error_details(reader.post(PATH, json={"name": "A"}), 403, "insufficient_scope")
    assert "purchaseOrders:write" in refused["scope"].split()
    writer = v1_client(http, tenant.account_id, client, "purchaseOrders:write")
    category = _category(writer)
    assert writer.patch(f"{PATH}/{category['id']}", json={"name": "B"}).json()["name"] == "B"
    assert reader.get(f"{PATH}/{category['id']}").json()["name"] == "B"
    error_details(reader.delete(f"{PATH}/{category['id']}"), 403, "insufficient_scope")
    assert writer.delete(f"{PATH}/{category['id']}").status_code == 204
    other = v1_client(http, tenant.account_id, client, "parts:read")
    error_details(other.get(PATH), 403, "insufficient_scope")
