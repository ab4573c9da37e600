"""/parts as UpKeep documents it, parts on work orders and assets, the inventory ledger, part categories."""

from __future__ import annotations

from typing import Any

import orjson
from sqlalchemy import func, select

from premises.api.upkeep.webhooks import UpkeepWebhooks
from premises.models import Event
from premises.webhook.dialects import EventView
from tests.api.upkeep.test_assets import make_file
from tests.support.client import Tenant, UpKeep
from tests.support.factories import make_asset, make_place, make_team

SEED_PART = {
    "name": "Flux Capacitor",
    "description": "This is what makes time travel possible.",
    "cost": 88.00,
    "quantity": 15,
    "minimumQuantity": 1,
    "partName": "PT-1",
    "serial": "40161502",
    "category": "Compressor",
    "customFieldsPart": [{"name": "inventor", "value": "Dr. Emmett Brown"}],
}


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    return body.get("result", body.get("results", body.get("message")))


def error(response: Any, status: int = 400) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    message: str = body["message"]
    return message


def create_part(client: UpKeep, **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = ok(client.post("/parts", json={"name": "Filter cartridge", **fields}))
    return result


def quantity_of(client: UpKeep, part_id: str) -> str:
    value: str = ok(client.get(f"/parts/{part_id}"))["quantity"]
    return value


def ledger(client: UpKeep, part_id: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = ok(client.get(f"/parts/{part_id}/inventory-ledger"))
    return rows


def work_order(client: UpKeep, **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = ok(client.post("/work-orders", json={"title": "Replace filter", **fields}))
    return result


# ------------------------------------------------------------------------------------------ parts


class TestCrud:
    def test_create_as_documented(self, tenant: Tenant) -> None:
        location = make_place(tenant.db, tenant.account_id)
        part = ok(tenant.admin.post("/parts", json={**SEED_PART, "location": location}))
        assert part["name"] == "Flux Capacitor"
        assert (part["cost"], part["quantity"], part["minimumQuantity"]) == ("88.00", "15", "1")
        assert (part["partName"], part["partNumber"], part["partId"]) == ("PT-1", "PT-1", None)
        assert (part["serial"], part["category"], part["location"]) == ("40161502", "Compressor", location)
        assert part["createdByUser"] == tenant.admin.user_id
        assert part["createdAt"].endswith("Z") and part["updatedAt"].endswith("Z")
        [field] = part["customFieldsPart"]
        assert (field["name"], field["value"], field["unit"], field["partInventory"], field["user"]) == (
            "inventor",
            "Dr. Emmett Brown",
            None,
            part["id"],
            tenant.admin.user_id,
        )
        assert part["files"] == []

    def test_every_documented_field_round_trips(self, tenant: Tenant) -> None:
        parent = create_part(tenant.admin, name="Capacitor family")
        part = create_part(
            tenant.admin,
            area="Center console",
            details="Needs 1.21 gigawatts.",
            partId=parent["id"],
            partNumber="FC-88",
            category="Filter",
            cost=12.5,
            quantity=2.5,
        )
        got = ok(tenant.admin.get(f"/parts/{part['id']}"))
        assert (got["area"], got["details"], got["partId"], got["partName"]) == (
            "Center console",
            "Needs 1.21 gigawatts.",
            parent["id"],
            "FC-88",
        )
        assert (got["cost"], got["quantity"], got["minimumQuantity"]) == ("12.50", "2.5", None)
        assert got["assignedTeams"] == []

    def test_image_and_files(self, tenant: Tenant) -> None:
        image, attachment = make_file(tenant.db, tenant.account_id), make_file(tenant.db, tenant.account_id, "spec.pdf")
        part = create_part(tenant.admin, image=image, files=[attachment])
        assert part["image"]["__type"] == "File" and part["image"]["id"] == image and part["image"]["url"]
        assert part["files"] == [attachment]
        [listed] = [p for p in ok(tenant.admin.get("/parts")) if p["id"] == part["id"]]
        assert listed["image"]["id"] == image and listed["files"] == [attachment]
        expanded = ok(tenant.admin.get(f"/parts/{part['id']}", params={"includes": "files"}))
        assert expanded["files"][0]["id"] == attachment
        assert error(tenant.admin.post("/parts", json={"name": "x", "image": "nope"})) == "image nope not found"
        cleared = ok(tenant.admin.patch(f"/parts/{part['id']}", json={"image": None, "files": None}))
        assert (cleared["image"], cleared["files"]) == (None, [])

    def test_update_and_custom_fields(self, tenant: Tenant) -> None:
        part = ok(tenant.admin.post("/parts", json=SEED_PART))
        updated = ok(
            tenant.admin.patch(
                f"/parts/{part['id']}",
                json={"quantity": 100, "customFieldsPart": [{"name": "manufacturer", "value": "ABC Parts Inc"}]},
            )
        )
        assert updated["quantity"] == "100"
        both = ok(tenant.admin.patch(f"/parts/{part['id']}", json={"name": "Flux Capacitor II", "quantity": 99}))
        assert (both["name"], both["quantity"]) == ("Flux Capacitor II", "99")
        assert [f["name"] for f in updated["customFieldsPart"]] == ["manufacturer", "inventor"]  # newest first
        # null customFieldsPart deletes nothing
        again = ok(tenant.admin.patch(f"/parts/{part['id']}", json={"customFieldsPart": None, "area": None}))
        assert len(again["customFieldsPart"]) == 2 and again["area"] is None
        field_id = updated["customFieldsPart"][0]["id"]
        path = f"/parts/{part['id']}/custom-fields/{field_id}"
        assert ok(tenant.admin.get(path))["value"] == "ABC Parts Inc"
        changed = ok(tenant.admin.patch(path, json={"value": "123 Parts Inc"}))
        assert (changed["id"], changed["value"], changed["partInventory"]) == (field_id, "123 Parts Inc", part["id"])
        assert ok(tenant.admin.delete(path)) == "1 custom field deleted"
        assert error(tenant.admin.get(path), 404) == "custom field not found"

    def test_delete(self, tenant: Tenant) -> None:
        part = create_part(tenant.admin)
        assert ok(tenant.admin.delete(f"/parts/{part['id']}")) == "1 part deleted"
        assert error(tenant.admin.get(f"/parts/{part['id']}"), 404) == "part not found"
        assert error(tenant.admin.delete(f"/parts/{part['id']}"), 404) == "part not found"
        assert part["id"] not in [p["id"] for p in ok(tenant.admin.get("/parts"))]

    def test_bad_input(self, tenant: Tenant) -> None:
        assert error(tenant.admin.post("/parts", json={"cost": 1})) == "name cannot be null"
        assert "Gadgets" in error(tenant.admin.post("/parts", json={"name": "x", "category": "Gadgets"}))
        assert error(tenant.admin.post("/parts", json={"name": "x", "quantity": -1})) == "quantity must not be negative"
        assert error(tenant.admin.post("/parts", json={"name": "x", "quantity": "lots"})) == "quantity must be a number"
        assert error(tenant.admin.post("/parts", json={"name": "x", "location": "nope"})) == "location nope not found"
        assert error(tenant.admin.post("/parts", json={"name": "x", "partId": "nope"})) == "partId nope not found"
        assert error(tenant.admin.post("/parts", json={"name": "x", "colour": "red"})) == "colour not in schema"
        part = create_part(tenant.admin)
        assert "sub-parts" in error(tenant.admin.patch(f"/parts/{part['id']}", json={"partId": part["id"]}))
        assert error(tenant.admin.patch(f"/parts/{part['id']}", json={"quantity": None})) == "quantity cannot be null"

    def test_list_filters_and_includes(self, tenant: Tenant) -> None:
        location = make_place(tenant.db, tenant.account_id)
        a = create_part(tenant.admin, name="Belt", category="Filter", location=location, partNumber="B-1")
        b = ok(tenant.admin.post("/parts", json=SEED_PART))
        ids = lambda params: [p["id"] for p in ok(tenant.admin.get("/parts", params=params))]  # noqa: E731
        assert ids({"category": "Filter"}) == [a["id"]]
        assert ids({"name": "Flux Capacitor"}) == [b["id"]]
        assert ids({"location": location}) == [a["id"]]
        assert ids({"partNumber": "B-1"}) == [a["id"]]
        assert ids({"customFieldsPart[name]": "inventor", "customFieldsPart[value]": "Dr. Emmett Brown"}) == [b["id"]]
        assert ids({"createdByUser": tenant.admin.user_id, "orderBy": "createdAt ASC"}) == [a["id"], b["id"]]
        assert ids({"createdAtGreaterThan": 0}) == [b["id"], a["id"]]
        [item] = ok(tenant.admin.get("/parts", params={"includes": "location,createdByUser", "category": "Filter"}))
        assert item["location"]["id"] == location and item["createdByUser"]["id"] == tenant.admin.user_id
        assert error(tenant.admin.get("/parts", params={"colour": "red"})) == "invalid filter key: colour"

    def test_other_account_sees_nothing(self, tenant: Tenant, other_tenant: Tenant) -> None:
        part = create_part(tenant.admin)
        assert error(other_tenant.admin.get(f"/parts/{part['id']}"), 404) == "part not found"
        assert error(other_tenant.admin.patch(f"/parts/{part['id']}", json={"name": "x"}), 404) == "part not found"
        assert error(other_tenant.admin.delete(f"/parts/{part['id']}"), 404) == "part not found"
        assert error(other_tenant.admin.get(f"/parts/{part['id']}/inventory-ledger"), 404) == "part not found"
        assert ok(other_tenant.admin.get("/parts")) == []
        assert "not found" in error(other_tenant.admin.post("/work-orders", json={"title": "x", "parts": [part["id"]]}))

    def test_roles(self, tenant: Tenant) -> None:
        part = create_part(tenant.admin)
        tech = tenant.as_role("TECH")
        view = tenant.as_role("VIEW_ONLY")
        requester = tenant.as_role("REQUESTER")
        ok(tech.post("/parts", json={"name": "Tech part"}))
        ok(tech.patch(f"/parts/{part['id']}", json={"quantity": 3}))
        assert error(tech.delete(f"/parts/{part['id']}"), 403) == "TECH users may not delete parts"
        assert ok(view.get(f"/parts/{part['id']}"))["quantity"] == "3"
        assert error(view.post("/parts", json={"name": "x"}), 403) == "VIEW_ONLY users may not create parts"
        assert error(requester.get("/parts"), 403) == "REQUESTER users may not read parts"

    def test_location_based_users_see_the_parts_at_their_places(self, tenant: Tenant) -> None:
        mine = make_place(tenant.db, tenant.account_id, "Mine")
        theirs = make_place(tenant.db, tenant.account_id, "Theirs")
        here = create_part(tenant.admin, location=mine)
        there = create_part(tenant.admin, location=theirs)
        tech = tenant.as_role("TECH", location_based=True)
        ok(tenant.admin.put(f"/users/{tech.user_id}/locations", json={"locationIds": [mine]}))
        assert [p["id"] for p in ok(tech.get("/parts"))] == [here["id"]]
        assert error(tech.get(f"/parts/{there['id']}"), 404) == "part not found"
        assert error(tech.patch(f"/parts/{there['id']}", json={"quantity": 1}), 404) == "part not found"
        assert error(tech.post("/parts", json={"name": "x"})) == "location cannot be null for location-based users"
        assert error(tech.post("/work-orders", json={"title": "x", "location": mine, "parts": [there["id"]]})) == (
            f"parts[0] {there['id']} not found"
        )


# ------------------------------------------------------------------------------------------ links


class TestLinks:
    def test_teams(self, tenant: Tenant) -> None:
        part = create_part(tenant.admin)
        team = make_team(tenant.db, tenant.account_id)
        path = f"/parts/{part['id']}/teams/{team}"
        assert ok(tenant.admin.post(path)) == f"team {team} assigned to part {part['id']}."
        assert ok(tenant.admin.post(path)) == f"team {team} assigned to part {part['id']}."  # idempotent
        assert ok(tenant.admin.get(f"/parts/{part['id']}"))["assignedTeams"] == [team]
        got = ok(tenant.admin.get(f"/parts/{part['id']}", params={"includes": "assignedTeams"}))
        assert got["assignedTeams"][0]["id"] == team
        assert ok(tenant.admin.delete(path)) == f"team {team} removed from part {part['id']}"
        assert ok(tenant.admin.get(f"/parts/{part['id']}"))["assignedTeams"] == []
        assert error(tenant.admin.post(f"/parts/{part['id']}/teams/nope"), 404) == "team not found"
        assert error(tenant.admin.post(f"/parts/nope/teams/{team}"), 404) == "part not found"

    def test_assets(self, tenant: Tenant, other_tenant: Tenant) -> None:
        part = create_part(tenant.admin, name="Fan belt")
        asset = make_asset(tenant.db, tenant.account_id)
        path = f"/assets/{asset}/parts/{part['id']}"
        assert ok(tenant.admin.post(path)) == f"part {part['id']} assigned to asset {asset}"
        assert ok(tenant.admin.get(f"/assets/{asset}"))["parts"] == [part["id"]]
        expanded = ok(tenant.admin.get(f"/assets/{asset}", params={"includes": "parts"}))
        assert expanded["parts"][0]["name"] == "Fan belt" and expanded["parts"][0]["quantity"] == "0"
        assert ok(tenant.admin.delete(path)) == f"part {part['id']} removed from asset {asset}"
        assert ok(tenant.admin.get(f"/assets/{asset}"))["parts"] == []
        assert error(tenant.admin.post(f"/assets/{asset}/parts/nope"), 404) == "part not found"
        assert error(other_tenant.admin.post(path), 404) == "asset not found"
        view = tenant.as_role("VIEW_ONLY")
        assert error(view.post(path), 403) == "VIEW_ONLY users may not update assets"
        # a deleted part leaves the asset's list
        ok(tenant.admin.post(path))
        ok(tenant.admin.delete(f"/parts/{part['id']}"))
        assert ok(tenant.admin.get(f"/assets/{asset}"))["parts"] == []


# ------------------------------------------------------------------------------------------ work orders


class TestWorkOrders:
    def test_auto_mode_moves_inventory(self, tenant: Tenant) -> None:
        part = create_part(tenant.admin, quantity=10)
        other = create_part(tenant.admin, name="Gasket", quantity=5)
        wo = work_order(tenant.admin, parts=[part["id"], other["id"]], respectivePartQuantityUsed=[1, 3])
        assert (wo["parts"], wo["respectivePartQuantityUsed"], wo["decreaseInventory"]) == (
            [part["id"], other["id"]],
            [1, 3],
            "auto",
        )
        assert (quantity_of(tenant.admin, part["id"]), quantity_of(tenant.admin, other["id"])) == ("9", "2")
        # change a quantity, remove a part
        changed = ok(
            tenant.admin.patch(
                f"/work-orders/{wo['id']}", json={"parts": [part["id"]], "respectivePartQuantityUsed": [4]}
            )
        )
        assert (changed["parts"], changed["respectivePartQuantityUsed"]) == ([part["id"]], [4])
        assert (quantity_of(tenant.admin, part["id"]), quantity_of(tenant.admin, other["id"])) == ("6", "5")
        listed = ok(tenant.admin.get("/work-orders", params={"limit": 5}))
        assert next(w for w in listed if w["id"] == wo["id"])["parts"] == [part["id"]]
        # every change is in the ledger, with who, why and the resulting count
        rows = ledger(tenant.admin, part["id"])[::-1]  # newest first, as every UpKeep list
        assert [(r["reason"], r["change"], r["quantity"]) for r in rows] == [
            ("created", 10, 10),
            ("work_order", -1, 9),
            ("work_order", -3, 6),
        ]
        assert rows[1]["source"] == wo["id"] and rows[1]["sourceType"] == "work_order"
        assert rows[1]["user"] == tenant.admin.user_id and rows[1]["createdAt"].endswith("Z")
        # removing every part gives everything back
        ok(tenant.admin.patch(f"/work-orders/{wo['id']}", json={"parts": []}))
        assert quantity_of(tenant.admin, part["id"]) == "10"

    def test_using_more_than_on_hand_is_refused(self, tenant: Tenant) -> None:
        part = create_part(tenant.admin, name="Belt", quantity=2)
        message = error(
            tenant.admin.post(
                "/work-orders", json={"title": "x", "parts": [part["id"]], "respectivePartQuantityUsed": [3]}
            )
        )
        assert message == f"parts[0]: not enough Belt ({part['id']}) in stock: 2 on hand, 3 wanted"
        assert quantity_of(tenant.admin, part["id"]) == "2"
        assert len(ledger(tenant.admin, part["id"])) == 1  # nothing was written

    def test_manual_mode_takes_nothing(self, tenant: Tenant) -> None:
        part = create_part(tenant.admin, quantity=4)
        wo = work_order(tenant.admin, parts=[part["id"]], respectivePartQuantityUsed=[3], decreaseInventory="manual")
        assert wo["decreaseInventory"] == "manual" and wo["respectivePartQuantityUsed"] == [3]
        assert quantity_of(tenant.admin, part["id"]) == "4"
        ok(tenant.admin.patch(f"/work-orders/{wo['id']}", json={"decreaseInventory": "auto"}))
        assert quantity_of(tenant.admin, part["id"]) == "1"  # switching to auto takes what the lines use

    def test_bad_part_lists(self, tenant: Tenant) -> None:
        part = create_part(tenant.admin, quantity=4)
        post = lambda body: tenant.admin.post("/work-orders", json={"title": "x", **body})  # noqa: E731
        assert error(post({"parts": ["nope"]})) == "parts[0] nope not found"
        assert "respectivePartQuantityUsed" in error(
            post({"parts": [part["id"]], "respectivePartQuantityUsed": [1, 2]})
        )
        assert error(post({"parts": [part["id"]], "respectivePartQuantityUsed": ["x"]})) == (
            "respectivePartQuantityUsed[0] must be a number"
        )
        assert "negative" in error(post({"parts": [part["id"]], "respectivePartQuantityUsed": [-1]}))
        assert quantity_of(tenant.admin, part["id"]) == "4"

    def test_default_quantity_is_one(self, tenant: Tenant) -> None:
        part = create_part(tenant.admin, quantity=4)
        wo = work_order(tenant.admin, parts=[part["id"]])
        assert wo["respectivePartQuantityUsed"] == [1]
        assert quantity_of(tenant.admin, part["id"]) == "3"
        got = ok(tenant.admin.get(f"/work-orders/{wo['id']}", params={"includes": "parts"}))
        assert got["parts"][0]["id"] == part["id"] and got["parts"][0]["quantity"] == "3"
        assert ok(tenant.admin.get(f"/work-orders/{wo['id']}"))["parts"] == [part["id"]]

    def test_a_limited_tech_records_the_parts_of_its_work_order(self, tenant: Tenant) -> None:
        part = create_part(tenant.admin, quantity=4)
        limited = tenant.as_role("LIMITED_TECH")
        wo = work_order(tenant.admin, assignedToUser=limited.user_id)
        ok(limited.patch(f"/work-orders/{wo['id']}", json={"parts": [part["id"]], "respectivePartQuantityUsed": [2]}))
        assert quantity_of(tenant.admin, part["id"]) == "2"
        assert "may not change" in error(
            limited.patch(f"/work-orders/{wo['id']}", json={"decreaseInventory": "manual"}), 403
        )

    def test_low_stock_event(self, tenant: Tenant) -> None:
        part = create_part(tenant.admin, quantity=3, minimumQuantity=2)
        work_order(tenant.admin, parts=[part["id"]], respectivePartQuantityUsed=[1])  # 2: not below
        work_order(tenant.admin, parts=[part["id"]], respectivePartQuantityUsed=[1])  # 1: below
        work_order(tenant.admin, parts=[part["id"]], respectivePartQuantityUsed=[1])  # 0: already below
        with tenant.db.unit_of_work() as session:
            count = session.scalar(
                select(func.count())
                .select_from(Event)
                .where(Event.account_id == tenant.account_id, Event.type == "PART_LOW_STOCK")
            )
        assert count == 1


# ------------------------------------------------------------------------------------------ categories


class TestCategories:
    def test_defaults_include_the_seed_examples_and_admins_manage_them(self, tenant: Tenant) -> None:
        names = [c["name"] for c in ok(tenant.admin.get("/part-categories"))]
        assert "Compressor" in names and "Filter" in names
        created = ok(tenant.admin.post("/part-categories", json={"name": "Belts"}))
        assert created["name"] == "Belts"
        ok(tenant.admin.post("/parts", json={"name": "V-belt", "category": "Belts"}))
        assert "already exists" in error(tenant.admin.post("/part-categories", json={"name": "Belts"}))
        tech = tenant.as_role("TECH")
        assert error(tech.post("/part-categories", json={"name": "Hoses"}), 403) == (
            "TECH users may not write part categories"
        )
        assert ok(tenant.admin.delete(f"/part-categories/{created['id']}")) == "1 part category deleted"
        assert "Belts" in error(tenant.admin.post("/parts", json={"name": "x", "category": "Belts"}))
        assert error(tenant.admin.delete(f"/part-categories/{created['id']}"), 404) == "part category not found"


def test_a_low_stock_webhook_carries_the_part_as_the_api_shows_it(tenant: Tenant) -> None:
    part = create_part(tenant.admin, name="Belt", quantity=2, minimumQuantity=2, cost=3)
    work_order(tenant.admin, parts=[part["id"]])
    with tenant.db.unit_of_work() as session:
        event = session.scalars(
            select(Event).where(Event.account_id == tenant.account_id, Event.type == "PART_LOW_STOCK")
        ).one()
        view = EventView(
            event.id,
            event.account_id,
            event.type,
            event.resource_type,
            event.resource_id,
            orjson.loads(event.payload),
            event.occurred_at,
        )
    body = UpkeepWebhooks().body(view, "PART_LOW_STOCK")
    assert (body["id"], body["name"], body["quantity"], body["minimumQuantity"], body["cost"]) == (
        part["id"],
        "Belt",
        "1",
        "2",
        "3.00",
    )
    assert body["event"] == "PART_LOW_STOCK"
