from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from premises.db.engine import Database
from premises.models import Event, WorkOrder
from tests.support.client import Tenant, UpKeep
from tests.support.factories import make_asset, make_custom_status, make_place, make_team

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def create(client: UpKeep, **fields: Any) -> dict[str, Any]:
    response = client.post("/work-orders", json={"title": "Repair sink", **fields})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def events_of(db: Database, account_id: str, resource_id: str) -> list[str]:
    with db.unit_of_work() as session:
        rows = session.scalars(
            select(Event.type)
            .where(Event.account_id == account_id, Event.resource_id == resource_id)
            .order_by(Event.id)
        )
        return list(rows)


class TestCreate:
    def test_documented_json_body(self, tenant: Tenant, db: Database) -> None:
        site = make_place(db, tenant.account_id)
        asset = make_asset(db, tenant.account_id, location_id=site)
        tech = tenant.as_role("TECH")
        helper = tenant.as_role("TECH")
        body = {
            "title": "Repair sink",
            "description": "Sink broke yesterday",
            "priority": 1,
            "startDate": 1515452422310,
            "dueDate": 1515482422310,
            "asset": asset,
            "location": site,
            "formItems": [{"name": "Check & close all tanks", "type": "TASK"}],
            "assignedToUser": tech.user_id,
            "estimatedDurationInHours": 5,
            "category": "Damage",
            "additionalUsers": [helper.user_id],
            "time": 20,
            "cost": 25,
        }
        result = tenant.admin.post("/work-orders/", json=body).json()["result"]
        assert re.fullmatch(r"[A-Za-z0-9]{10}", result["id"])
        assert result["workOrderNo"] == "001"
        assert result["status"] == "open"
        assert result["priority"] == 1
        assert result["category"] == "Damage"
        assert result["startDate"] == "2018-01-08T23:00:22.310Z"
        assert result["dueDate"] == "2018-01-09T07:20:22.310Z"
        assert result["asset"] == asset and result["location"] == site
        assert result["assignedToUser"] == tech.user_id
        assert result["assignedToUsername"] == tech.email
        assert result["assignedByUser"] == tenant.admin.user_id
        assert result["additionalUsers"] == [helper.user_id]
        assert result["time"] == "20" and result["cost"] == "25"
        assert result["estimatedDurationInHours"] == 5
        [item] = result["formItems"]
        assert item["name"] == "Check & close all tanks" and item["type"] == "TASK" and item["value"] == "OPEN"
        assert ISO.fullmatch(result["createdAt"]) and ISO.fullmatch(result["updatedAt"])
        assert events_of(db, tenant.account_id, result["id"]) == ["WORK_ORDER_CREATED"]

    def test_form_encoded_body_like_production_client(self, tenant: Tenant, db: Database) -> None:
        site = make_place(db, tenant.account_id)
        response = tenant.admin.post(
            "/work-orders",
            data={
                "title": "[*AUTO*] Check",
                "description": "x",
                "priority": "2",
                "category": "Electrical",
                "location": site,
                "assignedToUser": tenant.admin.user_id,
            },
        )
        assert response.status_code == 200, response.text
        result = response.json()["result"]
        assert result["priority"] == 2 and result["location"] == site

    def test_null_optional_fields_are_accepted(self, tenant: Tenant) -> None:
        nulls = {"files": None, "additionalUsers": None, "formItems": None, "priority": None, "asset": None}
        result = create(tenant.admin, **nulls)
        assert result["files"] == [] and result["additionalUsers"] == [] and result["priority"] == 0

    def test_iso_dates_accepted(self, tenant: Tenant) -> None:
        result = create(tenant.admin, dueDate="2018-01-09T07:20:22.310Z")
        assert result["dueDate"] == "2018-01-09T07:20:22.310Z"

    def test_numbers_are_sequential(self, tenant: Tenant) -> None:
        numbers = [create(tenant.admin)["workOrderNo"] for _ in range(3)]
        assert numbers == ["001", "002", "003"]

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({}, "title cannot be null"),
            ({"title": None}, "title cannot be null"),
            ({"title": "x", "colour": "red"}, "colour not in schema"),
            ({"title": "x", "priority": 7}, "priority must be one of 0, 1, 2, 3"),
            ({"title": "x", "priority": "high"}, "priority must be an integer"),
            (
                {"title": "x", "dueDate": "tomorrow"},
                "dueDate must be a date (epoch milliseconds or ISO 8601)",
            ),
            (
                {"title": "x", "category": "Nope"},
                "category Nope is not one of the account's work order categories",
            ),
            ({"title": "x", "location": "missing123"}, "location missing123 not found"),
            (
                {"title": "x", "formItems": [{"name": "a", "type": "DANCE"}]},
                "formItems[0].type must be one of TASK, TEXT, NUMBER, CHECKLIST, MULTIPLE_CHOICE, METER, METER_READING",
            ),
            (
                {"title": "x", "formItems": [{"name": "a", "type": "CHECKLIST", "value": "MAYBE"}]},
                "formItems[0].value must be one of PASS, FLAG, FAIL",
            ),
            ({"title": "x", "status": "open"}, "status not in schema"),
        ],
    )
    def test_bad_input(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        response = tenant.admin.post("/work-orders", json=body)
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": message}

    def test_non_object_json_body(self, tenant: Tenant) -> None:
        response = tenant.admin.http.post(
            "/api/v2/work-orders",
            content=b"[1,2]",
            headers={"Session-Token": tenant.admin.token, "Content-Type": "application/json"},
        )
        assert response.status_code == 400
        assert response.json()["success"] is False

    def test_other_accounts_location_is_rejected(self, tenant: Tenant, other_tenant: Tenant, db: Database) -> None:
        foreign = make_place(db, other_tenant.account_id)
        response = tenant.admin.post("/work-orders", json={"title": "x", "location": foreign})
        assert response.status_code == 400
        assert response.json()["message"] == f"location {foreign} not found"


class TestOneTransaction:
    def test_a_request_that_fails_late_leaves_nothing_behind(self, tenant: Tenant, db: Database) -> None:
        """The priority is checked after the number was taken: the rollback returns the number too."""
        response = tenant.admin.post("/work-orders", json={"title": "Too urgent", "priority": 7})
        assert response.status_code == 400, response.text
        with db.unit_of_work() as session:
            events = session.scalars(select(Event.type).where(Event.account_id == tenant.account_id)).all()
            numbers = session.scalars(
                select(WorkOrder.work_order_no).where(WorkOrder.account_id == tenant.account_id)
            ).all()
        assert numbers == [] and "WORK_ORDER_CREATED" not in events
        assert create(tenant.admin)["workOrderNo"] == "001"


class TestList:
    def test_filters_order_and_paging(self, tenant: Tenant) -> None:
        first = create(tenant.admin, priority=3)
        second = create(tenant.admin, priority=1)
        third = create(tenant.admin, priority=1)
        tenant.admin.patch(f"/work-orders/{third['id']}", json={"status": "complete"})
        client = tenant.admin
        all_ids = [w["id"] for w in client.get("/work-orders").json()["results"]]
        assert all_ids == [third["id"], second["id"], first["id"]]
        asc = [w["id"] for w in client.get("/work-orders", params={"orderBy": "createdAt ASC"}).json()["results"]]
        assert asc == [first["id"], second["id"], third["id"]]
        assert [w["id"] for w in client.get("/work-orders", params={"status": "open"}).json()["results"]] == [
            second["id"],
            first["id"],
        ]
        assert [w["id"] for w in client.get("/work-orders", params={"isComplete": "1"}).json()["results"]] == [
            third["id"]
        ]
        assert [w["id"] for w in client.get("/work-orders", params={"priority": "3"}).json()["results"]] == [
            first["id"]
        ]
        page = client.get("/work-orders", params={"offset": 1, "limit": 1}).json()["results"]
        assert [w["id"] for w in page] == [second["id"]]
        assert client.get("/work-orders", params={"offset": 10}).json() == {"success": True, "results": []}

    def test_millisecond_range_filters(self, tenant: Tenant) -> None:
        early = create(tenant.admin, dueDate=1_000_000_000_000)
        late = create(tenant.admin, dueDate=2_000_000_000_000)
        params = {"dueDateGreaterThan": "1500000000000"}
        assert [w["id"] for w in tenant.admin.get("/work-orders", params=params).json()["results"]] == [late["id"]]
        params = {"dueDateLessThanOrEqualTo": "1000000000000"}
        assert [w["id"] for w in tenant.admin.get("/work-orders", params=params).json()["results"]] == [early["id"]]

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"colour": "red"}, "invalid filter key: colour"),
            ({"status": "done"}, "status must be one of open, onHold, inProgress, complete"),
            ({"limit": "-1"}, "limit must be between 1 and 5000"),
            (
                {"orderBy": "title ASC"},
                "orderBy must be 'field ASC|DESC' with field one of dueDate, endDueDate, "
                "dateCompleted, createdAt, updatedAt",
            ),
            (
                {"createdAtGreaterThan": "yesterday"},
                "createdAtGreaterThan must be a date (epoch milliseconds or ISO 8601)",
            ),
            ({"includes": "colour"}, "invalid includes value: colour"),
        ],
    )
    def test_bad_parameters(self, tenant: Tenant, params: dict[str, str], message: str) -> None:
        response = tenant.admin.get("/work-orders", params=params)
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": message}

    @pytest.mark.parametrize(
        "query",
        [
            "includes=assignedToUser&includes=assignedByUser",
            "includes[]=assignedToUser&includes[]=assignedByUser",
            "includes=assignedToUser,assignedByUser",
        ],
    )
    def test_includes_in_all_three_syntaxes(self, tenant: Tenant, query: str) -> None:
        create(tenant.admin, assignedToUser=tenant.admin.user_id)
        [item] = tenant.admin.get("/work-orders?" + query).json()["results"]
        assert item["assignedToUser"]["id"] == tenant.admin.user_id
        assert item["assignedToUser"]["email"] == tenant.admin.email
        assert item["assignedByUser"]["id"] == tenant.admin.user_id

    def test_only_own_account(self, tenant: Tenant, other_tenant: Tenant) -> None:
        create(other_tenant.admin)
        assert tenant.admin.get("/work-orders").json()["results"] == []


