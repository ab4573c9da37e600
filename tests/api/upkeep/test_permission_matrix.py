"""Every row of the permission table (premises.identity.permissions, docs/permissions.md), for every role,
through one representative /api/v2 call.

- A role missing from a row gets 403.
- ``ALL`` may act on a record somebody else made (the admin).
- ``OWN`` may act on its own record, and gets 404 for somebody else's: invisible, not forbidden.

The table cannot grow without this test: every row needs a case here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import PERMISSIONS, Grant, Role
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from tests.api.v1.test_permission_matrix import V1_CASES
from tests.support.client import PASSWORD, Tenant, UpKeep, new_tenant


@dataclass
class World:
    tenant: Tenant
    roles: dict[Role, UpKeep]

    @property
    def admin(self) -> UpKeep:
        return self.tenant.admin


def _result(response: Any, key: str = "result") -> Any:
    assert response.status_code == 200, response.text
    return response.json()[key]


def _id(response: Any) -> str:
    value: str = _result(response)["id"]
    return value


def _unique(prefix: str) -> str:
    return f"{prefix} {new_id()}"


# A target is what the call acts on. ``owner`` is the admin (for ALL) or the acting user (for OWN).
Prepare = Callable[[World, UpKeep], Any]
Call = Callable[[UpKeep, Any], Any]


@dataclass(frozen=True)
class Case:
    call: Call
    prepare: Prepare = lambda world, owner: None


def _user(world: World, owner: UpKeep) -> str:
    return _id(
        world.admin.post(
            "/users", json={"email": f"{new_id().lower()}@example.test", "accountType": "TECH", "password": PASSWORD}
        )
    )


def _file(world: World, owner: UpKeep) -> str:
    response = owner.post("/files", files={"file": ("note.txt", b"hello", "text/plain")})
    assert response.status_code == 200, response.text
    value: str = response.json()["data"]["id"]
    return value


def _request(world: World, owner: UpKeep) -> str:
    return _id(owner.post("/requests", json={"title": _unique("Leak")}))


def _work_order(world: World, owner: UpKeep) -> str:
    if owner is world.roles[Role.REQUESTER]:  # a requester's own work orders come from its requests
        request_id = _request(world, owner)
        return str(_result(world.admin.patch(f"/requests/{request_id}/approve"))["workOrder"]["id"])
    body: dict[str, Any] = {"title": _unique("Fix")}
    if owner is not world.admin:
        body["assignedToUser"] = owner.user_id  # a limited tech's own work orders are those assigned to them
    return _id(world.admin.post("/work-orders", json=body))


def _created(path: str, **body: Any) -> Prepare:
    def prepare(world: World, owner: UpKeep) -> str:
        return _id(world.admin.post(path, json={key: _unique(value) for key, value in body.items()}))

    return prepare


def _meter(world: World, owner: UpKeep) -> str:
    return _id(world.admin.post("/meters", json={"name": _unique("Meter"), "units": "h", "frequency": 7}))


def _reading(world: World, owner: UpKeep) -> tuple[str, str]:
    meter_id = _meter(world, world.admin)
    return meter_id, _id(owner.post(f"/meters/{meter_id}/readings", json={"value": 1}))


def _meter_notification(world: World, owner: UpKeep) -> tuple[str, str]:
    meter_id = _meter(world, world.admin)
    body = {"title": _unique("Check"), "triggerValue": 1, "triggerFrequency": "EVERY_TIME_IS_GREATER_THAN"}
    return meter_id, _id(world.admin.post(f"/meters/{meter_id}/notifications", json=body))


HOOK_URL = "https://93.184.215.14/hook"  # a public address literal: the SSRF guard needs no DNS


PM_TRIGGER = {
    "scheduleType": "EVERY_N_DAYS",
    "rrdtstart": "2031-01-01T08:00:00",
    "rrtzid": "UTC",
}


def _pm_body() -> dict[str, Any]:
    return {"trigger": {"name": _unique("PM"), **PM_TRIGGER}, "workOrder": {"title": "Inspect"}}


def _pm_trigger(world: World, owner: UpKeep) -> str:
    response = world.admin.post("/preventive-maintenance", json=_pm_body())
    assert response.status_code == 200, response.text
    value: str = response.json()["result"]["trigger"]["id"]
    return value


def _webhook(world: World, owner: UpKeep) -> str:
    response = world.admin.post("/webhooks", json={"title": _unique("Hook"), "endpoint": HOOK_URL})
    assert response.status_code == 200, response.text
    value: str = response.json()["webhookId"]
    return value


PO = "/purchase-orders"


def _approved_po(world: World, owner: UpKeep) -> str:
    order_id = _id(world.admin.post(PO, json={"title": _unique("PO")}))
    _result(world.admin.patch(f"{PO}/{order_id}", json={"status": "approved"}))
    return order_id


CASES: dict[tuple[str, str], Case] = {
    ("user", "read"): Case(lambda me, user_id: me.get(f"/users/{user_id}"), lambda world, owner: owner.user_id),
    ("user", "create"): Case(
        lambda me, _: me.post(
            "/users", json={"email": f"{new_id().lower()}@example.test", "accountType": "TECH", "password": PASSWORD}
        )
    ),
    ("user", "update"): Case(lambda me, user_id: me.patch(f"/users/{user_id}", json={"firstName": "Sam"}), _user),
    ("user", "set_locations"): Case(
        lambda me, target: me.put(f"/users/{target[0]}/locations", json={"locationIds": [target[1]]}),
        lambda world, owner: (_user(world, owner), _created("/locations", name="Site")(world, owner)),
    ),
    ("customer", "read"): Case(lambda me, i: me.get(f"/customers/{i}"), _created("/customers", name="Customer")),
    ("customer", "create"): Case(lambda me, _: me.post("/customers", json={"name": _unique("Customer")})),
    ("customer", "update"): Case(
        lambda me, i: me.patch(f"/customers/{i}", json={"name": "Renamed"}), _created("/customers", name="Customer")
    ),
    ("vendor", "read"): Case(lambda me, i: me.get(f"/vendors/{i}"), _created("/vendors", businessName="Vendor")),
    ("vendor", "create"): Case(lambda me, _: me.post("/vendors", json={"businessName": _unique("Vendor")})),
    ("vendor", "update"): Case(
        lambda me, i: me.patch(f"/vendors/{i}", json={"businessName": "Renamed"}),
        _created("/vendors", businessName="Vendor"),
    ),
    ("team", "read"): Case(lambda me, i: me.get(f"/teams/{i}"), _created("/teams", name="Team")),
    ("team", "create"): Case(lambda me, _: me.post("/teams", json={"name": _unique("Team")})),
    ("team", "update"): Case(
        lambda me, i: me.patch(f"/teams/{i}", json={"name": "Renamed"}), _created("/teams", name="Team")
    ),
    ("team", "delete"): Case(lambda me, i: me.delete(f"/teams/{i}"), _created("/teams", name="Team")),
    ("file", "read"): Case(lambda me, i: me.get(f"/files/{i}"), _file),
    ("file", "create"): Case(lambda me, _: me.post("/files", files={"file": ("a.txt", b"a", "text/plain")})),
    ("location", "read"): Case(lambda me, i: me.get(f"/locations/{i}"), _created("/locations", name="Site")),
    ("location", "create"): Case(lambda me, _: me.post("/locations", json={"name": _unique("Site")})),
    ("location", "update"): Case(
        lambda me, i: me.patch(f"/locations/{i}", json={"name": "Renamed"}), _created("/locations", name="Site")
    ),
    ("location", "delete"): Case(lambda me, i: me.delete(f"/locations/{i}"), _created("/locations", name="Site")),
    ("asset", "read"): Case(lambda me, i: me.get(f"/assets/{i}"), _created("/assets", name="Boiler")),
    ("asset", "create"): Case(lambda me, _: me.post("/assets", json={"name": _unique("Boiler")})),
    ("asset", "update"): Case(
        lambda me, i: me.patch(f"/assets/{i}", json={"name": "Renamed"}), _created("/assets", name="Boiler")
    ),
    ("asset", "delete"): Case(lambda me, i: me.delete(f"/assets/{i}"), _created("/assets", name="Boiler")),
    ("asset", "record_downtime"): Case(
        lambda me, i: me.post(
            "/assets/downtime", json=[{"assetId": i, "status": "not-available", "recordedOn": now_ms()}]
        ),
        _created("/assets", name="Boiler"),
    ),
    ("asset_setting", "read"): Case(lambda me, _: me.get("/asset-downtime-statuses")),
    ("asset_setting", "write"): Case(lambda me, _: me.post("/asset-downtime-statuses", json={"name": _unique("Down")})),
    ("meter", "read"): Case(lambda me, i: me.get(f"/meters/{i}"), _meter),
    ("meter", "create"): Case(
        lambda me, _: me.post("/meters", json={"name": _unique("M"), "units": "h", "frequency": 1})
    ),
    ("meter", "update"): Case(lambda me, i: me.patch(f"/meters/{i}", json={"name": "Renamed"}), _meter),
    ("meter", "delete"): Case(lambda me, i: me.delete(f"/meters/{i}"), _meter),
    ("meter_reading", "create"): Case(lambda me, i: me.post(f"/meters/{i}/readings", json={"value": 2}), _meter),
    ("meter_reading", "update"): Case(
        lambda me, t: me.patch(f"/meters/{t[0]}/readings/{t[1]}", json={"value": 3}), _reading
    ),
    ("meter_reading", "delete"): Case(lambda me, t: me.delete(f"/meters/{t[0]}/readings/{t[1]}"), _reading),
    ("meter_notification", "read"): Case(
        lambda me, t: me.get(f"/meters/{t[0]}/notifications/{t[1]}"), _meter_notification
    ),
    ("meter_notification", "write"): Case(
        lambda me, i: me.post(
            f"/meters/{i}/notifications",
            json={"title": "Hot", "triggerValue": 90, "triggerFrequency": "EVERY_TIME_IS_GREATER_THAN"},
        ),
        _meter,
    ),
    ("request", "read"): Case(lambda me, i: me.get(f"/requests/{i}"), _request),
    ("request", "create"): Case(lambda me, _: me.post("/requests", json={"title": _unique("Leak")})),
    ("request", "cancel"): Case(lambda me, i: me.delete(f"/requests/{i}/cancel"), _request),
    ("request", "decide"): Case(lambda me, i: me.patch(f"/requests/{i}/approve"), _request),
    ("request", "delete"): Case(lambda me, i: me.delete(f"/requests/{i}"), _request),
    ("work_order", "read"): Case(lambda me, i: me.get(f"/work-orders/{i}"), _work_order),
    ("work_order", "create"): Case(lambda me, _: me.post("/work-orders", json={"title": _unique("Fix")})),
    ("work_order", "update"): Case(
        lambda me, i: me.patch(f"/work-orders/{i}", json={"status": "inProgress"}), _work_order
    ),
    ("work_order", "delete"): Case(lambda me, i: me.delete(f"/work-orders/{i}"), _work_order),
    ("work_order", "assign"): Case(lambda me, i: me.post(f"/work-orders/{i}/users/{me.user_id}"), _work_order),
    ("work_order", "comment"): Case(
        lambda me, i: me.post(f"/work-orders/{i}/update-messages", json={"text": "On my way"}), _work_order
    ),
    ("cost_category", "read"): Case(lambda me, _: me.get("/work-order-cost-categories")),
    ("part", "read"): Case(lambda me, i: me.get(f"/parts/{i}"), _created("/parts", name="Belt")),
    ("part", "create"): Case(lambda me, _: me.post("/parts", json={"name": _unique("Belt")})),
    ("part", "update"): Case(
        lambda me, i: me.patch(f"/parts/{i}", json={"quantity": 5}), _created("/parts", name="Belt")
    ),
    ("part", "delete"): Case(lambda me, i: me.delete(f"/parts/{i}"), _created("/parts", name="Belt")),
    ("part_category", "read"): Case(lambda me, _: me.get("/part-categories")),
    ("part_category", "write"): Case(lambda me, _: me.post("/part-categories", json={"name": _unique("Belts")})),
    ("form_template", "read"): Case(
        lambda me, i: me.get(f"/form-templates/{i}"), _created("/form-templates", Name="Rounds")
    ),
    ("form_template", "write"): Case(lambda me, _: me.post("/form-templates", json={"Name": _unique("Rounds")})),
    ("preventive_maintenance", "read"): Case(lambda me, i: me.get(f"/preventive-maintenance/{i}"), _pm_trigger),
    ("preventive_maintenance", "create"): Case(lambda me, _: me.post("/preventive-maintenance", json=_pm_body())),
    ("preventive_maintenance", "update"): Case(
        lambda me, i: me.patch(f"/preventive-maintenance/{i}", json={"trigger": {"name": "Renamed"}}), _pm_trigger
    ),
    ("preventive_maintenance", "delete"): Case(lambda me, i: me.delete(f"/preventive-maintenance/{i}"), _pm_trigger),
    ("purchase_order", "read"): Case(lambda me, i: me.get(f"/purchase-orders/{i}"), _created(PO, title="PO")),
    ("purchase_order", "create"): Case(lambda me, _: me.post(PO, json={"title": _unique("PO")})),
    ("purchase_order", "update"): Case(
        lambda me, i: me.patch(f"{PO}/{i}", json={"title": "Renamed"}), _created(PO, title="PO")
    ),
    ("purchase_order", "approve"): Case(
        lambda me, i: me.patch(f"{PO}/{i}", json={"status": "approved"}), _created(PO, title="PO")
    ),
    ("purchase_order", "fulfill"): Case(
        lambda me, i: me.patch(f"{PO}/{i}", json={"status": "fulfilled"}), _approved_po
    ),
    ("purchase_order", "delete"): Case(lambda me, i: me.delete(f"{PO}/{i}"), _created(PO, title="PO")),
    ("purchase_order_category", "read"): Case(lambda me, _: me.get("/purchase-order-categories")),
    ("purchase_order_category", "write"): Case(
        lambda me, _: me.post("/purchase-order-categories", json={"name": _unique("Projects")})
    ),
    ("webhook", "read"): Case(lambda me, i: me.get(f"/webhooks/{i}"), _webhook),
    ("webhook", "create"): Case(lambda me, _: me.post("/webhooks", json={"title": "Hook", "endpoint": HOOK_URL})),
    ("webhook", "update"): Case(lambda me, i: me.patch(f"/webhooks/{i}", json={"enabled": False}), _webhook),
    ("webhook", "delete"): Case(lambda me, i: me.delete(f"/webhooks/{i}"), _webhook),
}


@pytest.fixture(scope="module")
def world(http: TestClient, db: Database) -> World:
    tenant = new_tenant(http, db, name="Permission Matrix Co")
    roles = {role: tenant.admin if role is Role.ADMIN else tenant.as_role(role.value) for role in Role}
    return World(tenant, roles)


# The rows only /v1 serves are checked through /v1 (tests/api/v1/test_permission_matrix.py).
UPKEEP_ROWS = sorted(row for row in PERMISSIONS if row not in V1_CASES)


def test_every_row_of_the_table_has_a_case() -> None:
    assert sorted(CASES) == UPKEEP_ROWS


def test_own_work_order_updates_are_limited_to_doing_the_work(world: World) -> None:
    limited = world.roles[Role.LIMITED_TECH]
    work_order_id = _work_order(world, limited)
    response = limited.patch(f"/work-orders/{work_order_id}", json={"title": "Renamed"})
    assert response.status_code == 403
    assert response.json() == {"success": False, "message": "LIMITED_TECH users may not change title"}
    done = limited.patch(f"/work-orders/{work_order_id}", json={"status": "complete", "time": 1.5})
    assert done.status_code == 200, done.text
    assert done.json()["result"]["status"] == "complete" and done.json()["result"]["time"] == "1.5"


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
@pytest.mark.parametrize("row", UPKEEP_ROWS, ids=lambda row: ".".join(row))
def test_role_gets_what_the_table_says(world: World, row: tuple[str, str], role: Role) -> None:
    case, me = CASES[row], world.roles[role]
    grant = PERMISSIONS[row].get(role)
    if grant is None:
        response = case.call(me, case.prepare(world, world.admin))
        assert response.status_code == 403, response.text
        assert response.json()["success"] is False
        # The resource in the API's words ("work orders"), never the table's name ("work_orders").
        assert "_" not in response.json()["message"].replace(role.value, ""), response.text
        return
    owner = me if grant is Grant.OWN else world.admin
    response = case.call(me, case.prepare(world, owner))
    assert response.status_code == 200, response.text
    assert response.json()["success"] is True
    if grant is Grant.OWN:
        somebody_elses = case.call(me, case.prepare(world, world.admin))
        assert somebody_elses.status_code == 404, somebody_elses.text
