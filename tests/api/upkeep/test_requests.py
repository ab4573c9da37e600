from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from premises.db.engine import Database
from premises.identity.permissions import PERMISSIONS, Grant, Role
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import Event, StoredFile, WorkOrder, WorkRequest
from tests.support.client import Tenant, UpKeep
from tests.support.factories import make_asset, make_place, make_team

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
READ_OWN_ROLES = ("LIMITED_TECH", "VIEW_ONLY", "REQUESTER")


def create(client: UpKeep, **fields: Any) -> dict[str, Any]:
    response = client.post("/requests", json={"title": "Repair sink", **fields})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [r["id"] for r in response.json()["results"]]


def events_of(db: Database, account_id: str, resource_id: str) -> list[str]:
    with db.unit_of_work() as session:
        rows = session.scalars(
            select(Event.type)
            .where(Event.account_id == account_id, Event.resource_id == resource_id)
            .order_by(Event.id)
        )
        return list(rows)


def make_file(db: Database, account_id: str) -> str:
    with db.unit_of_work() as session:
        now = now_ms()
        stored = StoredFile(
            account_id=account_id,
            id=new_id(),
            filename="sink.jpg",
            content_type="image/jpeg",
            size_bytes=3,
            storage_key=new_id(),
            created_at=now,
            updated_at=now,
        )
        session.add(stored)
        return stored.id


def id_of(value: Any) -> Any:
    """An id, whether or not another module has registered the expander for its kind yet."""
    return value["id"] if isinstance(value, dict) else value


