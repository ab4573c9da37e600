"""/v1/residents: contacts with an occupancy (the seed's create-resident request, shape, lists, errors,
site visibility, site roles, events) and the same record as an UpKeep customer on /api/v2."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from premises.config import Settings
from premises.db.engine import Database
from premises.identity.permissions import Role
from premises.models import Event, Place
from premises.user.commands import SiteRole
from tests.support.client import Tenant, new_tenant
from tests.support.factories import make_place
from tests.support.jobs import run_jobs, worker
from tests.support.receiver import running_receiver
from tests.support.v1 import V1, admin_of, error_details, service_client, site_client, v1_client

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
# The Onsite seed's create-resident request (shared/seeds/000_58e82fe743a84c41.txt), as the seed prints it:
SEED_REQUEST = (
    '{ "site": "{SITE_ID}", "unit": "{UNIT_ID}", "first": "John", "last": "Doe", '
    '"email": "[email protected]", "phone": "+61412345678", "type": "tenant"}'
)
# The seed's page was saved through Cloudflare's email protection, which replaced the example's address
# with the text "[email protected]" (no "@", with spaces: no address). The request is sent verbatim but
# for that text, which stands for an address: an example one.
SEED_EMAIL = "john.doe@example.com"
KEYS = {
    "id",
    "first",
    "last",
    "email",
    "phone",
    "type",
    "site",
    "Site",
    "unit",
    "Unit",
    "moveInAt",
    "moveOutAt",
    "status",
    "createdAt",
    "updatedAt",
}


def make_unit(db: Database, account_id: str, site_id: str, name: str) -> str:
    """A place of kind unit under ``site_id``."""
    unit_id = make_place(db, account_id, name, parent_id=site_id)
    with db.unit_of_work() as session:
        place = session.get(Place, (account_id, unit_id))
        assert place is not None
        place.kind = "unit"
    return unit_id


def seed_body(site_id: str, unit_id: str) -> Any:
    text = SEED_REQUEST.replace("{SITE_ID}", site_id).replace("{UNIT_ID}", unit_id)
    return json.loads(text.replace("[email protected]", SEED_EMAIL))


def events_of(db: Database, account_id: str, resource_id: str) -> list[str]:
    with db.unit_of_work() as session:
        rows = session.scalars(
            select(Event.type)
            .where(Event.account_id == account_id, Event.resource_id == resource_id)
            .order_by(Event.id)
        )
        return list(rows)


@pytest.fixture
def lux(db: Database, tenant: Tenant) -> tuple[str, str]:
    """A site "Lux Apartments" and its unit "12A"."""
    site = make_place(db, tenant.account_id, "Lux Apartments")
    return site, make_unit(db, tenant.account_id, site, "12A")


def test_the_seeds_create_resident_request_returns_201_with_the_resident(
    admin: V1, lux: tuple[str, str], db: Database, tenant: Tenant
) -> None:
    site, unit = lux
    created = admin.post("/residents", json=seed_body(site, unit))
    assert created.status_code == 201, created.text
    resident = created.json()
    assert set(resident) == KEYS
    assert {k: resident[k] for k in ("first", "last", "email", "phone", "type", "site", "unit")} == {
        "first": "John",
        "last": "Doe",
        "email": SEED_EMAIL,
        "phone": "+61412345678",
        "type": "tenant",
        "site": site,
        "unit": unit,
    }
    assert resident["Site"] == {"id": site, "label": "Lux Apartments"}
    assert resident["Unit"] == {"id": unit, "label": "12A"}
    assert (resident["moveInAt"], resident["moveOutAt"], resident["status"]) == (None, None, "current")
    assert ISO_MS.match(resident["createdAt"]) and ISO_MS.match(resident["updatedAt"])
    assert admin.get(f"/residents/{resident['id']}").json() == resident
    # One transaction: the customer it is and the resident event.
    assert events_of(db, tenant.account_id, resident["id"]) == ["CUSTOMER_CREATED", "RESIDENT_CREATED"]


def test_the_seeds_address_placeholder_is_no_email(admin: V1, lux: tuple[str, str]) -> None:
    body = json.loads(SEED_REQUEST.replace("{SITE_ID}", lux[0]).replace("{UNIT_ID}", lux[1]))
    assert error_details(admin.post("/residents", json=body), 400, "invalid_request") == {
        "code": "invalid_email",
        "field": "email",
    }


def test_a_resident_may_live_at_the_site_itself_with_dates(admin: V1, lux: tuple[str, str]) -> None:
    body = {"site": lux[0], "first": "Ann", "type": "owner", "moveInAt": "2020-01-01", "moveOutAt": "2021-06-30"}
    resident = admin.post("/residents", json=body).json()
    assert (resident["unit"], resident["Unit"], resident["last"], resident["email"]) == (None, None, None, None)
    assert (resident["moveInAt"], resident["moveOutAt"]) == ("2020-01-01T00:00:00.000Z", "2021-06-30T00:00:00.000Z")
    assert resident["status"] == "past"
    future = admin.post("/residents", json={**body, "first": "Ben", "moveInAt": "2199-01-01", "moveOutAt": None})
    assert future.json()["status"] == "future"


def test_validation_names_the_field_in_v1_words(admin: V1, lux: tuple[str, str], db: Database, tenant: Tenant) -> None:
    site, unit = lux
    ok = {"site": site, "unit": unit, "first": "John", "type": "tenant"}

    def refused(body: dict[str, Any]) -> dict[str, Any]:
        return error_details(admin.post("/residents", json=body), 400, "invalid_request")

    assert refused({k: v for k, v in ok.items() if k != "first"}) == {"code": "required", "field": "first"}
    assert refused({**ok, "first": "   "})["field"] == "first"
    assert refused({k: v for k, v in ok.items() if k != "site"})["field"] == "site"
    assert refused({**ok, "type": "landlord"})["field"] == "type"
    assert refused({**ok, "colour": "red"})["field"] == "colour"
    assert refused({**ok, "moveInAt": "soon"})["field"] == "moveInAt"
    dates = refused({**ok, "moveInAt": "2024-02-01", "moveOutAt": "2024-01-01"})
    assert (dates["code"], dates["field"], dates["otherField"]) == ("not_before", "moveOutAt", "moveInAt")
    other_site = make_place(db, tenant.account_id, "Harbour View")
    elsewhere = make_unit(db, tenant.account_id, other_site, "1")
    assert refused({**ok, "unit": elsewhere}) == {"code": "not_found", "field": "unit", "id": elsewhere}
    assert refused({**ok, "unit": site})["field"] == "unit"  # a site is no unit
    assert refused({**ok, "site": unit}) == {"code": "not_found", "field": "site", "id": unit}  # nor a unit a site
    resident = admin.post("/residents", json=ok).json()
    patched = admin.patch(f"/residents/{resident['id']}", json={"first": None})
    assert error_details(patched, 400, "invalid_request")["field"] == "first"
    patched = admin.patch(f"/residents/{resident['id']}", json={"type": None})
    assert error_details(patched, 400, "invalid_request")["field"] == "type"


def test_update_moves_and_renames_and_delete_archives(
    admin: V1, lux: tuple[str, str], db: Database, tenant: Tenant
) -> None:
    site, unit = lux
    resident = admin.post("/residents", json=seed_body(site, unit)).json()
    other = make_place(db, tenant.account_id, "Harbour View")
    other_unit = make_unit(db, tenant.account_id, other, "7")
    changed = admin.patch(f"/residents/{resident['id']}", json={"last": "Smith", "site": other, "unit": other_unit})
    assert changed.status_code == 200, changed.text
    body = changed.json()
    assert (body["first"], body["last"], body["Site"], body["Unit"]) == (
        "John",
        "Smith",
        {"id": other, "label": "Harbour View"},
        {"id": other_unit, "label": "7"},
    )
    moved = admin.patch(f"/residents/{resident['id']}", json={"site": site, "moveOutAt": "2000-01-01"}).json()
    assert (moved["unit"], moved["status"]) == (None, "past")  # a new site without a unit: the site itself
    assert admin.patch(f"/residents/{resident['id']}", json={"moveOutAt": None}).json()["status"] == "current"
    assert events_of(db, tenant.account_id, resident["id"]).count("RESIDENT_UPDATED") == 3
    assert admin.delete(f"/residents/{resident['id']}").status_code == 204
    error_details(admin.get(f"/residents/{resident['id']}"), 404, "not_found")
    assert tenant.admin.get(f"/customers/{resident['id']}").status_code == 404
    assert events_of(db, tenant.account_id, resident["id"])[-1] == "RESIDENT_DELETED"


def test_list_filters_searches_sorts_and_pages(admin: V1, lux: tuple[str, str], db: Database, tenant: Tenant) -> None:
    site, unit = lux
    other = make_place(db, tenant.account_id, "Harbour View")
    other_unit = make_unit(db, tenant.account_id, other, "Penthouse")
    people = [
        {"site": site, "unit": unit, "first": "John", "last": "Doe", "type": "tenant", "phone": "+61412345678"},
        {"site": site, "unit": unit, "first": "Jane", "last": "Roe", "type": "owner", "email": "jane@example.com"},
        {"site": other, "unit": other_unit, "first": "Max", "type": "tenant", "moveOutAt": "2001-01-01"},
        {"site": other, "first": "Ida", "type": "agent", "moveInAt": "2199-01-01"},
    ]
    ids = [admin.post("/residents", json=p).json()["id"] for p in people]

    def names(params: Any) -> list[str]:
        page = admin.get("/residents", params=params)
        assert page.status_code == 200, page.text
        assert page.json()["count"] == len(page.json()["items"])
        return sorted(r["first"] for r in page.json()["items"])

    assert names({}) == ["Ida", "Jane", "John", "Max"]
    assert names({"sites": site}) == ["Jane", "John"]
    assert names({"unit": other_unit}) == ["Max"]
    assert names({"type": "tenant,agent"}) == ["Ida", "John", "Max"]
    assert names({"status": "current"}) == ["Jane", "John"]
    assert names({"status": "past"}) == ["Max"]
    assert names([("status", "future"), ("status", "past")]) == ["Ida", "Max"]
    assert names({"search": "roe"}) == ["Jane"]  # last name
    assert names({"search": "jane@example"}) == ["Jane"]  # email
    assert names({"search": "412345"}) == ["John"]  # phone
    assert names({"search": "penthouse"}) == ["Max"]  # the unit's name
    assert names({"search": "harbour"}) == ["Ida", "Max"]  # the site's name
    assert names({"search": "lux doe"}) == ["John"]  # every word somewhere
    page = admin.get("/residents", params={"sort": "first", "limit": 3}).json()
    assert [r["first"] for r in page["items"]] == ["Ida", "Jane", "John"] and page["count"] == 4
    rest = admin.get("/residents", params={"sort": "first", "limit": 3, "cursor": page["nextCursor"]}).json()
    assert [r["id"] for r in rest["items"]] == [ids[2]] and rest["nextCursor"] is None
    assert (
        error_details(admin.get("/residents", params={"status": "gone"}), 400, "invalid_request")["field"] == "status"
    )
    assert error_details(admin.get("/residents", params={"colour": "x"}), 400, "invalid_request")["field"] == "colour"
    assert error_details(admin.get("/residents", params={"sort": "email"}), 400, "invalid_request")["field"] == "sort"


def test_another_accounts_resident_is_404(
    admin: V1, lux: tuple[str, str], http: TestClient, db: Database, other_tenant: Tenant
) -> None:
    their_site = make_place(db, other_tenant.account_id, "Their Site")
    theirs = admin_of(http, db, other_tenant.account_id, other_tenant.admin.user_id)
    resident = theirs.post("/residents", json={"site": their_site, "first": "Zoe", "type": "owner"}).json()
    error_details(admin.get(f"/residents/{resident['id']}"), 404, "not_found")
    error_details(admin.patch(f"/residents/{resident['id']}", json={"first": "Mine"}), 404, "not_found")
    error_details(admin.delete(f"/residents/{resident['id']}"), 404, "not_found")
    assert admin.get("/residents").json()["count"] == 0
    refused = admin.post("/residents", json={"site": their_site, "first": "X", "type": "owner"})
    assert error_details(refused, 400, "invalid_request") == {"code": "not_found", "field": "site", "id": their_site}


def test_a_service_account_sees_only_the_residents_of_its_sites(
    admin: V1, lux: tuple[str, str], http: TestClient, db: Database, tenant: Tenant
) -> None:
    site, unit = lux
    other = make_place(db, tenant.account_id, "Harbour View")
    mine = admin.post("/residents", json={"site": site, "unit": unit, "first": "John", "type": "tenant"}).json()
    hidden = admin.post("/residents", json={"site": other, "first": "Hidden", "type": "owner"}).json()
    api = site_client(http, db, tenant.account_id, site)
    listed = api.get("/residents").json()
    assert listed["count"] == 1 and [r["id"] for r in listed["items"]] == [mine["id"]]
    assert api.get("/residents", params={"search": "hidden"}).json()["count"] == 0
    assert api.get("/residents", params={"search": "harbour"}).json()["count"] == 0
    assert error_details(api.get("/residents", params={"sites": other}), 403, "forbidden")["id"] == other
    error_details(api.get(f"/residents/{hidden['id']}"), 404, "not_found")
    error_details(api.patch(f"/residents/{hidden['id']}", json={"first": "x"}), 404, "not_found")
    refused = api.post("/residents", json={"site": other, "first": "New", "type": "owner"})
    assert error_details(refused, 403, "forbidden") == {"code": "not_a_site_member", "field": "site", "id": other}
    moved = api.patch(f"/residents/{mine['id']}", json={"site": other})
    assert error_details(moved, 403, "forbidden")["field"] == "site"
    assert api.get(f"/residents/{mine['id']}").json()["Site"] == {"id": site, "label": "Lux Apartments"}
    # Every contact: the resident of the other site is not among them either.
    contacts = api.get("/contacts").json()
    assert [c["id"] for c in contacts["items"]] == [mine["id"]]
    error_details(api.get(f"/contacts/{hidden['id']}"), 404, "not_found")


@pytest.mark.parametrize(
    ("role", "may_write", "may_delete"),
    [(Role.ADMIN, True, True), (Role.MANAGER, True, True), (Role.STAFF, True, False), (Role.VIEW_ONLY, False, False)],
)
def test_each_site_role(
    admin: V1,
    lux: tuple[str, str],
    http: TestClient,
    db: Database,
    tenant: Tenant,
    role: Role,
    may_write: bool,
    may_delete: bool,
) -> None:
    site, unit = lux
    api = site_client(http, db, tenant.account_id, site, role=role)
    resident = admin.post("/residents", json={"site": site, "unit": unit, "first": "John", "type": "tenant"}).json()
    assert api.get(f"/residents/{resident['id']}").status_code == 200
    created = api.post("/residents", json={"site": site, "first": "Jane", "type": "owner"})
    assert created.status_code == (201 if may_write else 403), created.text
    updated = api.patch(f"/residents/{resident['id']}", json={"phone": "+61400000000"})
    assert updated.status_code == (200 if may_write else 403), updated.text
    if not may_write:
        assert updated.json()["details"]["code"] == "role_may_not"
    deleted = api.delete(f"/residents/{resident['id']}")
    assert deleted.status_code == (204 if may_delete else 403), deleted.text


def test_a_resident_created_on_v1_is_a_customer_on_api_v2(admin: V1, lux: tuple[str, str], tenant: Tenant) -> None:
    resident = admin.post("/residents", json=seed_body(*lux)).json()
    customer = tenant.admin.get(f"/customers/{resident['id']}")
    assert customer.status_code == 200, customer.text
    result = customer.json()["result"]
    assert (result["id"], result["name"], result["email"]) == (resident["id"], "John Doe", SEED_EMAIL)
    listed = tenant.admin.get("/customers").json()["results"]
    assert [c["id"] for c in listed] == [resident["id"]]
    edited = tenant.admin.patch(
        f"/customers/{resident['id']}", json={"email": "jd@example.com", "phoneNumber": "+6190000"}
    )
    assert edited.status_code == 200, edited.text
    again = admin.get(f"/residents/{resident['id']}").json()
    assert (again["email"], again["phone"], again["first"], again["last"]) == (
        "jd@example.com",
        "+6190000",
        "John",
        "Doe",
    )
    # and back: a change on /v1 shows on /api/v2
    admin.patch(f"/residents/{resident['id']}", json={"last": "Dough"})
    assert tenant.admin.get(f"/customers/{resident['id']}").json()["result"]["name"] == "John Dough"


def test_a_webhook_that_names_resident_events_receives_them(
    loopback_http: TestClient, db: Database, settings: Settings
) -> None:
    local = new_tenant(loopback_http, db)
    site = make_place(db, local.account_id, "Lux Apartments")
    api = admin_of(loopback_http, db, local.account_id, local.admin.user_id)
    with running_receiver() as receiver:
        events = ["RESIDENT_CREATED", "RESIDENT_UPDATED"]
        hook = local.admin.post("/webhooks", json={"title": "CRM", "endpoint": receiver.url, "events": events})
        assert hook.status_code == 200 and hook.json()["result"]["events"] == events, hook.text
        resident = api.post("/residents", json={"site": site, "first": "John", "type": "tenant"}).json()
        api.patch(f"/residents/{resident['id']}", json={"last": "Doe"})
        run_jobs(worker(db, settings, local.account_id, webhook_allow_private=True))
        hits = sorted(receiver.wait_for(2), key=lambda hit: hit.json["event"])
    assert [(h.json["event"], h.json["id"]) for h in hits] == [(e, resident["id"]) for e in events]
    assert hits[1].json["lastName"] == "Doe" and hits[1].json["siteId"] == site
    assert (hits[0].json["occupancyType"], hits[0].json["isCustomer"]) == ("tenant", True)


def test_the_openapi_document_lists_residents(http: TestClient) -> None:
    document = http.get("/v1/openapi.json").json()
    assert {"/residents", "/residents/{resident_id}"} <= set(document["paths"])
    params = {p["name"] for p in document["paths"]["/residents"]["get"]["parameters"]}
    assert {"sites", "unit", "type", "status", "search", "cursor"} <= params
    schema = document["paths"]["/residents"]["post"]["responses"]["201"]["content"]["application/json"]["schema"]
    assert set(schema["properties"]) == KEYS


def test_the_residents_scopes(http: TestClient, db: Database, tenant: Tenant, lux: tuple[str, str]) -> None:
    client = service_client(
        db, tenant.account_id, sites=[SiteRole(lux[0], Role.ADMIN)], scopes=["residents:read", "residents:write"]
    )
    body = {"site": lux[0], "first": "Ann", "type": "owner"}
    writer = v1_client(http, tenant.account_id, client, "residents:write")
    resident = writer.post("/residents", json=body)
    assert resident.status_code == 201, resident.text
    assert writer.patch(f"/residents/{resident.json()['id']}", json={"last": "Lee"}).status_code == 200
    refused = writer.delete(f"/residents/{resident.json()['id']}")
    assert error_details(refused, 403, "insufficient_scope")["code"] == "insufficient_scope"  # delete: `api` only
    reader = v1_client(http, tenant.account_id, client, "residents:read")
    assert reader.get("/residents").json()["count"] == 1
    assert error_details(reader.post("/residents", json=body), 403, "insufficient_scope")["scope"] == "residents:write"
    assert error_details(reader.get("/contacts"), 403, "insufficient_scope")["scope"] == "contacts:read contacts:write"


def test_the_role_at_the_site_decides_not_the_account_wide_one(
    http: TestClient, db: Database, tenant: Tenant, lux: tuple[str, str]
) -> None:
    site, unit = lux
    other = make_place(db, tenant.account_id, "Harbour View")
    sites = [SiteRole(site, Role.ADMIN), SiteRole(other, Role.VIEW_ONLY)]
    api = v1_client(http, tenant.account_id, service_client(db, tenant.account_id, sites=sites, role=Role.VIEW_ONLY))
    created = api.post("/residents", json={"site": site, "unit": unit, "first": "Ann", "type": "owner"})
    assert created.status_code == 201, created.text
    resident_id = created.json()["id"]
    assert api.patch(f"/residents/{resident_id}", json={"email": "ann@example.com"}).status_code == 200
    refused = api.post("/residents", json={"site": other, "first": "Ben", "type": "owner"})
    assert error_details(refused, 403, "forbidden")["code"] == "role_may_not"
    moved = api.patch(f"/residents/{resident_id}", json={"site": other})
    assert error_details(moved, 403, "forbidden")["code"] == "role_may_not"
    assert api.delete(f"/residents/{resident_id}").status_code == 204
