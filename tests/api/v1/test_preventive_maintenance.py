"""/v1/preventiveMaintenance: the PM triggers of /api/v2 with the same ids, one flat object (schedule,
meter rule, state and work-order template); pause and archive as PATCH fields."""

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
    "scheduleType",
    "frequency",
    "interval",
    "byWeekday",
    "byMonthDay",
    "bySetPos",
    "start",
    "until",
    "timeZone",
    "dates",
    "exceptDates",
    "createFirstWorkOrder",
    "nextOnCompletion",
    "cadenceType",
    "cadenceFrequency",
    "cadenceInterval",
    "meter",
    "meterCondition",
    "meterConditionValue",
    "meterDueInterval",
    "meterDueFrequency",
    "meterBaseline",
    "nextDueAt",
    "lastDueAt",
    "scheduleHasEnded",
    "paused",
    "archived",
    "archivedAt",
    "archivedBy",
    "lastWorkOrder",
    "title",
    "description",
    "priority",
    "category",
    "asset",
    "location",
    "assignee",
    "additionalAssignees",
    "parts",
    "partQuantities",
    "duration",
    "createdBy",
    "createdAt",
    "updatedAt",
}
MONTHLY = {
    "name": "Boiler service",
    "scheduleType": "EVERY_N_MONTHS_ON_NTH_WEEKDAY",
    "start": "2031-01-17T12:12:44",
    "interval": 1,
    "timeZone": "Europe/Luxembourg",
    "byWeekday": ["MO"],
    "bySetPos": [1],
    "title": "Service the boiler",
}


def test_create_read_pause_archive_and_delete(admin: V1, tenant: Tenant) -> None:
    created = admin.post("/preventiveMaintenance", json={**MONTHLY, "priority": 2, "duration": 1.5})
    assert created.status_code == 201, created.text
    trigger = created.json()
    assert set(trigger) == KEYS
    assert (trigger["name"], trigger["title"], trigger["priority"], trigger["duration"]) == (
        "Boiler service",
        "Service the boiler",
        2,
        1.5,
    )
    assert (trigger["frequency"], trigger["byWeekday"], trigger["bySetPos"]) == ("MONTHLY", ["MO"], [1])
    assert trigger["start"] == "2031-01-17T12:12:44" and trigger["timeZone"] == "Europe/Luxembourg"
    assert ISO_MS.match(trigger["nextDueAt"]) and ISO_MS.match(trigger["createdAt"])
    assert (trigger["paused"], trigger["archived"], trigger["createdBy"]) == (False, False, admin.user_id)
    assert admin.get(f"/preventiveMaintenance/{trigger['id']}").json() == trigger
    paused = admin.patch(f"/preventiveMaintenance/{trigger['id']}", json={"paused": True}).json()
    assert paused["paused"] is True
    archived = admin.patch(f"/preventiveMaintenance/{trigger['id']}", json={"archived": True}).json()
    assert archived["archived"] is True and archived["archivedBy"] == admin.user_id and archived["archivedAt"]
    # The same trigger on /api/v2.
    v2 = tenant.admin.get(f"/preventive-maintenance/{trigger['id']}").json()["result"]
    assert (v2["trigger"]["name"], v2["trigger"]["isPaused"], v2["workOrder"]["title"]) == (
        "Boiler service",
        True,
        "Service the boiler",
    )
    assert admin.delete(f"/preventiveMaintenance/{trigger['id']}").status_code == 204
    error_details(admin.get(f"/preventiveMaintenance/{trigger['id']}"), 404, "not_found")


def test_created_on_api_v2_read_on_v1_and_list(admin: V1, tenant: Tenant) -> None:
    body = {
        "trigger": {
            "name": "Gutters",
            "scheduleType": "EVERY_N_WEEKS",
            "rrdtstart": "2031-01-01T08:00:00",
            "rrinterval": 2,
            "rrtzid": "UTC",
        },
        "workOrder": {"title": "Clear the gutters"},
    }
    v2 = tenant.admin.post("/preventive-maintenance", json=body).json()["result"]
    mine = admin.get(f"/preventiveMaintenance/{v2['trigger']['id']}").json()
    assert (mine["name"], mine["title"], mine["interval"], mine["frequency"]) == (
        "Gutters",
        "Clear the gutters",
        2,
        "WEEKLY",
    )
    admin.post("/preventiveMaintenance", json=MONTHLY)
    listed = admin.get("/preventiveMaintenance", params={"sort": "name"}).json()
    assert listed["count"] == 2 and [t["name"] for t in listed["items"]] == ["Boiler service", "Gutters"]
    assert admin.get("/preventiveMaintenance", params={"search": "gutter"}).json()["count"] == 1
    assert admin.get("/preventiveMaintenance", params={"scheduleType": "EVERY_N_WEEKS"}).json()["count"] == 1
    page = admin.get("/preventiveMaintenance", params={"limit": 1}).json()
    assert page["nextCursor"] and admin.get("/preventiveMaintenance", params={"cursor": page["nextCursor"]}).json()


