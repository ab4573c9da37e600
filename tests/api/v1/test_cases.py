"""/v1/cases: the seed's list-cases example, codes per site, types, transitions, comments, links, activity,
events, and who may see and do what (another account, a service account's sites, each site role)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from premises.db.engine import Database
from premises.identity.permissions import Role
from premises.kit.ids import new_id
from premises.models import Event
from premises.user.commands import SiteRole, UserCreate
from premises.user.service import create_user_unchecked
from tests.support.client import Tenant
from tests.support.factories import make_asset, make_place, new_password
from tests.support.v1 import V1, admin_of, error_details, personal_client, service_client, v1_client

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
SEED_KEYS = ["id", "code", "type", "title", "status", "due", "priority", "Assignee", "Site", "createdAt", "updatedAt"]
DEFAULT_TYPES = ["Repair And Maintenance", "Incident", "Defects", "Task", "Upgrades", "Cleaning", "Gardening"]


def _user(db: Database, account_id: str, first: str, last: str, role: Role = Role.TECH) -> str:
    email = f"{first.lower()}-{new_id().lower()}@example.test"
    with db.unit_of_work() as session:
        command = UserCreate(email=email, account_type=role, first_name=first, last_name=last)
        return create_user_unchecked(session, account_id, command, new_password(email)).id


def _site(api: V1, label: str = "Lux Apartments") -> dict[str, Any]:
    response = api.post("/sites", json={"label": label})
    assert response.status_code == 201, response.text
    site: dict[str, Any] = response.json()
    return site


def _case(api: V1, site_id: str, **fields: Any) -> dict[str, Any]:
    response = api.post("/cases", json={"site": site_id, "title": "Leak in the lobby", **fields})
    assert response.status_code == 201, response.text
    case: dict[str, Any] = response.json()
    return case


def test_the_seeds_list_cases_example(admin: V1, db: Database, tenant: Tenant) -> None:
    """GET /v1/cases?sites={SITE_ID}&page=1&limit=50&search=John answers the seed's item shape."""
    site = _site(admin)
    assert admin.post(f"/sites/{site['id']}/caseTypes", json={"name": "Waste Management"}).status_code == 201
    john = _user(db, tenant.account_id, "John", "Appleseed")
    case = _case(
        admin, site["id"], type="Waste Management", title="Recycling Rubbish left in common area", priority="2"
    )
    case = admin.patch(f"/cases/{case['id']}", json={"assignee": john, "status": "closed"}).json()
    _case(admin, site["id"], title="Broken gate")  # assigned to the admin: not a John
    page = admin.get(f"/cases?sites={site['id']}&page=1&limit=50&search=John")
    assert page.status_code == 200, page.text
    body = page.json()
    assert body["count"] == 1 and body["nextCursor"] is None
    item = body["items"][0]
    assert [key for key in item if key in SEED_KEYS] == SEED_KEYS
    assert {key: item[key] for key in SEED_KEYS if key not in ("id", "createdAt", "updatedAt")} == {
        "code": "LA-1",
        "type": "Waste Management",
        "title": "Recycling Rubbish left in common area",
        "status": "closed",
        "due": None,
        "priority": "2",
        "Assignee": {"id": john, "first": "John", "last": "Appleseed"},
        "Site": {"id": site["id"], "label": "Lux Apartments"},
    }
    assert ISO_MS.match(item["createdAt"]) and ISO_MS.match(item["updatedAt"])
    assert item == case == admin.get(f"/cases/{case['id']}").json()
    assert admin.get("/cases", params={"search": "John Appleseed"}).json()["count"] == 1
    assert admin.get("/cases", params={"search": "Lux gate"}).json()["count"] == 1  # the site's label too


