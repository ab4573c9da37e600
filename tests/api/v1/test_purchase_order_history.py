"""/v1/purchaseOrders: custom fields (/api/v2's ``customFieldsPO``, the same rows), update messages
(``/updates``) and the receipt history (``/receipts``: the inventory ledger's rows of the order)."""

from __future__ import annotations

from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import Role
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, error_details, service_client, site_client, v1_client

CUSTOM_KEYS = {"id", "definition", "name", "value", "unit", "createdAt", "updatedAt"}


def _part(api: V1, name: str = "Filter", **body: object) -> str:
    created = api.post("/parts", json={"name": name, "cost": 2.5, "quantity": 1, **body})
    assert created.status_code == 201, created.text
    part_id: str = created.json()["id"]
    return part_id


def _field(response: object, status: int = 400) -> str:
    return str(error_details(response, status, "invalid_request")["field"])


# ------------------------------------------------------------------------------------------ custom fields


def test_custom_fields_are_shown_written_and_shared_with_api_v2(admin: V1, tenant: Tenant) -> None:
    created = admin.post(
        "/purchaseOrders",
        json={"title": "Filters", "customFields": [{"name": "SAP", "value": "110-235"}, {"name": "Floor"}]},
    )
    assert created.status_code == 201, created.text
    order = created.json()
    by_name = {f["name"]: f for f in order["customFields"]}
    sap, floor = by_name["SAP"], by_name["Floor"]
    assert set(sap) == CUSTOM_KEYS and sap["definition"] is None
    assert (sap["value"], sap["unit"], floor["value"]) == ("110-235", None, None)
    # /api/v2 sees the same rows (customFieldsPO) and what it writes /v1 shows (oldest first: after them).
    v2 = tenant.admin.get(f"/purchase-orders/{order['id']}").json()["result"]
    assert {(f["id"], f["name"], f["value"]) for f in v2["customFieldsPO"]} == {
        (sap["id"], "SAP", "110-235"),
        (floor["id"], "Floor", None),
    }
    changed = tenant.admin.patch(
        f"/purchase-orders/{order['id']}", json={"customFieldsPO": [{"name": "Group", "value": "3937", "unit": "g"}]}
    )
    assert changed.status_code == 200, changed.text
    shown = admin.get(f"/purchaseOrders/{order['id']}").json()["customFields"]
    assert (shown[-1]["name"], shown[-1]["value"], shown[-1]["unit"]) == ("Group", "3937", "g")
    assert len(shown) == 3
    # PATCH on /v1: by id, by name, or new; the fields it does not name stay; /api/v2 sees it.
    patched = admin.patch(
        f"/purchaseOrders/{order['id']}",
        json={"customFields": [{"id": sap["id"], "value": "999"}, {"name": "Floor", "value": "2nd"}, {"name": "New"}]},
    )
    assert patched.status_code == 200, patched.text
    values = {f["name"]: f["value"] for f in patched.json()["customFields"]}
    assert values == {"SAP": "999", "Floor": "2nd", "Group": "3937", "New": None}
    v2 = tenant.admin.get(f"/purchase-orders/{order['id']}").json()["result"]
    assert {f["name"]: f["value"] for f in v2["customFieldsPO"]} == values
    # An item read back is taken as it is; null changes nothing; the list shows the fields too.
    assert admin.patch(f"/purchaseOrders/{order['id']}", json={"customFields": [shown[0]]}).status_code == 200
    assert admin.patch(f"/purchaseOrders/{order['id']}", json={"customFields": None}).status_code == 200
    listed = admin.get("/purchaseOrders").json()["items"]
    assert {f["name"] for f in listed[0]["customFields"]} == {"SAP", "Floor", "Group", "New"}