class TestCreate:
    def test_documented_form_body(self, tenant: Tenant, db: Database) -> None:
        site = make_place(db, tenant.account_id)
        asset = make_asset(db, tenant.account_id, location_id=site)
        team = make_team(db, tenant.account_id)
        tech = tenant.as_role("TECH")
        response = tenant.admin.post(
            "/requests/",
            data={
                "title": "Repair sink",
                "description": "Sink broke yesterday",
                "priority": "1",
                "team": team,
                "location": site,
                "asset": asset,
                "category": "Electrical",
                "assignedToUser": tech.user_id,
                "dueDate": "1515482422310",
            },
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["success"] is True
        result = body["result"]
        assert re.fullmatch(r"[A-Za-z0-9]{10}", result["id"])
        assert result["title"] == "Repair sink" and result["description"] == "Sink broke yesterday"
        assert (result["location"], result["asset"], result["team"]) == (site, asset, team)
        assert result["category"] == "Electrical"
        assert result["assignedToUser"] == tech.user_id and result["assignedToUsername"] == tech.email
        assert result["assignedByUser"] == tenant.admin.user_id
        assert result["status"] == "open" and result["priority"] == 1
        assert result["requestedByUser"] == tenant.admin.user_id
        assert result["publicRequesterEmail"] is None
        assert result["dueDate"] == "2018-01-09T07:20:22.310Z"
        assert ISO.fullmatch(result["createdAt"]) and ISO.fullmatch(result["updatedAt"])
        assert result["workOrder"] is None
        assert result["image"] is None and result["files"] == []
        assert events_of(db, tenant.account_id, result["id"]) == ["REQUEST_CREATED"]

    def test_json_body_like_pipedream(self, tenant: Tenant) -> None:
        # Pipedream sends parseInt(undefined) -> NaN -> null for a missing priority, and an ISO dueDate.
        result = create(tenant.admin, priority=None, dueDate="2018-01-09T07:20:22.310Z")
        assert result["priority"] == 0
        assert result["dueDate"] == "2018-01-09T07:20:22.310Z"
        assert result["assignedToUser"] is None and result["assignedByUser"] is None

    def test_extensions_image_files_end_due_date(self, tenant: Tenant, db: Database) -> None:
        photo = make_file(db, tenant.account_id)
        other = make_file(db, tenant.account_id)
        result = create(tenant.admin, image=photo, files=[other], dueDate=1_000, endDueDate=2_000)
        assert result["image"] == photo or isinstance(result["image"], dict)  # a file object once files expand
        assert result["files"] == [other]
        assert result["endDueDate"] == "1970-01-01T00:00:02.000Z"

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({}, "title cannot be null"),
            ({"title": None}, "title cannot be null"),
            ({"title": ""}, "title cannot be null"),
            ({"title": "x", "colour": "red"}, "colour not in schema"),
            ({"title": "x", "status": "approved"}, "status not in schema"),
            ({"title": "x", "priority": 7}, "priority must be one of 0, 1, 2, 3"),
            ({"title": "x", "priority": "high"}, "priority must be an integer"),
            ({"title": "x", "dueDate": "tomorrow"}, "dueDate must be a date (epoch milliseconds or ISO 8601)"),
            ({"title": "x", "dueDate": 2000, "endDueDate": 1000}, "endDueDate must not be before dueDate"),
            ({"title": "x", "category": "Nope"}, "category Nope is not one of the account's work order categories"),
            ({"title": "x", "location": "missing123"}, "location missing123 not found"),
            ({"title": "x", "asset": "missing123"}, "asset missing123 not found"),
            ({"title": "x", "team": "missing123"}, "team missing123 not found"),
            ({"title": "x", "assignedToUser": "missing123"}, "assignedToUser missing123 not found"),
            ({"title": "x", "image": "missing123"}, "image missing123 not found"),
            ({"title": "x", "files": ["missing123"]}, "files missing123 not found"),
            ({"title": "x" * 501}, "title is too long"),
        ],
    )
    def test_bad_input(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        response = tenant.admin.post("/requests", json=body)
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": message}

    def test_other_accounts_records_are_rejected(self, tenant: Tenant, other_tenant: Tenant, db: Database) -> None:
        place = make_place(db, other_tenant.account_id)
        asset = make_asset(db, other_tenant.account_id)
        team = make_team(db, other_tenant.account_id)
        for field, value in (
            ("location", place),
            ("asset", asset),
            ("team", team),
            ("assignedToUser", other_tenant.admin.user_id),
        ):
            response = tenant.admin.post("/requests", json={"title": "x", field: value})
            assert response.status_code == 400
            assert response.json()["message"] == f"{field} {value} not found"

    @pytest.mark.parametrize("role", ["TECH", "LIMITED_TECH", "VIEW_ONLY", "REQUESTER"])
    def test_every_role_may_raise_a_request(self, tenant: Tenant, role: str) -> None:
        client = tenant.as_role(role)
        assert create(client)["requestedByUser"] == client.user_id


class TestList:
    def test_default_order_paging_and_order_by(self, tenant: Tenant) -> None:
        first = create(tenant.admin, dueDate=3_000)
        second = create(tenant.admin, dueDate=1_000)
        third = create(tenant.admin, dueDate=2_000)
        client = tenant.admin
        body = client.get("/requests").json()
        assert body["success"] is True
        assert [r["id"] for r in body["results"]] == [third["id"], second["id"], first["id"]]
        assert ids(client.get("/requests", params={"orderBy": "createdAt ASC"})) == [
            first["id"],
            second["id"],
            third["id"],
        ]
        assert ids(client.get("/requests", params={"orderBy": "dueDate ASC"})) == [
            second["id"],
            third["id"],
            first["id"],
        ]
        assert ids(client.get("/requests", params={"orderBy": "updatedAt"})) == [third["id"], second["id"], first["id"]]
        assert ids(client.get("/requests", params={"offset": 1, "limit": 1})) == [second["id"]]
        assert client.get("/requests", params={"offset": 10}).json() == {"success": True, "results": []}

    def test_documented_filters(self, tenant: Tenant, db: Database) -> None:
        site = make_place(db, tenant.account_id)
        asset = make_asset(db, tenant.account_id)
        team = make_team(db, tenant.account_id)
        tech = tenant.as_role("TECH")
        plain = create(tenant.admin, title="Leak")
        located = create(tenant.admin, location=site)
        for_asset = create(tenant.admin, asset=asset)
        for_team = create(tenant.admin, team=team)
        assigned = create(tenant.admin, assignedToUser=tech.user_id)
        categorised = create(tenant.admin, category="Safety")
        by_tech = create(tech)
        public = create(tenant.admin)
        with db.unit_of_work() as session:
            row = session.get(WorkRequest, (tenant.account_id, public["id"]))
            assert row is not None
            row.requested_by_user_id = None
            row.public_requester_email = "test@abc.com"
        client = tenant.admin
        assert ids(client.get("/requests", params={"title": "Leak"})) == [plain["id"]]
        assert ids(client.get("/requests", params={"location": site})) == [located["id"]]
        assert ids(client.get("/requests", params={"asset": asset})) == [for_asset["id"]]
        assert ids(client.get("/requests", params={"team": team})) == [for_team["id"]]
        assert ids(client.get("/requests", params={"assignedToUser": tech.user_id})) == [assigned["id"]]
        assert ids(client.get("/requests", params={"category": "Safety"})) == [categorised["id"]]
        assert ids(client.get("/requests", params={"requestedByUser": tech.user_id})) == [by_tech["id"]]
        assert ids(client.get("/requests", params={"publicRequesterEmail": "test@abc.com"})) == [public["id"]]
        got = client.get(f"/requests/{public['id']}").json()["result"]
        assert got["publicRequesterEmail"] == "test@abc.com" and got["requestedByUser"] is None

    def test_status_filter(self, tenant: Tenant) -> None:
        keep = create(tenant.admin)
        gone = create(tenant.admin)
        tenant.admin.delete(f"/requests/{gone['id']}/cancel")
        assert ids(tenant.admin.get("/requests", params={"status": "open"})) == [keep["id"]]
        assert ids(tenant.admin.get("/requests", params={"status": "cancelled"})) == [gone["id"]]

    def test_millisecond_range_filters(self, tenant: Tenant) -> None:
        early = create(tenant.admin, dueDate=1_000_000_000_000, endDueDate=1_100_000_000_000)
        late = create(tenant.admin, dueDate=2_000_000_000_000, endDueDate=2_100_000_000_000)
        client = tenant.admin
        assert ids(client.get("/requests", params={"dueDateGreaterThan": "1500000000000"})) == [late["id"]]
        assert ids(client.get("/requests", params={"dueDateLessThanOrEqualTo": "1000000000000"})) == [early["id"]]
        assert ids(client.get("/requests", params={"endDueDateLessThan": "1500000000000"})) == [early["id"]]
        assert ids(client.get("/requests", params={"endDueDateGreaterThanOrEqualTo": "2100000000000"})) == [late["id"]]
        assert ids(client.get("/requests", params={"createdAtGreaterThan": "0", "updatedAtLessThan": "1"})) == []
        assert len(ids(client.get("/requests", params={"createdAtGreaterThanOrEqualTo": "0"}))) == 2

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"colour": "red"}, "invalid filter key: colour"),
            ({"status": "done"}, "status must be one of open, approved, rejected, cancelled"),
            ({"limit": "-1"}, "limit must be between 1 and 5000"),
            (
                {"orderBy": "title ASC"},
                "orderBy must be 'field ASC|DESC' with field one of dueDate, endDueDate, createdAt, updatedAt",
            ),
            ({"orderBy": "createdAt SIDEWAYS"}, "orderBy direction must be ASC or DESC"),
            (
                {"createdAtGreaterThan": "yesterday"},
                "createdAtGreaterThan must be a date (epoch milliseconds or ISO 8601)",
            ),
            ({"includes": "colour"}, "invalid includes value: colour"),
            ({"includes": "files"}, "invalid includes value: files"),
        ],
    )
    def test_bad_parameters(self, tenant: Tenant, params: dict[str, str], message: str) -> None:
        response = tenant.admin.get("/requests", params=params)
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
    def test_includes_users(self, tenant: Tenant, query: str) -> None:
        tech = tenant.as_role("TECH")
        create(tenant.admin, assignedToUser=tech.user_id)
        [item] = tenant.admin.get("/requests?" + query).json()["results"]
        assert item["assignedToUser"]["id"] == tech.user_id and item["assignedToUser"]["email"] == tech.email
        assert item["assignedByUser"]["id"] == tenant.admin.user_id

    def test_includes_of_other_kinds_keep_or_expand_ids(self, tenant: Tenant, db: Database) -> None:
        site = make_place(db, tenant.account_id)
        asset = make_asset(db, tenant.account_id)
        team = make_team(db, tenant.account_id)
        create(tenant.admin, location=site, asset=asset, team=team)
        [item] = tenant.admin.get("/requests", params={"includes": "asset,location,team,cancelledByUser"}).json()[
            "results"
        ]
        assert (id_of(item["location"]), id_of(item["asset"]), id_of(item["team"])) == (site, asset, team)
        assert item["cancelledByUser"] is None

    def test_only_own_account(self, tenant: Tenant, other_tenant: Tenant) -> None:
        create(other_tenant.admin)
        assert tenant.admin.get("/requests").json()["results"] == []


