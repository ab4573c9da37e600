"""/api/v2/preventive-maintenance: PM triggers as UpKeep documents them (the engine: tests/domain/preventive)."""

from __future__ import annotations

import re
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from premises.api.upkeep.webhooks import UpkeepWebhooks
from premises.db.engine import Database
from premises.kit.time import now_ms
from premises.models import Event, PmWorkOrder, WorkOrder
from premises.preventive.sweep import sweep
from premises.webhook.dialects import EventView
from tests.support.client import Tenant, UpKeep, new_tenant
from tests.support.factories import make_place

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
TRIGGER_KEYS = {
    "id",
    "name",
    "createFirstWO",
    "scheduleType",
    "isNextOccurrenceBasedOnCompletion",
    "rrfreq",
    "rrdtstart",
    "rruntil",
    "rrinterval",
    "rrtzid",
    "rrbyweekday",
    "rrbymonthday",
    "rrbysetpos",
    "cadenceInterval",
    "cadenceFreq",
    "cadenceType",
    "meter",
    "meterCondition",
    "meterConditionValue",
    "meterDueInterval",
    "meterDueFrequency",
    "meterBaseline",
    "nextTriggerDate",
    "rdates",
    "exdates",
    "scheduleHasEnded",
    "createdBy",
    "createdAt",
    "updatedAt",
    "isPaused",
    "isArchived",
    "archivedAt",
    "archivedBy",
    "lastWorkOrder",
}
WORK_ORDER_KEYS = {
    "title",
    "description",
    "priority",
    "category",
    "asset",
    "location",
    "assignedToUser",
    "additionalUsers",
    "parts",
    "respectivePartQuantityUsed",
    "duration",
    "lastDueDate",
    "nextDueDate",
}
# The seed's example, in a year to come (so its occurrences are ahead).
SEED = {
    "trigger": {
        "name": "Title for PMTrigger",
        "scheduleType": "EVERY_N_MONTHS_ON_NTH_WEEKDAY",
        "rrdtstart": "2031-01-17T12:12:44",
        "rrinterval": 1,
        "rrtzid": "Asia/Kolkata",
        "rrfreq": "MONTHLY",
        "cadenceFreq": "MONTHLY",
        "cadenceType": "manual",
        "cadenceInterval": 1,
        "rrbyweekday": ["MO"],
        "rrbysetpos": [1],
    },
    "workOrder": {"title": "Title for workOrder"},
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


def create(client: UpKeep, trigger: dict[str, Any] | None = None, work_order: dict[str, Any] | None = None) -> Any:
    body = {"trigger": {**SEED["trigger"], **(trigger or {})}, "workOrder": {**SEED["workOrder"], **(work_order or {})}}
    return ok(client.post("/preventive-maintenance", json=body))


def event_types(db: Database, account_id: str, resource_id: str) -> list[str]:
    with db.unit_of_work() as session:
        rows = session.scalars(
            select(Event.type)
            .where(Event.account_id == account_id, Event.resource_id == resource_id)
            .order_by(Event.id)
        )
        return list(rows)


class TestCreate:
    def test_the_seed_example_and_its_shape(self, tenant: Tenant, db: Database) -> None:
        result = create(tenant.admin)
        assert set(result) == {"trigger", "workOrder"}
        trigger, work_order = result["trigger"], result["workOrder"]
        assert set(trigger) == TRIGGER_KEYS and set(work_order) == WORK_ORDER_KEYS
        assert trigger["name"] == "Title for PMTrigger" and trigger["createFirstWO"] == 0
        # Wall-clock times in rrtzid, shown as UpKeep shows them; the next occurrence as an instant:
        # the first Monday of February 2031 at 12:12:44 in Kolkata (UTC+5:30).
        assert trigger["rrdtstart"] == "2031-01-17T12:12:44.000Z"
        assert trigger["nextTriggerDate"] == "2031-02-03T06:42:44.000Z" == work_order["nextDueDate"]
        assert (trigger["rrbyweekday"], trigger["rrbysetpos"], trigger["rrbymonthday"]) == (["MO"], [1], None)
        assert (trigger["cadenceType"], trigger["cadenceFreq"], trigger["cadenceInterval"]) == ("manual", "MONTHLY", 1)
        assert trigger["scheduleHasEnded"] is False and trigger["isPaused"] is False and trigger["isArchived"] is False
        assert trigger["createdBy"] == tenant.admin.user_id and ISO.fullmatch(trigger["createdAt"])
        assert work_order["title"] == "Title for workOrder" and work_order["lastDueDate"] is None
        assert event_types(db, tenant.account_id, trigger["id"]) == ["WORK_ORDER_SCHEDULE_CREATED"]

    def test_create_first_wo_makes_the_first_work_order_at_once(self, tenant: Tenant, db: Database) -> None:
        place = make_place(db, tenant.account_id)
        result = create(
            tenant.admin,
            {"createFirstWO": True},
            {"priority": 2, "duration": 3, "location": place, "description": "Grease the bearings"},
        )
        trigger, work_order = result["trigger"], result["workOrder"]
        assert trigger["createFirstWO"] == 1 and trigger["lastWorkOrder"]
        assert work_order["lastDueDate"] == "2031-02-03T06:42:44.000Z"
        assert work_order["nextDueDate"] == "2031-03-03T06:42:44.000Z"  # the first Monday of March
        created = ok(tenant.admin.get(f"/work-orders/{trigger['lastWorkOrder']}"))
        assert (created["title"], created["category"], created["priority"]) == (
            "Title for workOrder",
            "Preventative",
            2,
        )
        assert created["dueDate"] == "2031-02-03T06:42:44.000Z" and created["location"] == place
        types = event_types(db, tenant.account_id, trigger["lastWorkOrder"])
        assert types == ["WORK_ORDER_CREATED", "PM_WORK_ORDER_CREATED"]

    @pytest.mark.parametrize(
        ("trigger", "work_order", "message"),
        [
            ({"name": None}, {}, "name cannot be null"),
            ({"rrtzid": "Mars/Olympus"}, {}, "rrtzid Mars/Olympus is not a time zone such as Asia/Kolkata"),
            ({"scheduleType": "SOMETIMES"}, {}, "scheduleType must be one of"),
            ({"rrfreq": "WEEKLY"}, {}, "rrfreq must be MONTHLY for EVERY_N_MONTHS_ON_NTH_WEEKDAY"),
            ({"rrbysetpos": None}, {}, "rrbysetpos is required for a EVERY_N_MONTHS_ON_NTH_WEEKDAY schedule"),
            ({"rrbyweekday": ["XX"]}, {}, "rrbyweekday must be one of MO, TU, WE, TH, FR, SA, SU"),
            ({"rrdtstart": "next tuesday"}, {}, "rrdtstart must be a date and time such as 2023-01-17T12:12:44"),
            ({"rruntil": "2030-01-01T00:00:00"}, {}, "rruntil: the schedule has no occurrence"),
            ({"rrinterval": 0}, {}, "rrinterval must be between 1 and 1000"),
            ({"cadenceType": "sometimes"}, {}, "cadenceType must be one of manual, EVERY_N_DAYS"),
            ({"bogus": 1}, {}, "bogus not in schema"),
            ({}, {"title": ""}, "title cannot be null"),
            ({}, {"category": "Nope"}, "Nope"),
            ({}, {"assignedToUser": "nobody"}, "nobody not found"),
            ({}, {"priority": 9}, "priority must be one of"),
        ],
    )
    def test_bad_input_is_a_400(
        self, tenant: Tenant, trigger: dict[str, Any], work_order: dict[str, Any], message: str
    ) -> None:
        body = {"trigger": {**SEED["trigger"], **trigger}, "workOrder": {**SEED["workOrder"], **work_order}}
        assert message in error(tenant.admin.post("/preventive-maintenance", json=body))

    def test_both_parts_are_required(self, tenant: Tenant) -> None:
        assert error(tenant.admin.post("/preventive-maintenance", json={"trigger": SEED["trigger"]})) == (
            "workOrder cannot be null"
        )
        assert "an object" in error(tenant.admin.post("/preventive-maintenance", json={**SEED, "trigger": [1]}))

    def test_a_form_body_carries_each_part_as_a_json_text(self, tenant: Tenant) -> None:
        data = {"trigger": orjson.dumps(SEED["trigger"]).decode(), "workOrder": '{"title": "From a form"}'}
        result = ok(tenant.admin.post("/preventive-maintenance", data=data))
        assert result["workOrder"]["title"] == "From a form" and result["trigger"]["rrbyweekday"] == ["MO"]


class TestReadUpdateDelete:
    def test_list_get_and_another_account(self, tenant: Tenant, http: Any, db: Database) -> None:
        first = create(tenant.admin, {"name": "First"})
        second = create(tenant.admin, {"name": "Second"})
        listed = ok(tenant.admin.get("/preventive-maintenance", params={"orderBy": "createdAt ASC"}))
        assert [r["trigger"]["id"] for r in listed] == [first["trigger"]["id"], second["trigger"]["id"]]
        assert ok(tenant.admin.get(f"/preventive-maintenance/{first['trigger']['id']}")) == first
        assert (
            ok(
                tenant.admin.get(
                    "/preventive-maintenance", params={"limit": 1, "offset": 1, "orderBy": "createdAt ASC"}
                )
            )[0]
            == second
        )
        other = new_tenant(http, db, "Other Co")
        assert ok(other.admin.get("/preventive-maintenance")) == []
        assert error(other.admin.get(f"/preventive-maintenance/{first['trigger']['id']}"), 404)
        assert error(other.admin.patch(f"/preventive-maintenance/{first['trigger']['id']}", json={}), 404)
        assert error(other.admin.delete(f"/preventive-maintenance/{first['trigger']['id']}"), 404)

    def test_the_seed_update_moves_the_schedule(self, tenant: Tenant, db: Database) -> None:
        trigger_id = create(tenant.admin)["trigger"]["id"]
        body = {
            "trigger": {
                "rrinterval": 1,
                "scheduleType": "EVERY_N_MONTHS_ON_NTH_WEEKDAY",
                "rrfreq": "MONTHLY",
                "rrtzid": "Asia/Kolkata",
                "rrbyweekday": ["MO"],
                "rrbysetpos": [3],
            },
            "workOrder": {"priority": 1, "duration": 12, "category": "Inspection"},
        }
        result = ok(tenant.admin.patch(f"/preventive-maintenance/{trigger_id}", json=body))
        assert result["trigger"]["rrbysetpos"] == [3]
        # The third Monday of January 2031 (the 20th) is after the start (the 17th): the next occurrence.
        assert result["trigger"]["nextTriggerDate"] == "2031-01-20T06:42:44.000Z"
        assert (result["workOrder"]["priority"], result["workOrder"]["duration"]) == (1, 12)
        assert result["workOrder"]["category"] == "Inspection"
        assert event_types(db, tenant.account_id, trigger_id)[-1] == "WORK_ORDER_SCHEDULE_UPDATED"

    def test_pause_and_archive(self, tenant: Tenant, db: Database) -> None:
        trigger_id = create(tenant.admin)["trigger"]["id"]
        paused = ok(tenant.admin.patch(f"/preventive-maintenance/{trigger_id}", json={"trigger": {"isPaused": True}}))
        assert paused["trigger"]["isPaused"] is True
        archived = ok(
            tenant.admin.patch(f"/preventive-maintenance/{trigger_id}", json={"trigger": {"isArchived": True}})
        )["trigger"]
        assert archived["isArchived"] is True and archived["archivedBy"] == tenant.admin.user_id
        assert ISO.fullmatch(archived["archivedAt"])
        back = ok(
            tenant.admin.patch(
                f"/preventive-maintenance/{trigger_id}", json={"trigger": {"isArchived": False, "isPaused": False}}
            )
        )["trigger"]
        assert (back["isArchived"], back["archivedAt"], back["archivedBy"], back["isPaused"]) == (
            False,
            None,
            None,
            False,
        )
        assert event_types(db, tenant.account_id, trigger_id).count("WORK_ORDER_SCHEDULE_STATUS_UPDATED") == 3

    def test_delete_answers_as_documented(self, tenant: Tenant, db: Database) -> None:
        created = create(tenant.admin)
        trigger_id = created["trigger"]["id"]
        response = tenant.admin.delete(f"/preventive-maintenance/{trigger_id}")
        assert response.status_code == 200
        body = response.json()
        assert body["success"] is True and body["message"] == "1 trigger deleted"
        assert [item["trigger"]["id"] for item in body["data"]] == [trigger_id]
        assert error(tenant.admin.get(f"/preventive-maintenance/{trigger_id}"), 404)
        assert event_types(db, tenant.account_id, trigger_id)[-1] == "WORK_ORDER_SCHEDULE_DELETED"

    def test_webhook_bodies_are_the_trigger_as_the_api_shows_it(self, tenant: Tenant, db: Database) -> None:
        created = create(tenant.admin)
        trigger_id = created["trigger"]["id"]
        renamed = ok(tenant.admin.patch(f"/preventive-maintenance/{trigger_id}", json={"trigger": {"name": "Weekly"}}))
        with db.unit_of_work() as session:
            events = session.scalars(
                select(Event).where(Event.account_id == tenant.account_id, Event.resource_id == trigger_id)
            ).all()
            views = [
                EventView(
                    e.id, e.account_id, e.type, e.resource_type, e.resource_id, orjson.loads(e.payload), e.occurred_at
                )
                for e in events
            ]
        bodies = {view.type: UpkeepWebhooks().body(view, view.type) for view in views}
        expected = {**created["trigger"], "workOrder": created["workOrder"], "event": "WORK_ORDER_SCHEDULE_CREATED"}
        assert bodies["WORK_ORDER_SCHEDULE_CREATED"] == expected
        assert bodies["WORK_ORDER_SCHEDULE_UPDATED"]["name"] == renamed["trigger"]["name"] == "Weekly"

    def test_roles(self, tenant: Tenant) -> None:
        trigger_id = create(tenant.admin)["trigger"]["id"]
        tech, view = tenant.as_role("TECH"), tenant.as_role("VIEW_ONLY")
        assert ok(view.get(f"/preventive-maintenance/{trigger_id}"))["trigger"]["id"] == trigger_id
        assert error(view.post("/preventive-maintenance", json=SEED), 403)
        assert error(view.patch(f"/preventive-maintenance/{trigger_id}", json={"trigger": {"name": "x"}}), 403)
        assert ok(tech.patch(f"/preventive-maintenance/{trigger_id}", json={"trigger": {"name": "x"}}))
        assert error(tech.delete(f"/preventive-maintenance/{trigger_id}"), 403)
        assert error(tenant.as_role("REQUESTER").get("/preventive-maintenance"), 403)


class TestSweep:
    def test_a_due_trigger_makes_its_work_order_once(self, tenant: Tenant, db: Database) -> None:
        trigger = create(
            tenant.admin,
            {
                "scheduleType": "EVERY_N_DAYS",
                "rrfreq": "DAILY",
                "rrbysetpos": None,
                "rrbyweekday": None,
                "rrtzid": "UTC",
                "rrdtstart": "2031-01-01T08:00:00",
            },
        )["trigger"]
        due = 1_925_020_800_000  # 2031-01-01T08:00:00Z
        assert trigger["nextTriggerDate"] == "2031-01-01T08:00:00.000Z"
        with db.unit_of_work() as session:
            assert sweep(session, due - 1, account_id=tenant.account_id).created == 0
        for _ in range(2):
            with db.unit_of_work() as session:
                sweep(session, due + 5_000, account_id=tenant.account_id)
        with db.unit_of_work() as session:
            links = session.scalars(select(PmWorkOrder).where(PmWorkOrder.account_id == tenant.account_id)).all()
            assert [link.due_at for link in links] == [due]
            work_order = session.get(WorkOrder, (tenant.account_id, links[0].work_order_id))
            assert work_order is not None and work_order.category == "Preventative" and work_order.due_date == due
        after = ok(tenant.admin.get(f"/preventive-maintenance/{trigger['id']}"))
        assert after["trigger"]["nextTriggerDate"] == "2031-01-02T08:00:00.000Z"
        assert after["workOrder"]["lastDueDate"] == "2031-01-01T08:00:00.000Z"
        assert now_ms() < due
