"""/api/v2/form-templates as UpKeep documents it (list and get), the Premises endpoints that write
templates, and what checklists change elsewhere: ``formTemplate`` and ``formItems`` on work orders
(METER lines become readings), an asset's ``formItems`` and a work order's ``timeLog``.
The rules themselves: tests/domain/checklist."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.support.client import Tenant, UpKeep
from tests.support.factories import make_asset, make_place
from tests.support.jobs import run_account_jobs

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
DAILY_ROUNDS = [
    {"name": "Check, close, and lock windows", "type": "TASK"},
    {"name": "Record room temp", "type": "METER_READING", "meter": "<meter>"},
    {"name": "Check office occupancy", "type": "NUMBER"},
    {"name": "Inspected by", "type": "TEXT"},
    {"name": "Temperature below 90", "type": "CHECKLIST"},
    {"name": "Shift", "type": "MULTIPLE_CHOICE", "options": ["1st", "2nd", "3rd"]},
]
DESCRIPTION = "These tasks and checks should be performed every day at the end of each shift."


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


def meter(client: UpKeep, **fields: Any) -> str:
    body = {"name": "Room temperature", "units": "F", "frequency": 1, **fields}
    meter_id: str = ok(client.post("/meters", json=body))["id"]
    return meter_id


def rounds(client: UpKeep, meter_id: str, **fields: Any) -> dict[str, Any]:
    items = [{**item, "meter": meter_id} if "meter" in item else item for item in DAILY_ROUNDS]
    body = {"Name": "Daily Rounds", "description": DESCRIPTION, "formItems": items, **fields}
    result: dict[str, Any] = ok(client.post("/form-templates", json=body))
    return result


class TestTemplates:
    def test_documented_shape(self, tenant: Tenant) -> None:
        admin = tenant.admin
        meter_id = meter(admin)
        created = rounds(admin, meter_id)
        got = ok(admin.get(f"/form-templates/{created['id']}"))
        assert got == created
        assert list(got) == ["Name", "userCreated", "description", "createdAt", "updatedAt", "id", "formItems"]
        assert got["Name"] == "Daily Rounds" and got["userCreated"] == admin.user_id
        assert got["description"] == DESCRIPTION
        assert ISO.fullmatch(got["createdAt"]) and ISO.fullmatch(got["updatedAt"])
        assert got["formItems"][1] == {"name": "Record room temp", "type": "METER_READING", "meter": meter_id}
        assert got["formItems"][5] == {"name": "Shift", "type": "MULTIPLE_CHOICE", "options": ["1st", "2nd", "3rd"]}
        assert [i for i in got["formItems"] if i["type"] in ("TASK", "TEXT")] == [DAILY_ROUNDS[0], DAILY_ROUNDS[3]]
        assert ok(admin.get("/form-templates/")) == [got]  # trailing slash as documented

    def test_list_is_sorted_with_sort_and_paged(self, tenant: Tenant) -> None:
        admin = tenant.admin
        first = ok(admin.post("/form-templates", json={"name": "First"}))  # name is taken for Name
        second = ok(admin.post("/form-templates", json={"Name": "Second"}))
        ok(admin.patch(f"/form-templates/{first['id']}", json={"description": "touched"}))
        assert [t["Name"] for t in ok(admin.get("/form-templates"))] == ["Second", "First"]  # createdAt DESC
        assert [t["Name"] for t in ok(admin.get("/form-templates", params={"sort": "createdAt ASC"}))] == [
            "First",
            "Second",
        ]
        assert ok(admin.get("/form-templates", params={"sort": "updatedAt DESC"}))[0]["Name"] == "First"
        assert [t["id"] for t in ok(admin.get("/form-templates", params={"limit": 1, "offset": 1}))] == [first["id"]]
        assert second["formItems"] == [] and second["description"] is None
        assert error(admin.get("/form-templates", params={"sort": "name ASC"})).startswith("sort must be")
        assert error(admin.get("/form-templates", params={"orderBy": "createdAt ASC"})) == "invalid filter key: orderBy"

    def test_update_and_delete(self, tenant: Tenant) -> None:
        admin = tenant.admin
        created = ok(
            admin.post("/form-templates", json={"Name": "Weekly", "formItems": [{"name": "a", "type": "TASK"}]})
        )
        path = f"/form-templates/{created['id']}"
        changed = ok(admin.patch(path, json={"Name": "Weekly checks", "formItems": [{"name": "b", "type": "NUMBER"}]}))
        assert changed["Name"] == "Weekly checks" and changed["formItems"] == [{"name": "b", "type": "NUMBER"}]
        assert changed["description"] is None and changed["createdAt"] == created["createdAt"]
        assert ok(admin.patch(path, json={"formItems": None}))["formItems"] == []
        assert ok(admin.delete(path)) == "1 form template deleted"
        assert error(admin.get(path), 404) == "form template not found"
        assert error(admin.delete(path), 404) == "form template not found"
        assert ok(admin.get("/form-templates")) == []

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({}, "Name cannot be null"),
            ({"Name": "  "}, "Name cannot be null"),
            ({"Name": "t", "colour": "red"}, "colour not in schema"),
            ({"Name": "t", "formItems": "TASK"}, "formItems must be an array of objects"),
            ({"Name": "t", "formItems": [{"name": "a", "type": "DANCE"}]}, None),
            (
                {"Name": "t", "formItems": [{"name": "a", "type": "TASK", "value": "OPEN"}]},
                "formItems[0].value not in schema",
            ),
            ({"Name": "t", "formItems": [{"name": "a", "type": "METER"}]}, "formItems[0].meter cannot be null"),
            (
                {"Name": "t", "formItems": [{"name": "a", "type": "METER", "meter": "nope"}]},
                "formItems[0].meter nope not found",
            ),
            ({"Name": "t", "formItems": [{"type": "TASK"}]}, "formItems[0].name cannot be null"),
            ({"Name": "x" * 201}, None),
        ],
    )
    def test_bad_bodies(self, tenant: Tenant, body: dict[str, Any], message: str | None) -> None:
        got = error(tenant.admin.post("/form-templates", json=body))
        if message is not None:
            assert got == message
        assert ok(tenant.admin.get("/form-templates")) == []

    def test_other_accounts_and_roles(self, tenant: Tenant, other_tenant: Tenant) -> None:
        theirs = ok(other_tenant.admin.post("/form-templates", json={"Name": "Theirs"}))
        for call in (
            tenant.admin.get(f"/form-templates/{theirs['id']}"),
            tenant.admin.patch(f"/form-templates/{theirs['id']}", json={"Name": "Mine"}),
            tenant.admin.delete(f"/form-templates/{theirs['id']}"),
        ):
            assert error(call, 404) == "form template not found"
        assert ok(tenant.admin.get("/form-templates")) == []
        mine = ok(tenant.admin.post("/form-templates", json={"Name": "Mine"}))
        tech = tenant.as_role("TECH")
        assert ok(tech.get(f"/form-templates/{mine['id']}"))["Name"] == "Mine"
        assert error(tech.post("/form-templates", json={"Name": "x"}), 403) == "TECH users may not write form templates"
        assert error(tech.patch(f"/form-templates/{mine['id']}", json={"Name": "x"}), 403)
        assert error(tech.delete(f"/form-templates/{mine['id']}"), 403)
        requester = tenant.as_role("REQUESTER")
        assert error(requester.get("/form-templates"), 403) == "REQUESTER users may not read form templates"


class TestWorkOrders:
    def test_form_template_copies_its_lines_after_the_form_items(self, tenant: Tenant) -> None:
        admin = tenant.admin
        meter_id = meter(admin)
        template = rounds(admin, meter_id)
        body = {
            "title": "Rounds",
            "formTemplate": template["id"],
            "formItems": [{"name": "Check & close all tanks", "type": "TASK"}],
        }
        created = ok(admin.post("/work-orders", json=body))
        assert created["formTemplate"] == template["id"]
        items = created["formItems"]
        assert [i["name"] for i in items] == ["Check & close all tanks", *(i["name"] for i in DAILY_ROUNDS)]
        assert items[0] == {"id": items[0]["id"], "name": "Check & close all tanks", "type": "TASK", "value": "OPEN"}
        assert items[2]["meter"] == meter_id and items[2]["value"] is None
        assert items[6]["options"] == ["1st", "2nd", "3rd"]
        assert error(admin.post("/work-orders", json={"title": "x", "formTemplate": "missing1"})) == (
            "formTemplate missing1 not found"
        )

    def test_filled_lines_are_validated_and_meter_values_become_readings(self, tenant: Tenant) -> None:
        admin = tenant.admin
        meter_id = meter(admin)
        trigger = {"title": "Too hot", "triggerValue": 85, "triggerFrequency": "EVERY_TIME_IS_GREATER_THAN"}
        ok(admin.post(f"/meters/{meter_id}/notifications", json=trigger))
        template = rounds(admin, meter_id)
        work_order = ok(admin.post("/work-orders", json={"title": "Rounds", "formTemplate": template["id"]}))
        lines = work_order["formItems"]
        values = {"TASK": "COMPLETE", "METER_READING": 90, "NUMBER": 37, "TEXT": "Alex", "CHECKLIST": "PASS"}
        filled = [{**line, "value": values.get(line["type"], "1st")} for line in lines]
        tech = tenant.as_role("TECH")
        path = f"/work-orders/{work_order['id']}"
        patched = ok(tech.patch(path, json={"formTemplate": template["id"], "formItems": filled}))
        assert patched["formItems"] == filled
        readings = ok(admin.get(f"/meters/{meter_id}/readings"))
        assert [(r["value"], r["createdByUser"]) for r in readings] == [(90, tech.user_id)]
        run_account_jobs(tenant.db, tenant.account_id)  # the reading's meter.evaluate job
        assert [w["title"] for w in ok(admin.get("/work-orders", params={"title": "Too hot"}))] == ["Too hot"]
        ok(tech.patch(path, json={"formItems": filled}))  # the same values again: no new reading
        assert len(ok(admin.get(f"/meters/{meter_id}/readings"))) == 1
        for index, value, message in (
            (0, "DONE", "formItems[0].value must be one of OPEN, ON_HOLD, IN_PROGRESS, COMPLETE"),
            (1, "hot", "formItems[1].value must be a number"),
            (4, "FINE", "formItems[4].value must be one of PASS, FLAG, FAIL"),
            (5, "4th", "formItems[5].value must be one of its options"),
        ):
            bad = [dict(line) for line in filled]
            bad[index]["value"] = value
            assert error(tech.patch(path, json={"formItems": bad})) == message
        assert ok(admin.get(path))["formItems"] == filled

    def test_time_log(self, tenant: Tenant) -> None:
        admin = tenant.admin
        tech = tenant.as_role("TECH")
        created = ok(admin.post("/work-orders", json={"title": "Fix", "time": 20, "assignedToUser": tech.user_id}))
        assert created["time"] == "20"
        [entry] = created["timeLog"]
        assert entry["duration"] == 20 and entry["category"] is None and entry["assignedToUser"] == tech.user_id
        [timer] = entry["timers"]
        assert timer["duration"] == 20 and timer["status"] == "adjustment" and timer["hourlyCost"] is None
        assert timer["createdByUser"] == admin.user_id and ISO.fullmatch(timer["createdAt"])
        patched = ok(tech.patch(f"/work-orders/{created['id']}", json={"time": 22.5}))
        assert patched["time"] == "22.5"
        [entry] = patched["timeLog"]
        assert entry["duration"] == 22.5 and [t["duration"] for t in entry["timers"]] == [20, 2.5]
        assert ok(admin.post("/work-orders", json={"title": "No time"}))["timeLog"] == []


class TestAssets:
    def test_an_asset_shows_the_lines_of_its_work_orders(self, tenant: Tenant) -> None:
        admin = tenant.admin
        site = make_place(tenant.db, tenant.account_id, "Site")
        asset = make_asset(tenant.db, tenant.account_id, "Boiler", location_id=site)
        assert ok(admin.get(f"/assets/{asset}"))["formItems"] == []
        body = {
            "title": "Inspect",
            "asset": asset,
            "formItems": [{"name": "Pressure ok", "type": "CHECKLIST", "value": "PASS"}],
        }
        work_order = ok(admin.post("/work-orders", json=body))
        [line] = work_order["formItems"]
        assert ok(admin.get(f"/assets/{asset}"))["formItems"] == [line["id"]]
        expanded = ok(admin.get(f"/assets/{asset}", params={"includes": "formItems"}))["formItems"]
        assert expanded == [{**line, "workOrder": work_order["id"]}]
        limited = tenant.as_role("LIMITED_TECH")
        assert ok(limited.get(f"/assets/{asset}"))["formItems"] == []  # not a work order it sees