def test_create_defaults_and_embedded_records(admin: V1, tenant: Tenant, db: Database) -> None:
    site = _site(admin)
    unit = make_place(db, tenant.account_id, "Unit 12A", parent_id=site["id"])
    asset = make_asset(db, tenant.account_id, "Lift 1", location_id=site["id"])
    jane = {"site": site["id"], "first": "Jane", "last": "Doe", "type": "tenant"}
    resident = admin.post("/residents", json=jane)
    assert resident.status_code == 201, resident.text
    resident = resident.json()["id"]
    contractor = tenant.admin.post("/vendors", json={"businessName": "ABC Plumbing"}).json()["result"]["id"]
    case = _case(
        admin,
        site["id"],
        description="Water under the door",
        due="2025-05-01T09:00:00.000Z",
        unit=unit,
        resident=resident,
        contractor=contractor,
        asset=asset,
    )
    assert list(case) == [
        "id", "code", "type", "title", "description", "status", "due", "priority", "Assignee", "Site",
        "Unit", "Resident", "Contractor", "Asset", "closedAt", "createdAt", "updatedAt",
    ]  # fmt: skip
    assert (case["code"], case["type"], case["status"], case["priority"]) == ("LA-1", "Task", "todo", "3")
    assert case["due"] == "2025-05-01T09:00:00.000Z" and case["closedAt"] is None
    assert case["Assignee"]["id"] == tenant.admin.user_id  # the creator
    assert case["Unit"] == {"id": unit, "label": "Unit 12A"}
    assert case["Resident"]["id"] == resident and case["Resident"]["first"] == "Jane"
    assert case["Contractor"] == {"id": contractor, "label": "ABC Plumbing"}
    assert case["Asset"] == {"id": asset, "label": "Lift 1"}
    assert _case(admin, site["id"])["code"] == "LA-2"
    other = _site(admin, "Harbour View")
    assert _case(admin, other["id"])["code"] == "HV-1"  # a sequence per site
    cleared = admin.patch(f"/cases/{case['id']}", json={"unit": None, "asset": None, "due": None}).json()
    assert (cleared["Unit"], cleared["Asset"], cleared["due"]) == (None, None, None)
    ann = {"site": other["id"], "first": "Ann", "last": "Other", "type": "owner"}
    elsewhere = admin.post("/residents", json=ann).json()["id"]
    customer = tenant.admin.post("/customers", json={"name": "No Home"}).json()["result"]["id"]
    refused = (("unit", other["id"]), ("contractor", resident), ("assignee", "nobody"))
    # a resident of another site, or a contact that is no resident: not this site's (its name stays hidden)
    for name, value in (*refused, ("resident", elsewhere), ("resident", customer)):
        details = error_details(
            admin.post("/cases", json={"site": site["id"], "title": "x", name: value}), 400, "invalid_request"
        )
        assert (details["code"], details["field"]) == ("not_found", name)


def test_a_site_without_a_code_lends_its_initials(admin: V1, tenant: Tenant) -> None:
    from_v2 = tenant.admin.post("/locations", json={"name": "Quay Tower"}).json()["result"]["id"]
    assert _case(admin, from_v2)["code"] == "QT-1"


def test_case_types_per_site(admin: V1, http: TestClient, db: Database, tenant: Tenant) -> None:
    site = _site(admin)
    listed = admin.get(f"/sites/{site['id']}/caseTypes").json()
    assert [t["name"] for t in listed["items"]] == DEFAULT_TYPES and listed["count"] == 7
    assert all(t["default"] for t in listed["items"]) and set(listed["items"][0]) == {
        "id", "name", "default", "createdAt", "updatedAt",
    }  # fmt: skip
    added = admin.post(f"/sites/{site['id']}/caseTypes", json={"name": "Waste Management"})
    assert added.status_code == 201 and added.json()["name"] == "Waste Management" and not added.json()["default"]
    duplicate = admin.post(f"/sites/{site['id']}/caseTypes", json={"name": "waste management"})
    assert error_details(duplicate, 409, "conflict")["field"] == "name"
    assert (
        error_details(admin.post(f"/sites/{site['id']}/caseTypes", json={}), 400, "invalid_request")["field"] == "name"
    )
    assert _case(admin, site["id"], type="waste MANAGEMENT")["type"] == "Waste Management"
    # An unknown type is a 400 listing the site's types; another site has only the defaults.
    details = error_details(
        admin.post("/cases", json={"site": site["id"], "title": "x", "type": "Noise"}), 400, "invalid_request"
    )
    assert details["field"] == "type" and details["code"] == "not_one_of"
    assert details["choices"] == ", ".join([*DEFAULT_TYPES, "Waste Management"])
    other = _site(admin, "Harbour View")
    refused = admin.post("/cases", json={"site": other["id"], "title": "x", "type": "Waste Management"})
    assert "Waste Management" not in error_details(refused, 400, "invalid_request")["choices"]
    # A site made on /api/v2 (no case types yet) gets the defaults when first asked.
    from_v2 = tenant.admin.post("/locations", json={"name": "Quay Tower"}).json()["result"]["id"]
    assert admin.get(f"/sites/{from_v2}/caseTypes").json()["count"] == 7