class TestGetUpdateDelete:
    def test_get_and_other_account_404(self, tenant: Tenant, other_tenant: Tenant) -> None:
        wo = create(tenant.admin)
        got = tenant.admin.get(f"/work-orders/{wo['id']}").json()["result"]
        assert got["id"] == wo["id"] and got["additionalCosts"] == [] and got["arrayOfUpdateItems"] == []
        assert other_tenant.admin.get(f"/work-orders/{wo['id']}").status_code == 404
        assert other_tenant.admin.get(f"/work-orders/{wo['id']}").json() == {
            "success": False,
            "message": "work order not found",
        }
        assert other_tenant.admin.patch(f"/work-orders/{wo['id']}", json={"title": "x"}).status_code == 404
        assert other_tenant.admin.delete(f"/work-orders/{wo['id']}").status_code == 404
        assert (
            other_tenant.admin.post(f"/work-orders/{wo['id']}/update-messages", json={"text": "x"}).status_code == 404
        )

    def test_status_lifecycle(self, tenant: Tenant, db: Database) -> None:
        wo = create(tenant.admin)
        done = tenant.admin.patch(f"/work-orders/{wo['id']}", json={"status": "complete"}).json()["result"]
        assert done["status"] == "complete"
        assert ISO.fullmatch(done["dateCompleted"])
        assert done["completedByUser"] == tenant.admin.user_id
        assert done["responseTime"] is not None
        reopened = tenant.admin.patch(f"/work-orders/{wo['id']}", json={"status": "inProgress"}).json()["result"]
        assert reopened["dateCompleted"] is None and reopened["completedByUser"] is None
        assert events_of(db, tenant.account_id, wo["id"]) == [
            "WORK_ORDER_CREATED",
            "WORK_ORDER_UPDATED",
            "WORK_ORDER_STATUS_UPDATED",
            "WORK_ORDER_UPDATED",
            "WORK_ORDER_STATUS_UPDATED",
        ]

    def test_patch_fields_and_archive(self, tenant: Tenant) -> None:
        wo = create(tenant.admin)
        patched = tenant.admin.patch(
            f"/work-orders/{wo['id']}",
            data={
                "title": "Repair Sink",
                "category": "Electrical",
                "startDate": "1515452422310",
                "archivedStatus": "1",
            },
        ).json()["result"]
        assert patched["title"] == "Repair Sink" and patched["category"] == "Electrical"
        assert patched["archivedStatus"] == "1"
        archived = tenant.admin.get("/work-orders", params={"archivedStatus": "1"}).json()["results"]
        assert [w["id"] for w in archived] == [wo["id"]]
        cleared = tenant.admin.patch(f"/work-orders/{wo['id']}", json={"description": None}).json()["result"]
        assert cleared["description"] is None

    def test_custom_status_sets_status(self, tenant: Tenant, db: Database) -> None:
        status_id = make_custom_status(db, tenant.account_id, "On Hold - Awaiting Prerequisites", "onHold")
        wo = create(tenant.admin, customWOStatusId=status_id)
        assert wo["status"] == "onHold"
        assert wo["customWOStatus"]["name"] == "On Hold - Awaiting Prerequisites"
        assert wo["customWOStatus"]["type"] == "onHold"
        assert (
            tenant.admin.get("/work-orders", params={"customWOStatusId": status_id}).json()["results"][0]["id"]
            == wo["id"]
        )

    def test_additional_costs_add_modify_delete_clear(self, tenant: Tenant) -> None:
        wo = create(tenant.admin)
        path = f"/work-orders/{wo['id']}"
        me = tenant.admin.user_id
        added = tenant.admin.patch(
            path,
            json={
                "additionalCosts": [
                    {"amount": 5, "info": "Test cost 2", "category": "Other", "assignedToUser": me},
                    {
                        "amount": 15,
                        "info": "Labour",
                        "category": "Labor Cost",
                        "assignedToUser": me,
                        "date": "2023-10-11T13:47:50.967Z",
                        "includedInTotalCost": True,
                    },
                ]
            },
        ).json()["result"]["additionalCosts"]
        assert [(c["amount"], c["includedInTotalCost"]) for c in added] == [(5, False), (15, True)]
        assert added[1]["date"] == "2023-10-11T13:47:50.967Z"
        first, second = added
        changed = tenant.admin.patch(
            path,
            json={
                "additionalCosts": [
                    {
                        "id": first["id"],
                        "amount": 7,
                        "info": "changed",
                        "category": "Other",
                        "assignedToUser": me,
                    },
                    {
                        "id": second["id"],
                        "amount": 1,
                        "info": "x",
                        "category": "Other",
                        "assignedToUser": me,
                        "deleteAdditionalCostItem": True,
                    },
                ]
            },
        ).json()["result"]["additionalCosts"]
        assert [(c["id"], c["amount"], c["info"]) for c in changed] == [(first["id"], 7, "changed")]
        assert tenant.admin.patch(path, json={"additionalCosts": []}).json()["result"]["additionalCosts"] == []
        bad = tenant.admin.patch(path, json={"additionalCosts": [{"amount": 1}]})
        assert bad.status_code == 400 and bad.json()["message"] == "additionalCosts[0].info cannot be null"
        bad = tenant.admin.patch(
            path,
            json={"additionalCosts": [{"amount": 1, "info": "x", "category": "Snacks", "assignedToUser": me}]},
        )
        assert bad.json()["message"] == "additionalCosts[0].category Snacks is not a cost category"

    def test_failed_patch_changes_nothing(self, tenant: Tenant) -> None:
        wo = create(tenant.admin)
        response = tenant.admin.patch(f"/work-orders/{wo['id']}", json={"title": "new", "location": "missing123"})
        assert response.status_code == 400
        assert tenant.admin.get(f"/work-orders/{wo['id']}").json()["result"]["title"] == "Repair sink"

    def test_update_messages(self, tenant: Tenant) -> None:
        wo = create(tenant.admin)
        response = tenant.admin.post(f"/work-orders/{wo['id']}/update-messages/", data={"text": "New message"})
        assert response.json() == {"success": True, "message": "1 message Added"}
        got = tenant.admin.get(f"/work-orders/{wo['id']}", params={"includes": "arrayOfUpdateItems"}).json()["result"]
        [message] = got["arrayOfUpdateItems"]
        assert message["text"] == "New message" and message["createdByUser"] == tenant.admin.user_id
        assert tenant.admin.post(f"/work-orders/{wo['id']}/update-messages", json={}).json()["message"] == (
            "text cannot be null"
        )

    def test_delete(self, tenant: Tenant, db: Database) -> None:
        wo = create(tenant.admin)
        assert tenant.admin.delete(f"/work-orders/{wo['id']}").json() == {
            "success": True,
            "message": "1 work order deleted",
        }
        assert tenant.admin.get(f"/work-orders/{wo['id']}").status_code == 404
        assert tenant.admin.delete(f"/work-orders/{wo['id']}").status_code == 404
        assert events_of(db, tenant.account_id, wo["id"])[-1] == "WORK_ORDER_DELETED"