class TestGet:
    def test_get_matches_create_and_other_account_is_404(self, tenant: Tenant, other_tenant: Tenant) -> None:
        created = create(tenant.admin, description="Sink broke yesterday")
        got = tenant.admin.get(f"/requests/{created['id']}").json()
        assert got == {"success": True, "result": created}
        response = other_tenant.admin.get(f"/requests/{created['id']}")
        assert response.status_code == 404
        assert response.json() == {"success": False, "message": "request not found"}
        assert tenant.admin.get("/requests/doesNotExist").status_code == 404

    def test_get_only_includes(self, tenant: Tenant, db: Database) -> None:
        photo = make_file(db, tenant.account_id)
        created = create(tenant.admin, files=[photo], assignedToUser=tenant.admin.user_id)
        got = tenant.admin.get(
            f"/requests/{created['id']}",
            params={"includes": "files,formItems,parts,arrayOfUpdateItems,assignedToUser"},
        ).json()["result"]
        assert got["files"] == [photo] or (len(got["files"]) == 1 and isinstance(got["files"][0], dict))
        assert got["formItems"] == [] and got["parts"] == [] and got["arrayOfUpdateItems"] == []
        assert got["assignedToUser"]["id"] == tenant.admin.user_id

    def test_bad_query(self, tenant: Tenant) -> None:
        created = create(tenant.admin)
        response = tenant.admin.get(f"/requests/{created['id']}", params={"includes": "colour"})
        assert response.json() == {"success": False, "message": "invalid includes value: colour"}
        response = tenant.admin.get(f"/requests/{created['id']}", params={"title": "x"})
        assert response.json() == {"success": False, "message": "invalid filter key: title"}