def test_status_transitions(admin: V1) -> None:
    site = _site(admin)
    case = _case(admin, site["id"])
    details = error_details(admin.patch(f"/cases/{case['id']}", json={"status": "done"}), 400, "invalid_request")
    assert (details["field"], details["code"]) == ("status", "not_one_of")
    moved = admin.patch(f"/cases/{case['id']}", json={"status": "inProgress"}).json()
    assert moved["status"] == "inProgress"
    closed = admin.patch(f"/cases/{case['id']}", json={"status": "closed"}).json()
    assert closed["status"] == "closed" and ISO_MS.match(closed["closedAt"])
    details = error_details(
        admin.patch(f"/cases/{case['id']}", json={"status": "inProgress"}), 422, "invalid_transition"
    )
    assert details == {"code": "invalid_transition", "record": "case", "current": "closed", "wanted": "inProgress"}
    reopened = admin.patch(f"/cases/{case['id']}", json={"status": "todo"}).json()
    assert reopened["status"] == "todo" and reopened["closedAt"] is None
    assert admin.patch(f"/cases/{case['id']}", json={"status": "closed"}).json()["status"] == "closed"  # todo -> closed
    assert admin.get("/cases", params={"status": "closed"}).json()["count"] == 1
    assert admin.get("/cases", params={"status": "todo,inProgress"}).json()["count"] == 0


def test_validation_names_the_field_in_v1_words(admin: V1, db: Database, tenant: Tenant) -> None:
    site = _site(admin)
    assert error_details(admin.post("/cases", json={"site": site["id"]}), 400, "invalid_request")["field"] == "title"
    assert error_details(admin.post("/cases", json={"title": "x"}), 400, "invalid_request")["field"] == "site"
    for body, field in (
        ({"priority": "6"}, "priority"),
        ({"priority": "0"}, "priority"),
        ({"due": "soon"}, "due"),
        ({"colour": "red"}, "colour"),
        ({"title": "   "}, "title"),
    ):
        response = admin.post("/cases", json={"site": site["id"], "title": "x", **body})
        assert error_details(response, 400, "invalid_request")["field"] == field
    assert _case(admin, site["id"], priority=1)["priority"] == "1"  # a number is taken as its text
    case = _case(admin, site["id"])
    assert (
        error_details(admin.patch(f"/cases/{case['id']}", json={"site": site["id"]}), 400, "invalid_request")["field"]
        == "site"
    )
    assert (
        error_details(admin.patch(f"/cases/{case['id']}", json={"type": None}), 400, "invalid_request")["field"]
        == "type"
    )
    assert (
        error_details(admin.post("/cases", json={"site": "nowhere", "title": "x"}), 400, "invalid_request")["field"]
        == "site"
    )
    sub = make_place(db, tenant.account_id, "Level 1", parent_id=site["id"])
    assert (
        error_details(admin.post("/cases", json={"site": sub, "title": "x"}), 400, "invalid_request")["field"] == "site"
    )


def test_list_sorts_by_code_as_a_number_and_checks_parameters(admin: V1) -> None:
    site = _site(admin)
    for n in range(11):
        _case(admin, site["id"], title=f"Case {n}")
    codes = [c["code"] for c in admin.get("/cases", params={"sort": "code", "limit": 3}).json()["items"]]
    assert codes == ["LA-1", "LA-2", "LA-3"]
    assert admin.get("/cases", params={"sort": "-code", "limit": 1}).json()["items"][0]["code"] == "LA-11"
    assert admin.get("/cases", params={"code": "LA-10,LA-2"}).json()["count"] == 2
    assert error_details(admin.get("/cases", params={"colour": "red"}), 400, "invalid_request")["field"] == "colour"
    assert error_details(admin.get("/cases", params={"sort": "colour"}), 400, "invalid_request")["field"] == "sort"


