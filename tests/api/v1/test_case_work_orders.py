"""A work order's case: ``case`` on /v1/workOrders (set on create, filtered, embedded as ``Case``),
``POST``/``GET /v1/cases/{id}/workOrders``, the case's activity, and who may attach to which case."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import Role
from premises.user.commands import SiteRole
from tests.api.v1.test_cases import _case, _site
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, admin_of, error_details, service_client, v1_client


def _created(response: Any) -> dict[str, Any]:
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_a_work_order_from_a_case(admin: V1, db: Database, tenant: Tenant) -> None:
    site = _site(admin)
    unit = make_place(db, tenant.account_id, "Unit 4", parent_id=site["id"])
    case = _case(admin, site["id"], description="Water under the door", unit=unit)
    made = _created(admin.post(f"/cases/{case['id']}/workOrders", json={}))
    assert (made["title"], made["description"], made["Location"]["id"], made["Site"]["id"]) == (
        "Leak in the lobby",
        "Water under the door",
        unit,
        site["id"],
    )
    assert made["case"] == case["id"] and made["Case"] == {"id": case["id"], "code": "LA-1"}
    keys = list(made)
    assert keys[keys.index("case") + 1] == "Case"
    given = _created(admin.post(f"/cases/{case['id']}/workOrders", json={"title": "Fix the seal", "priority": 2}))
    assert (given["title"], given["priority"], given["Location"]["id"]) == ("Fix the seal", 2, unit)
    # POST /v1/workOrders with ``case``: the place defaults to the case's, a place under its site is fine.
    level = make_place(db, tenant.account_id, "Level 1", parent_id=site["id"])
    third = _created(admin.post("/workOrders", json={"title": "Dry the floor", "case": case["id"], "location": level}))
    assert third["Case"]["code"] == "LA-1" and third["Location"]["id"] == level
    plain = _created(admin.post("/workOrders", json={"title": "Unrelated"}))
    assert plain["case"] is None and plain["Case"] is None
    assert admin.get(f"/workOrders/{third['id']}").json()["Case"] == {"id": case["id"], "code": "LA-1"}
    # listed: by the case's route and by the ``case`` filter, newest first
    listed = admin.get(f"/cases/{case['id']}/workOrders").json()
    assert listed["count"] == 3 and [w["id"] for w in listed["items"]] == [third["id"], given["id"], made["id"]]
    filtered = admin.get("/workOrders", params={"case": case["id"]}).json()
    assert [w["id"] for w in filtered["items"]] == [third["id"], given["id"], made["id"]]
    page = admin.get(f"/cases/{case['id']}/workOrders", params={"limit": 2}).json()
    assert page["count"] == 3 and page["nextCursor"] is not None
    rest = admin.get(f"/cases/{case['id']}/workOrders", params={"limit": 2, "cursor": page["nextCursor"]}).json()
    assert [w["id"] for w in rest["items"]] == [made["id"]] and rest["nextCursor"] is None
    # the case's activity notes each one
    activity = admin.get(f"/cases/{case['id']}/activity", params={"limit": 50}).json()["items"]
    noted = [(a["action"], a["field"], a["to"]) for a in activity if a["field"] == "workOrder"]
    assert sorted(noted) == sorted(("linked", "workOrder", w["id"]) for w in (made, given, third))


def test_validation_names_case(admin: V1, db: Database, tenant: Tenant) -> None:
    site, other = _site(admin), _site(admin, "Harbour View")
    case = _case(admin, site["id"])
    elsewhere = make_place(db, tenant.account_id, "Dock", parent_id=other["id"])
    for body in (
        {"case": "nothing-here"},
        {"case": case["id"], "location": elsewhere},  # a place that is not under the case's site
        {"case": case["id"], "location": other["id"]},
        {"case": 7},
    ):
        response = admin.post("/workOrders", json={"title": "x", **body})
        assert error_details(response, 400, "invalid_request")["field"] == "case", body
    made = _created(admin.post("/workOrders", json={"title": "x", "case": case["id"]}))
    changed = admin.patch(f"/workOrders/{made['id']}", json={"case": None})
    assert error_details(changed, 400, "invalid_request")["field"] == "case"  # set on create only
    from_case = admin.post(f"/cases/{case['id']}/workOrders", json={"location": elsewhere})
    assert error_details(from_case, 400, "invalid_request")["field"] == "location"
    unknown = admin.post(f"/cases/{case['id']}/workOrders", json={"case": case["id"]})
    assert error_details(unknown, 400, "invalid_request")["field"] == "case"
    raised = _created(admin.post("/requests", json={"title": "Leaking tap"}))
    approved = admin.post(f"/requests/{raised['id']}/approve", json={"case": case["id"]})
    assert error_details(approved, 400, "invalid_request")["field"] == "case"  # approving takes no case
    error_details(admin.post("/cases/nothing-here/workOrders", json={}), 404, "not_found")
    error_details(admin.get("/cases/nothing-here/workOrders"), 404, "not_found")
    deleted = _case(admin, site["id"])
    assert admin.delete(f"/cases/{deleted['id']}").status_code == 204
    gone = admin.post("/workOrders", json={"title": "x", "case": deleted["id"]})
    assert error_details(gone, 400, "invalid_request")["field"] == "case"


def test_another_accounts_case(admin: V1, http: TestClient, db: Database, other_tenant: Tenant) -> None:
    theirs_api = admin_of(http, db, other_tenant.account_id, other_tenant.admin.user_id)
    theirs = _case(theirs_api, _site(theirs_api)["id"])
    _created(theirs_api.post(f"/cases/{theirs['id']}/workOrders", json={}))
    error_details(admin.post(f"/cases/{theirs['id']}/workOrders", json={}), 404, "not_found")
    error_details(admin.get(f"/cases/{theirs['id']}/workOrders"), 404, "not_found")
    response = admin.post("/workOrders", json={"title": "x", "case": theirs["id"]})
    assert error_details(response, 400, "invalid_request")["field"] == "case"
    assert admin.get("/workOrders", params={"case": theirs["id"]}).json()["count"] == 0


def test_a_service_account_of_another_site(admin: V1, http: TestClient, db: Database, tenant: Tenant) -> None:
    mine, other = _site(admin), _site(admin, "Harbour View")
    theirs = _case(admin, other["id"], title="Leak at the harbour")
    seen = _created(admin.post(f"/cases/{theirs['id']}/workOrders", json={}))
    api = v1_client(
        http, tenant.account_id, service_client(db, tenant.account_id, sites=[SiteRole(mine["id"], Role.ADMIN)])
    )
    error_details(api.post(f"/cases/{theirs['id']}/workOrders", json={}), 404, "not_found")
    error_details(api.get(f"/cases/{theirs['id']}/workOrders"), 404, "not_found")
    level = make_place(db, tenant.account_id, "Level 1", parent_id=mine["id"])
    response = api.post("/workOrders", json={"title": "x", "case": theirs["id"], "location": level})
    assert error_details(response, 400, "invalid_request")["field"] == "case"
    assert api.get("/workOrders", params={"case": theirs["id"]}).json()["count"] == 0
    error_details(api.get(f"/workOrders/{seen['id']}"), 404, "not_found")
    # its own site's case: attached and listed
    case = _case(api, mine["id"])
    made = _created(api.post(f"/cases/{case['id']}/workOrders", json={}))
    assert made["Site"]["id"] == mine["id"] and made["Case"]["id"] == case["id"]
    assert [w["id"] for w in api.get(f"/cases/{case['id']}/workOrders").json()["items"]] == [made["id"]]


def test_api_v2_does_not_show_the_case(admin: V1, tenant: Tenant) -> None:
    case = _case(admin, _site(admin)["id"])
    made = _created(admin.post(f"/cases/{case['id']}/workOrders", json={}))
    body = tenant.admin.get(f"/work-orders/{made['id']}").json()
    assert body["result"]["id"] == made["id"]
    assert not [key for key in body["result"] if "case" in key.lower()]
