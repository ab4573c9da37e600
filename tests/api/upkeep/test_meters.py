"""/api/v2/meters: meters, readings and notifications as UpKeep documents them, and the work orders
triggered notifications create (the rules themselves: tests/domain/meter)."""

from __future__ import annotations

import re
from typing import Any

import orjson
import pytest
from sqlalchemy import select, text

from premises.api.upkeep.webhooks import UpkeepWebhooks
from premises.db import observe
from premises.db.engine import Database
from premises.models import Event
from premises.webhook.dialects import EventView
from tests.support.client import Tenant, UpKeep, new_tenant
from tests.support.factories import make_asset, make_place
from tests.support.jobs import run_account_jobs

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
METER_KEYS = {
    "id",
    "name",
    "units",
    "frequency",
    "createdByUser",
    "location",
    "asset",
    "lastReading",
    "isCumulative",
    "createdAt",
    "updatedAt",
}
READING_KEYS = {"id", "date", "meter", "value", "createdByUser", "isReset", "createdAt", "updatedAt"}
NOTIFICATION_KEYS = {
    "id",
    "title",
    "triggerFrequency",
    "description",
    "triggerValue",
    "lastValueForWorkOrder",
    "assignedToUser",
    "createdByUser",
    "category",
    "oneOpenWorkOrder",
    "lastWorkOrder",
    "firedAt",
    "createdAt",
    "updatedAt",
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


def meter(client: UpKeep, **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = ok(
        client.post("/meters", json={"name": "Mileage", "units": "KMPL", "frequency": 7, **fields})
    )
    return result


def reading(client: UpKeep, meter_id: str, **fields: Any) -> dict[str, Any]:
    result: dict[str, Any] = ok(client.post(f"/meters/{meter_id}/readings", json={"value": 1, **fields}))
    return result


def evaluated(tenant: Tenant, client: UpKeep, meter_id: str, **fields: Any) -> dict[str, Any]:
    """A reading, and its evaluation run (the meter.evaluate job the embedded worker would run)."""
    result = reading(client, meter_id, **fields)
    run_account_jobs(tenant.db, tenant.account_id)
    return result


def notification(client: UpKeep, meter_id: str, **fields: Any) -> dict[str, Any]:
    body = {
        "title": "Reading less than 100",
        "triggerValue": 100,
        "triggerFrequency": "ONE_TIME_IS_LESS_THAN",
        **fields,
    }
    result: dict[str, Any] = ok(client.post(f"/meters/{meter_id}/notifications", json=body))
    return result


def ids(items: list[dict[str, Any]]) -> list[str]:
    return [item["id"] for item in items]


def events(db: Database, account_id: str, resource_id: str) -> list[str]:
    with db.unit_of_work() as session:
        rows = session.scalars(
            select(Event.type)
            .where(Event.account_id == account_id, Event.resource_id == resource_id)
            .order_by(Event.id)
        )
        return list(rows)


# ------------------------------------------------------------------------------------------ meters


class TestMeters:
    def test_documented_form_body_and_shape(self, tenant: Tenant, db: Database) -> None:
        place = make_place(db, tenant.account_id)
        asset = make_asset(db, tenant.account_id, location_id=place)
        response = tenant.admin.post(
            "/meters/", data={"name": "Mileage", "units": "KMPL", "frequency": "7", "asset": asset, "location": place}
        )
        result = ok(response)
        assert set(result) == METER_KEYS
        assert (result["name"], result["units"], result["frequency"]) == ("Mileage", "KMPL", 7)
        assert (result["asset"], result["location"], result["lastReading"]) == (asset, place, None)
        assert result["createdByUser"] == tenant.admin.user_id and result["isCumulative"] is False
        assert ISO.fullmatch(result["createdAt"]) and result["createdAt"] == result["updatedAt"]
        assert events(db, tenant.account_id, result["id"]) == ["METER_CREATED"]

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"units": "h", "frequency": 1}, "name cannot be null"),
            ({"name": "M", "frequency": 1}, "units cannot be null"),
            ({"name": "M", "units": "h"}, "frequency cannot be null"),
            ({"name": " ", "units": "h", "frequency": 1}, "name cannot be null"),
            ({"name": "M", "units": "h", "frequency": "weekly"}, "frequency must be an integer"),
            ({"name": "M", "units": "h", "frequency": -1}, "frequency must be between 0 and 36500"),
            ({"name": "M", "units": "h", "frequency": 1, "colour": "red"}, "colour not in schema"),
            ({"name": "M", "units": "h", "frequency": 1, "asset": "nope"}, "asset nope not found"),
            ({"name": "M", "units": "h", "frequency": 1, "location": "nope"}, "location nope not found"),
            ({"name": "M", "units": "h", "frequency": 1, "isCumulative": "maybe"}, "isCumulative must be a boolean"),
        ],
    )
    def test_bad_bodies(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        assert error(tenant.admin.post("/meters", json=body)) == message

    def test_list_filters_order_and_includes(self, tenant: Tenant, db: Database) -> None:
        place = make_place(db, tenant.account_id)
        asset = make_asset(db, tenant.account_id, name="Truck", location_id=place)
        first = meter(tenant.admin, name="Odometer", asset=asset, location=place)
        second = meter(tenant.admin, name="Fuel")
        assert ids(ok(tenant.admin.get("/meters"))) == [second["id"], first["id"]]
        assert ids(ok(tenant.admin.get("/meters", params={"orderBy": "createdAt ASC"}))) == [first["id"], second["id"]]
        for params in ({"name": "Odometer"}, {"asset": asset}, {"location": place}):
            assert ids(ok(tenant.admin.get("/meters", params=params))) == [first["id"]]
        expanded = ok(tenant.admin.get("/meters", params={"includes": "asset,location", "name": "Odometer"}))[0]
        assert expanded["asset"]["name"] == "Truck" and expanded["location"]["id"] == place
        assert error(tenant.admin.get("/meters", params={"colour": "red"})) == "invalid filter key: colour"

    def test_get_with_last_reading_and_another_accounts_meter(self, tenant: Tenant, http: Any, db: Database) -> None:
        created = meter(tenant.admin)
        reading(tenant.admin, created["id"], value=5, date=1_517_306_720_402)
        latest = reading(tenant.admin, created["id"], value=6, date="2018-01-30T10:05:20.402Z")
        reading(tenant.admin, created["id"], value=4, date="2018-01-01T00:00:00Z")  # back-dated
        assert ok(tenant.admin.get(f"/meters/{created['id']}"))["lastReading"] == latest["id"]
        got = ok(tenant.admin.get(f"/meters/{created['id']}", params={"includes": "lastReading"}))
        assert got["lastReading"]["value"] == 6 and got["lastReading"]["date"] == "2018-01-30T10:05:20.402Z"
        other = new_tenant(http, db, name="Other Co")
        assert error(other.admin.get(f"/meters/{created['id']}"), 404) == "meter not found"
        assert error(other.admin.patch(f"/meters/{created['id']}", json={"name": "x"}), 404) == "meter not found"
        assert error(other.admin.post(f"/meters/{created['id']}/readings", json={"value": 1}), 404) == "meter not found"
        assert error(tenant.admin.get(f"/meters/{created['id']}", params={"includes": "parts"})) == (
            "invalid includes value: parts"
        )

    def test_update_leaves_past_readings_and_delete(self, tenant: Tenant, db: Database) -> None:
        created = meter(tenant.admin)
        past = reading(tenant.admin, created["id"], value=3)
        updated = ok(tenant.admin.patch(f"/meters/{created['id']}", data={"frequency": "4"}))
        assert (updated["frequency"], updated["name"], updated["lastReading"]) == (4, "Mileage", past["id"])
        assert ok(tenant.admin.get(f"/meters/{created['id']}/readings")) == [past]
        assert error(tenant.admin.patch(f"/meters/{created['id']}", json={"name": None})) == "name cannot be null"
        assert ok(tenant.admin.delete(f"/meters/{created['id']}")) == "1 meter deleted"
        assert error(tenant.admin.get(f"/meters/{created['id']}"), 404) == "meter not found"
        assert error(tenant.admin.delete(f"/meters/{created['id']}"), 404) == "meter not found"
        assert error(tenant.admin.get(f"/meters/{created['id']}/readings"), 404) == "meter not found"
        assert events(db, tenant.account_id, created["id"]) == ["METER_CREATED", "METER_UPDATED", "METER_DELETED"]

    def test_location_based_users_see_the_meters_at_their_places(self, tenant: Tenant, db: Database) -> None:
        mine, other = make_place(db, tenant.account_id, "Mine"), make_place(db, tenant.account_id, "Other")
        visible = meter(tenant.admin, location=mine)
        hidden = meter(tenant.admin, location=other)
        nowhere = meter(tenant.admin)
        tech = tenant.as_role("TECH", location_based=True)
        ok(tenant.admin.put(f"/users/{tech.user_id}/locations", json={"locationIds": [mine]}))
        assert ids(ok(tech.get("/meters"))) == [visible["id"]]
        for meter_id in (hidden["id"], nowhere["id"]):
            assert error(tech.get(f"/meters/{meter_id}"), 404) == "meter not found"
            assert error(tech.post(f"/meters/{meter_id}/readings", json={"value": 1}), 404) == "meter not found"
        assert error(tech.post("/meters", json={"name": "M", "units": "h", "frequency": 1})) == (
            "location cannot be null for location-based users"
        )
        assert meter(tech, location=mine)["location"] == mine


# ------------------------------------------------------------------------------------------ readings


class TestReadings:
    def test_documented_body_and_shape(self, tenant: Tenant, db: Database) -> None:
        created = meter(tenant.admin)
        result = ok(
            tenant.admin.post(
                f"/meters/{created['id']}/readings", data={"value": "1", "date": "2018-01-30T10:05:20.402Z"}
            )
        )
        assert set(result) == READING_KEYS
        assert (result["value"], result["date"], result["meter"]) == (1, "2018-01-30T10:05:20.402Z", created["id"])
        assert result["createdByUser"] == tenant.admin.user_id and result["isReset"] is False
        epoch = reading(tenant.admin, created["id"], value=12.34, date=1_517_306_720_402)
        assert (epoch["value"], epoch["date"]) == (12.34, "2018-01-30T10:05:20.402Z")
        assert ISO.fullmatch(reading(tenant.admin, created["id"])["date"])  # no date: now
        assert events(db, tenant.account_id, result["id"]) == ["METER_READING_CREATED"]

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({}, "value cannot be null"),
            ({"value": None}, "value cannot be null"),
            ({"value": "high"}, "value must be a number"),
            ({"value": 1, "date": "yesterday"}, "date must be a date (epoch milliseconds or ISO 8601)"),
            ({"value": 1, "meter": "x"}, "meter not in schema"),
        ],
    )
    def test_bad_bodies(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        created = meter(tenant.admin)
        assert error(tenant.admin.post(f"/meters/{created['id']}/readings", json=body)) == message

    def test_list_ranges_and_includes(self, tenant: Tenant) -> None:
        created = meter(tenant.admin)
        old = reading(tenant.admin, created["id"], value=1, date="2020-01-01")
        new = reading(tenant.admin, created["id"], value=2, date="2021-01-01")
        path = f"/meters/{created['id']}/readings"
        assert ids(ok(tenant.admin.get(path))) == [new["id"], old["id"]]
        assert ids(ok(tenant.admin.get(path, params={"dateGreaterThan": "2020-06-01"}))) == [new["id"]]
        assert ids(ok(tenant.admin.get(path, params={"dateLessThanOrEqualTo": 1_577_836_800_000}))) == [old["id"]]
        assert ids(ok(tenant.admin.get(path, params={"orderBy": "createdAt ASC"}))) == [old["id"], new["id"]]
        expanded = ok(tenant.admin.get(path, params={"includes": ["meter", "createdByUser"], "limit": 1}))
        assert expanded[0]["meter"]["name"] == "Mileage" and expanded[0]["createdByUser"]["id"] == tenant.admin.user_id

    def test_update_and_delete_with_the_documented_message(self, tenant: Tenant, db: Database) -> None:
        created = meter(tenant.admin)
        first = reading(tenant.admin, created["id"])
        path = f"/meters/{created['id']}/readings/{first['id']}"
        updated = ok(tenant.admin.patch(path, data={"value": "12.34", "date": "2018-01-30T10:05:20.402Z"}))
        assert (updated["value"], updated["date"], updated["createdAt"]) == (
            12.34,
            "2018-01-30T10:05:20.402Z",
            first["createdAt"],
        )
        assert error(tenant.admin.patch(path, json={"isReset": True})) == "isReset is not allowed to be set!"
        assert error(tenant.admin.patch(path, json={"value": None})) == "value cannot be null"
        other_meter = meter(tenant.admin)
        wrong = f"/meters/{other_meter['id']}/readings/{first['id']}"
        assert error(tenant.admin.patch(wrong, json={"value": 1}), 404) == "meter reading not found"
        assert ok(tenant.admin.delete(path)) == f"deleted reading record: {first['id']}"
        assert error(tenant.admin.delete(path), 404) == "meter reading not found"
        assert ok(tenant.admin.get(f"/meters/{created['id']}/readings")) == []
        assert events(db, tenant.account_id, first["id"]) == [
            "METER_READING_CREATED",
            "METER_READING_UPDATED",
            "METER_READING_DELETED",
        ]

    def test_a_cumulative_meter_refuses_a_lower_reading_unless_reset(self, tenant: Tenant) -> None:
        odometer = meter(tenant.admin, name="Odometer", units="km", isCumulative=True)
        assert odometer["isCumulative"] is True
        reading(tenant.admin, odometer["id"], value=150_000)
        refused = tenant.admin.post(f"/meters/{odometer['id']}/readings", json={"value": 20})
        assert error(refused) == (
            "value 20 is lower than the previous reading 150000 of this cumulative meter:"
            " mark the reading as a reset to record it"
        )
        assert reading(tenant.admin, odometer["id"], value=20, isReset=True)["isReset"] is True

    def test_a_limited_tech_corrects_only_its_own_readings(self, tenant: Tenant) -> None:
        created = meter(tenant.admin)
        limited = tenant.as_role("LIMITED_TECH")
        own = reading(limited, created["id"], value=2)
        ok(limited.patch(f"/meters/{created['id']}/readings/{own['id']}", json={"value": 3}))
        theirs = reading(tenant.admin, created["id"], value=2)
        response = limited.patch(f"/meters/{created['id']}/readings/{theirs['id']}", json={"value": 3})
        assert error(response, 404) == "meter reading not found"
        assert error(limited.delete(f"/meters/{created['id']}/readings/{own['id']}"), 403) == (
            "LIMITED_TECH users may not delete meter readings"
        )


# ------------------------------------------------------------------------------------------ notifications


class TestNotifications:
    def test_documented_body_and_shape(self, tenant: Tenant, db: Database) -> None:
        created = meter(tenant.admin)
        tech = tenant.as_role("TECH")
        result = ok(
            tenant.admin.post(
                f"/meters/{created['id']}/notifications",
                data={
                    "title": "Reading less than 100",
                    "description": "Triggers when reading is less than 100",
                    "triggerValue": "100",
                    "triggerFrequency": "ONE_TIME_IS_LESS_THAN",
                    "assignedToUser": tech.user_id,
                },
            )
        )
        assert set(result) == NOTIFICATION_KEYS
        assert (result["triggerValue"], result["lastValueForWorkOrder"], result["triggerFrequency"]) == (
            100,
            0,
            "ONE_TIME_IS_LESS_THAN",
        )
        assert (result["assignedToUser"], result["createdByUser"]) == (tech.user_id, tenant.admin.user_id)
        assert (result["oneOpenWorkOrder"], result["lastWorkOrder"], result["firedAt"], result["category"]) == (
            True,
            None,
            None,
            None,
        )
        assert events(db, tenant.account_id, result["id"]) == ["METER_NOTIFICATION_CREATED"]

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"triggerValue": 1, "triggerFrequency": "EVERY_TIME_REACHES"}, "title cannot be null"),
            ({"title": "t", "triggerFrequency": "EVERY_TIME_REACHES"}, "triggerValue cannot be null"),
            ({"title": "t", "triggerValue": 1}, "triggerFrequency cannot be null"),
            (
                {"title": "t", "triggerValue": 1, "triggerFrequency": "SOMETIMES"},
                "triggerFrequency must be one of ONE_TIME_IS_GREATER_THAN, ONE_TIME_IS_LESS_THAN, "
                "EVERY_TIME_IS_LESS_THAN, EVERY_TIME_IS_GREATER_THAN, EVERY_TIME_IS_EQUAL_TO, EVERY_TIME_REACHES",
            ),
            (
                {"title": "t", "triggerValue": 0, "triggerFrequency": "EVERY_TIME_REACHES"},
                "triggerValue must be greater than 0 for EVERY_TIME_REACHES",
            ),
            (
                {"title": "t", "triggerValue": 1, "triggerFrequency": "EVERY_TIME_REACHES", "assignedToUser": "x"},
                "assignedToUser x not found",
            ),
            (
                {"title": "t", "triggerValue": 1, "triggerFrequency": "EVERY_TIME_REACHES", "category": "Spaceships"},
                "category Spaceships is not one of the account's work order categories",
            ),
        ],
    )
    def test_bad_bodies(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        created = meter(tenant.admin)
        assert error(tenant.admin.post(f"/meters/{created['id']}/notifications", json=body)) == message

    def test_list_get_update_delete(self, tenant: Tenant, http: Any, db: Database) -> None:
        created = meter(tenant.admin)
        first = notification(tenant.admin, created["id"])
        second = notification(tenant.admin, created["id"], title="Change breakers every 100 hours")
        base = f"/meters/{created['id']}/notifications"
        assert ids(ok(tenant.admin.get(base))) == [second["id"], first["id"]]
        got = ok(tenant.admin.get(f"{base}/{first['id']}", params={"includes": "createdByUser"}))
        assert got["createdByUser"]["id"] == tenant.admin.user_id
        updated = ok(
            tenant.admin.patch(
                f"{base}/{second['id']}",
                data={"lastValueForWorkOrder": "200", "triggerFrequency": "EVERY_TIME_REACHES"},
            )
        )
        assert (updated["lastValueForWorkOrder"], updated["triggerFrequency"]) == (200, "EVERY_TIME_REACHES")
        other = new_tenant(http, db, name="Other Co")
        assert error(other.admin.get(f"{base}/{first['id']}"), 404) == "meter notification not found"
        assert error(other.admin.get(base), 404) == "meter not found"
        other_meter = meter(tenant.admin)
        assert error(tenant.admin.get(f"/meters/{other_meter['id']}/notifications/{first['id']}"), 404) == (
            "meter notification not found"
        )
        assert ok(tenant.admin.delete(f"{base}/{first['id']}")) == "1 notification deleted"
        assert error(tenant.admin.get(f"{base}/{first['id']}"), 404) == "meter notification not found"
        assert events(db, tenant.account_id, second["id"]) == [
            "METER_NOTIFICATION_CREATED",
            "METER_NOTIFICATION_UPDATED",
        ]


# ------------------------------------------------------------------------------------------ triggered work orders


class TestTriggeredWorkOrders:
    def test_a_reading_creates_the_work_order_and_hits_are_listed(self, tenant: Tenant, db: Database) -> None:
        place = make_place(db, tenant.account_id)
        asset = make_asset(db, tenant.account_id, location_id=place)
        tech = tenant.as_role("TECH")
        created = meter(tenant.admin, asset=asset, location=place)
        trigger = notification(
            tenant.admin,
            created["id"],
            title="Too hot",
            description="Check the cooling",
            triggerValue=80,
            triggerFrequency="EVERY_TIME_IS_GREATER_THAN",
            assignedToUser=tech.user_id,
        )
        hot = evaluated(tenant, tech, created["id"], value=81)
        [work_order] = ok(tenant.admin.get("/work-orders", params={"title": "Too hot"}))
        assert (work_order["description"], work_order["category"]) == ("Check the cooling", "Meter")
        assert (work_order["asset"], work_order["location"], work_order["assignedToUser"]) == (
            asset,
            place,
            tech.user_id,
        )
        again = evaluated(tenant, tech, created["id"], value=90)
        assert len(ok(tenant.admin.get("/work-orders", params={"title": "Too hot"}))) == 1
        path = f"/meters/{created['id']}/notifications/{trigger['id']}"
        assert ok(tenant.admin.get(path))["lastWorkOrder"] == work_order["id"]
        hits = ok(tenant.admin.get(f"{path}/hits", params={"orderBy": "createdAt ASC", "includes": "workOrder"}))
        assert [(h["reading"], h["value"], h["outcome"]) for h in hits] == [
            (hot["id"], 81, "created"),
            (again["id"], 90, "open_work_order"),
        ]
        assert hits[0]["workOrder"]["id"] == work_order["id"] and hits[1]["workOrder"] is None

    def test_one_time_fires_once_until_edited(self, tenant: Tenant) -> None:
        created = meter(tenant.admin)
        trigger = notification(tenant.admin, created["id"], oneOpenWorkOrder=False)
        evaluated(tenant, tenant.admin, created["id"], value=50)
        evaluated(tenant, tenant.admin, created["id"], value=40)
        path = f"/meters/{created['id']}/notifications/{trigger['id']}"
        assert ok(tenant.admin.get(path))["firedAt"] is not None
        assert ok(tenant.admin.patch(path, json={"triggerValue": 30}))["firedAt"] is None
        evaluated(tenant, tenant.admin, created["id"], value=20)
        assert len(ok(tenant.admin.get("/work-orders", params={"title": "Reading less than 100"}))) == 2

    def test_webhook_bodies_carry_the_records_as_the_api_shows_them(self, tenant: Tenant, db: Database) -> None:
        created = meter(tenant.admin)
        trigger = notification(
            tenant.admin, created["id"], triggerFrequency="EVERY_TIME_IS_GREATER_THAN", triggerValue=9
        )
        hot = evaluated(tenant, tenant.admin, created["id"], value=10)
        bodies: dict[str, dict[str, Any]] = {}
        with db.unit_of_work() as session:
            for event in session.scalars(select(Event).where(Event.account_id == tenant.account_id)):
                if event.type.startswith("METER_"):
                    view = EventView(
                        event.id,
                        event.account_id,
                        event.type,
                        event.resource_type,
                        event.resource_id,
                        orjson.loads(event.payload),
                        event.occurred_at,
                    )
                    bodies[event.type] = UpkeepWebhooks().body(view, event.type)
        assert bodies["METER_CREATED"] == {**created, "event": "METER_CREATED"}
        assert bodies["METER_READING_CREATED"] == {**hot, "event": "METER_READING_CREATED"}
        triggered = bodies["METER_NOTIFICATION_TRIGGERED"]
        [work_order] = ok(tenant.admin.get("/work-orders", params={"title": trigger["title"]}))
        assert (triggered["id"], triggered["lastWorkOrder"], triggered["event"]) == (
            trigger["id"],
            work_order["id"],
            "METER_NOTIFICATION_TRIGGERED",
        )
        assert {k: triggered["hit"][k] for k in ("meter", "reading", "value", "outcome", "workOrder")} == {
            "meter": created["id"],
            "reading": hot["id"],
            "value": 10,
            "outcome": "created",
            "workOrder": work_order["id"],
        }


def test_a_real_client_on_an_empty_and_a_filled_account(tenant: Tenant, db: Database) -> None:
    """robzu240899/test_repo (upkeep/manager.py, upkeep/api.py; ../shared/reference/upkeep-behaviour.md
    3.6): JSON POST /meters/ {name, units, frequency, asset, location}, then POST /meters/{id}/readings
    {value}, with trailing slashes."""
    assert ok(tenant.admin.get("/meters/")) == []
    place = make_place(db, tenant.account_id)
    asset = make_asset(db, tenant.account_id, location_id=place)
    body = {"name": "Hours", "units": "h", "frequency": 30, "asset": asset, "location": place}
    created = ok(tenant.admin.post("/meters/", json=body))
    assert isinstance(created["id"], str) and created["frequency"] == 30
    added = ok(tenant.admin.post(f"/meters/{created['id']}/readings/", json={"value": 12}))
    assert added["value"] == 12 and added["meter"] == created["id"]
    assert ids(ok(tenant.admin.get(f"/meters/{created['id']}/readings/"))) == [added["id"]]
    assert ok(tenant.admin.get(f"/meters/{created['id']}/notifications/")) == []
    assert ids(ok(tenant.admin.get("/meters/"))) == [created["id"]]


CALLS = [
    ("GET", "/meters/{m}", None),
    ("PATCH", "/meters/{m}", {"name": "x"}),
    ("DELETE", "/meters/{m}", None),
    ("POST", "/meters/{m}/readings", {"value": 1}),
    ("GET", "/meters/{m}/readings", None),
    ("PATCH", "/meters/{m}/readings/{r}", {"value": 2}),
    ("DELETE", "/meters/{m}/readings/{r}", None),
    ("POST", "/meters/{m}/notifications", {"title": "t", "triggerValue": 1, "triggerFrequency": "EVERY_TIME_REACHES"}),
    ("GET", "/meters/{m}/notifications", None),
    ("GET", "/meters/{m}/notifications/{n}", None),
    ("PATCH", "/meters/{m}/notifications/{n}", {"title": "u"}),
    ("DELETE", "/meters/{m}/notifications/{n}", None),
    ("GET", "/meters/{m}/notifications/{n}/hits", None),
]


@pytest.mark.parametrize(("method", "template", "body"), CALLS, ids=[f"{m} {t}" for m, t, _ in CALLS])
def test_every_endpoint_hides_another_accounts_records_and_refuses_requesters(
    tenant: Tenant, http: Any, db: Database, method: str, template: str, body: dict[str, Any] | None
) -> None:
    created = meter(tenant.admin)
    path = template.format(
        m=created["id"],
        r=evaluated(tenant, tenant.admin, created["id"])["id"],
        n=notification(tenant.admin, created["id"])["id"],
    )
    other = new_tenant(http, db, name="Other Co")
    answer = other.admin.http.request(method, "/api/v2" + path, headers={"Session-Token": other.admin.token}, json=body)
    assert answer.status_code == 404, answer.text
    assert answer.json()["message"] in ("meter not found", "meter reading not found", "meter notification not found")
    requester = tenant.as_role("REQUESTER")
    refused = requester.http.request(method, "/api/v2" + path, headers={"Session-Token": requester.token}, json=body)
    assert refused.status_code == 403, refused.text
    assert refused.json()["message"].startswith("REQUESTER users may not ")


class TestLeanList:
    """``GET /meters`` confirms a cached principal's session in the page's own statement (as
    ``GET /work-orders`` does: tests/api/upkeep/test_work_order_list_session.py)."""

    @staticmethod
    def _sessions(tenant: Tenant, assignments: str) -> None:
        with tenant.db.unit_of_work() as session:
            session.execute(
                text(f"UPDATE auth_sessions SET {assignments} WHERE account_id = :a"), {"a": tenant.account_id}
            )

    def test_a_cached_principal_lists_in_one_statement(self, tenant: Tenant) -> None:
        created = meter(tenant.admin)
        assert ok(tenant.admin.get("/meters")) == [created]  # the principal is now cached
        seen: list[str] = []
        observe.statement_observers.append(seen.append)
        try:
            assert ok(tenant.admin.get("/meters", params={"limit": 50})) == [created]
        finally:
            observe.statement_observers.remove(seen.append)
        assert len(seen) == 1 and "auth_sessions" in seen[0]

    @pytest.mark.parametrize("change", ["revoked_at = 1", "expires_at = 1"])
    def test_an_ended_session_is_refused_although_its_principal_is_cached(self, tenant: Tenant, change: str) -> None:
        meter(tenant.admin)
        assert tenant.admin.get("/meters").status_code == 200
        self._sessions(tenant, change)
        assert error(tenant.admin.get("/meters"), 401)
        assert error(tenant.admin.get("/meters", params={"nonsense": 1}), 401)

    def test_empty_pages_and_includes(self, tenant: Tenant) -> None:
        assert ok(tenant.admin.get("/meters")) == []
        assert ok(tenant.admin.get("/meters", params={"name": "none"})) == []
        created = meter(tenant.admin)
        [item] = ok(tenant.admin.get("/meters", params={"includes": "createdByUser"}))
        assert item["id"] == created["id"] and item["createdByUser"]["id"] == tenant.admin.user_id