class TestCancel:
    def test_documented_delete_cancel(self, tenant: Tenant, db: Database) -> None:
        created = create(tenant.admin)
        response = tenant.admin.delete(f"/requests/{created['id']}/cancel")
        assert response.status_code == 200
        assert response.json() == {"success": True, "message": "1 request cancelled"}
        got = tenant.admin.get(f"/requests/{created['id']}", params={"includes": "cancelledByUser"}).json()["result"]
        assert got["status"] == "cancelled"
        assert got["cancelledByUser"]["id"] == tenant.admin.user_id
        assert ISO.fullmatch(got["cancelledAt"]) and got["cancelReason"] is None
        assert got["approvedAt"] is None and got["declinedAt"] is None
        assert events_of(db, tenant.account_id, created["id"]) == ["REQUEST_CREATED", "REQUEST_UPDATED"]
        again = tenant.admin.delete(f"/requests/{created['id']}/cancel")
        assert again.status_code == 400
        message = "only open requests can be cancelled; this request is cancelled"
        assert again.json() == {"success": False, "message": message}

    def test_patch_cancel_for_the_older_client(self, tenant: Tenant) -> None:
        created = create(tenant.admin)
        response = tenant.admin.patch(f"/requests/{created['id']}/cancel/", data={"reason": "Duplicate"})
        assert response.json() == {"success": True, "message": "1 request cancelled"}
        got = tenant.admin.get(f"/requests/{created['id']}").json()["result"]
        assert got["status"] == "cancelled" and got["cancelReason"] == "Duplicate"
        assert got["cancelledByUser"] == tenant.admin.user_id

    def test_bad_body_and_other_account(self, tenant: Tenant, other_tenant: Tenant) -> None:
        created = create(tenant.admin)
        response = tenant.admin.patch(f"/requests/{created['id']}/cancel", json={"colour": "red"})
        assert response.json() == {"success": False, "message": "colour not in schema"}
        response = other_tenant.admin.delete(f"/requests/{created['id']}/cancel")
        assert response.status_code == 404
        assert response.json() == {"success": False, "message": "request not found"}
        assert tenant.admin.get(f"/requests/{created['id']}").json()["result"]["status"] == "open"


