"""UpKeep's sunset API (versions before 2022-09-14): legacy recurring work orders stored as PM triggers,
GET /work-order-schedule, the upkeep-version header and the account's default version, and the
PM_WORK_ORDER_* events of the work orders triggers make (docs/dialects/upkeep.md#versions)."""

from __future__ import annotations

import dataclasses
from typing import Any

import orjson
from sqlalchemy import select

from premises.account.service import set_upkeep_api_version
from premises.api.upkeep.webhooks import OFFERED, UpkeepWebhooks
from premises.db.engine import Database
from premises.models import Event, PmTrigger, PmWorkOrder, WorkOrder
from premises.preventive.sweep import sweep
from premises.webhook.dialects import EventView
from tests.api.upkeep.test_preventive_maintenance import create as create_trigger
from tests.api.upkeep.test_preventive_maintenance import error, event_types, ok
from tests.support.client import Tenant, UpKeep
from tests.support.factories import make_asset, make_place

OLD = {"upkeep-version": "'2021-11-23'"}  # as UpKeep's documentation writes it
DAY = 86_400_000
START = 1_925_020_800_000  # 2031-01-01T08:00:00Z (a Wednesday)


def legacy(client: UpKeep, version: str = "'2021-11-23'") -> UpKeep:
    return dataclasses.replace(client, headers={"upkeep-version": version})


def seed_body(tenant: Tenant, **extra: str) -> dict[str, str]:
    """The seed's curl -d fields (a form body), with this tenant's asset, location and user."""
    location = make_place(tenant.db, tenant.account_id)
    return {
        "title": "Check Oil",
        "description": "Confirm the tractor is optimal",
        "priority": "1",
        "recurringSchedule": "daily",
        "dueDate": "1515482422310",
        "endDueDate": "1517279400000",
        "asset": make_asset(tenant.db, tenant.account_id),
        "location": location,
        "assignedToUser": tenant.admin.user_id,
        **extra,
    }


def recurring(client: UpKeep, schedule: str = "daily", **extra: Any) -> Any:
    body = {"title": "Check Oil", "recurringSchedule": schedule, "dueDate": START, **extra}
    return ok(legacy(client).post("/work-orders", json=body))


def trigger_of(db: Database, account_id: str, work_order_id: str) -> PmTrigger:
    with db.unit_of_work() as session:
        trigger = session.scalar(
            select(PmTrigger).where(PmTrigger.account_id == account_id, PmTrigger.legacy_work_order_id == work_order_id)
        )
        assert trigger is not None
        session.expunge(trigger)
        return trigger


def links(db: Database, account_id: str, trigger_id: str) -> list[tuple[int, str]]:
    with db.unit_of_work() as session:
        rows = session.execute(
            select(PmWorkOrder.due_at, PmWorkOrder.work_order_id)
            .where(PmWorkOrder.account_id == account_id, PmWorkOrder.trigger_id == trigger_id)
            .order_by(PmWorkOrder.due_at)
        )
        return [(due, wo) for due, wo in rows]