def test_comments_links_and_the_activity_log(admin: V1, db: Database, tenant: Tenant) -> None:
    site = _site(admin)
    unit = make_place(db, tenant.account_id, "Unit 1", parent_id=site["id"])
    first, second = _case(admin, site["id"]), _case(admin, site["id"], title="Leak in unit 2")
    comment = admin.post(f"/cases/{first['id']}/comments", json={"body": "Plumber called"})
    assert comment.status_code == 201, comment.text
    shown = comment.json()
    assert set(shown) == {"id", "body", "Author", "createdAt", "updatedAt"} and shown["body"] == "Plumber called"
    assert shown["Author"]["id"] == tenant.admin.user_id
    assert admin.get(f"/cases/{first['id']}/comments").json()["items"] == [shown]
    assert (
        error_details(admin.post(f"/cases/{first['id']}/comments", json={"body": ""}), 400, "invalid_request")["field"]
        == "body"
    )

    linked = admin.post(f"/cases/{first['id']}/links", json={"case": second["id"]})
    assert linked.status_code == 201 and linked.json()["id"] == second["id"]
    assert admin.post(f"/cases/{first['id']}/links", json={"case": second["id"]}).status_code == 201  # again: no change
    assert [c["id"] for c in admin.get(f"/cases/{second['id']}/links").json()["items"]] == [first["id"]]
    assert (
        error_details(admin.post(f"/cases/{first['id']}/links", json={"case": first["id"]}), 400, "invalid_request")[
            "field"
        ]
        == "case"
    )
    missing = admin.post(f"/cases/{first['id']}/links", json={"case": "nothing"})
    assert error_details(missing, 400, "invalid_request") == {"code": "not_found", "field": "case", "id": "nothing"}
    assert admin.delete(f"/cases/{second['id']}/links/{first['id']}").status_code == 204
    assert admin.get(f"/cases/{first['id']}/links").json()["count"] == 0
    error_details(admin.delete(f"/cases/{second['id']}/links/{first['id']}"), 404, "not_found")

    admin.patch(f"/cases/{first['id']}", json={"title": "Leak in the foyer", "priority": "1", "unit": unit})
    admin.patch(f"/cases/{first['id']}", json={"title": "Leak in the foyer"})  # no change: no entry
    log = admin.get(f"/cases/{first['id']}/activity").json()["items"]
    assert [(e["action"], e["field"], e["from"], e["to"]) for e in log] == [
        ("created", "status", None, "todo"),
        ("commented", "comment", None, shown["id"]),
        ("linked", "case", None, second["id"]),
        ("unlinked", "case", second["id"], None),
        ("updated", "title", "Leak in the lobby", "Leak in the foyer"),
        ("updated", "priority", "3", "1"),
        ("updated", "unit", None, unit),
    ]
    assert all(e["User"]["id"] == tenant.admin.user_id and ISO_MS.match(e["at"]) for e in log)


