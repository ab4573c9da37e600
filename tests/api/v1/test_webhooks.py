"""/v1/webhooks: endpoints registered through /v1 hear every event type (CASE_* and RESIDENT_* included),
and a delivery's body is the resource as /v1 renders it; delivered to a real receiver on 127.0.0.1.

The suite's app refuses loopback endpoints (PREMISES_WEBHOOK_ALLOW_PRIVATE is off); the tests that
deliver run their own app with it on, and run the job worker themselves (tests/support/jobs.py).
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from premises.config import Settings
from premises.db.engine import Database
from premises.event.types import EventType
from premises.identity.permissions import Role
from premises.user.commands import SiteRole
from tests.api.v1.test_preventive_maintenance import MONTHLY
from tests.support.client import Tenant, new_tenant
from tests.support.factories import make_place
from tests.support.jobs import run_jobs, worker
from tests.support.receiver import running_receiver, verify
from tests.support.v1 import V1, admin_of, error_details, service_client, site_client, v1_client

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
KEYS = {"id", "title", "endpoint", "events", "enabled", "disabledReason", "createdAt", "updatedAt"}
PUBLIC = "https://93.184.215.14/hook"  # a public address: the guard lets it through (nothing is sent to it)
ALL_EVENTS = [t.value for t in EventType]


def _hook(api: V1, url: str = PUBLIC, **extra: Any) -> dict[str, Any]:
    response = api.post("/webhooks", json={"title": "Integration", "endpoint": url, **extra})
    assert response.status_code == 201, response.text
    body: dict[str, Any] = response.json()
    return body


def test_create_shows_the_secret_once_and_every_event_by_default(admin: V1) -> None:
    created = _hook(admin)
    assert set(created) == KEYS | {"secret"}
    assert created["secret"].startswith("whsec_")
    assert (created["title"], created["endpoint"], created["enabled"], created["disabledReason"]) == (
        "Integration",
        PUBLIC,
        True,
        None,
    )
    assert created["events"] == ALL_EVENTS
    assert {"CASE_CREATED", "CASE_CLOSED", "RESIDENT_CREATED", "RESIDENT_DELETED"} <= set(created["events"])
    assert ISO_MS.match(created["createdAt"])
    one = admin.get(f"/webhooks/{created['id']}").json()
    assert one == {k: v for k, v in created.items() if k != "secret"}
    listed = admin.get("/webhooks").json()
    assert listed["count"] == 1 and listed["items"] == [one] and listed["nextCursor"] is None


def test_events_star_update_and_delete(admin: V1) -> None:
    hook = _hook(admin, events=["CASE_CREATED", "RESIDENT_UPDATED", "CASE_CREATED"])
    assert hook["events"] == ["CASE_CREATED", "RESIDENT_UPDATED"]
    assert _hook(admin, events="CASE_CLOSED")["events"] == ["CASE_CLOSED"]
    assert _hook(admin, events=["*"])["events"] == ALL_EVENTS
    changed = admin.patch(
        f"/webhooks/{hook['id']}", json={"enabled": False, "title": "CRM", "events": ["CASE_DELETED"]}
    )
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["enabled"], body["title"], body["events"]) == (False, "CRM", ["CASE_DELETED"])
    assert admin.get("/webhooks", params={"sort": "title", "limit": 1}).json()["items"][0]["title"] == "CRM"
    assert admin.delete(f"/webhooks/{hook['id']}").status_code == 204
    error_details(admin.get(f"/webhooks/{hook['id']}"), 404, "not_found")
    error_details(admin.delete(f"/webhooks/{hook['id']}"), 404, "not_found")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"endpoint": PUBLIC}, "title"),
        ({"title": "x"}, "endpoint"),
        ({"title": " ", "endpoint": PUBLIC}, "title"),
        ({"title": "x", "endpoint": "ftp://example.com/hook"}, "endpoint"),
        ({"title": "x", "endpoint": "not a url"}, "endpoint"),
        ({"title": "x", "endpoint": PUBLIC, "events": ["NOPE"]}, "events"),
        ({"title": "x", "endpoint": PUBLIC, "events": [1]}, "events"),
        ({"title": "x", "endpoint": PUBLIC, "enabled": "maybe"}, "enabled"),
        ({"title": "x", "endpoint": PUBLIC, "colour": "red"}, "colour"),
        ({"title": "x", "endpoint": "http://127.0.0.1:9/hook"}, "endpoint"),
        ({"title": "x", "endpoint": "http://10.0.0.8/hook"}, "endpoint"),
        ({"title": "x", "endpoint": "http://169.254.169.254/latest/meta-data/"}, "endpoint"),
        ({"title": "x", "endpoint": "http://[::1]/hook"}, "endpoint"),
    ],
)
def test_bad_input_is_400_naming_the_field(admin: V1, body: dict[str, Any], field: str) -> None:
    assert error_details(admin.post("/webhooks", json=body), 400, "invalid_request")["field"] == field


def test_the_ssrf_guard_on_update(admin: V1) -> None:
    hook = _hook(admin)
    refused = admin.patch(f"/webhooks/{hook['id']}", json={"endpoint": "http://192.168.1.1/x"})
    assert error_details(refused, 400, "invalid_request")["field"] == "endpoint"
    assert admin.get(f"/webhooks/{hook['id']}").json()["endpoint"] == PUBLIC


def test_another_accounts_webhook_is_404(admin: V1, http: TestClient, db: Database, other_tenant: Tenant) -> None:
    theirs = _hook(admin_of(http, db, other_tenant.account_id, other_tenant.admin.user_id))["id"]
    error_details(admin.get(f"/webhooks/{theirs}"), 404, "not_found")
    error_details(admin.patch(f"/webhooks/{theirs}", json={"enabled": False}), 404, "not_found")
    error_details(admin.delete(f"/webhooks/{theirs}"), 404, "not_found")
    error_details(admin.get(f"/webhooks/{theirs}/deliveries"), 404, "not_found")
    error_details(admin.post(f"/webhooks/{theirs}/deliveries/x/redeliver"), 404, "not_found")
    assert admin.get("/webhooks").json()["count"] == 0


def test_an_upkeep_webhook_is_not_listed_on_v1(admin: V1, tenant: Tenant) -> None:
    """An endpoint hears the names of the dialect it was registered through (docs/webhooks.md)."""
    upkeep = tenant.admin.post("/webhooks", json={"title": "Zapier", "endpoint": PUBLIC}).json()["webhookId"]
    error_details(admin.get(f"/webhooks/{upkeep}"), 404, "not_found")


def test_a_manager_manages_webhooks(http: TestClient, db: Database, tenant: Tenant) -> None:
    """Onsite's Manager may do everything but manage users (identity.permissions): webhooks included."""
    site = make_place(db, tenant.account_id, "Lux")
    manager = site_client(http, db, tenant.account_id, site, role=Role.MANAGER)
    hook = _hook(manager)
    assert manager.get("/webhooks").json()["count"] == 1
    assert manager.delete(f"/webhooks/{hook['id']}").status_code == 204