class TestWorkersAndTeams:
    def test_additional_workers(self, tenant: Tenant, other_tenant: Tenant) -> None:
        wo = create(tenant.admin)
        tech = tenant.as_role("TECH")
        path = f"/work-orders/{wo['id']}/users/{tech.user_id}"
        assert tenant.admin.post(path).json() == {
            "success": True,
            "message": f"User {tech.user_id} assigned to work order {wo['id']}",
        }
        assert tenant.admin.get(f"/work-orders/{wo['id']}").json()["result"]["additionalUsers"] == [tech.user_id]
        assert tenant.admin.delete(path).json()["message"] == f"User {tech.user_id} removed from work order {wo['id']}"
        assert tenant.admin.delete(path).status_code == 404
        foreign = f"/work-orders/{wo['id']}/users/{other_tenant.admin.user_id}"
        assert tenant.admin.post(foreign).status_code == 404

    def test_team(self, tenant: Tenant, db: Database, other_tenant: Tenant) -> None:
        wo = create(tenant.admin)
        team = make_team(db, tenant.account_id)
        assert tenant.admin.post(f"/work-orders/{wo['id']}/teams/{team}").json()["message"] == (
            f"team {team} assigned to work order {wo['id']}"
        )
        got = tenant.admin.get(f"/work-orders/{wo['id']}").json()["result"]
        assert got["team"] == team
        assert tenant.admin.delete(f"/work-orders/{wo['id']}/teams/{team}").json()["message"] == (
            f"team {team} removed from work order {wo['id']}"
        )
        foreign_team = make_team(db, other_tenant.account_id)
        assert tenant.admin.post(f"/work-orders/{wo['id']}/teams/{foreign_team}").status_code == 404