class TestSeedExamples:
    def test_create_a_legacy_recurring_work_order_as_the_seed_does(self, tenant: Tenant, db: Database) -> None:
        body = seed_body(tenant, rescheduledBasedOnCompletion="true")
        result = ok(legacy(tenant.admin).post("/preventative-maintenance/", data=body))
        expected = {
            "title": "Check Oil",
            "status": "open",
            "dueDate": "2018-01-09T07:20:22.310Z",
            "endDueDate": "2018-01-30T02:30:00.000Z",
            "recurringSchedule": "daily",
            "assignedToUser": tenant.admin.user_id,
            "assignedToUsername": tenant.admin.email,
            "asset": body["asset"],
            "location": body["location"],
            "assignedByUser": tenant.admin.user_id,
            "assignedByUsername": tenant.admin.email,
            "rescheduledBasedOnCompletion": True,
            "priority": 1,
            "description": "Confirm the tractor is optimal",
        }
        assert {key: result[key] for key in expected} == expected
        assert result["createdAt"] == result["updatedAt"]
        trigger = trigger_of(db, tenant.account_id, result["id"])
        assert (trigger.schedule_type, trigger.rrinterval, trigger.rrtzid) == ("EVERY_N_DAYS", 1, "UTC")
        assert (trigger.rrdtstart, trigger.rruntil) == ("2018-01-09T07:20:22", "2018-01-30T02:30:00")
        assert trigger.next_on_completion and trigger.wo_title == "Check Oil" and trigger.wo_priority == 1
        assert links(db, tenant.account_id, trigger.id) == [(1515482422000, result["id"])]
        assert event_types(db, tenant.account_id, result["id"]) == ["WORK_ORDER_CREATED", "PM_WORK_ORDER_CREATED"]
        assert event_types(db, tenant.account_id, trigger.id) == ["WORK_ORDER_SCHEDULE_CREATED"]

    def test_get_all_get_one_update_delete(self, tenant: Tenant, db: Database) -> None:
        client = legacy(tenant.admin)
        created = ok(client.post("/preventative-maintenance/", data=seed_body(tenant)))
        assert created["rescheduledBasedOnCompletion"] is False
        plain = ok(tenant.admin.post("/work-orders", json={"title": "Not recurring"}))
        listed = ok(client.get("/preventative-maintenance"))
        assert [item["id"] for item in listed] == [created["id"]]  # root recurring work orders only
        one = ok(client.get(f"/preventative-maintenance/{created['id']}"))
        assert {key: one[key] for key in listed[0]} == listed[0]  # the detail adds costs, messages, time log
        assert {k: listed[0][k] for k in ("title", "recurringSchedule", "endDueDate")} == {
            "title": "Check Oil",
            "recurringSchedule": "daily",
            "endDueDate": "2018-01-30T02:30:00.000Z",
        }
        assert ok(client.get("/preventative-maintenance", params={"recurringSchedule": "weekly"})) == []
        assert len(ok(client.get("/preventative-maintenance", params={"title": "Check Oil", "limit": 1}))) == 1
        assert error(client.get(f"/preventative-maintenance/{plain['id']}"), 404) == "work order not found"
        # The seed's update: the root's fields, which are the template of the work orders to come.
        updated = ok(client.patch(f"/preventative-maintenance/{created['id']}", data={"title": "Check Oil Daily"}))
        assert updated["title"] == "Check Oil Daily" and updated["recurringSchedule"] == "daily"
        trigger = trigger_of(db, tenant.account_id, created["id"])
        assert trigger.wo_title == trigger.name == "Check Oil Daily"
        assert (
            ok(client.patch(f"/preventative-maintenance/{created['id']}", json={"recurringSchedule": "Su,Th,Fr"}))[
                "recurringSchedule"
            ]
            == "Su,Th,Fr"
        )
        assert trigger_of(db, tenant.account_id, created["id"]).rrbyweekday == '["SU","TH","FR"]'
        assert ok(client.delete(f"/preventative-maintenance/{created['id']}")) == "1 work order deleted"
        assert error(client.get(f"/preventative-maintenance/{created['id']}"), 404)
        assert trigger_of(db, tenant.account_id, created["id"]).deleted_at is not None
        assert event_types(db, tenant.account_id, trigger.id)[-1] == "WORK_ORDER_SCHEDULE_DELETED"
        assert event_types(db, tenant.account_id, created["id"])[-2:] == ["WORK_ORDER_DELETED", "PM_WORK_ORDER_DELETED"]