def test_validation_names_the_field(admin: V1) -> None:
    def field(response: object) -> str:
        return str(error_details(response, 400, "invalid_request")["field"])

    assert field(admin.post("/preventiveMaintenance", json={k: v for k, v in MONTHLY.items() if k != "title"})) == (
        "title"
    )
    assert field(admin.post("/preventiveMaintenance", json={**MONTHLY, "interval": "x"})) == "interval"
    assert field(admin.post("/preventiveMaintenance", json={**MONTHLY, "scheduleType": "SOMETIMES"})) == (
        "scheduleType"
    )
    assert field(admin.post("/preventiveMaintenance", json={**MONTHLY, "start": "next tuesday"})) == "start"
    assert field(admin.post("/preventiveMaintenance", json={**MONTHLY, "timeZone": "Mars/Olympus"})) == "timeZone"
    assert field(admin.post("/preventiveMaintenance", json={**MONTHLY, "location": "nope"})) == "location"
    assert field(admin.post("/preventiveMaintenance", json={**MONTHLY, "priority": 9})) == "priority"
    assert field(admin.post("/preventiveMaintenance", json={**MONTHLY, "unknown": 1})) == "unknown"
    trigger = admin.post("/preventiveMaintenance", json=MONTHLY).json()
    assert field(admin.patch(f"/preventiveMaintenance/{trigger['id']}", json={"title": None})) == "title"
    assert field(admin.patch(f"/preventiveMaintenance/{trigger['id']}", json={"paused": "x"})) == "paused"


def test_another_accounts_trigger_is_404(admin: V1, other_tenant: Tenant) -> None:
    body = {
        "trigger": {
            "name": "Theirs",
            "scheduleType": "EVERY_N_DAYS",
            "rrdtstart": "2031-01-01T08:00:00",
            "rrtzid": "UTC",
        },
        "workOrder": {"title": "Theirs"},
    }
    theirs = other_tenant.admin.post("/preventive-maintenance", json=body).json()["result"]["trigger"]["id"]
    error_details(admin.get(f"/preventiveMaintenance/{theirs}"), 404, "not_found")
    error_details(admin.patch(f"/preventiveMaintenance/{theirs}", json={"paused": True}), 404, "not_found")
    error_details(admin.delete(f"/preventiveMaintenance/{theirs}"), 404, "not_found")
    assert admin.get("/preventiveMaintenance").json()["count"] == 0


def test_a_service_account_sees_and_writes_only_its_sites(
    admin: V1, http: TestClient, db: Database, tenant: Tenant
) -> None:
    mine = make_place(db, tenant.account_id, "Lux")
    other = make_place(db, tenant.account_id, "Bay")
    theirs = admin.post("/preventiveMaintenance", json={**MONTHLY, "location": other}).json()
    api = site_client(http, db, tenant.account_id, mine, role=Role.STAFF)
    refused = api.post("/preventiveMaintenance", json={**MONTHLY, "location": other})
    assert error_details(refused, 400, "invalid_request")["field"] == "location"  # a place it does not see
    created = api.post("/preventiveMaintenance", json={**MONTHLY, "location": mine})
    assert created.status_code == 201, created.text
    assert [t["id"] for t in api.get("/preventiveMaintenance").json()["items"]] == [created.json()["id"]]
    error_details(api.get(f"/preventiveMaintenance/{theirs['id']}"), 404, "not_found")


def test_roles(admin: V1, http: TestClient, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux")
    staff = site_client(http, db, tenant.account_id, site, role=Role.STAFF)
    trigger = staff.post("/preventiveMaintenance", json={**MONTHLY, "location": site}).json()
    assert staff.patch(f"/preventiveMaintenance/{trigger['id']}", json={"paused": True}).json()["paused"] is True
    error_details(staff.delete(f"/preventiveMaintenance/{trigger['id']}"), 403, "forbidden")
    viewer = site_client(http, db, tenant.account_id, site, role=Role.VIEW_ONLY)
    assert viewer.get(f"/preventiveMaintenance/{trigger['id']}").status_code == 200
    error_details(viewer.patch(f"/preventiveMaintenance/{trigger['id']}", json={"paused": False}), 403, "forbidden")
    error_details(viewer.post("/preventiveMaintenance", json={**MONTHLY, "location": site}), 403, "forbidden")
    manager = site_client(http, db, tenant.account_id, site, role=Role.MANAGER)
    assert manager.delete(f"/preventiveMaintenance/{trigger['id']}").status_code == 204
