"""/purchase-orders and /purchase-order-categories as UpKeep documents them: fields, part lines, the
workflow, partial fulfilment, inventory on receipt, update messages, custom fields, categories."""

from __future__ import annotations

from typing import Any

import orjson
import pytest
from sqlalchemy import func, select

from premises.api.upkeep.webhooks import UpkeepWebhooks
from premises.models import Event
from premises.webhook.dialects import EventView
from tests.api.upkeep.test_parts import create_part, error, ledger, ok, quantity_of
from tests.support.client import Tenant, UpKeep

SEED_PO = {
    "title": "Power dice shortage",
    "description": "Small dice model 5",
    "dueDate": "2018-06-30",
    "poDate": "2018-06-28",
    "tax": 12,
    "shippingCost": 120,
    "otherCost": 1300,
    "requisitioner": "Mark Boucher",
    "shippingMethod": "Ground",
    "fobPoint": "184.83",
    "terms": "T & C apply",
    "notes": "Recomended by engineering team",
    "companyName": "AB Inc",
    "companySlogan": "Time is money",
    "companyStreet": "23 Chester Evenue",
    "purchaseOrderNumber": 100,
    "companyCity": "Los Angeles",
    "companyState": "California",
    "companyZip": "90224",
    "companyPhone": "+1 888-452-1505",
    "companyFax": "+1 333-452-1505",
    "shippingName": "Mr VC Ness",
    "shippingCompany": "DMR Dice suppliers",
    "shippingStreet": "345 PVN Mart",
    "shippingCity": "Los Angeles",
    "shippingState": "California",
    "shippingZip": "90224",
    "shippingPhone": "+1 222-452-1505",
    "shippingFax": "+1 123-452-1505",
    "category": "Electrical",
    "customFieldsPO": [{"name": "SAPPONumber", "value": "110-235"}],
}
# The order of UpKeep's object (the seed's, with every stamp shown).
KEYS = [
    "id",
    "createdByUser",
    "title",
    "description",
    "status",
    "approvedAt",
    "approvedByUser",
    "declinedAt",
    "declinedByUser",
    "fulfilledAt",
    "fulfilledByUser",
    "poDate",
    "dueDate",
    "vendor",
    "parts",
    "partQuantities",
    "partsPendingQuantities",
    "partialFulfillHistory",
    "totalQuantity",
    "totalCost",
    *(k for k in SEED_PO if k not in ("title", "description", "dueDate", "poDate", "category", "customFieldsPO")),
]
KEYS.remove("purchaseOrderNumber")
KEYS.append("purchaseOrderNumber")  # the response shows it after shippingFax
PARTIAL = "partially-fulfilled"


def category(client: UpKeep, name: str = "Electrical") -> dict[str, Any]:
    result: dict[str, Any] = ok(client.post("/purchase-order-categories", json={"name": name}))
    return result


def vendor(client: UpKeep) -> str:
    result: str = ok(client.post("/vendors", json={"businessName": "IPS Dice"}))["id"]
    return result