class TestWorkOrders:
    def test_recurring_schedule_on_post_and_patch_work_orders(self, tenant: Tenant, db: Database) -> None:
        client = legacy(tenant.admin)
        created = recurring(tenant.admin, "weekly", endDueDate=START + 70 * DAY)
        assert (created["recurringSchedule"], created["rescheduledBasedOnCompletion"]) == ("weekly", False)
        assert created["endDueDate"] == "2031-03-12T08:00:00.000Z"
        assert ok(client.get(f"/work-orders/{created['id']}"))["recurringSchedule"] == "weekly"
        plain = ok(client.post("/work-orders", json={"title": "Once"}))
        assert (plain["recurringSchedule"], plain["rescheduledBasedOnCompletion"]) == (None, False)
        # PATCH makes a work order recur, changes the recurrence, and ends it with null.
        made = ok(client.patch(f"/work-orders/{plain['id']}", json={"recurringSchedule": "monthly"}))
        assert made["recurringSchedule"] == "monthly"
        changed = ok(client.patch(f"/work-orders/{created['id']}", json={"recurringSchedule": "twoWeeks"}))
        assert changed["recurringSchedule"] == "twoWeeks"
        assert trigger_of(db, tenant.account_id, created["id"]).rrinterval == 2
        stopped = ok(client.patch(f"/work-orders/{created['id']}", json={"recurringSchedule": None}))
        assert stopped["recurringSchedule"] is None
        assert [i["id"] for i in ok(client.get("/preventative-maintenance"))] == [plain["id"]]

    def test_current_clients_are_unaffected(self, tenant: Tenant) -> None:
        body = {"title": "Check Oil", "recurringSchedule": "daily"}
        assert error(tenant.admin.post("/work-orders", json=body)) == "recurringSchedule not in schema"
        root = recurring(tenant.admin)
        current = ok(tenant.admin.get(f"/work-orders/{root['id']}"))
        assert "recurringSchedule" not in current and "rescheduledBasedOnCompletion" not in current
        new_header = dataclasses.replace(tenant.admin, headers={"upkeep-version": "2022-09-14"})
        assert "recurringSchedule" not in ok(new_header.get(f"/work-orders/{root['id']}"))

    def test_validation_in_upkeep_words(self, tenant: Tenant) -> None:
        client = legacy(tenant.admin)
        message = error(client.post("/work-orders", json={"title": "x", "recurringSchedule": "hourly"}))
        assert message.startswith("recurringSchedule must be one of daily, weekly, twoWeeks")
        assert error(client.post("/work-orders", json={"title": "x", "recurringSchedule": "Su,Xy"})).startswith(
            "recurringSchedule must be one of"
        )
        late = {"title": "x", "recurringSchedule": "daily", "dueDate": START, "endDueDate": START - DAY}
        assert error(client.post("/work-orders", json=late)) == "endDueDate must not be before dueDate"
        assert error(client.post("/work-orders", json={"title": "x", "endDueDate": "soon"})).startswith(
            "endDueDate must be"
        )
        assert (
            error(client.post("/preventative-maintenance", json={"title": "x"})) == "recurringSchedule cannot be null"
        )
        bad = dataclasses.replace(tenant.admin, headers={"upkeep-version": "yesterday"})
        assert error(bad.get("/work-orders/x")) == "upkeep-version must be a date such as 2022-09-14"

    def test_roles_and_other_accounts(self, tenant: Tenant, other_tenant: Tenant) -> None:
        root = recurring(tenant.admin)
        view = legacy(tenant.as_role("VIEW_ONLY"))
        assert ok(view.get(f"/preventative-maintenance/{root['id']}"))["id"] == root["id"]
        assert error(view.post("/preventative-maintenance", json={"title": "x", "recurringSchedule": "daily"}), 403)
        limited = legacy(tenant.as_role("LIMITED_TECH"))
        assert error(limited.post("/work-orders", json={"title": "x", "recurringSchedule": "daily"}), 403)
        assert error(legacy(tenant.as_role("REQUESTER")).get("/work-order-schedule"), 403)
        other = legacy(other_tenant.admin)
        assert error(other.get(f"/preventative-maintenance/{root['id']}"), 404)
        assert error(other.patch(f"/preventative-maintenance/{root['id']}", json={"title": "x"}), 404)
        assert error(other.delete(f"/preventative-maintenance/{root['id']}"), 404)
        assert ok(other.get("/work-order-schedule")) == []