class TestDelete:
    def test_documented_delete(self, tenant: Tenant, db: Database) -> None:
        created = create(tenant.admin)
        response = tenant.admin.delete(f"/requests/{created['id']}")
        assert response.json() == {"success": True, "message": "1 request deleted"}
        assert tenant.admin.get(f"/requests/{created['id']}").status_code == 404
        assert tenant.admin.get("/requests").json()["results"] == []
        assert tenant.admin.delete(f"/requests/{created['id']}").status_code == 404
        assert tenant.admin.delete(f"/requests/{created['id']}/cancel").status_code == 404
        assert events_of(db, tenant.account_id, created["id"])[-1] == "REQUEST_DELETED"

    def test_other_account_is_404_and_only_admins_delete(self, tenant: Tenant, other_tenant: Tenant) -> None:
        created = create(tenant.admin)
        assert other_tenant.admin.delete(f"/requests/{created['id']}").status_code == 404
        for role in ("TECH", "LIMITED_TECH", "VIEW_ONLY", "REQUESTER"):
            client = tenant.as_role(role)
            own = create(client)
            response = client.delete(f"/requests/{own['id']}")
            assert response.status_code == 403, role
            assert response.json()["success"] is False
        assert tenant.admin.get(f"/requests/{created['id']}").status_code == 200