def purchase_order(client: UpKeep, **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = ok(client.post("/purchase-orders", json={"title": "Filters", **fields}))
    return result


def approved(client: UpKeep, part_id: str, quantity: int = 5) -> dict[str, Any]:
    order = purchase_order(client, parts=[{"id": part_id, "quantity": quantity}])
    return ok(client.patch(f"/purchase-orders/{order['id']}", json={"status": "approved"}))  # type: ignore[no-any-return]


def receive(client: UpKeep, order_id: str, received: Any) -> Any:
    return client.patch(f"/purchase-orders/{order_id}", json={"partsReceived": received, "statusAction": PARTIAL})


# ------------------------------------------------------------------------------------------ purchase orders


class TestCrud:
    def test_create_as_documented(self, tenant: Tenant) -> None:
        category(tenant.admin)
        part = create_part(tenant.admin, name="Power dice", cost=12)
        supplier = vendor(tenant.admin)
        body = {**SEED_PO, "parts": [{"id": part["id"], "quantity": 5}], "vendor": supplier}
        order = ok(tenant.admin.post("/purchase-orders", json=body))
        assert list(order)[: len(KEYS)] == KEYS
        assert list(order)[len(KEYS) :] == [
            "category",
            "arrayOfUpdateItems",
            "customFieldsPO",
            "createdAt",
            "updatedAt",
        ]
        assert (order["status"], order["createdByUser"], order["vendor"]) == (
            "awaiting",
            tenant.admin.user_id,
            supplier,
        )
        assert (order["poDate"], order["dueDate"]) == ("2018-06-28T00:00:00.000Z", "2018-06-30T00:00:00.000Z")
        assert (order["parts"], order["partQuantities"]) == ([part["id"]], [5])
        assert order["partsPendingQuantities"] == {part["id"]: 5}
        assert (order["partialFulfillHistory"], order["totalQuantity"], order["totalCost"]) == ([], 5, 60)
        assert (order["tax"], order["shippingCost"], order["otherCost"]) == (12, 120, 1300)
        for key, value in SEED_PO.items():
            if key not in ("dueDate", "poDate", "customFieldsPO"):
                assert order[key] == value, key
        for stamp in ("approvedAt", "approvedByUser", "declinedAt", "declinedByUser", "fulfilledAt", "fulfilledByUser"):
            assert order[stamp] is None
        [field] = order["customFieldsPO"]
        assert list(field) == ["id", "name", "value", "unit", "purchaseOrder", "user", "createdAt", "updatedAt"]
        assert (field["name"], field["value"], field["purchaseOrder"], field["user"]) == (
            "SAPPONumber",
            "110-235",
            order["id"],
            tenant.admin.user_id,
        )
        assert order["arrayOfUpdateItems"] == []
        assert order["createdAt"].endswith("Z")
        assert ok(tenant.admin.get(f"/purchase-orders/{order['id']}")) == order

    def test_numbers_come_from_the_account_sequence_unless_given(self, tenant: Tenant, other_tenant: Tenant) -> None:
        first, second = purchase_order(tenant.admin), purchase_order(tenant.admin)
        custom = purchase_order(tenant.admin, purchaseOrderNumber=100)
        third = purchase_order(tenant.admin)
        assert [o["purchaseOrderNumber"] for o in (first, second, custom, third)] == [1, 2, 100, 3]
        assert purchase_order(other_tenant.admin)["purchaseOrderNumber"] == 1

    def test_a_date_with_a_time_is_its_day(self, tenant: Tenant) -> None:
        order = purchase_order(tenant.admin, dueDate="2018-06-30T17:45:00Z", poDate=1530403200000 + 3600_000)
        assert (order["dueDate"], order["poDate"]) == ("2018-06-30T00:00:00.000Z", "2018-07-01T00:00:00.000Z")

    def test_update_and_parts_replace_every_line(self, tenant: Tenant) -> None:
        belt, filter_ = create_part(tenant.admin, name="Belt", cost=2.5), create_part(tenant.admin, name="Filter")
        order = purchase_order(tenant.admin, parts=[{"id": belt["id"], "quantity": 2}])
        changed = ok(
            tenant.admin.patch(
                f"/purchase-orders/{order['id']}",
                json={
                    "title": "Belts and filters",
                    "notes": None,
                    "parts": [{"id": filter_["id"], "quantity": 3}, {"id": belt["id"], "quantity": 4}],
                },
            )
        )
        assert changed["title"] == "Belts and filters"
        assert (changed["parts"], changed["partQuantities"]) == ([filter_["id"], belt["id"]], [3, 4])
        assert (changed["totalQuantity"], changed["totalCost"]) == (7, 10)
        assert changed["updatedAt"] >= order["updatedAt"]

    def test_custom_fields_are_added_never_removed_by_update(self, tenant: Tenant) -> None:
        order = purchase_order(tenant.admin, customFieldsPO=[{"name": "SAPPONumber", "value": "110-235"}])
        changed = ok(
            tenant.admin.patch(
                f"/purchase-orders/{order['id']}",
                json={"status": "approved", "customFieldsPO": [{"name": "SAPPurchaseGroup", "value": "3937"}]},
            )
        )
        assert [f["name"] for f in changed["customFieldsPO"]] == ["SAPPurchaseGroup", "SAPPONumber"]
        kept = ok(tenant.admin.patch(f"/purchase-orders/{order['id']}", json={"customFieldsPO": None}))
        assert len(kept["customFieldsPO"]) == 2

    def test_delete(self, tenant: Tenant) -> None:
        order = purchase_order(tenant.admin)
        assert ok(tenant.admin.delete(f"/purchase-orders/{order['id']}")) == "1 Purchase Order deleted"
        assert error(tenant.admin.get(f"/purchase-orders/{order['id']}"), 404) == "purchase order not found"
        assert error(tenant.admin.delete(f"/purchase-orders/{order['id']}"), 404) == "purchase order not found"
        assert ok(tenant.admin.get("/purchase-orders")) == []


class TestValidation:
    def test_bad_bodies_name_the_field(self, tenant: Tenant) -> None:
        part = create_part(tenant.admin)
        admin = tenant.admin
        assert error(admin.post("/purchase-orders", json={})) == "title cannot be null"
        assert error(admin.post("/purchase-orders", json={"title": " "})) == "title cannot be null"
        assert error(admin.post("/purchase-orders", json={"title": "x", "category": "Nope"})) == (
            "category Nope is not one of the account's purchase order categories"
        )
        assert error(admin.post("/purchase-orders", json={"title": "x", "vendor": "nope"})) == "vendor nope not found"
        assert error(admin.post("/purchase-orders", json={"title": "x", "parts": [{"id": part["id"]}]})) == (
            "parts[0].quantity cannot be null"
        )
        assert error(admin.post("/purchase-orders", json={"title": "x", "parts": [{"quantity": 1}]})) == (
            "parts[0].id cannot be null"
        )
        assert error(admin.post("/purchase-orders", json={"title": "x", "parts": [{"id": "nope", "quantity": 1}]})) == (
            "parts[0].id nope not found"
        )
        assert error(
            admin.post("/purchase-orders", json={"title": "x", "parts": [{"id": part["id"], "quantity": 0}]})
        ) == ("parts[0].quantity is out of range")
        assert error(admin.post("/purchase-orders", json={"title": "x", "tax": -1})) == "tax must not be negative"
        for number in (-1, 2**53, -(2**63)):
            assert error(admin.post("/purchase-orders", json={"title": "x", "purchaseOrderNumber": number})) == (
                "purchaseOrderNumber is out of range"
            )
        assert "dueDate" in error(admin.post("/purchase-orders", json={"title": "x", "dueDate": "soon"}))
        assert error(admin.post("/purchase-orders", json={"title": "x", "colour": "red"})) == "colour not in schema"
        order = purchase_order(admin)
        assert error(admin.patch(f"/purchase-orders/{order['id']}", json={"title": None})) == "title cannot be null"
        assert "status" in error(admin.patch(f"/purchase-orders/{order['id']}", json={"status": "lost"}))

    def test_workflow_refuses_what_it_does_not_allow(self, tenant: Tenant) -> None:
        order = purchase_order(tenant.admin)
        path = f"/purchase-orders/{order['id']}"
        assert error(tenant.admin.patch(path, json={"status": "fulfilled"})) == (
            "purchase order cannot change from awaiting to fulfilled"
        )
        ok(tenant.admin.patch(path, json={"status": "approved"}))
        ok(tenant.admin.patch(path, json={"status": "fulfilled"}))
        assert error(tenant.admin.patch(path, json={"status": "awaiting"})) == (
            "purchase order cannot change from fulfilled to awaiting"
        )


class TestWorkflow:
    def test_approve_and_decline_stamp_who_and_when(self, tenant: Tenant) -> None:
        order = purchase_order(tenant.admin)
        path = f"/purchase-orders/{order['id']}"
        decided = ok(tenant.admin.patch(path, json={"status": "approved"}))
        assert (decided["status"], decided["approvedByUser"]) == ("approved", tenant.admin.user_id)
        assert decided["approvedAt"].endswith("Z") and decided["declinedAt"] is None
        declined = ok(tenant.admin.patch(path, json={"status": "declined"}))
        assert (declined["declinedByUser"], declined["approvedAt"], declined["approvedByUser"]) == (
            tenant.admin.user_id,
            None,
            None,
        )
        reopened = ok(tenant.admin.patch(path, json={"status": "awaiting"}))
        assert (reopened["status"], reopened["declinedAt"]) == ("awaiting", None)

    def test_only_roles_that_approve_decide(self, tenant: Tenant) -> None:
        tech = tenant.as_role("TECH")
        order = purchase_order(tech)
        path = f"/purchase-orders/{order['id']}"
        assert error(tech.patch(path, json={"status": "approved"}), 403) == "TECH users may not approve purchase orders"
        assert error(tech.patch(path, json={"status": "declined"}), 403) == "TECH users may not approve purchase orders"
        ok(tenant.admin.patch(path, json={"status": "approved"}))
        assert ok(tech.patch(path, json={"status": "fulfilled"}))["fulfilledByUser"] == tech.user_id

    def test_fulfilment_increases_inventory_through_the_ledger(self, tenant: Tenant) -> None:
        part = create_part(tenant.admin, quantity=2)
        order = approved(tenant.admin, part["id"], 5)
        done = ok(tenant.admin.patch(f"/purchase-orders/{order['id']}", json={"status": "fulfilled"}))
        assert (done["status"], done["fulfilledByUser"]) == ("fulfilled", tenant.admin.user_id)
        assert done["fulfilledAt"].endswith("Z") and done["partsPendingQuantities"] == {part["id"]: 0}
        assert quantity_of(tenant.admin, part["id"]) == "7"
        move = ledger(tenant.admin, part["id"])[0]  # newest first
        assert (move["change"], move["quantity"], move["reason"], move["sourceType"], move["source"]) == (
            5,
            7,
            "purchase_order",
            "purchase_order",
            order["id"],
        )
        # Fulfilling again changes nothing.
        ok(tenant.admin.patch(f"/purchase-orders/{order['id']}", json={"status": "fulfilled"}))
        assert quantity_of(tenant.admin, part["id"]) == "7"

    def test_partial_fulfilment_as_documented(self, tenant: Tenant) -> None:
        part, other = create_part(tenant.admin), create_part(tenant.admin, name="Belt")
        order = purchase_order(
            tenant.admin, parts=[{"id": part["id"], "quantity": 5}, {"id": other["id"], "quantity": 1}]
        )
        ok(tenant.admin.patch(f"/purchase-orders/{order['id']}", json={"status": "approved"}))
        first = ok(receive(tenant.admin, order["id"], {part["id"]: 3}))
        assert first["status"] == PARTIAL and first["fulfilledAt"] is None
        assert first["partsPendingQuantities"] == {part["id"]: 2, other["id"]: 1}
        [entry] = first["partialFulfillHistory"]
        assert list(entry) == ["timestamp", "user", "received"]
        assert (entry["user"], entry["received"]) == (tenant.admin.user_id, {part["id"]: 3})
        assert quantity_of(tenant.admin, part["id"]) == "3"
        last = ok(receive(tenant.admin, order["id"], {part["id"]: 2, other["id"]: 1}))
        assert (last["status"], last["fulfilledByUser"]) == ("fulfilled", tenant.admin.user_id)
        assert last["partsPendingQuantities"] == {part["id"]: 0, other["id"]: 0}
        assert len(last["partialFulfillHistory"]) == 2
        assert (quantity_of(tenant.admin, part["id"]), quantity_of(tenant.admin, other["id"])) == ("5", "1")

    def test_partial_fulfilment_errors_are_the_documented_ones(self, tenant: Tenant) -> None:
        part = create_part(tenant.admin)
        order = purchase_order(tenant.admin, parts=[{"id": part["id"], "quantity": 5}])
        values = "Invalid partial-fulfill values; should be valid positive numbers"
        status = "Can partially-fulfill only if status is approved or partially-fulfilled."
        pending = "Invalid partial-fulfillment values - should not be more than pending quantities"
        assert error(receive(tenant.admin, order["id"], {part["id"]: 1})) == status
        ok(tenant.admin.patch(f"/purchase-orders/{order['id']}", json={"status": "approved"}))
        for bad in (0, -1, 1.5, "x", None, [1]):
            assert error(receive(tenant.admin, order["id"], {part["id"]: bad})) == values, bad
        assert error(receive(tenant.admin, order["id"], {})) == values
        assert error(receive(tenant.admin, order["id"], {part["id"]: 6})) == pending
        assert error(receive(tenant.admin, order["id"], {"nope": 1})) == pending
        assert error(receive(tenant.admin, order["id"], "x")) == "partsReceived must be an object"
        path = f"/purchase-orders/{order['id']}"
        assert error(tenant.admin.patch(path, json={"statusAction": PARTIAL})) == "partsReceived cannot be null"
        assert error(tenant.admin.patch(path, json={"partsReceived": {part["id"]: 1}})) == "statusAction cannot be null"
        assert "statusAction" in error(tenant.admin.patch(path, json={"partsReceived": {}, "statusAction": "x"}))
        assert quantity_of(tenant.admin, part["id"]) == "0"
        ok(receive(tenant.admin, order["id"], {part["id"]: 1}))
        assert error(tenant.admin.patch(path, json={"parts": [{"id": part["id"], "quantity": 9}]})) == (
            "parts cannot change once parts were received"
        )
        assert error(tenant.admin.patch(path, json={"status": "awaiting"})) == (
            f"purchase order cannot change from {PARTIAL} to awaiting"
        )

    def test_viewers_may_not_receive(self, tenant: Tenant) -> None:
        part = create_part(tenant.admin)
        order = approved(tenant.admin, part["id"])
        view = tenant.as_role("VIEW_ONLY")
        assert (
            error(receive(view, order["id"], {part["id"]: 1}), 403) == "VIEW_ONLY users may not update purchase orders"
        )


class TestListing:
    def test_filters_ranges_and_order(self, tenant: Tenant) -> None:
        category(tenant.admin)
        supplier = vendor(tenant.admin)
        first = purchase_order(tenant.admin, title="A", dueDate="2020-09-01", category="Electrical")
        second = purchase_order(
            tenant.admin,
            title="B",
            dueDate="2020-09-10",
            vendor=supplier,
            customFieldsPO=[{"name": "SAP", "value": "1"}],
        )
        ok(tenant.admin.patch(f"/purchase-orders/{second['id']}", json={"status": "approved"}))

        def ids(**params: Any) -> list[str]:
            return [o["id"] for o in ok(tenant.admin.get("/purchase-orders", params=params))]

        assert ids() == [second["id"], first["id"]]
        assert ids(orderBy="dueDate ASC") == [first["id"], second["id"]]
        assert ids(title="A") == [first["id"]]
        assert ids(status="approved") == [second["id"]]
        assert ids(vendor=supplier) == [second["id"]]
        assert ids(category="Electrical") == [first["id"]]
        assert ids(createdByUser=tenant.admin.user_id) == [second["id"], first["id"]]
        assert ids(**{"customFieldsPO[name]": "SAP", "customFieldsPO[value]": "1"}) == [second["id"]]
        assert ids(dueDateGreaterThan=1599000000000) == [second["id"]]  # 2020-09-01T22:40Z
        assert ids(approvedAtGreaterThanOrEqualTo=0) == [second["id"]]
        assert ids(declinedAtGreaterThan=0) == []
        assert ids(limit=1, offset=1) == [first["id"]]
        assert error(tenant.admin.get("/purchase-orders", params={"colour": "red"})) == "invalid filter key: colour"

    def test_list_objects_and_includes(self, tenant: Tenant) -> None:
        part = create_part(tenant.admin, cost=2)
        supplier = vendor(tenant.admin)
        order = purchase_order(tenant.admin, parts=[{"id": part["id"], "quantity": 3}], vendor=supplier)
        [listed] = ok(tenant.admin.get("/purchase-orders", params={"includes": "vendor,createdByUser"}))
        assert (listed["totalQuantity"], listed["totalCost"], listed["partsPendingQuantities"]) == (
            3,
            6,
            {part["id"]: 3},
        )
        assert "arrayOfUpdateItems" not in listed
        assert listed["vendor"]["id"] == supplier and listed["createdByUser"]["id"] == tenant.admin.user_id
        got = ok(tenant.admin.get(f"/purchase-orders/{order['id']}", params={"includes": "parts"}))
        assert got["parts"][0]["id"] == part["id"]
        assert error(tenant.admin.get(f"/purchase-orders/{order['id']}", params={"includes": "nope"})) == (
            "invalid includes value: nope"
        )


class TestUpdateMessagesAndCustomFields:
    def test_update_messages(self, tenant: Tenant) -> None:
        order = purchase_order(tenant.admin)
        path = f"/purchase-orders/{order['id']}"
        assert ok(tenant.admin.post(f"{path}/update-messages", json={"text": "Will be delivered soon"})) == (
            "update message added"
        )
        [message_id] = ok(tenant.admin.get(path))["arrayOfUpdateItems"]
        [message] = ok(tenant.admin.get(path, params={"includes": "arrayOfUpdateItems"}))["arrayOfUpdateItems"]
        assert (message["id"], message["text"], message["createdByUser"]) == (
            message_id,
            "Will be delivered soon",
            tenant.admin.user_id,
        )
        assert error(tenant.admin.post(f"{path}/update-messages", json={})) == "text cannot be null"
        assert error(tenant.admin.post(f"{path}/update-messages", json={"text": " "})) == "text cannot be null"
        view = tenant.as_role("VIEW_ONLY")
        assert error(view.post(f"{path}/update-messages", json={"text": "x"}), 403) == (
            "VIEW_ONLY users may not update purchase orders"
        )

    def test_one_custom_field(self, tenant: Tenant, other_tenant: Tenant) -> None:
        order = purchase_order(tenant.admin, customFieldsPO=[{"name": "Floor", "value": "1st"}])
        [field] = order["customFieldsPO"]
        path = f"/purchase-orders/{order['id']}/custom-fields/{field['id']}"
        assert ok(tenant.admin.get(path)) == field
        changed = ok(tenant.admin.patch(path, json={"value": "2nd", "unit": "floor"}))
        assert (changed["name"], changed["value"], changed["unit"]) == ("Floor", "2nd", "floor")
        assert error(other_tenant.admin.get(path), 404) == "purchase order not found"
        assert error(tenant.as_role("VIEW_ONLY").patch(path, json={"value": "x"}), 403) == (
            "VIEW_ONLY users may not update purchase orders"
        )
        assert ok(tenant.admin.delete(path)) == "1 custom field deleted"
        assert error(tenant.admin.get(path), 404) == "custom field not found"
        assert ok(tenant.admin.get(f"/purchase-orders/{order['id']}"))["customFieldsPO"] == []


class TestAccess:
    def test_other_account_sees_nothing(self, tenant: Tenant, other_tenant: Tenant) -> None:
        part = create_part(tenant.admin)
        order = purchase_order(tenant.admin, parts=[{"id": part["id"], "quantity": 1}])
        path = f"/purchase-orders/{order['id']}"
        other = other_tenant.admin
        assert error(other.get(path), 404) == "purchase order not found"
        assert error(other.patch(path, json={"title": "x"}), 404) == "purchase order not found"
        assert error(other.delete(path), 404) == "purchase order not found"
        assert error(other.post(f"{path}/update-messages", json={"text": "x"}), 404) == "purchase order not found"
        assert ok(other.get("/purchase-orders")) == []
        assert error(
            other.post("/purchase-orders", json={"title": "x", "parts": [{"id": part["id"], "quantity": 1}]})
        ) == (f"parts[0].id {part['id']} not found")
        electrical = category(tenant.admin)
        assert error(other.get(f"/purchase-order-categories/{electrical['id']}"), 404) == (
            "purchase order category not found"
        )
        assert error(other.patch(f"/purchase-order-categoriess/{electrical['id']}", json={"name": "x"}), 404) == (
            "purchase order category not found"
        )

    @pytest.mark.parametrize("role", ["REQUESTER"])
    def test_weaker_roles_are_refused(self, tenant: Tenant, role: str) -> None:
        me = tenant.as_role(role)
        assert error(me.get("/purchase-orders"), 403) == f"{role} users may not read purchase orders"
        assert (
            error(me.post("/purchase-orders", json={"title": "x"}), 403)
            == f"{role} users may not create purchase orders"
        )
        assert error(tenant.as_role("TECH").delete(f"/purchase-orders/{purchase_order(tenant.admin)['id']}"), 403) == (
            "TECH users may not delete purchase orders"
        )
        assert (
            error(me.get("/purchase-order-categories"), 403) == f"{role} users may not read purchase order categories"
        )
        assert error(tenant.as_role("TECH").post("/purchase-order-categories", json={"name": "x"}), 403) == (
            "TECH users may not write purchase order categories"
        )


class TestEvents:
    def test_events_and_webhook_bodies(self, tenant: Tenant) -> None:
        order = purchase_order(tenant.admin)
        path = f"/purchase-orders/{order['id']}"
        ok(tenant.admin.patch(path, json={"status": "approved"}))
        ok(tenant.admin.patch(path, json={"status": "declined"}))
        ok(tenant.admin.patch(path, json={"title": "Filters, urgent"}))
        ok(tenant.admin.delete(path))
        with tenant.db.unit_of_work() as session:
            events = session.scalars(
                select(Event).where(Event.account_id == tenant.account_id, Event.resource_id == order["id"])
            ).all()
            types = [e.type for e in sorted(events, key=lambda e: (e.occurred_at, e.id))]
            approved_event = next(e for e in events if e.type == "PURCHASE_ORDER_APPROVED")
            view = EventView(
                approved_event.id,
                tenant.account_id,
                approved_event.type,
                approved_event.resource_type,
                approved_event.resource_id,
                orjson.loads(approved_event.payload),
                approved_event.occurred_at,
            )
            count = session.scalar(
                select(func.count())
                .select_from(Event)
                .where(Event.account_id == tenant.account_id, Event.resource_id == order["id"])
            )
        assert types == [
            "PURCHASE_ORDER_CREATED",
            "PURCHASE_ORDER_APPROVED",
            "PURCHASE_ORDER_DECLINED",
            "PURCHASE_ORDER_UPDATED",
            "PURCHASE_ORDER_DELETED",
        ]
        assert count == 5
        body = UpkeepWebhooks().body(view, "PURCHASE_ORDER_APPROVED")
        assert (body["id"], body["status"], body["event"]) == (order["id"], "approved", "PURCHASE_ORDER_APPROVED")
        assert body["approvedAt"].endswith("Z") and body["approvedByUser"] == tenant.admin.user_id


# ------------------------------------------------------------------------------------------ categories


class TestCategories:
    def test_crud_as_documented(self, tenant: Tenant) -> None:
        created = category(tenant.admin)
        assert list(created) == ["id", "name", "createdAt", "updatedAt"]
        assert created["name"] == "Electrical"
        assert ok(tenant.admin.get("/purchase-order-categories")) == [created]
        assert ok(tenant.admin.get(f"/purchase-order-categories/{created['id']}")) == created
        renamed = ok(tenant.admin.patch(f"/purchase-order-categoriess/{created['id']}", json={"name": "Project"}))
        assert (renamed["id"], renamed["name"], renamed["createdAt"]) == (
            created["id"],
            "Project",
            created["createdAt"],
        )
        again = ok(tenant.admin.patch(f"/purchase-order-categories/{created['id']}", json={"name": "Projects"}))
        assert again["name"] == "Projects"
        path = f"/purchase-order-categories/{created['id']}"
        assert ok(tenant.admin.delete(path)) == "1 Purchase Order Category deleted"
        assert error(tenant.admin.get(path), 404) == "purchase order category not found"

    def test_list_filters_and_errors(self, tenant: Tenant) -> None:
        electrical, project = category(tenant.admin), category(tenant.admin, "Project")
        assert [c["id"] for c in ok(tenant.admin.get("/purchase-order-categories"))] == [
            project["id"],
            electrical["id"],
        ]
        listed = ok(
            tenant.admin.get("/purchase-order-categories", params={"name": "Project", "orderBy": "createdAt ASC"})
        )
        assert [c["id"] for c in listed] == [project["id"]]
        assert error(tenant.admin.post("/purchase-order-categories", json={})) == "name cannot be null"
        assert error(tenant.admin.post("/purchase-order-categories", json={"name": "Project"})) == (
            "a purchase order category with this name already exists"
        )
        assert error(
            tenant.admin.patch(f"/purchase-order-categories/{electrical['id']}", json={"name": "Project"})
        ) == ("a purchase order category with this name already exists")
        assert error(tenant.admin.patch(f"/purchase-order-categories/{electrical['id']}", json={"name": None})) == (
            "name cannot be null"
        )
        # A part category of the same name is another list.
        ok(tenant.admin.post("/part-categories", json={"name": "Project"}))
        assert len(ok(tenant.admin.get("/purchase-order-categories"))) == 2