class TestVersions:
    def test_the_account_default_and_the_header(self, tenant: Tenant, db: Database) -> None:
        root = recurring(tenant.admin)
        assert "recurringSchedule" not in ok(tenant.admin.get(f"/work-orders/{root['id']}"))
        with db.unit_of_work() as session:
            assert set_upkeep_api_version(session, tenant.account_id, "2021-11-23") == "2021-11-23"
        assert ok(tenant.admin.get(f"/work-orders/{root['id']}"))["recurringSchedule"] == "daily"
        assert [i["id"] for i in ok(tenant.admin.get("/preventative-maintenance"))] == [root["id"]]
        current = dataclasses.replace(tenant.admin, headers={"upkeep-version": "2022-09-14"})
        assert "recurringSchedule" not in ok(current.get(f"/work-orders/{root['id']}"))
        with db.unit_of_work() as session:
            assert set_upkeep_api_version(session, tenant.account_id, None) is None
        assert "recurringSchedule" not in ok(tenant.admin.get(f"/work-orders/{root['id']}"))

    def test_preventative_is_preventive_for_current_clients(self, tenant: Tenant) -> None:
        trigger = create_trigger(tenant.admin)
        trigger_id = trigger["trigger"]["id"]
        assert ok(tenant.admin.get(f"/preventative-maintenance/{trigger_id}")) == trigger
        assert ok(tenant.admin.get("/preventative-maintenance")) == ok(tenant.admin.get("/preventive-maintenance"))
        renamed = {"trigger": {"name": "Renamed"}}
        assert ok(tenant.admin.patch(f"/preventative-maintenance/{trigger_id}", json=renamed))["trigger"]["name"] == (
            "Renamed"
        )
        body = tenant.admin.delete(f"/preventative-maintenance/{trigger_id}").json()
        assert body["message"] == "1 trigger deleted"


class TestGeneration:
    def test_the_sweep_makes_the_following_work_orders(self, tenant: Tenant, db: Database) -> None:
        root = recurring(tenant.admin, assignedToUser=tenant.admin.user_id, priority=2)
        trigger = trigger_of(db, tenant.account_id, root["id"])
        assert trigger.next_due_at == START + DAY  # the root is the first occurrence
        for now in (START + 5_000, START + DAY + 5_000, START + DAY + 6_000):
            with db.unit_of_work() as session:
                sweep(session, now, account_id=tenant.account_id)
        made = links(db, tenant.account_id, trigger.id)
        assert [due for due, _ in made] == [START, START + DAY] and made[0][1] == root["id"]
        child_id = made[1][1]
        child = ok(tenant.admin.get(f"/work-orders/{child_id}"))
        assert (child["title"], child["priority"], child["category"]) == ("Check Oil", 2, "Preventative")
        assert child["dueDate"] == "2031-01-02T08:00:00.000Z"
        assert event_types(db, tenant.account_id, child_id) == ["WORK_ORDER_CREATED", "PM_WORK_ORDER_CREATED"]

    def test_completion_based_waits_for_the_root(self, tenant: Tenant, db: Database) -> None:
        root = recurring(tenant.admin, rescheduledBasedOnCompletion=True)
        trigger = trigger_of(db, tenant.account_id, root["id"])
        assert trigger.next_due_at is None and trigger.last_work_order_id == root["id"]
        with db.unit_of_work() as session:
            assert sweep(session, START + 3 * DAY, account_id=tenant.account_id).created == 0
        ok(tenant.admin.patch(f"/work-orders/{root['id']}", json={"status": "complete"}))
        with db.unit_of_work() as session:
            sweep(session, START + 3 * DAY, account_id=tenant.account_id)
        assert len(links(db, tenant.account_id, trigger.id)) == 2  # the next one, a day after the completion

    def test_the_schedule_shows_the_occurrences_in_the_window(self, tenant: Tenant) -> None:
        root = recurring(tenant.admin, "Su,Th,Fr", description="Weekly rounds")
        recurring(tenant.admin, "monthly", dueDate=START + 2 * DAY)
        client = legacy(tenant.admin)
        week = {"dueDateGreaterThanOrEqualTo": START, "dueDateLessThan": START + 7 * DAY}
        entries = ok(client.get("/work-order-schedule", params=week))
        assert [(e["dueDate"], e["recurringSchedule"]) for e in entries] == [
            ("2031-01-02T08:00:00.000Z", "Su,Th,Fr"),
            ("2031-01-03T08:00:00.000Z", "monthly"),  # at one time: the newest root first
            ("2031-01-03T08:00:00.000Z", "Su,Th,Fr"),
            ("2031-01-05T08:00:00.000Z", "Su,Th,Fr"),
        ]
        first = entries[0]
        assert "id" not in first and first["preventativeMaintenance"] == root["id"]
        assert (first["title"], first["status"], first["description"]) == ("Check Oil", "open", "Weekly rounds")
        assert len(ok(client.get("/work-order-schedule", params={**week, "limit": 1}))) == 1  # one root
        assert len(ok(client.get("/work-order-schedule", params={**week, "recurringSchedule": "monthly"}))) == 1
        # Without a range: from the start of the client's day (utcOffset) for 31 days; 2031 is years away.
        assert ok(client.get("/work-order-schedule", params={"utcOffset": -120})) == []
        assert error(client.get("/work-order-schedule", params={"utcOffset": 100_000})) == (
            "utcOffset must be between -840 and 840"
        )
        assert error(client.get("/work-order-schedule", params={"colour": "red"})) == "invalid filter key: colour"
        ever = {"dueDateGreaterThan": "0001-01-01", "dueDateLessThan": "9999-12-31"}
        assert len(ok(client.get("/work-order-schedule", params=ever))) == 2 * 366  # at most 366 a root


