"""/v1/workOrders: the work orders of /api/v2 in /v1's words (shape, lists, sites, roles, dialects)."""

from __future__ import annotations

import re

import orjson
import pytest
from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import Role
from premises.user.commands import SiteRole
from tests.api.v1.test_cases import _case, _site
from tests.support.client import Tenant
from tests.support.factories import make_asset, make_place
from tests.support.v1 import V1, error_details, personal_client, service_client, v1_client

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
KEYS = {
    "id",
    "number",
    "title",
    "description",
    "status",
    "priority",
    "category",
    "startDate",
    "dueDate",
    "dateCompleted",
    "Site",
    "Location",
    "Asset",
    "Assignee",
    "case",
    "Case",
    "createdAt",
    "updatedAt",
}


_error = error_details


def _ids(page: dict[str, object]) -> list[str]:
    return [item["id"] for item in page["items"]]  # type: ignore[attr-defined]


def test_create_get_update_delete_with_the_exact_shape(admin: V1, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux Apartments")
    unit = make_place(db, tenant.account_id, "Unit 4", parent_id=make_place(db, tenant.account_id, "Block A", site))
    asset = make_asset(db, tenant.account_id, "Boiler", location_id=site)
    created = admin.post(
        "/workOrders",
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
    order = created.json()
    assert set(order) == KEYS
    assert (order["title"], order["description"], order["status"], order["priority"]) == (
        "Leaking tap",
        "Kitchen",
        "open",
        2,
    )
    assert order["dueDate"] == "2026-12-24T10:00:00.000Z" and ISO_MS.match(order["createdAt"])
    assert order["Site"] == {"id": site, "label": "Lux Apartments"}
    assert order["Location"] == {"id": unit, "label": "Unit 4"}
    assert order["Asset"] == {"id": asset, "label": "Boiler"}
    assert order["Assignee"]["id"] == tenant.admin.user_id and set(order["Assignee"]) == {"id", "first", "last"}
    assert isinstance(order["number"], int) and order["dateCompleted"] is None
    assert admin.get(f"/workOrders/{order['id']}").json() == order
    assert admin.get(f"/work-orders/{order['id']}").json() == order  # the kebab alias
    changed = admin.patch(f"/workOrders/{order['id']}", json={"status": "inProgress", "asset": None, "priority": 3})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["status"], changed.json()["Asset"], changed.json()["priority"]) == ("inProgress", None, 3)
    done = admin.patch(f"/workOrders/{order['id']}", json={"status": "complete"}).json()
    assert ISO_MS.match(done["dateCompleted"])
    assert admin.delete(f"/workOrders/{order['id']}").status_code == 204
    _error(admin.get(f"/workOrders/{order['id']}"), 404, "not_found")


def test_validation_names_the_field_in_v1_words(admin: V1) -> None:
    assert _error(admin.post("/workOrders", json={"description": "x"}), 400, "invalid_request")["field"] == "title"
    assert _error(admin.post("/workOrders", json={"title": "x", "priority": 7}), 400, "invalid_request")["field"] == (
        "priority"
    )
    assert (
        _error(admin.post("/workOrders", json={"title": "x", "dueDate": "soon"}), 400, "invalid_request")["field"]
        == "dueDate"
    )
    assert (
        _error(admin.post("/workOrders", json={"title": "x", "status": "open"}), 400, "invalid_request")["field"]
        == "status"
    )
    assert (
        _error(admin.post("/workOrders", json={"title": "x", "location": "nope"}), 400, "invalid_request")["field"]
        == "location"
    )
    order = admin.post("/workOrders", json={"title": "x"}).json()
    assert (
        _error(admin.patch(f"/workOrders/{order['id']}", json={"status": "done"}), 400, "invalid_request")["field"]
        == "status"
    )
    assert (
        _error(admin.patch(f"/workOrders/{order['id']}", json={"title": None}), 400, "invalid_request")["field"]
        == "title"
    )


def test_list_filters_searches_sorts_and_continues_with_a_cursor(admin: V1, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Harbour View")
    unit = make_place(db, tenant.account_id, "Penthouse", parent_id=site)
    other = make_place(db, tenant.account_id, "Quay Tower")
    asset = make_asset(db, tenant.account_id, "Chiller", location_id=site)
    ids = [
        admin.post("/workOrders", json={"title": "Paint hall", "location": unit, "priority": 1}).json()["id"],
        admin.post("/workOrders", json={"title": "Fix lift", "location": site, "asset": asset, "priority": 3}).json()[
            "id"
        ],
        admin.post("/workOrders", json={"title": "Clean pool", "location": other}).json()["id"],
        admin.post("/workOrders", json={"title": "Check alarm", "assignee": tenant.admin.user_id}).json()["id"],
    ]
    admin.patch(f"/workOrders/{ids[0]}", json={"status": "onHold"})
    page = admin.get("/workOrders").json()
    assert page["count"] == 4 and _ids(page) == ids[::-1] and page["nextCursor"] is None
    assert set(_ids(admin.get("/workOrders", params={"sites": site}).json())) == {ids[0], ids[1]}
    assert _ids(admin.get("/workOrders", params={"sites": f"{other},{site}", "priority": "3"}).json()) == [ids[1]]
    assert _ids(admin.get("/workOrders", params={"status": "onHold"}).json()) == [ids[0]]
    assert _ids(admin.get("/workOrders", params={"asset": asset}).json()) == [ids[1]]
    assert _ids(admin.get("/workOrders", params={"location": other}).json()) == [ids[2]]
    assert _ids(admin.get("/workOrders", params={"assignee": tenant.admin.user_id}).json()) == [ids[3]]
    assert _ids(admin.get("/workOrders", params={"search": "penthouse"}).json()) == [ids[0]]  # the location's name
    assert _ids(admin.get("/workOrders", params={"search": "CHILLER lift"}).json()) == [ids[1]]  # asset and title
    by_title = admin.get("/workOrders", params={"sort": "title", "limit": 2}).json()
    assert [i["title"] for i in by_title["items"]] == ["Check alarm", "Clean pool"] and by_title["count"] == 4
    rest = admin.get("/workOrders", params={"sort": "title", "limit": 2, "cursor": by_title["nextCursor"]}).json()
    assert [i["title"] for i in rest["items"]] == ["Fix lift", "Paint hall"]
    assert admin.get("/workOrders", params={"sort": "-priority", "limit": 1}).json()["items"][0]["id"] == ids[1]
    assert _error(admin.get("/workOrders", params={"colour": "red"}), 400, "invalid_request")["field"] == "colour"
    assert _error(admin.get("/workOrders", params={"status": "done"}), 400, "invalid_request")["field"] == "status"
    assert _error(admin.get("/workOrders", params={"sort": "colour"}), 400, "invalid_request")["field"] == "sort"
    assert _error(admin.get("/workOrders", params={"cursor": "x"}), 400, "invalid_request")["field"] == "cursor"


def test_a_page_renders_every_item_as_its_get_does(admin: V1, http: TestClient, db: Database, tenant: Tenant) -> None:
    """SQLite renders an unrestricted principal's page itself (one JSON text per row); the detail and a
    restricted principal's page are rendered in Python. Both must give the same bytes for any text."""
    site = _site(admin)
    unit = make_place(db, tenant.account_id, 'Unit "4" \\ east', parent_id=site["id"])
    asset = make_asset(db, tenant.account_id, "Chaudière ☃ \U0001f525", location_id=unit)
    case = _case(admin, site["id"], description="Water\nunder\tthe door", unit=unit)
    texts = ["Tab\tnew\nline \u0001 \u001f \u007f", 'Quote " slash / back \\ ü €', "\U0001f6bf shower", "</script>&"]
    made = [
        admin.post(
            "/workOrders",
            json={"title": text, "description": text, "location": unit, "asset": asset, "priority": 1},
        ).json()["id"]
        for text in texts
    ]
    made.append(
        admin.post(f"/cases/{case['id']}/workOrders", json={"dueDate": "2026-12-24T10:00:00.000Z"}).json()["id"]
    )
    made.append(admin.post("/workOrders", json={"title": "Bare", "assignee": tenant.admin.user_id}).json()["id"])
    admin.patch(f"/workOrders/{made[0]}", json={"status": "complete"})
    staff = v1_client(
        http, tenant.account_id, service_client(db, tenant.account_id, sites=[SiteRole(site["id"], Role.STAFF)])
    )
    for api in (admin, staff):
        for params in ({}, {"limit": 2}, {"sort": "title"}):
            listed = api.get("/workOrders", params=params)
            assert listed.content == orjson.dumps(listed.json())  # compact, UTF-8: what orjson writes
            for item in listed.json()["items"]:
                assert item == api.get(f"/workOrders/{item['id']}").json()
    page = admin.get("/workOrders").json()
    assert [item["id"] for item in page["items"]] == made[::-1] and page["count"] == len(made)
    assert page["items"][1]["Case"] == {"id": case["id"], "code": case["code"]}
    assert page["items"][0]["Asset"] is None and page["items"][0]["Assignee"]["id"] == tenant.admin.user_id
    assert [item["title"] for item in page["items"][2:]] == texts[::-1]
    further = admin.get("/workOrders", params={"limit": 2, "sort": "title"}).json()
    rest = admin.get("/workOrders", params={"limit": 50, "sort": "title", "cursor": further["nextCursor"]}).json()
    assert len(rest["items"]) == len(made) - 2 and rest["nextCursor"] is None


def test_another_accounts_work_order_is_404(admin: V1, http: TestClient, db: Database, other_tenant: Tenant) -> None:
    theirs = other_tenant.admin.post("/work-orders", json={"title": "Theirs"}).json()["result"]["id"]
    _error(admin.get(f"/workOrders/{theirs}"), 404, "not_found")
    _error(admin.patch(f"/workOrders/{theirs}", json={"title": "Mine"}), 404, "not_found")
    _error(admin.delete(f"/workOrders/{theirs}"), 404, "not_found")
    assert admin.get("/workOrders").json()["count"] == 0


def test_a_service_account_reaches_only_its_sites_and_sees_what_a_location_based_user_sees(
    http: TestClient, db: Database, tenant: Tenant
) -> None:
    mine = make_place(db, tenant.account_id, "Lux Apartments")
    unit = make_place(db, tenant.account_id, "Unit 1", parent_id=mine)
    other = make_place(db, tenant.account_id, "Harbour View")
    here = tenant.admin.post("/work-orders", json={"title": "Tap", "location": unit}).json()["result"]["id"]
    there = tenant.admin.post("/work-orders", json={"title": "Tap", "location": other}).json()["result"]["id"]
    api = v1_client(http, tenant.account_id, service_client(db, tenant.account_id, sites=[SiteRole(mine, Role.STAFF)]))
    listed = api.get("/workOrders").json()
    assert listed["count"] == 1 and _ids(listed) == [here]
    assert listed["items"][0]["Site"] == {"id": mine, "label": "Lux Apartments"}
    assert _ids(api.get("/workOrders", params={"sites": mine}).json()) == [here]
    assert _error(api.get("/workOrders", params={"sites": f"{mine},{other}"}), 403, "forbidden")["id"] == other
    assert api.get("/workOrders", params={"search": "Harbour"}).json()["count"] == 0
    _error(api.get(f"/workOrders/{there}"), 404, "not_found")
    _error(api.patch(f"/workOrders/{there}", json={"title": "x"}), 404, "not_found")
    refused = _error(api.post("/workOrders", json={"title": "x", "location": other}), 400, "invalid_request")
    assert (refused["code"], refused["field"]) == ("not_found", "location")  # a place it does not reach
    # A location-based UpKeep user on the same site sees the same records on /api/v2.
    tech = tenant.as_role("TECH", location_based=True)
    assert tenant.admin.put(f"/users/{tech.user_id}/locations", json={"locationIds": [mine]}).status_code == 200
    assert [w["id"] for w in tech.get("/work-orders").json()["results"]] == _ids(listed)
    # Made on /v1 at the site: the same record on /api/v2.
    made = api.post("/workOrders", json={"title": "From v1", "location": unit}).json()
    assert tenant.admin.get(f"/work-orders/{made['id']}").json()["result"]["title"] == "From v1"
    # Assigned to it at a site it was not added to: it sees the work order, not the place.
    assigned = tenant.admin.post(
        "/work-orders", json={"title": "Elsewhere", "location": other, "assignedToUser": api.user_id}
    ).json()["result"]["id"]
    seen = api.get(f"/workOrders/{assigned}").json()
    assert (seen["Site"], seen["Location"]) == (None, None)


@pytest.mark.parametrize(("role", "may_delete"), [(Role.ADMIN, True), (Role.MANAGER, True), (Role.STAFF, False)])
def test_each_site_role(http: TestClient, db: Database, tenant: Tenant, role: Role, may_delete: bool) -> None:
    site = make_place(db, tenant.account_id, "Lux Apartments")
    viewed = make_place(db, tenant.account_id, "Harbour View")
    client = service_client(db, tenant.account_id, sites=[SiteRole(site, role), SiteRole(viewed, Role.VIEW_ONLY)])
    api = v1_client(http, tenant.account_id, client)
    order = api.post("/workOrders", json={"title": "Tap", "location": site})
    assert order.status_code == 201, order.text
    assert api.patch(f"/workOrders/{order.json()['id']}", json={"priority": 1}).status_code == 200
    refused = api.post("/workOrders", json={"title": "Tap", "location": viewed})  # VIEW_ONLY there
    assert refused.status_code == 403 and refused.json()["details"]["code"] == "role_may_not"
    deleted = api.delete(f"/workOrders/{order.json()['id']}")
    assert deleted.status_code == (204 if may_delete else 403), deleted.text


def test_a_work_order_made_on_api_v2_at_a_unit_is_listed_for_its_site(admin: V1, db: Database, tenant: Tenant) -> None:
    site = admin.post("/sites", json={"label": "Lux Apartments"}).json()["id"]
    unit = tenant.admin.post("/locations", json={"name": "Unit 9", "parentLocation": site})
    assert unit.status_code == 200, unit.text
    made = tenant.admin.post("/work-orders", json={"title": "Door", "location": unit.json()["result"]["id"]})
    listed = admin.get("/workOrders", params={"sites": site}).json()
    assert _ids(listed) == [made.json()["result"]["id"]] and listed["items"][0]["Site"]["label"] == "Lux Apartments"
    assert listed["items"][0]["Location"]["label"] == "Unit 9"


def test_a_revoked_client_is_refused_at_once_by_the_list(
    admin: V1, http: TestClient, db: Database, tenant: Tenant
) -> None:
    site = make_place(db, tenant.account_id, "Lux Apartments")
    admin.post("/workOrders", json={"title": "Tap", "location": site})
    api = v1_client(http, tenant.account_id, service_client(db, tenant.account_id, sites=[SiteRole(site, Role.STAFF)]))
    assert api.get("/workOrders").json()["count"] == 1  # its principal is now cached in this process
    assert admin.delete(f"/apiClients/{api.client_id}").status_code == 204
    _error(api.get("/workOrders"), 401, "invalid_token")
    _error(api.get("/workOrders", params={"sort": "colour"}), 401, "invalid_token")  # not the 400


def test_scopes_narrow_what_the_role_allows(http: TestClient, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux Apartments")
    client = personal_client(
        db, tenant.account_id, tenant.admin.user_id, scopes=["workOrders:read", "workOrders:write"]
    )
    reader = v1_client(http, tenant.account_id, client, scope="workOrders:read")
    writer = v1_client(http, tenant.account_id, client, scope="workOrders:write")
    made = writer.post("/workOrders", json={"title": "Tap", "location": site})
    assert made.status_code == 201, made.text
    assert made.json()["Site"] == {"id": site, "label": "Lux Apartments"}
    assert reader.get("/workOrders").json()["count"] == 1
    assert _error(reader.post("/workOrders", json={"title": "x"}), 403, "insufficient_scope")["scope"] == (
        "workOrders:write"
    )
    assert writer.delete(f"/workOrders/{made.json()['id']}").status_code == 204
    _error(writer.get("/sites"), 403, "insufficient_scope")


def test_the_openapi_document(http: TestClient) -> None:
    document = http.get("/v1/openapi.json").json()
    assert {"/workOrders", "/workOrders/{work_order_id}"} <= set(document["paths"])
    assert document["paths"]["/workOrders"]["get"]["security"] == [{"oauth2": []}]
