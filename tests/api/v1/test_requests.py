"""/v1/requests: the work requests of /api/v2 in /v1's words (shape, decisions, lists, sites, roles, dialects)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from premises.api.v1.webhooks import RESOURCES
from premises.db.engine import Database
from premises.identity.permissions import Role
from premises.kit import jsonutil
from premises.user.commands import SiteRole
from tests.support.client import Tenant
from tests.support.factories import make_asset, make_place
from tests.support.v1 import V1, error_details, personal_client, service_client, v1_client

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
KEYS = {
    "id",
    "title",
    "description",
    "status",
    "priority",
    "category",
    "dueDate",
    "endDueDate",
    "team",
    "requestedBy",
    "requesterEmail",
    "image",
    "files",
    "workOrder",
    "decidedBy",
    "decidedAt",
    "decisionReason",
    "Site",
    "Location",
    "Asset",
    "Assignee",
    "createdAt",
    "updatedAt",
}

_error = error_details


def _ids(page: dict[str, object]) -> list[str]:
    return [item["id"] for item in page["items"]]  # type: ignore[attr-defined]


def test_create_get_approve_and_delete_with_the_exact_shape(admin: V1, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux Apartments")
    unit = make_place(db, tenant.account_id, "Unit 4", parent_id=site)
    asset = make_asset(db, tenant.account_id, "Boiler", location_id=site)
    created = admin.post(
        "/requests",
        json={
            "title": "Leaking tap",
            "description": "Kitchen",
            "priority": 2,
            "dueDate": "2026-12-24T10:00:00.000Z",
            "location": unit,
            "asset": asset,
            "assignee": tenant.admin.user_id,
        },
    )
    assert created.status_code == 201, created.text
    raised = created.json()
    assert set(raised) == KEYS
    assert (raised["title"], raised["description"], raised["status"], raised["priority"]) == (
        "Leaking tap",
        "Kitchen",
        "open",
        2,
    )
    assert raised["dueDate"] == "2026-12-24T10:00:00.000Z" and ISO_MS.match(raised["createdAt"])
    assert raised["Site"] == {"id": site, "label": "Lux Apartments"}
    assert raised["Location"] == {"id": unit, "label": "Unit 4"}
    assert raised["Asset"] == {"id": asset, "label": "Boiler"}
    assert raised["Assignee"]["id"] == tenant.admin.user_id and set(raised["Assignee"]) == {"id", "first", "last"}
    assert (raised["requestedBy"], raised["files"], raised["workOrder"], raised["decidedAt"]) == (
        admin.user_id,
        [],
        None,
        None,
    )
    assert admin.get(f"/requests/{raised['id']}").json() == raised
    approved = admin.post(f"/requests/{raised['id']}/approve", json={"title": "Fix the tap", "priority": 3})
    assert approved.status_code == 200, approved.text
    decided = approved.json()
    assert (decided["status"], decided["decidedBy"]) == ("approved", admin.user_id)
    assert ISO_MS.match(decided["decidedAt"]) and decided["workOrder"]
    order = admin.get(f"/workOrders/{decided['workOrder']}").json()
    assert (order["title"], order["priority"], order["Location"]["id"]) == ("Fix the tap", 3, unit)
    again = _error(admin.post(f"/requests/{raised['id']}/decline", json={}), 422, "invalid_transition")
    assert again["code"] == "not_open"
    assert admin.delete(f"/requests/{raised['id']}").status_code == 204
    _error(admin.get(f"/requests/{raised['id']}"), 404, "not_found")
    assert admin.get(f"/workOrders/{decided['workOrder']}").status_code == 200  # the work order stays


def test_decline_and_cancel_with_a_reason(admin: V1) -> None:
    declined = admin.post(f"/requests/{admin.post('/requests', json={'title': 'A'}).json()['id']}/decline", json={})
    assert declined.status_code == 200, declined.text
    assert (declined.json()["status"], declined.json()["decisionReason"]) == ("rejected", None)
    made = admin.post("/requests", json={"title": "B"}).json()
    cancelled = admin.post(f"/requests/{made['id']}/cancel", json={"reason": "Fixed itself"}).json()
    assert (cancelled["status"], cancelled["decisionReason"], cancelled["workOrder"]) == (
        "cancelled",
        "Fixed itself",
        None,
    )


def test_validation_names_the_field_in_v1_words(admin: V1) -> None:
    assert _error(admin.post("/requests", json={"description": "x"}), 400, "invalid_request")["field"] == "title"
    assert _error(admin.post("/requests", json={"title": "x", "priority": 7}), 400, "invalid_request")["field"] == (
        "priority"
    )
    assert (
        _error(admin.post("/requests", json={"title": "x", "dueDate": "soon"}), 400, "invalid_request")["field"]
        == "dueDate"
    )
    for key in ("status", "workOrder", "colour"):
        refused = _error(admin.post("/requests", json={"title": "x", key: "open"}), 400, "invalid_request")
        assert refused["field"] == key
    assert (
        _error(admin.post("/requests", json={"title": "x", "location": "nope"}), 400, "invalid_request")["field"]
        == "location"
    )
    early = {"title": "x", "dueDate": "2026-12-24T10:00:00.000Z", "endDueDate": "2026-12-23T10:00:00.000Z"}
    assert _error(admin.post("/requests", json=early), 400, "invalid_request")["field"] == "endDueDate"
    made = admin.post("/requests", json={"title": "x"}).json()
    approve = admin.post(f"/requests/{made['id']}/approve", json={"title": None})
    assert _error(approve, 400, "invalid_request")["field"] == "title"
    decline = admin.post(f"/requests/{made['id']}/decline", json={"reason": "x" * 10_001})
    assert _error(decline, 400, "invalid_request")["field"] == "reason"
    assert admin.patch(f"/requests/{made['id']}", json={"title": "y"}).status_code == 405


def test_list_filters_searches_sorts_and_continues_with_a_cursor(admin: V1, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Harbour View")
    unit = make_place(db, tenant.account_id, "Penthouse", parent_id=site)
    other = make_place(db, tenant.account_id, "Quay Tower")
    asset = make_asset(db, tenant.account_id, "Chiller", location_id=site)
    ids = [
        admin.post("/requests", json={"title": "Paint hall", "location": unit, "priority": 1}).json()["id"],
        admin.post("/requests", json={"title": "Fix lift", "location": site, "asset": asset, "priority": 3}).json()[
            "id"
        ],
        admin.post("/requests", json={"title": "Clean pool", "location": other}).json()["id"],
        admin.post("/requests", json={"title": "Check alarm", "assignee": tenant.admin.user_id}).json()["id"],
    ]
    admin.post(f"/requests/{ids[0]}/decline", json={})
    page = admin.get("/requests").json()
    assert page["count"] == 4 and _ids(page) == ids[::-1] and page["nextCursor"] is None
    assert set(_ids(admin.get("/requests", params={"sites": site}).json())) == {ids[0], ids[1]}
    assert _ids(admin.get("/requests", params={"sites": f"{other},{site}", "priority": "3"}).json()) == [ids[1]]
    assert _ids(admin.get("/requests", params={"status": "rejected"}).json()) == [ids[0]]
    assert set(_ids(admin.get("/requests", params={"status": "open,rejected"}).json())) == set(ids)
    assert _ids(admin.get("/requests", params={"asset": asset}).json()) == [ids[1]]
    assert _ids(admin.get("/requests", params={"location": other}).json()) == [ids[2]]
    assert _ids(admin.get("/requests", params={"assignee": tenant.admin.user_id}).json()) == [ids[3]]
    assert admin.get("/requests", params={"requestedBy": admin.user_id}).json()["count"] == 4
    assert _ids(admin.get("/requests", params={"search": "penthouse"}).json()) == [ids[0]]  # the location's name
    assert _ids(admin.get("/requests", params={"search": "CHILLER lift"}).json()) == [ids[1]]  # asset and title
    by_title = admin.get("/requests", params={"sort": "title", "limit": 2}).json()
    assert [i["title"] for i in by_title["items"]] == ["Check alarm", "Clean pool"] and by_title["count"] == 4
    rest = admin.get("/requests", params={"sort": "title", "limit": 2, "cursor": by_title["nextCursor"]}).json()
    assert [i["title"] for i in rest["items"]] == ["Fix lift", "Paint hall"]
    assert admin.get("/requests", params={"sort": "-priority", "limit": 1}).json()["items"][0]["id"] == ids[1]
    assert _error(admin.get("/requests", params={"colour": "red"}), 400, "invalid_request")["field"] == "colour"
    assert _error(admin.get("/requests", params={"status": "done"}), 400, "invalid_request")["field"] == "status"
    assert _error(admin.get("/requests", params={"sort": "colour"}), 400, "invalid_request")["field"] == "sort"
    assert _error(admin.get("/requests", params={"cursor": "x"}), 400, "invalid_request")["field"] == "cursor"


def test_another_accounts_request_is_404(admin: V1, other_tenant: Tenant) -> None:
    theirs = other_tenant.admin.post("/requests", json={"title": "Theirs"}).json()["result"]["id"]
    _error(admin.get(f"/requests/{theirs}"), 404, "not_found")
    _error(admin.post(f"/requests/{theirs}/approve", json={}), 404, "not_found")
    _error(admin.post(f"/requests/{theirs}/decline", json={}), 404, "not_found")
    _error(admin.delete(f"/requests/{theirs}"), 404, "not_found")
    assert admin.get("/requests").json()["count"] == 0


def test_a_service_account_reaches_only_its_sites(http: TestClient, db: Database, tenant: Tenant) -> None:
    mine = make_place(db, tenant.account_id, "Lux Apartments")
    unit = make_place(db, tenant.account_id, "Unit 1", parent_id=mine)
    other = make_place(db, tenant.account_id, "Harbour View")
    here = tenant.admin.post("/requests", json={"title": "Tap", "location": unit}).json()["result"]["id"]
    there = tenant.admin.post("/requests", json={"title": "Tap", "location": other}).json()["result"]["id"]
    api = v1_client(http, tenant.account_id, service_client(db, tenant.account_id, sites=[SiteRole(mine, Role.STAFF)]))
    listed = api.get("/requests").json()
    assert listed["count"] == 1 and _ids(listed) == [here]
    assert listed["items"][0]["Site"] == {"id": mine, "label": "Lux Apartments"}
    assert _error(api.get("/requests", params={"sites": f"{mine},{other}"}), 403, "forbidden")["id"] == other
    assert api.get("/requests", params={"search": "Harbour"}).json()["count"] == 0
    _error(api.get(f"/requests/{there}"), 404, "not_found")
    _error(api.post(f"/requests/{there}/approve", json={}), 404, "not_found")
    refused = _error(api.post("/requests", json={"title": "x", "location": other}), 400, "invalid_request")
    assert (refused["code"], refused["field"]) == ("not_found", "location")
    # Made on /v1 at the site: the same record on /api/v2.
    made = api.post("/requests", json={"title": "From v1", "location": unit}).json()
    assert tenant.admin.get(f"/requests/{made['id']}").json()["result"]["title"] == "From v1"


def test_a_request_made_on_api_v2_is_read_on_v1_with_the_same_id(admin: V1, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux Apartments")
    v2 = tenant.admin.post("/requests", json={"title": "Door", "location": site, "priority": 1}).json()["result"]
    read = admin.get(f"/requests/{v2['id']}").json()
    assert (read["id"], read["title"], read["priority"], read["Site"]["id"]) == (v2["id"], "Door", 1, site)
    assert _ids(admin.get("/requests", params={"sites": site}).json()) == [v2["id"]]
    approved = admin.post(f"/requests/{v2['id']}/approve", json={}).json()
    assert tenant.admin.get(f"/requests/{v2['id']}").json()["result"]["workOrder"] == approved["workOrder"]


@pytest.mark.parametrize(
    ("role", "may_decide", "may_delete"),
    [(Role.ADMIN, True, True), (Role.MANAGER, True, True), (Role.STAFF, True, False), (Role.VIEW_ONLY, False, False)],
)
def test_each_site_role(
    http: TestClient, db: Database, tenant: Tenant, role: Role, may_decide: bool, may_delete: bool
) -> None:
    site = make_place(db, tenant.account_id, "Lux Apartments")
    api = v1_client(http, tenant.account_id, service_client(db, tenant.account_id, sites=[SiteRole(site, role)]))
    made = api.post("/requests", json={"title": "Tap", "location": site})
    assert made.status_code == 201, made.text  # everyone may raise one
    assert api.get(f"/requests/{made.json()['id']}").status_code == 200  # and read what it raised
    theirs = tenant.admin.post("/requests", json={"title": "Door", "location": site}).json()["result"]["id"]
    decided = api.post(f"/requests/{theirs}/decline", json={})
    assert decided.status_code == (200 if may_decide else 404 if role is Role.VIEW_ONLY else 403), decided.text
    deleted = api.delete(f"/requests/{made.json()['id']}")
    assert deleted.status_code == (204 if may_delete else 403), deleted.text


def test_scopes_narrow_what_the_role_allows(http: TestClient, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux Apartments")
    client = personal_client(db, tenant.account_id, tenant.admin.user_id, scopes=["requests:read", "requests:write"])
    reader = v1_client(http, tenant.account_id, client, scope="requests:read")
    writer = v1_client(http, tenant.account_id, client, scope="requests:write")
    made = writer.post("/requests", json={"title": "Tap", "location": site})
    assert made.status_code == 201, made.text
    assert reader.get("/requests").json()["count"] == 1
    refused = _error(reader.post(f"/requests/{made.json()['id']}/approve", json={}), 403, "insufficient_scope")
    assert refused["scope"] == "requests:write"
    assert writer.post(f"/requests/{made.json()['id']}/approve", json={}).status_code == 200
    _error(writer.get("/workOrders"), 403, "insufficient_scope")


def test_the_openapi_document(http: TestClient) -> None:
    paths = http.get("/v1/openapi.json").json()["paths"]
    assert {"/requests", "/requests/{request_id}", "/requests/{request_id}/approve"} <= set(paths)
    assert "patch" not in paths["/requests/{request_id}"]


def test_a_request_event_renders_as_v1_shows_the_request(admin: V1, db: Database, tenant: Tenant) -> None:
    """A /v1 webhook's body for a request event: the request as /v1 renders it, from the event's
    snapshot (the embedded objects' names are not in it)."""
    site = make_place(db, tenant.account_id, "Lux Apartments")
    made = admin.post("/requests", json={"title": "Tap", "location": site, "priority": 2}).json()
    with db.engine.connect() as connection:
        payload = connection.execute(
            text("SELECT payload FROM events WHERE account_id = :a AND resource_id = :r AND type = 'REQUEST_CREATED'"),
            {"a": tenant.account_id, "r": made["id"]},
        ).scalar_one()
    body = RESOURCES["request"](jsonutil.loads(payload))
    assert set(body) == KEYS
    assert {k: v for k, v in body.items() if k not in {"Site", "Location"}} == {
        k: v for k, v in made.items() if k not in {"Site", "Location"}
    }
    assert body["Location"] == {"id": site, "label": None}