class TestRoles:
    def test_view_only_reads_but_cannot_write(self, tenant: Tenant) -> None:
        wo = create(tenant.admin)
        viewer = tenant.as_role("VIEW_ONLY")
        assert [w["id"] for w in viewer.get("/work-orders").json()["results"]] == [wo["id"]]
        assert viewer.post("/work-orders", json={"title": "x"}).status_code == 403
        assert viewer.patch(f"/work-orders/{wo['id']}", json={"title": "x"}).status_code == 403

    def test_tech_creates_but_cannot_delete(self, tenant: Tenant) -> None:
        tech = tenant.as_role("TECH")
        wo = create(tech)
        assert tech.delete(f"/work-orders/{wo['id']}").status_code == 403
        assert tenant.admin.delete(f"/work-orders/{wo['id']}").status_code == 200

    def test_requester_reads_only_work_orders_from_its_requests(self, tenant: Tenant) -> None:
        # tests/api/upkeep/test_requester_portal.py has the rest of the rule.
        requester = tenant.as_role("REQUESTER")
        create(tenant.admin)
        assert requester.get("/work-orders").json() == {"success": True, "results": []}
        assert requester.post("/work-orders", json={"title": "x"}).status_code == 403

    def test_limited_tech_sees_and_updates_only_own(self, tenant: Tenant, db: Database) -> None:
        limited = tenant.as_role("LIMITED_TECH")
        mine = create(tenant.admin, assignedToUser=limited.user_id)
        team = make_team(db, tenant.account_id, members=(limited.user_id,))
        via_team = create(tenant.admin, team=team)
        helping = create(tenant.admin, additionalUsers=[limited.user_id])
        other = create(tenant.admin)
        visible = {w["id"] for w in limited.get("/work-orders").json()["results"]}
        assert visible == {mine["id"], via_team["id"], helping["id"]}
        assert limited.get(f"/work-orders/{other['id']}").status_code == 404
        assert limited.patch(f"/work-orders/{mine['id']}", json={"status": "inProgress"}).status_code == 200
        assert limited.patch(f"/work-orders/{mine['id']}", json={"title": "x"}).status_code == 403
        assert limited.patch(f"/work-orders/{other['id']}", json={"status": "inProgress"}).status_code == 404
        assert limited.post("/work-orders", json={"title": "x"}).status_code == 403

    def test_location_based_user_sees_only_their_locations(self, tenant: Tenant, db: Database) -> None:
        site_a = make_place(db, tenant.account_id, "Site A")
        unit_a = make_place(db, tenant.account_id, "Unit A1", parent_id=site_a)
        site_b = make_place(db, tenant.account_id, "Site B")
        in_a = create(tenant.admin, location=unit_a)
        in_b = create(tenant.admin, location=site_b)
        tech = tenant.as_role("TECH", location_based=True)
        response = tenant.admin.put(f"/users/{tech.user_id}/locations", json={"locationIds": [site_a]})
        assert response.json() == {"success": True, "results": [{"locationId": site_a}]}
        assert [w["id"] for w in tech.get("/work-orders").json()["results"]] == [in_a["id"]]
        assert tech.get(f"/work-orders/{in_b['id']}").status_code == 404
        assert tech.post("/work-orders", json={"title": "x", "location": site_b}).status_code == 400