def _walk(api: V1, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a /v1 list, page after page through ``nextCursor``; every page counts them all."""
    items: list[dict[str, Any]] = []
    cursor, counts = None, set()
    while True:
        page = api.get(path, params={**params, **({"cursor": cursor} if cursor else {})})
        assert page.status_code == 200, page.text
        body = page.json()
        assert len(body["items"]) <= params.get("limit", 50)
        items += body["items"]
        counts.add(body["count"])
        cursor = body["nextCursor"]
        if cursor is None:
            assert counts == {len(items)}
            return items


def test_comments_links_and_activity_are_paged(admin: V1, db: Database, tenant: Tenant) -> None:
    site = _site(admin)
    case, *others = (_case(admin, site["id"], title=f"Leak {n}") for n in range(3))
    bodies = [f"Update {n}" for n in range(5)]
    for body in bodies:
        assert admin.post(f"/cases/{case['id']}/comments", json={"body": body}).status_code == 201
    path = f"/cases/{case['id']}/comments"
    whole = admin.get(path).json()
    assert whole["count"] == 5 and whole["nextCursor"] is None
    assert sorted(c["body"] for c in whole["items"]) == bodies
    first = admin.get(path, params={"limit": 2}).json()
    assert (first["count"], len(first["items"])) == (5, 2) and first["nextCursor"]
    assert _walk(admin, path, limit=2) == whole["items"]  # oldest first, every one once
    assert admin.get(path, params={"page": 2, "limit": 2}).json()["items"] == whole["items"][2:4]
    assert admin.get(path, params={"sort": "-createdAt"}).json()["items"] == whole["items"][::-1]
    assert [c["body"] for c in admin.get(path, params={"search": "update 3"}).json()["items"]] == ["Update 3"]
    assert error_details(admin.get(path, params={"colour": "red"}), 400, "invalid_request")["field"] == "colour"
    assert error_details(admin.get(path, params={"sites": site["id"]}), 400, "invalid_request")["field"] == "sites"
    assert error_details(admin.get(path, params={"limit": 0}), 400, "invalid_request")["field"] == "limit"
    activity_cursor = admin.get(f"/cases/{case['id']}/activity", params={"limit": 1}).json()["nextCursor"]
    assert error_details(admin.get(path, params={"cursor": activity_cursor}), 400, "invalid_request")["field"] == (
        "cursor"
    )

    for other in others:
        assert admin.post(f"/cases/{case['id']}/links", json={"case": other["id"]}).status_code == 201
    links = _walk(admin, f"/cases/{case['id']}/links", limit=1)
    assert [c["id"] for c in links] == [o["id"] for o in others]  # oldest first
    assert admin.get(f"/cases/{case['id']}/links", params={"limit": 1}).json()["count"] == 2
    assert [c["id"] for c in admin.get(f"/cases/{case['id']}/links", params={"sort": "-title"}).json()["items"]] == [
        others[1]["id"],
        others[0]["id"],
    ]

    log = _walk(admin, f"/cases/{case['id']}/activity", limit=2)
    assert [e["action"] for e in log] == ["created"] + ["commented"] * 5 + ["linked"] * 2
    assert admin.get(f"/cases/{case['id']}/activity", params={"action": "linked"}).json()["count"] == 2
    refused = admin.get(f"/cases/{case['id']}/activity", params={"action": "painted"})
    assert error_details(refused, 400, "invalid_request")["field"] == "action"


def test_events_are_recorded_with_the_change(admin: V1, db: Database, tenant: Tenant) -> None:
    site = _site(admin)
    case = _case(admin, site["id"])
    admin.patch(f"/cases/{case['id']}", json={"title": "Leak fixed"})
    admin.patch(f"/cases/{case['id']}", json={"status": "closed"})
    assert admin.delete(f"/cases/{case['id']}").status_code == 204
    with db.unit_of_work() as session:
        events = session.scalars(
            select(Event)
            .where(Event.account_id == tenant.account_id, Event.resource_id == case["id"])
            .order_by(Event.id)
        ).all()
    assert [e.type for e in events] == ["CASE_CREATED", "CASE_UPDATED", "CASE_CLOSED", "CASE_DELETED"]
    assert json.loads(events[2].payload)["status"] == "closed"
    error_details(admin.get(f"/cases/{case['id']}"), 404, "not_found")
    assert admin.get("/cases").json()["count"] == 0


def test_another_accounts_case_is_404(admin: V1, http: TestClient, db: Database, other_tenant: Tenant) -> None:
    theirs_api = admin_of(http, db, other_tenant.account_id, other_tenant.admin.user_id)
    theirs = _case(theirs_api, _site(theirs_api)["id"])
    for response in (
        admin.get(f"/cases/{theirs['id']}"),
        admin.patch(f"/cases/{theirs['id']}", json={"title": "Mine now"}),
        admin.delete(f"/cases/{theirs['id']}"),
        admin.get(f"/cases/{theirs['id']}/comments"),
        admin.post(f"/cases/{theirs['id']}/comments", json={"body": "hi"}),
        admin.get(f"/cases/{theirs['id']}/activity"),
        admin.get(f"/cases/{theirs['id']}/links"),
        admin.get(f"/sites/{theirs['Site']['id']}/caseTypes"),
    ):
        error_details(response, 404, "not_found")
    mine = _case(admin, _site(admin)["id"])
    linked = admin.post(f"/cases/{mine['id']}/links", json={"case": theirs["id"]})
    assert error_details(linked, 400, "invalid_request")["field"] == "case"
    assert admin.get("/cases", params={"search": "Leak"}).json()["count"] == 1


def test_a_service_account_reaches_only_the_cases_of_its_sites(
    admin: V1, http: TestClient, db: Database, tenant: Tenant
) -> None:
    mine, other = _site(admin), _site(admin, "Harbour View")
    theirs = _case(admin, other["id"], title="Leak at the harbour")
    api = v1_client(
        http, tenant.account_id, service_client(db, tenant.account_id, sites=[SiteRole(mine["id"], Role.STAFF)])
    )
    case = _case(api, mine["id"])
    assert case["Assignee"]["id"] == api.user_id  # the service account created it
    listed = api.get("/cases").json()
    assert listed["count"] == 1 and [c["id"] for c in listed["items"]] == [case["id"]]
    assert api.get("/cases", params={"search": "harbour"}).json()["count"] == 0
    assert error_details(api.get("/cases", params={"sites": other["id"]}), 403, "forbidden")["id"] == other["id"]
    refused = api.post("/cases", json={"site": other["id"], "title": "x"})
    assert error_details(refused, 403, "forbidden") == {"code": "not_a_site_member", "field": "site", "id": other["id"]}
    for response in (
        api.get(f"/cases/{theirs['id']}"),
        api.patch(f"/cases/{theirs['id']}", json={"title": "x"}),
        api.get(f"/cases/{theirs['id']}/activity"),
        api.get(f"/sites/{other['id']}/caseTypes"),
    ):
        error_details(response, 404, "not_found")
    linked = api.post(f"/cases/{case['id']}/links", json={"case": theirs["id"]})
    assert error_details(linked, 400, "invalid_request")["field"] == "case"


@pytest.mark.parametrize(
    ("role", "may_add_types", "may_delete"),
    [(Role.ADMIN, True, True), (Role.MANAGER, True, True), (Role.STAFF, False, False)],
)
def test_each_site_role(
    admin: V1, http: TestClient, db: Database, tenant: Tenant, role: Role, may_add_types: bool, may_delete: bool
) -> None:
    site, other = _site(admin), _site(admin, "Harbour View")
    theirs = _case(admin, other["id"])
    client = service_client(
        db, tenant.account_id, sites=[SiteRole(site["id"], role), SiteRole(other["id"], Role.VIEW_ONLY)]
    )
    api = v1_client(http, tenant.account_id, client)
    case = _case(api, site["id"])
    assert api.patch(f"/cases/{case['id']}", json={"status": "inProgress"}).status_code == 200
    assert api.post(f"/cases/{case['id']}/comments", json={"body": "On it"}).status_code == 201
    added = api.post(f"/sites/{site['id']}/caseTypes", json={"name": "Security Issues"})
    assert added.status_code == (201 if may_add_types else 403), added.text
    # VIEW_ONLY at the other site: reads its cases, changes none.
    assert api.get(f"/cases/{theirs['id']}").status_code == 200
    assert (
        error_details(api.patch(f"/cases/{theirs['id']}", json={"title": "x"}), 403, "forbidden")["code"]
        == "role_may_not"
    )
    assert (
        error_details(api.post("/cases", json={"site": other["id"], "title": "x"}), 403, "forbidden")["code"]
        == "role_may_not"
    )
    deleted = api.delete(f"/cases/{case['id']}")
    assert deleted.status_code == (204 if may_delete else 403), deleted.text


def test_scopes(http: TestClient, db: Database, tenant: Tenant, admin: V1) -> None:
    site = _site(admin)
    client = personal_client(db, tenant.account_id, tenant.admin.user_id, scopes=("cases:read", "cases:write"))
    reader = v1_client(http, tenant.account_id, client, scope="cases:read")
    assert reader.get("/cases").status_code == 200
    refused = reader.post("/cases", json={"site": site["id"], "title": "x"})
    assert error_details(refused, 403, "insufficient_scope")["scope"] == "cases:write"
    writer = v1_client(http, tenant.account_id, client, scope="cases:write")
    assert writer.post("/cases", json={"site": site["id"], "title": "x"}).status_code == 201