class TestEvents:
    def test_pm_work_order_updated_and_deleted(self, tenant: Tenant, db: Database) -> None:
        assert {"PM_WORK_ORDER_UPDATED", "PM_WORK_ORDER_DELETED"} <= OFFERED
        root = recurring(tenant.admin)
        with db.unit_of_work() as session:
            sweep(session, START + DAY + 1_000, account_id=tenant.account_id)
        trigger = trigger_of(db, tenant.account_id, root["id"])
        child_id = links(db, tenant.account_id, trigger.id)[1][1]
        plain = ok(tenant.admin.post("/work-orders", json={"title": "Once"}))
        for work_order_id in (child_id, plain["id"]):
            ok(tenant.admin.patch(f"/work-orders/{work_order_id}", json={"description": "checked"}))
            ok(tenant.admin.delete(f"/work-orders/{work_order_id}"))
        assert event_types(db, tenant.account_id, child_id) == [
            "WORK_ORDER_CREATED",
            "PM_WORK_ORDER_CREATED",
            "WORK_ORDER_UPDATED",
            "PM_WORK_ORDER_UPDATED",
            "WORK_ORDER_DELETED",
            "PM_WORK_ORDER_DELETED",
        ]
        assert "PM_WORK_ORDER_UPDATED" not in event_types(db, tenant.account_id, plain["id"])
        with db.unit_of_work() as session:
            events = session.scalars(
                select(Event).where(
                    Event.account_id == tenant.account_id,
                    Event.resource_id == child_id,
                    Event.type.in_(("PM_WORK_ORDER_UPDATED", "PM_WORK_ORDER_DELETED")),
                )
            ).all()
            views = [
                EventView(
                    e.id, e.account_id, e.type, e.resource_type, e.resource_id, orjson.loads(e.payload), e.occurred_at
                )
                for e in events
            ]
            assert session.get(WorkOrder, (tenant.account_id, child_id)) is not None
        assert all(view.payload["pm_trigger_id"] == trigger.id for view in views)
        bodies = [UpkeepWebhooks().body(view, view.type) for view in views]
        assert [(b["event"], b["id"], b["description"]) for b in bodies] == [
            ("PM_WORK_ORDER_UPDATED", child_id, "checked"),
            ("PM_WORK_ORDER_DELETED", child_id, "checked"),
        ]