@pytest.mark.parametrize("role", [Role.STAFF, Role.VIEW_ONLY])
def test_only_admins_and_managers_manage_webhooks(
    admin: V1, http: TestClient, db: Database, tenant: Tenant, role: Role
) -> None:
    hook = _hook(admin)
    site = make_place(db, tenant.account_id, "Lux")
    api = site_client(http, db, tenant.account_id, site, role=role)
    error_details(api.post("/webhooks", json={"title": "x", "endpoint": PUBLIC}), 403, "forbidden")
    error_details(api.get("/webhooks"), 403, "forbidden")
    error_details(api.get(f"/webhooks/{hook['id']}"), 403, "forbidden")
    error_details(api.patch(f"/webhooks/{hook['id']}", json={"enabled": False}), 403, "forbidden")
    error_details(api.delete(f"/webhooks/{hook['id']}"), 403, "forbidden")
    error_details(api.get(f"/webhooks/{hook['id']}/deliveries"), 403, "forbidden")


def test_the_webhooks_scopes(http: TestClient, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux")
    client = service_client(
        db,
        tenant.account_id,
        sites=[SiteRole(site, Role.ADMIN)],
        role=Role.ADMIN,
        scopes=["webhooks:read", "webhooks:write", "cases:read"],
    )
    writer = v1_client(http, tenant.account_id, client, "webhooks:write")
    hook = writer.post("/webhooks", json={"title": "x", "endpoint": PUBLIC})
    assert hook.status_code == 201, hook.text
    assert writer.delete(f"/webhooks/{hook.json()['id']}").status_code == 204
    reader = v1_client(http, tenant.account_id, client, "webhooks:read")
    assert reader.get("/webhooks").json()["count"] == 0
    error_details(reader.post("/webhooks", json={"title": "x", "endpoint": PUBLIC}), 403, "insufficient_scope")
    other = v1_client(http, tenant.account_id, client, "cases:read")
    error_details(other.get("/webhooks"), 403, "insufficient_scope")


def test_rotate_secret_shows_a_new_secret_once(admin: V1) -> None:
    hook = _hook(admin)
    rotated = admin.post(f"/webhooks/{hook['id']}/rotateSecret")
    assert rotated.status_code == 200, rotated.text
    body = rotated.json()
    assert set(body) == KEYS | {"secret"}
    assert body["secret"].startswith("whsec_") and body["secret"] != hook["secret"]
    assert body["id"] == hook["id"] and body["updatedAt"] >= hook["updatedAt"]
    assert admin.get(f"/webhooks/{hook['id']}").json() == {k: v for k, v in body.items() if k != "secret"}
    assert admin.post(f"/webhooks/{hook['id']}/rotateSecret").json()["secret"] != body["secret"]
    assert error_details(admin.post(f"/webhooks/{hook['id']}/rotateSecret?x=1"), 400, "invalid_request")
    error_details(admin.post("/webhooks/nope/rotateSecret"), 404, "not_found")
    admin.delete(f"/webhooks/{hook['id']}")
    error_details(admin.post(f"/webhooks/{hook['id']}/rotateSecret"), 404, "not_found")


def test_rotate_secret_refuses_others(
    admin: V1, http: TestClient, db: Database, tenant: Tenant, other_tenant: Tenant
) -> None:
    theirs = _hook(admin_of(http, db, other_tenant.account_id, other_tenant.admin.user_id))["id"]
    error_details(admin.post(f"/webhooks/{theirs}/rotateSecret"), 404, "not_found")
    upkeep = tenant.admin.post("/webhooks", json={"title": "Zapier", "endpoint": PUBLIC}).json()["webhookId"]
    error_details(admin.post(f"/webhooks/{upkeep}/rotateSecret"), 404, "not_found")
    hook = _hook(admin)
    site = make_place(db, tenant.account_id, "Lux")
    for role in (Role.STAFF, Role.VIEW_ONLY):
        api = site_client(http, db, tenant.account_id, site, role=role)
        error_details(api.post(f"/webhooks/{hook['id']}/rotateSecret"), 403, "forbidden")
    client = service_client(db, tenant.account_id, role=Role.ADMIN, scopes=["webhooks:read", "webhooks:write"])
    reader = v1_client(http, tenant.account_id, client, "webhooks:read")
    refused = error_details(reader.post(f"/webhooks/{hook['id']}/rotateSecret"), 403, "insufficient_scope")
    assert "webhooks:write" in refused["scope"].split()
    writer = v1_client(http, tenant.account_id, client, "webhooks:write")
    assert writer.post(f"/webhooks/{hook['id']}/rotateSecret").status_code == 200


# -------------------------------------------------------------------------------------------- delivery


@pytest.fixture
def local(loopback_http: TestClient, db: Database) -> tuple[V1, str]:
    """The admin of a new tenant on the app that accepts loopback endpoints, and a site of it."""
    tenant = new_tenant(loopback_http, db)
    site = make_place(db, tenant.account_id, "Lux Apartments")
    return admin_of(loopback_http, db, tenant.account_id, tenant.admin.user_id), site


def _deliver(api: V1, db: Database, settings: Settings) -> None:
    run_jobs(worker(db, settings, api.account_id, webhook_allow_private=True))


def test_a_case_created_on_v1_arrives_signed_as_v1_renders_it(
    local: tuple[V1, str], db: Database, settings: Settings
) -> None:
    api, site = local
    with running_receiver() as receiver:
        hook = _hook(api, receiver.url, events=["CASE_CREATED"])
        case = api.post("/cases", json={"site": site, "title": "Leaking tap", "priority": "2"})
        assert case.status_code == 201, case.text
        created = case.json()
        api.patch(f"/cases/{created['id']}", json={"title": "Not subscribed: CASE_UPDATED"})
        _deliver(api, db, settings)
        (hit,) = receiver.wait_for(1)
    assert verify(hook["secret"], hit.headers, hit.body)
    assert not verify(hook["secret"], hit.headers, hit.body + b" ")
    body = hit.json
    assert body["event"] == "CASE_CREATED"
    assert set(body) == set(created) | {"event"}
    for key in ("id", "code", "type", "title", "status", "priority", "due", "closedAt", "createdAt", "updatedAt"):
        assert body[key] == created[key], key
    # the embedded objects carry their ids; their names are no columns of the case (docs/webhooks.md)
    assert body["Site"] == {"id": site, "label": None}
    assert body["Assignee"]["id"] == created["Assignee"]["id"]

    log = api.get(f"/webhooks/{hook['id']}/deliveries")
    assert log.status_code == 200, log.text
    page = log.json()
    assert page["count"] == 1 and page["nextCursor"] is None
    (delivery,) = page["items"]
    assert (delivery["status"], delivery["event"], delivery["webhookId"]) == ("delivered", "CASE_CREATED", hook["id"])
    assert [(a["attempt"], a["statusCode"]) for a in delivery["attemptsLog"]] == [(1, 200)]
    assert hit.headers["webhook-id"] == f"msg_{delivery['eventId']}"
    assert error_details(api.get(f"/webhooks/{hook['id']}/deliveries", params={"x": 1}), 400, "invalid_request")

    with running_receiver() as again:
        api.patch(f"/webhooks/{hook['id']}", json={"endpoint": again.url})
        redelivered = api.post(f"/webhooks/{hook['id']}/deliveries/{delivery['id']}/redeliver")
        assert redelivered.status_code == 202, redelivered.text
        assert redelivered.json()["status"] == "pending"
        pending = api.post(f"/webhooks/{hook['id']}/deliveries/{delivery['id']}/redeliver")
        assert error_details(pending, 422, "invalid_transition")["code"] == "delivery_pending"
        _deliver(api, db, settings)
        (second,) = again.wait_for(1)
    assert second.body == hit.body and second.headers["webhook-id"] == hit.headers["webhook-id"]
    error_details(api.post(f"/webhooks/{hook['id']}/deliveries/nope/redeliver"), 404, "not_found")


def test_resident_events_arrive_as_v1_renders_the_resident(
    local: tuple[V1, str], db: Database, settings: Settings
) -> None:
    """Its customer's CUSTOMER_CREATED is a contact as GET /v1/contacts/{id} shows it, its ``types`` from
    its own flags (no ``resident``), made before the resident's names are set on it (occupancy.service)."""
    api, site = local
    with running_receiver() as receiver:
        _hook(api, receiver.url, events=["RESIDENT_CREATED", "CUSTOMER_CREATED"])
        resident = api.post("/residents", json={"site": site, "first": "John", "type": "tenant"}).json()
        _deliver(api, db, settings)
        hits = {hit.json["event"]: hit.json for hit in receiver.wait_for(2)}
    contact = api.get(f"/contacts/{resident['id']}").json()
    customer = hits["CUSTOMER_CREATED"]
    assert set(customer) == set(contact) | {"event"}
    assert (contact["types"], customer["types"]) == (["customer", "resident"], ["customer"])
    assert (contact["first"], customer["first"]) == ("John", None)
    same = set(contact) - {"types", "first"}
    assert {k: customer[k] for k in same} == {k: contact[k] for k in same}
    body = hits["RESIDENT_CREATED"]
    assert set(body) == set(resident) | {"event"}
    for key in ("id", "first", "last", "type", "site", "status", "createdAt"):
        assert body[key] == resident[key], key


def test_a_delivery_after_rotating_verifies_with_the_new_secret_only(
    local: tuple[V1, str], db: Database, settings: Settings
) -> None:
    api, site = local
    with running_receiver() as receiver:
        hook = _hook(api, receiver.url, events=["CASE_CREATED"])
        rotated = api.post(f"/webhooks/{hook['id']}/rotateSecret").json()["secret"]
        assert api.post("/cases", json={"site": site, "title": "Leaking tap"}).status_code == 201
        _deliver(api, db, settings)
        (hit,) = receiver.wait_for(1)
    assert verify(rotated, hit.headers, hit.body)
    assert not verify(hook["secret"], hit.headers, hit.body)


def test_the_delivery_log_pages_by_cursor_newest_first(local: tuple[V1, str], db: Database, settings: Settings) -> None:
    api, site = local
    with running_receiver() as receiver:
        hook = _hook(api, receiver.url, events=["CASE_CREATED"])
        for n in range(5):
            assert api.post("/cases", json={"site": site, "title": f"Case {n}"}).status_code == 201
        _deliver(api, db, settings)
        receiver.wait_for(5)
    path = f"/webhooks/{hook['id']}/deliveries"
    everything = api.get(path).json()
    assert everything["count"] == 5 and everything["nextCursor"] is None
    ids = [d["id"] for d in everything["items"]]
    created = [d["createdAt"] for d in everything["items"]]
    assert created == sorted(created, reverse=True) and len(set(ids)) == 5
    seen: list[str] = []
    cursor = None
    while True:
        params: dict[str, Any] = {"limit": 2, **({"cursor": cursor} if cursor else {})}
        page = api.get(path, params=params).json()
        assert page["count"] == 5
        seen += [d["id"] for d in page["items"]]
        cursor = page["nextCursor"]
        if cursor is None:
            break
    assert seen == ids
    assert [d["id"] for d in api.get(path, params={"page": 2, "limit": 2}).json()["items"]] == ids[2:4]
    oldest = api.get(path, params={"sort": "createdAt", "limit": 5}).json()["items"]
    assert [d["createdAt"] for d in oldest] == sorted(created)
    assert error_details(api.get(path, params={"cursor": "nope"}), 400, "invalid_request")["field"] == "cursor"
    assert error_details(api.get(path, params={"sort": "status"}), 400, "invalid_request")["field"] == "sort"
    assert error_details(api.get(path, params={"limit": "x"}), 400, "invalid_request")["field"] == "limit"


# path, the body that creates it ("{site}": the tenant's site), the event heard, a change made after (None:
# the creation is heard), the members whose values the body and GET share (the rest: names the snapshot
# has not, see api/v1/webhooks.py)
RENDERED: list[tuple[str, dict[str, Any], str, dict[str, Any] | None, tuple[str, ...]]] = [
    (
        "/workOrders",
        {"title": "Fix the pump", "priority": 2, "location": "{site}", "description": "Loud"},
        "WORK_ORDER_UPDATED",
        {"title": "Fix the pump now", "status": "inProgress"},
        ("id", "number", "title", "description", "status", "priority", "dueDate", "case", "createdAt", "updatedAt"),
    ),
    (
        "/assets",
        {"name": "Pump", "location": "{site}", "model": "P-100"},
        "ASSET_CREATED",
        None,
        ("id", "name", "model", "location", "status", "downtimeStatus", "availabilityTracking", "createdAt"),
    ),
    (
        "/meters",
        {"name": "Boiler hours", "units": "hours", "frequency": 7, "location": "{site}"},
        "METER_UPDATED",
        {"units": "h"},
        ("id", "name", "units", "frequency", "cumulative", "location", "lastReading", "createdAt", "updatedAt"),
    ),
    (
        "/purchaseOrders",
        {"title": "Bolts", "tax": 2.5},
        "PURCHASE_ORDER_CREATED",
        None,
        ("id", "number", "title", "status", "tax", "poDate", "createdBy", "createdAt", "updatedAt"),
    ),
    (
        "/preventiveMaintenance",
        {**MONTHLY, "location": "{site}"},
        "WORK_ORDER_SCHEDULE_CREATED",
        None,
        ("id", "name", "scheduleType", "start", "timeZone", "byWeekday", "bySetPos", "title", "location", "createdAt"),
    ),
    ("/sites", {"label": "Harbour", "address": "1 Quay"}, "LOCATION_UPDATED", {"address": "2 Quay"}, ()),
    ("/contacts", {"name": "Acme", "type": "vendor", "email": "ops@acme.example"}, "VENDOR_CREATED", None, ()),
    ("/contacts", {"name": "Ann Lee"}, "CUSTOMER_UPDATED", {"phone": "+6112", "description": "VIP"}, ()),
    ("/teams", {"name": "Plumbers", "description": "Pipes"}, "TEAM_UPDATED", {"description": "Pipes, drains"}, ()),
    (
        "/places",
        {"label": "Block A", "kind": "building", "parent": "{site}"},
        "LOCATION_CREATED",
        None,
        ("id", "label", "kind", "code", "number", "address", "createdAt", "updatedAt"),
    ),
]


@pytest.mark.parametrize(
    ("path", "create", "event", "change", "same"), RENDERED, ids=[f"{r[0][1:]}-{r[2]}" for r in RENDERED]
)
def test_each_resource_arrives_as_its_v1_get_shows_it(
    local: tuple[V1, str],
    db: Database,
    settings: Settings,
    path: str,
    create: dict[str, Any],
    event: str,
    change: dict[str, Any] | None,
    same: tuple[str, ...],
) -> None:
    api, site = local
    body = {key: site if value == "{site}" else value for key, value in create.items()}
    with running_receiver() as receiver:
        _hook(api, receiver.url, events=[event])
        created = api.post(path, json=body)
        assert created.status_code == 201, created.text
        resource_id = created.json()["id"]
        if change is not None:
            changed = api.patch(f"{path}/{resource_id}", json=change)
            assert changed.status_code == 200, changed.text
        _deliver(api, db, settings)
        (hit,) = receiver.wait_for(1)
    shown = api.get(f"{path}/{resource_id}").json()
    received = hit.json
    assert received["event"] == event
    assert set(received) == set(shown) | {"event"}
    # a site and a contact have no embedded objects: all of them; a team's members are no column of it (null)
    if path in ("/sites", "/contacts", "/teams"):
        members = {"members": None} if path == "/teams" else {}
        assert {k: v for k, v in received.items() if k != "event"} == {**shown, **members}
    for key in same:
        assert received[key] == shown[key], key


def test_embedded_objects_carry_their_ids(local: tuple[V1, str], db: Database, settings: Settings) -> None:
    """The names of embedded objects, a purchase order's lines and an asset's custom fields are no columns
    of the record (docs/dialects/v1.md §Webhooks): null in the body."""
    api, site = local
    with running_receiver() as receiver:
        _hook(api, receiver.url, events=["WORK_ORDER_CREATED", "ASSET_CREATED", "LOCATION_CREATED"])
        asset = api.post("/assets", json={"name": "Pump", "location": site}).json()
        order = api.post("/workOrders", json={"title": "Fix", "location": site, "asset": asset["id"]}).json()
        block = api.post("/places", json={"label": "Block A", "kind": "building", "parent": site}).json()
        _deliver(api, db, settings)
        hits = {hit.json["id"]: hit.json for hit in receiver.wait_for(3)}
    assert order["Location"] == {"id": site, "label": "Lux Apartments"}
    assert hits[order["id"]]["Location"] == {"id": site, "label": None}
    assert hits[order["id"]]["Asset"] == {"id": asset["id"], "label": None}
    assert hits[asset["id"]]["customFields"] is None and asset["customFields"] == []
    assert hits[block["id"]]["Site"] == {"id": site, "label": None}
    assert hits[block["id"]]["Parent"] == {"id": site, "label": None, "kind": None}


def test_meter_reading_events_arrive_as_v1_shows_the_reading(
    local: tuple[V1, str], db: Database, settings: Settings
) -> None:
    """A reading has no embedded objects: the body is GET /v1/meters/{id}/readings/{readingId}, all of it."""
    api, site = local
    meter = api.post("/meters", json={"name": "Boiler hours", "units": "hours", "frequency": 7, "location": site})
    assert meter.status_code == 201, meter.text
    path = f"/meters/{meter.json()['id']}/readings"
    with running_receiver() as receiver:
        _hook(api, receiver.url, events=["METER_READING_CREATED", "METER_READING_UPDATED"])
        reading = api.post(path, json={"value": 100, "date": "2026-01-01T08:00:00.000Z"})
        assert reading.status_code == 201, reading.text
        created = reading.json()
        _deliver(api, db, settings)
        (first,) = receiver.wait_for(1)
        changed = api.patch(f"{path}/{created['id']}", json={"value": 120})
        assert changed.status_code == 200, changed.text
        _deliver(api, db, settings)
        second = receiver.wait_for(2)[1]
    assert first.json == {**created, "event": "METER_READING_CREATED"}
    shown = api.get(f"{path}/{created['id']}").json()
    assert shown["value"] == 120
    assert second.json == {**shown, "event": "METER_READING_UPDATED"}