class TestCostCategories:
    def test_documented_defaults(self, tenant: Tenant, other_tenant: Tenant) -> None:
        body = tenant.admin.get("/work-order-cost-categories").json()
        assert body["success"] is True
        assert [c["name"] for c in body["results"]] == [
            "Labor Cost",
            "Parts Cost",
            "Travel Cost",
            "Tax",
            "Other",
        ]
        assert all(set(c) == {"name", "objectId"} for c in body["results"])
        theirs = {c["objectId"] for c in other_tenant.admin.get("/work-order-cost-categories").json()["results"]}
        assert theirs.isdisjoint({c["objectId"] for c in body["results"]})
        assert tenant.as_role("REQUESTER").get("/work-order-cost-categories").status_code == 403


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"team": "missing1"}, "team missing1 not found"),
        ({"assignedToUser": "missing1"}, "assignedToUser missing1 not found"),
        ({"additionalUsers": ["missing1"]}, "additionalUsers missing1 not found"),
        ({"files": ["missing1"]}, "file missing1 not found"),
        ({"image2": "missing1"}, "file missing1 not found"),
        ({"customWOStatusId": "missing1"}, "customWOStatusId missing1 not found"),
        ({"formTemplate": "missing1"}, "formTemplate missing1 not found"),
        ({"parts": ["p1"]}, "parts[0] p1 not found"),
        ({"formItems": [{"name": "a", "type": "TASK", "colour": "red"}]}, "formItems[0].colour not in schema"),
        ({"formItems": [{"name": " ", "type": "TASK"}]}, "formItems[0].name cannot be null"),
        ({"formItems": [{"name": "a", "type": "METER"}]}, "formItems[0].meter cannot be null"),
        ({"formItems": [{"name": "a", "type": "NUMBER", "value": "x"}]}, "formItems[0].value must be a number"),
        ({"formItems": [{"name": "a", "type": "TEXT", "value": 5}]}, "formItems[0].value must be a string"),
        (
            {"formItems": [{"name": "a", "type": "MULTIPLE_CHOICE", "options": ["x"], "value": "y"}]},
            "formItems[0].value must be one of its options",
        ),
        (
            {"formItems": [{"name": "a", "type": "MULTIPLE_CHOICE", "options": []}]},
            "formItems[0].options must be a non-empty array of strings",
        ),
        ({"additionalCosts": [{"id": "missing1", "amount": 2}]}, "additionalCosts[0].id missing1 not found"),
        ({"additionalCosts": [{"amount": 2, "colour": "red"}]}, "additionalCosts[0].colour not in schema"),
        (
            {"additionalCosts": [{"amount": 2, "info": "x", "category": "Tax"}]},
            "additionalCosts[0].assignedToUser cannot be null",
        ),
        (
            {"additionalCosts": [{"amount": 2, "info": "x", "category": "Tax", "assignedToUser": "missing1"}]},
            "additionalCosts.assignedToUser missing1 not found",
        ),
    ],
)
def test_reference_and_item_errors_use_upkeep_names(tenant: Tenant, body: dict[str, Any], message: str) -> None:
    """Domain errors name domain fields (team_id, form_items[0].meter, ...); UpKeep clients read these words."""
    wo = create(tenant.admin)
    response = tenant.admin.patch(f"/work-orders/{wo['id']}", json=body)
    assert (response.status_code, response.json()) == (400, {"success": False, "message": message})


def test_limited_techs_are_told_which_field_they_may_not_change(tenant: Tenant) -> None:
    tech = tenant.as_role("LIMITED_TECH")
    wo = create(tenant.admin, assignedToUser=tech.user_id)
    response = tech.patch(f"/work-orders/{wo['id']}", json={"location": None})
    assert (response.status_code, response.json()["message"]) == (403, "LIMITED_TECH users may not change location")