def test_one_custom_field_listed_changed_and_removed(admin: V1, tenant: Tenant) -> None:
    order = admin.post("/purchaseOrders", json={"title": "A", "customFields": [{"name": "Floor", "value": "1"}]}).json()
    [field] = order["customFields"]
    base = f"/purchaseOrders/{order['id']}/customFields"
    assert admin.get(base).json() == {"count": 1, "items": [field], "nextCursor": None}
    changed = admin.patch(f"{base}/{field['id']}", json={"value": "2", "unit": "floor"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["name"], changed.json()["value"], changed.json()["unit"]) == ("Floor", "2", "floor")
    assert set(changed.json()) == CUSTOM_KEYS
    v2 = tenant.admin.get(f"/purchase-orders/{order['id']}/custom-fields/{field['id']}").json()["result"]
    assert (v2["value"], v2["unit"]) == ("2", "floor")
    assert _field(admin.patch(f"{base}/{field['id']}", json={"name": None})) == "name"
    assert _field(admin.patch(f"{base}/{field['id']}", json={"unit": "x" * 101})) == "unit"
    assert admin.delete(f"{base}/{field['id']}").status_code == 204
    assert admin.get(base).json()["count"] == 0
    error_details(admin.patch(f"{base}/{field['id']}", json={"value": "3"}), 404, "not_found")
    error_details(admin.get(base, params={"page": 2}), 400, "invalid_request")


def test_custom_field_validation_names_the_item(admin: V1) -> None:
    def post(*items: object) -> object:
        return admin.post("/purchaseOrders", json={"title": "A", "customFields": list(items)})

    assert _field(post({"name": "A"}, {"value": "1"})) == "customFields[1].name"
    assert _field(post({"name": " "})) == "customFields[0].name"
    assert _field(post({"name": "A", "colour": "red"})) == "customFields[0].colour"
    assert _field(post({"name": "A", "value": ["x"]})) == "customFields[0].value"
    assert _field(post({"name": "x" * 201})) == "customFields[0].name"
    assert _field(post({"definition": "abc", "value": "1"})) == "customFields[0].definition"
    assert _field(post({"id": "nope", "value": "1"})) == "customFields[0].id"
    assert _field(admin.post("/purchaseOrders", json={"title": "A", "customFields": "x"})) == "customFields"
    assert admin.get("/purchaseOrders").json()["count"] == 0


# ------------------------------------------------------------------------------------------ update messages


def test_update_messages_added_and_paged(admin: V1, tenant: Tenant) -> None:
    order = admin.post("/purchaseOrders", json={"title": "A"}).json()
    path = f"/purchaseOrders/{order['id']}/updates"
    assert admin.get(path).json() == {"count": 0, "items": [], "nextCursor": None}
    added = admin.post(path, json={"text": "Ordered by phone"})
    assert added.status_code == 201, added.text
    message = added.json()
    assert set(message) == {"id", "text", "createdBy", "createdAt"}
    assert (message["text"], message["createdBy"]) == ("Ordered by phone", admin.user_id)
    # /api/v2 adds one too, and shows both.
    v2_added = tenant.admin.post(f"/purchase-orders/{order['id']}/update-messages", json={"text": "Will ship Monday"})
    assert v2_added.status_code == 200, v2_added.text
    listed = admin.get(path).json()
    assert listed["count"] == 2 and [m["text"] for m in listed["items"]] == ["Ordered by phone", "Will ship Monday"]
    assert listed["items"][0] == message
    v2 = tenant.admin.get(f"/purchase-orders/{order['id']}").json()["result"]
    assert v2["arrayOfUpdateItems"] == [m["id"] for m in listed["items"]]
    newest = admin.get(path, params={"sort": "-createdAt", "limit": 1}).json()
    assert [m["text"] for m in newest["items"]] == ["Will ship Monday"] and newest["nextCursor"]
    rest = admin.get(path, params={"sort": "-createdAt", "limit": 1, "cursor": newest["nextCursor"]}).json()
    assert [m["text"] for m in rest["items"]] == ["Ordered by phone"]
    assert admin.get(path, params={"search": "monday"}).json()["count"] == 1
    assert admin.get(path, params={"createdBy": admin.user_id}).json()["count"] == 2  # /api/v2's admin is the same
    assert admin.get(path, params={"createdBy": "someone"}).json()["count"] == 0


def test_update_message_validation_names_the_field(admin: V1) -> None:
    order = admin.post("/purchaseOrders", json={"title": "A"}).json()
    path = f"/purchaseOrders/{order['id']}/updates"
    assert _field(admin.post(path, json={})) == "text"
    assert _field(admin.post(path, json={"text": None})) == "text"
    assert _field(admin.post(path, json={"text": "  "})) == "text"
    assert _field(admin.post(path, json={"text": ["x"]})) == "text"
    assert _field(admin.post(path, json={"text": "x" * 100_001})) == "text"
    assert _field(admin.post(path, json={"text": "x", "extra": 1})) == "extra"
    assert _field(admin.get(path, params={"sort": "text"})) == "sort"
    assert _field(admin.get(path, params={"sites": "x"})) == "sites"
    assert admin.get(path).json()["count"] == 0


# ------------------------------------------------------------------------------------------ receipts


def test_receipts_record_who_when_which_part_and_how_many(admin: V1) -> None:
    filters, bolts = _part(admin), _part(admin, "Bolts")
    order = admin.post(
        "/purchaseOrders",
        json={"title": "A", "parts": [{"id": filters, "quantity": 4}, {"id": bolts, "quantity": 10}]},
    ).json()
    path = f"/purchaseOrders/{order['id']}/receipts"
    assert admin.get(path).json() == {"count": 0, "items": [], "nextCursor": None}
    admin.post(f"/purchaseOrders/{order['id']}/approve")
    first = admin.post(f"/purchaseOrders/{order['id']}/fulfil", json={"receipt": {filters: 1, bolts: 3}})
    assert first.json()["status"] == "partially-fulfilled", first.text
    second = admin.post(f"/purchaseOrders/{order['id']}/fulfil", json={"receipt": {filters: 2}})
    assert second.json()["status"] == "partially-fulfilled", second.text
    assert admin.post(f"/purchaseOrders/{order['id']}/fulfil").json()["status"] == "fulfilled"
    listed = admin.get(path).json()
    assert listed["count"] == 5
    item = listed["items"][0]
    assert set(item) == {"id", "part", "quantity", "receivedBy", "receivedAt"}
    assert {i["receivedBy"] for i in listed["items"]} == {admin.user_id}
    received = sorted((i["part"], i["quantity"]) for i in listed["items"])
    assert received == sorted([(filters, 1), (bolts, 3), (filters, 2), (filters, 1), (bolts, 7)])
    # The totals agree with the lines; the same rows are the parts' ledgers (reason purchase_order).
    lines = {line["id"]: line["received"] for line in admin.get(f"/purchaseOrders/{order['id']}").json()["parts"]}
    assert lines == {filters: 4, bolts: 10}
    ledger = admin.get(f"/parts/{filters}/ledger", params={"reason": "purchase_order"}).json()["items"]
    assert {m["id"] for m in ledger} == {i["id"] for i in listed["items"] if i["part"] == filters}
    assert [i["receivedAt"] for i in listed["items"]] == sorted(i["receivedAt"] for i in listed["items"])
    # Filters, sort and pages.
    assert admin.get(path, params={"part": bolts}).json()["count"] == 2
    assert admin.get(path, params={"receivedBy": admin.user_id}).json()["count"] == 5
    page = admin.get(path, params={"limit": 2, "sort": "-receivedAt"}).json()
    assert len(page["items"]) == 2 and page["nextCursor"]
    rest = admin.get(path, params={"limit": 5, "sort": "-receivedAt", "cursor": page["nextCursor"]}).json()
    assert {i["id"] for i in page["items"]} | {i["id"] for i in rest["items"]} == {i["id"] for i in listed["items"]}
    assert _field(admin.get(path, params={"sort": "quantity"})) == "sort"
    assert _field(admin.get(path, params={"limit": "x"})) == "limit"
    assert _field(admin.get(path, params={"sites": "x"})) == "sites"


# ------------------------------------------------------------------------------------------ tenancy and roles


def test_another_accounts_order_is_404(admin: V1, other_tenant: Tenant) -> None:
    theirs = other_tenant.admin.post(
        "/purchase-orders", json={"title": "Theirs", "customFieldsPO": [{"name": "Floor", "value": "1"}]}
    ).json()["result"]
    field_id = theirs["customFieldsPO"][0]["id"]
    base = f"/purchaseOrders/{theirs['id']}"
    for response in (
        admin.get(f"{base}/customFields"),
        admin.patch(f"{base}/customFields/{field_id}", json={"value": "2"}),
        admin.delete(f"{base}/customFields/{field_id}"),
        admin.get(f"{base}/updates"),
        admin.post(f"{base}/updates", json={"text": "Mine"}),
        admin.get(f"{base}/receipts"),
        admin.get("/purchaseOrders/nope/receipts"),
    ):
        error_details(response, 404, "not_found")
    mine = admin.post("/purchaseOrders", json={"title": "Mine"}).json()
    error_details(
        admin.patch(f"/purchaseOrders/{mine['id']}/customFields/{field_id}", json={"value": "2"}), 404, "not_found"
    )
    v2 = other_tenant.admin.get(f"/purchase-orders/{theirs['id']}").json()["result"]
    assert v2["arrayOfUpdateItems"] == [] and v2["customFieldsPO"][0]["value"] == "1"


def test_view_only_reads_and_scopes_refuse(admin: V1, http: TestClient, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux")
    order = admin.post("/purchaseOrders", json={"title": "A", "customFields": [{"name": "Floor"}]}).json()
    field_id = order["customFields"][0]["id"]
    base = f"/purchaseOrders/{order['id']}"
    admin.post(f"{base}/updates", json={"text": "Hi"})
    viewer = site_client(http, db, tenant.account_id, site, role=Role.VIEW_ONLY)
    assert viewer.get(f"{base}/updates").json()["count"] == 1
    assert viewer.get(f"{base}/receipts").json()["count"] == 0
    assert viewer.get(f"{base}/customFields").json()["count"] == 1
    error_details(viewer.post(f"{base}/updates", json={"text": "x"}), 403, "forbidden")
    error_details(viewer.patch(f"{base}/customFields/{field_id}", json={"value": "x"}), 403, "forbidden")
    error_details(viewer.delete(f"{base}/customFields/{field_id}"), 403, "forbidden")
    error_details(viewer.patch(base, json={"customFields": [{"name": "x"}]}), 403, "forbidden")
    staff = site_client(http, db, tenant.account_id, site, role=Role.STAFF)
    assert staff.post(f"{base}/updates", json={"text": "On it"}).status_code == 201
    # A client whose token carries only purchaseOrders:read reads and cannot write.
    client = service_client(db, tenant.account_id, role=Role.ADMIN, scopes=("purchaseOrders:read",))
    reader = v1_client(http, tenant.account_id, client)
    assert reader.get(f"{base}/updates").json()["count"] == 2
    error_details(reader.post(f"{base}/updates", json={"text": "x"}), 403, "insufficient_scope")
    error_details(reader.patch(f"{base}/customFields/{field_id}", json={"value": "x"}), 403, "insufficient_scope")
    parts_only = v1_client(http, tenant.account_id, service_client(db, tenant.account_id, scopes=("parts:read",)))
    error_details(parts_only.get(f"{base}/receipts"), 403, "insufficient_scope")
