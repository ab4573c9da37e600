"""/asset-downtime-statuses and /custom-fields/assets."""

from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from premises.db.engine import Database
from premises.models import Event
from tests.support.client import Tenant

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    return body.get("result", body.get("results"))


def error(response: Any, status: int = 400) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    message: str = body["message"]
    return message


def event_types(db: Database, account_id: str, resource_id: str) -> list[str]:
    with db.unit_of_work() as session:
        rows = session.scalars(
            select(Event.type)
            .where(Event.account_id == account_id, Event.resource_id == resource_id)
            .order_by(Event.id)
        )
        return list(rows)


# ------------------------------------------------------------------------------------------ downtime statuses


class TestDowntimeStatuses:
    def test_crud(self, tenant: Tenant, db: Database) -> None:
        admin = tenant.admin
        created = ok(admin.post("/asset-downtime-statuses", json={"name": "Under Maintenance"}))
        assert set(created) == {"id", "name", "createdAt", "updatedAt"}
        assert re.fullmatch(r"[A-Za-z0-9]{10}", created["id"]) and created["name"] == "Under Maintenance"
        assert ISO.fullmatch(created["createdAt"]) and created["updatedAt"] == created["createdAt"]
        path = f"/asset-downtime-statuses/{created['id']}"
        assert ok(admin.get(path)) == created
        other = ok(admin.post("/asset-downtime-statuses/", data={"name": "Waiting for parts"}))
        assert [s["id"] for s in ok(admin.get("/asset-downtime-statuses"))] == [other["id"], created["id"]]
        assert [s["id"] for s in ok(admin.get("/asset-downtime-statuses", params={"name": "Waiting for parts"}))] == [
            other["id"]
        ]
        assert [s["id"] for s in ok(admin.get("/asset-downtime-statuses", params={"orderBy": "createdAt ASC"}))] == [
            created["id"],
            other["id"],
        ]
        updated = ok(admin.patch(path, json={"name": "Under Process"}))
        assert updated["name"] == "Under Process" and updated["createdAt"] == created["createdAt"]
        assert admin.delete(path).json() == {"success": True, "message": "1 downtime status deleted"}
        assert error(admin.get(path), 404) == "asset downtime status not found"
        assert error(admin.delete(path), 404) == "asset downtime status not found"
        assert event_types(db, tenant.account_id, created["id"]) == [
            "ASSET_DOWNTIME_STATUS_CREATED",
            "ASSET_DOWNTIME_STATUS_UPDATED",
            "ASSET_DOWNTIME_STATUS_DELETED",
        ]

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({}, "name cannot be null"),
            ({"name": None}, "name cannot be null"),
            ({"name": "  "}, "name cannot be null"),
            ({"name": "x", "colour": "red"}, "colour not in schema"),
            ({"name": "available"}, "available is a built-in downtime status"),
        ],
    )
    def test_bad_input(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        assert error(tenant.admin.post("/asset-downtime-statuses", json=body)) == message

    def test_names_are_unique(self, tenant: Tenant) -> None:
        ok(tenant.admin.post("/asset-downtime-statuses", json={"name": "Broken"}))
        other = ok(tenant.admin.post("/asset-downtime-statuses", json={"name": "Waiting"}))
        assert error(tenant.admin.post("/asset-downtime-statuses", json={"name": "broken"})) == (
            "a downtime status with this name already exists"
        )
        assert error(tenant.admin.patch(f"/asset-downtime-statuses/{other['id']}", json={"name": "Broken"})) == (
            "a downtime status with this name already exists"
        )
        assert error(tenant.admin.patch(f"/asset-downtime-statuses/{other['id']}", json={"name": None})) == (
            "name cannot be null"
        )

    def test_deleting_a_status_in_use(self, tenant: Tenant) -> None:
        status = ok(tenant.admin.post("/asset-downtime-statuses", json={"name": "Broken"}))
        asset = ok(tenant.admin.post("/assets", json={"name": "Pump", "downtimeStatus": status["id"]}))
        assert asset["downtimeStatus"] == status["id"]
        ok(tenant.admin.delete(f"/asset-downtime-statuses/{status['id']}"))
        assert ok(tenant.admin.get(f"/assets/{asset['id']}"))["downtimeStatus"] == "not-available"
        assert (
            error(tenant.admin.patch(f"/assets/{asset['id']}", json={"downtimeStatus": status["id"]}))
            == "downtimeStatus must be available, not-available or the ID of an asset downtime status"
        )

    def test_accounts_are_isolated(self, tenant: Tenant, other_tenant: Tenant) -> None:
        theirs = ok(other_tenant.admin.post("/asset-downtime-statuses", json={"name": "Broken"}))
        assert ok(tenant.admin.get("/asset-downtime-statuses")) == []
        path = f"/asset-downtime-statuses/{theirs['id']}"
        assert error(tenant.admin.get(path), 404) == "asset downtime status not found"
        assert error(tenant.admin.patch(path, json={"name": "x"}), 404) == "asset downtime status not found"
        assert error(tenant.admin.delete(path), 404) == "asset downtime status not found"
        ok(tenant.admin.post("/asset-downtime-statuses", json={"name": "Broken"}))  # same name, other account

    def test_roles(self, tenant: Tenant) -> None:
        status = ok(tenant.admin.post("/asset-downtime-statuses", json={"name": "Broken"}))
        path = f"/asset-downtime-statuses/{status['id']}"
        for role in ("TECH", "LIMITED_TECH", "VIEW_ONLY"):
            client = tenant.as_role(role)
            assert ok(client.get(path))["id"] == status["id"]
            assert len(ok(client.get("/asset-downtime-statuses"))) == 1
            assert error(client.post("/asset-downtime-statuses", json={"name": "x"}), 403)
            assert error(client.patch(path, json={"name": "x"}), 403)
            assert error(client.delete(path), 403)
        requester = tenant.as_role("REQUESTER")
        assert error(requester.get("/asset-downtime-statuses"), 403)
        assert error(requester.get(path), 403)


# ------------------------------------------------------------------------------------------ custom fields


class TestCustomFieldDefinitions:
    def test_documented_create_and_shape(self, tenant: Tenant, db: Database) -> None:
        admin = tenant.admin
        created = ok(
            admin.post(
                "/custom-fields/assets", json={"name": "Custom number field", "type": "number", "decimalPrecision": 0}
            )
        )
        assert set(created) == {
            "id",
            "name",
            "type",
            "options",
            "decimalPrecision",
            "createdAt",
            "updatedAt",
            "createdByUser",
        }
        assert created["name"] == "Custom number field" and created["type"] == "number"
        assert created["options"] is None and created["decimalPrecision"] == 0
        assert created["createdByUser"] == admin.user_id and ISO.fullmatch(created["createdAt"])
        dropdown = ok(
            admin.post(
                "/custom-fields/assets",
                json={"name": "Custom dropdown field", "type": "dropdown", "options": ["First", "Second", "Third"]},
            )
        )
        assert dropdown["options"] == ["First", "Second", "Third"] and dropdown["decimalPrecision"] is None
        assert [f["id"] for f in ok(admin.get("/custom-fields/assets"))] == [dropdown["id"], created["id"]]
        assert ok(admin.get(f"/custom-fields/assets/{created['id']}")) == created
        assert event_types(db, tenant.account_id, created["id"]) == ["ASSET_CUSTOM_FIELD_CREATED"]

    @pytest.mark.parametrize("field_type", ["singleLineText", "multiLineText", "date"])
    def test_plain_types(self, tenant: Tenant, field_type: str) -> None:
        created = ok(tenant.admin.post("/custom-fields/assets", json={"name": "F", "type": field_type}))
        assert created["type"] == field_type and created["options"] is None and created["decimalPrecision"] is None

    def test_form_body(self, tenant: Tenant) -> None:
        created = ok(
            tenant.admin.post(
                "/custom-fields/assets", data={"name": "Colour", "type": "dropdown", "options[]": ["Red", "Blue"]}
            )
        )
        assert created["options"] == ["Red", "Blue"]
        created = ok(
            tenant.admin.post(
                "/custom-fields/assets", data={"name": "Price", "type": "currency", "decimalPrecision": "2"}
            )
        )
        assert created["decimalPrecision"] == 2

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"type": "number", "decimalPrecision": 0}, "name cannot be null"),
            ({"name": "x"}, "type cannot be null"),
            (
                {"name": "x", "type": "colour"},
                "type must be one of singleLineText, multiLineText, dropdown, date, number, currency",
            ),
            ({"name": "x", "type": "dropdown"}, "options cannot be null for a dropdown field"),
            ({"name": "x", "type": "dropdown", "options": []}, "options must be non-empty strings, at least one"),
            ({"name": "x", "type": "dropdown", "options": [""]}, "options must be non-empty strings, at least one"),
            ({"name": "x", "type": "dropdown", "options": [1, 2]}, "options must be an array of strings"),
            ({"name": "x", "type": "dropdown", "options": "a"}, "options must be an array of strings"),
            ({"name": "x", "type": "number"}, "decimalPrecision cannot be null for number and currency fields"),
            (
                {"name": "x", "type": "currency", "decimalPrecision": 6},
                "decimalPrecision must be an integer from 0 to 5",
            ),
            ({"name": "x", "type": "number", "decimalPrecision": "two"}, "decimalPrecision must be an integer"),
            (
                {"name": "x", "type": "number", "decimalPrecision": 1, "options": ["a"]},
                "options can only be set for dropdown fields",
            ),
            (
                {"name": "x", "type": "date", "decimalPrecision": 1},
                "decimalPrecision can only be set for number and currency fields",
            ),
            ({"name": "x", "type": "date", "colour": 1}, "colour not in schema"),
        ],
    )
    def test_bad_input(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        assert error(tenant.admin.post("/custom-fields/assets", json=body)) == message

    def test_update(self, tenant: Tenant, db: Database) -> None:
        admin = tenant.admin
        number = ok(admin.post("/custom-fields/assets", json={"name": "N", "type": "number", "decimalPrecision": 0}))
        dropdown = ok(admin.post("/custom-fields/assets", json={"name": "D", "type": "dropdown", "options": ["A"]}))
        path = f"/custom-fields/assets/{number['id']}"
        renamed = ok(admin.patch(path, json={"name": "A different field name"}))
        assert renamed["name"] == "A different field name" and renamed["type"] == "number"
        changed = ok(admin.patch(f"/custom-fields/assets/{dropdown['id']}", json={"options": ["A", "B"]}))
        assert changed["options"] == ["A", "B"]
        assert error(admin.patch(path, json={"type": "date"})) == "type is not allowed to be set!"
        assert error(admin.patch(path, json={"decimalPrecision": 2})) == "decimalPrecision is not allowed to be set!"
        assert error(admin.patch(path, json={"options": ["A"]})) == "options can only be set for dropdown fields"
        assert error(admin.patch(path, json={"name": None})) == "name cannot be null"
        assert error(admin.patch(path, json={"name": "d"})) == "a custom field with this name already exists"
        assert error(admin.patch(f"/custom-fields/assets/{dropdown['id']}", json={"options": None})) == (
            "options cannot be null for a dropdown field"
        )
        assert event_types(db, tenant.account_id, number["id"]) == [
            "ASSET_CUSTOM_FIELD_CREATED",
            "ASSET_CUSTOM_FIELD_UPDATED",
        ]

    def test_delete_answers_with_the_field(self, tenant: Tenant) -> None:
        admin = tenant.admin
        field = ok(admin.post("/custom-fields/assets", json={"name": "Width", "type": "number", "decimalPrecision": 0}))
        asset = ok(
            admin.post(
                "/assets",
                json={"name": "Pump", "customFields": [{"id": field["id"], "fieldValue": {"numberValue": 3}}]},
            )
        )
        deleted = ok(admin.delete(f"/custom-fields/assets/{field['id']}"))
        assert deleted["id"] == field["id"] and deleted["name"] == "Width" and deleted["type"] == "number"
        assert error(admin.get(f"/custom-fields/assets/{field['id']}"), 404) == "custom field not found"
        assert error(admin.delete(f"/custom-fields/assets/{field['id']}"), 404) == "custom field not found"
        assert ok(admin.get("/custom-fields/assets")) == []
        assert ok(admin.get(f"/assets/{asset['id']}"))["customFields"] == []
        # The name is free again.
        ok(admin.post("/custom-fields/assets", json={"name": "Width", "type": "number", "decimalPrecision": 0}))

    def test_accounts_are_isolated(self, tenant: Tenant, other_tenant: Tenant) -> None:
        theirs = ok(other_tenant.admin.post("/custom-fields/assets", json={"name": "T", "type": "date"}))
        assert ok(tenant.admin.get("/custom-fields/assets")) == []
        path = f"/custom-fields/assets/{theirs['id']}"
        assert error(tenant.admin.get(path), 404) == "custom field not found"
        assert error(tenant.admin.patch(path, json={"name": "x"}), 404) == "custom field not found"
        assert error(tenant.admin.delete(path), 404) == "custom field not found"

    def test_roles(self, tenant: Tenant) -> None:
        field = ok(tenant.admin.post("/custom-fields/assets", json={"name": "T", "type": "date"}))
        path = f"/custom-fields/assets/{field['id']}"
        for role in ("TECH", "LIMITED_TECH", "VIEW_ONLY"):
            client = tenant.as_role(role)
            assert ok(client.get(path))["id"] == field["id"]
            assert len(ok(client.get("/custom-fields/assets"))) == 1
            assert error(client.post("/custom-fields/assets", json={"name": "x", "type": "date"}), 403)
            assert error(client.patch(path, json={"name": "x"}), 403)
            assert error(client.delete(path), 403)
        assert error(tenant.as_role("REQUESTER").get("/custom-fields/assets"), 403)