class TestApprove:
    def test_approve_creates_linked_work_order(self, tenant: Tenant, db: Database) -> None:
        site = make_place(db, tenant.account_id)
        asset = make_asset(db, tenant.account_id)
        requester = tenant.as_role("REQUESTER")
        created = create(
            requester,
            description="Dripping",
            priority=2,
            category="Damage",
            location=site,
            asset=asset,
            dueDate=1_000,
            endDueDate=5_000,
        )
        response = tenant.admin.patch(f"/requests/{created['id']}/approve")
        assert response.status_code == 200, response.text
        result = response.json()["result"]
        assert result["status"] == "approved"
        assert result["approvedByUser"] == tenant.admin.user_id and ISO.fullmatch(result["approvedAt"])
        work_order = result["workOrder"]
        assert isinstance(work_order, dict)
        assert work_order["title"] == "Repair sink" and work_order["description"] == "Dripping"
        assert work_order["status"] == "open" and work_order["priority"] == 2 and work_order["category"] == "Damage"
        assert work_order["location"] == site and work_order["asset"] == asset
        assert work_order["dueDate"] == "1970-01-01T00:00:01.000Z"
        assert work_order["endDueDate"] == "1970-01-01T00:00:05.000Z"
        assert work_order["requestedByUser"] == requester.user_id
        assert work_order["createdByUser"] == tenant.admin.user_id
        with db.unit_of_work() as session:
            row = session.get(WorkOrder, (tenant.account_id, work_order["id"]))
            assert row is not None and row.request_id == created["id"]
            request_row = session.get(WorkRequest, (tenant.account_id, created["id"]))
            assert request_row is not None and request_row.work_order_id == work_order["id"]
        got = tenant.admin.get(f"/requests/{created['id']}").json()["result"]
        assert got["workOrder"] == work_order["id"]
        expanded = tenant.admin.get("/requests", params={"includes": "workOrder"}).json()["results"][0]
        assert expanded["workOrder"]["id"] == work_order["id"]
        assert tenant.admin.get(f"/work-orders/{work_order['id']}").status_code == 200
        assert events_of(db, tenant.account_id, created["id"]) == ["REQUEST_CREATED", "REQUEST_APPROVED"]
        assert events_of(db, tenant.account_id, work_order["id"]) == ["WORK_ORDER_CREATED"]
        # The requester sees the approval and the work order made from its request (test_requester_portal.py).
        mine = requester.get(f"/requests/{created['id']}", params={"includes": "workOrder"}).json()["result"]
        assert mine["status"] == "approved" and mine["workOrder"]["id"] == work_order["id"]

    def test_approve_with_work_order_fields(self, tenant: Tenant, db: Database) -> None:
        tech = tenant.as_role("TECH")
        helper = tenant.as_role("TECH")
        team = make_team(db, tenant.account_id)
        created = create(tenant.admin, category="Damage", dueDate=1_000)
        response = tenant.admin.patch(
            f"/requests/{created['id']}/approve",
            json={
                "assignedToUser": tech.user_id,
                "dueDate": "2018-01-09T07:20:22.310Z",
                "priority": 3,
                "category": "Electrical",
                "team": team,
                "additionalUsers": [helper.user_id],
                "title": "Fix sink",
            },
        )
        assert response.status_code == 200, response.text
        work_order = response.json()["result"]["workOrder"]
        assert work_order["assignedToUser"] == tech.user_id and work_order["assignedByUser"] == tenant.admin.user_id
        assert work_order["dueDate"] == "2018-01-09T07:20:22.310Z" and work_order["endDueDate"] is None
        assert work_order["priority"] == 3 and work_order["category"] == "Electrical"
        assert work_order["team"] == team and work_order["additionalUsers"] == [helper.user_id]
        assert work_order["title"] == "Fix sink"
        request = tenant.admin.get(f"/requests/{created['id']}").json()["result"]
        assert request["category"] == "Damage" and request["title"] == "Repair sink"

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"priority": 9}, "priority must be one of 0, 1, 2, 3"),
            ({"colour": "red"}, "colour not in schema"),
            ({"title": None}, "title cannot be null"),
            ({"category": "Nope"}, "category Nope is not one of the account's work order categories"),
            ({"assignedToUser": "missing123"}, "assignedToUser missing123 not found"),
        ],
    )
    def test_bad_input_changes_nothing(self, tenant: Tenant, db: Database, body: dict[str, Any], message: str) -> None:
        created = create(tenant.admin)
        response = tenant.admin.patch(f"/requests/{created['id']}/approve", json=body)
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": message}
        assert tenant.admin.get(f"/requests/{created['id']}").json()["result"]["status"] == "open"
        assert tenant.admin.get("/work-orders").json()["results"] == []
        assert events_of(db, tenant.account_id, created["id"]) == ["REQUEST_CREATED"]

    def test_only_open_requests(self, tenant: Tenant) -> None:
        approved = create(tenant.admin)
        tenant.admin.patch(f"/requests/{approved['id']}/approve")
        response = tenant.admin.patch(f"/requests/{approved['id']}/approve")
        assert response.status_code == 400
        message = "only open requests can be approved; this request is approved"
        assert response.json() == {"success": False, "message": message}
        cancelled = create(tenant.admin)
        tenant.admin.delete(f"/requests/{cancelled['id']}/cancel")
        response = tenant.admin.patch(f"/requests/{cancelled['id']}/approve")
        assert response.json()["message"] == "only open requests can be approved; this request is cancelled"
        response = tenant.admin.delete(f"/requests/{approved['id']}/cancel")
        assert response.json()["message"] == "only open requests can be cancelled; this request is approved"
        assert len(tenant.admin.get("/work-orders").json()["results"]) == 1

    def test_other_account_is_404(self, tenant: Tenant, other_tenant: Tenant) -> None:
        created = create(tenant.admin)
        response = other_tenant.admin.patch(f"/requests/{created['id']}/approve")
        assert response.status_code == 404
        assert response.json() == {"success": False, "message": "request not found"}

    @pytest.mark.parametrize("role", READ_OWN_ROLES)
    def test_only_admins_and_techs_decide(self, tenant: Tenant, role: str) -> None:
        client = tenant.as_role(role)
        own = create(client)
        for action in ("approve", "decline", "reject"):
            assert client.patch(f"/requests/{own['id']}/{action}").status_code == 403
        tech = tenant.as_role("TECH")
        assert tech.patch(f"/requests/{own['id']}/approve").status_code == 200

    def test_decide_permission_suffices_without_work_order_create(
        self, tenant: Tenant, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        tech = tenant.as_role("TECH")
        created = create(tenant.admin)
        monkeypatch.setitem(PERMISSIONS, ("work_order", "create"), {Role.ADMIN: Grant.ALL})
        assert tech.post("/work-orders", json={"title": "x"}).status_code == 403
        response = tech.patch(f"/requests/{created['id']}/approve")
        assert response.status_code == 200, response.text
        assert response.json()["result"]["workOrder"]["createdByUser"] == tech.user_id


class TestDecline:
    @pytest.mark.parametrize("path", ["decline", "reject"])
    def test_decline_with_reason(self, tenant: Tenant, db: Database, path: str) -> None:
        created = create(tenant.admin)
        tech = tenant.as_role("TECH")
        response = tech.patch(f"/requests/{created['id']}/{path}", json={"reason": "Not our building"})
        assert response.status_code == 200, response.text
        result = response.json()["result"]
        assert result["status"] == "rejected"
        assert result["declinedByUser"] == tech.user_id and ISO.fullmatch(result["declinedAt"])
        assert result["declineReason"] == "Not our building"
        assert result["workOrder"] is None and result["cancelledByUser"] is None
        assert events_of(db, tenant.account_id, created["id"]) == ["REQUEST_CREATED", "REQUEST_REJECTED"]
        assert tenant.admin.get("/work-orders").json()["results"] == []

    def test_reason_is_optional_and_only_open_requests(self, tenant: Tenant) -> None:
        created = create(tenant.admin)
        result = tenant.admin.patch(f"/requests/{created['id']}/decline").json()["result"]
        assert result["status"] == "rejected" and result["declineReason"] is None
        response = tenant.admin.patch(f"/requests/{created['id']}/reject")
        assert response.status_code == 400
        message = "only open requests can be rejected; this request is rejected"
        assert response.json() == {"success": False, "message": message}
        response = tenant.admin.patch(f"/requests/{created['id']}/approve")
        assert response.json()["message"] == "only open requests can be approved; this request is rejected"

    def test_bad_body_and_other_account(self, tenant: Tenant, other_tenant: Tenant) -> None:
        created = create(tenant.admin)
        response = tenant.admin.patch(f"/requests/{created['id']}/decline", json={"reason": "x" * 10_001})
        assert response.json() == {"success": False, "message": "reason is too long"}
        response = tenant.admin.patch(f"/requests/{created['id']}/decline", json={"why": "x"})
        assert response.json() == {"success": False, "message": "why not in schema"}
        assert other_tenant.admin.patch(f"/requests/{created['id']}/decline").status_code == 404
        assert tenant.admin.get(f"/requests/{created['id']}").json()["result"]["status"] == "open"


class TestRoles:
    @pytest.mark.parametrize("role", READ_OWN_ROLES)
    def test_own_only_roles_read_and_cancel_their_own(self, tenant: Tenant, role: str) -> None:
        client = tenant.as_role(role)
        theirs = create(tenant.admin)
        mine = create(client)
        assert ids(client.get("/requests")) == [mine["id"]]
        assert ids(client.get("/requests", params={"requestedByUser": tenant.admin.user_id})) == []
        assert client.get(f"/requests/{theirs['id']}").status_code == 404
        assert client.delete(f"/requests/{theirs['id']}/cancel").status_code == 404
        assert client.get(f"/requests/{mine['id']}").json()["result"]["id"] == mine["id"]
        assert client.delete(f"/requests/{mine['id']}/cancel").json()["message"] == "1 request cancelled"
        assert tenant.admin.get(f"/requests/{theirs['id']}").json()["result"]["status"] == "open"

    def test_tech_reads_and_cancels_all(self, tenant: Tenant) -> None:
        tech = tenant.as_role("TECH")
        requester = tenant.as_role("REQUESTER")
        theirs = create(requester)
        admins = create(tenant.admin)
        assert set(ids(tech.get("/requests"))) == {theirs["id"], admins["id"]}
        assert tech.delete(f"/requests/{theirs['id']}/cancel").status_code == 200

    def test_location_based_user_sees_their_locations_and_own_requests(self, tenant: Tenant, db: Database) -> None:
        site_a = make_place(db, tenant.account_id, "Site A")
        unit_a = make_place(db, tenant.account_id, "Unit A1", parent_id=site_a)
        site_b = make_place(db, tenant.account_id, "Site B")
        in_a = create(tenant.admin, location=unit_a)
        in_b = create(tenant.admin, location=site_b)
        nowhere = create(tenant.admin)
        tech = tenant.as_role("TECH", location_based=True)
        response = tenant.admin.put(f"/users/{tech.user_id}/locations", json={"locationIds": [site_a]})
        assert response.status_code == 200
        own = create(tech)
        assert set(ids(tech.get("/requests"))) == {in_a["id"], own["id"]}
        for hidden in (in_b, nowhere):
            assert tech.get(f"/requests/{hidden['id']}").status_code == 404
            assert tech.patch(f"/requests/{hidden['id']}/approve").status_code == 404
            assert tech.patch(f"/requests/{hidden['id']}/decline").status_code == 404
            assert tech.delete(f"/requests/{hidden['id']}/cancel").status_code == 404
        response = tech.post("/requests", json={"title": "x", "location": site_b})
        assert response.status_code == 400
        assert response.json()["message"] == f"location {site_b} not found"
        approved = tech.patch(f"/requests/{in_a['id']}/approve").json()["result"]
        assert approved["status"] == "approved" and approved["workOrder"]["location"] == unit_a


class TestExpansionRespectsRoles:
    def test_requester_does_not_see_other_users_through_includes(self, tenant: Tenant) -> None:
        requester = tenant.as_role("REQUESTER")
        create(requester, assignedToUser=tenant.admin.user_id)
        [item] = requester.get("/requests", params={"includes": "assignedToUser"}).json()["results"]
        assert item["assignedToUser"] == tenant.admin.user_id  # stays an id: requesters read only themselves
        [mine] = tenant.admin.get("/requests", params={"includes": "assignedToUser"}).json()["results"]
        assert mine["assignedToUser"]["id"] == tenant.admin.user_id
