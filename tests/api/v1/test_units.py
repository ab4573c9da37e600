"""/v1/units: places of kind unit under a site (right under it or under a building or floor), with
their ``Site`` and ``Parent`` embedded, and the ``sites`` filter at any depth."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import Role
from premises.user.commands import SiteRole
from tests.api.v1.test_places import error
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, personal_client, service_client, v1_client

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
UNIT_KEYS = {"id", "label", "number", "Site", "Parent", "createdAt", "updatedAt"}


def _building(admin: V1, site: str, label: str = "Block A") -> dict[str, object]:
    created = admin.post("/places", json={"label": label, "kind": "building", "parent": site})
    assert created.status_code == 201, created.text
    body: dict[str, object] = created.json()
    return body


def test_create_a_unit_in_a_site_and_in_a_building(admin: V1) -> None:
    site = admin.post("/sites", json={"label": "Lux Apartments"}).json()
    direct = admin.post("/units", json={"label": "Unit 1", "number": "1", "site": site["id"]})
    assert direct.status_code == 201, direct.text
    unit = direct.json()
    assert set(unit) == UNIT_KEYS
    assert (unit["label"], unit["number"]) == ("Unit 1", "1")
    assert unit["Site"] == {"id": site["id"], "label": "Lux Apartments"}
    assert unit["Parent"] == {"id": site["id"], "label": "Lux Apartments", "kind": "site"}
    assert ISO_MS.match(unit["createdAt"]) and ISO_MS.match(unit["updatedAt"])
    assert admin.get(f"/units/{unit['id']}").json() == unit
    block = _building(admin, site["id"])
    floor = admin.post("/places", json={"label": "Level 4", "kind": "floor", "parent": block["id"]}).json()
    deep = admin.post("/units", json={"label": "Unit 4B", "number": "4B", "parent": floor["id"]}).json()
    assert deep["Site"] == {"id": site["id"], "label": "Lux Apartments"}
    assert deep["Parent"] == {"id": floor["id"], "label": "Level 4", "kind": "floor"}
    both = admin.post("/units", json={"label": "Unit 4C", "site": site["id"], "parent": floor["id"]})
    assert both.status_code == 201 and both.json()["Site"]["id"] == site["id"]
    # The same number in another building is fine: numbers are not unique.
    assert admin.post("/units", json={"label": "Unit 1", "number": "1", "parent": block["id"]}).status_code == 201


def test_validation_names_the_field(admin: V1) -> None:
    site = admin.post("/sites", json={"label": "Lux Apartments"}).json()["id"]
    other = admin.post("/sites", json={"label": "Harbour View"}).json()["id"]
    block = _building(admin, site)
    assert error(admin.post("/units", json={"site": site}), 400, "invalid_request")["field"] == "label"
    assert error(admin.post("/units", json={"label": "U"}), 400, "invalid_request")["field"] == "site"
    details = error(admin.post("/units", json={"label": "U", "site": "nope"}), 400, "invalid_request")
    assert (details["code"], details["field"]) == ("not_found", "site")
    assert error(admin.post("/units", json={"label": "U", "site": block["id"]}), 400, "invalid_request") == {
        "code": "not_a_site",
        "field": "site",
    }
    details = error(
        admin.post("/units", json={"label": "U", "site": other, "parent": block["id"]}), 400, "invalid_request"
    )
    assert (details["code"], details["field"]) == ("not_found", "parent")
    unit = admin.post("/units", json={"label": "U1", "site": site}).json()["id"]
    details = error(admin.post("/units", json={"label": "U", "parent": unit}), 400, "invalid_request")
    assert (details["code"], details["field"]) == ("not_one_of", "parent")
    assert error(admin.post("/units", json={"label": "U", "site": site, "kind": "floor"}), 400, "invalid_request")[
        "field"
    ] == ("kind")
    long = "9" * 33
    assert error(admin.post("/units", json={"label": "U", "site": site, "number": long}), 400, "invalid_request")[
        "field"
    ] == ("number")
    assert error(admin.patch(f"/units/{unit}", json={"parent": None}), 400, "invalid_request")["field"] == "parent"
    assert error(admin.patch(f"/units/{unit}", json={"label": None}), 400, "invalid_request")["field"] == "label"


def test_update_moves_a_unit_and_delete_removes_it(admin: V1) -> None:
    site = admin.post("/sites", json={"label": "Lux Apartments"}).json()["id"]
    other = admin.post("/sites", json={"label": "Harbour View"}).json()["id"]
    block = _building(admin, other)
    unit = admin.post("/units", json={"label": "U1", "site": site}).json()["id"]
    changed = admin.patch(f"/units/{unit}", json={"label": "Unit 1", "number": "1A"})
    assert changed.status_code == 200 and (changed.json()["label"], changed.json()["number"]) == ("Unit 1", "1A")
    moved = admin.patch(f"/units/{unit}", json={"parent": block["id"]}).json()
    assert moved["Site"]["id"] == other and moved["Parent"]["id"] == block["id"]
    assert admin.get("/units", params={"sites": other}).json()["count"] == 1
    assert admin.get("/units", params={"sites": site}).json()["count"] == 0
    back = admin.patch(f"/units/{unit}", json={"site": site}).json()
    assert back["Site"]["id"] == site and back["Parent"]["id"] == site
    # Moving the building moves its units to the building's new site.
    inner = admin.post("/units", json={"label": "U2", "parent": block["id"]}).json()["id"]
    admin.patch(f"/places/{block['id']}", json={"parent": site})
    assert admin.get(f"/units/{inner}").json()["Site"]["id"] == site
    assert admin.delete(f"/units/{unit}").status_code == 204
    error(admin.get(f"/units/{unit}"), 404, "not_found")


def test_list_filters_by_site_at_any_depth_searches_and_sorts(admin: V1) -> None:
    site = admin.post("/sites", json={"label": "Lux Apartments"}).json()["id"]
    other = admin.post("/sites", json={"label": "Harbour View"}).json()["id"]
    block = _building(admin, site)
    admin.post("/units", json={"label": "Penthouse", "number": "PH", "parent": block["id"]})
    admin.post("/units", json={"label": "Garden Flat", "number": "G1", "site": site})
    admin.post("/units", json={"label": "Loft", "number": "L1", "site": other})
    everything = admin.get("/units", params={"sort": "label"}).json()
    assert everything["count"] == 3 and [u["label"] for u in everything["items"]] == [
        "Garden Flat",
        "Loft",
        "Penthouse",
    ]
    mine = admin.get("/units", params={"sites": site}).json()
    assert {u["label"] for u in mine["items"]} == {"Penthouse", "Garden Flat"}
    assert admin.get("/units", params={"search": "ph"}).json()["count"] == 1  # numbers are searched
    assert admin.get("/units", params={"search": "loft"}).json()["items"][0]["Site"]["label"] == "Harbour View"
    assert admin.get("/units", params={"number": "G1,L1"}).json()["count"] == 2
    assert [u["label"] for u in admin.get("/units", params={"sort": "-number"}).json()["items"]] == [
        "Penthouse",
        "Loft",
        "Garden Flat",
    ]
    page = admin.get("/units", params={"limit": 2, "sort": "label"}).json()
    assert admin.get("/units", params={"limit": 2, "sort": "label", "cursor": page["nextCursor"]}).json()["items"][0][
        "label"
    ] == ("Penthouse")
    assert error(admin.get("/units", params={"kind": "site"}), 400, "invalid_request")["field"] == "kind"


def test_another_kind_or_another_accounts_unit_is_404(
    admin: V1, http: TestClient, db: Database, tenant: Tenant, other_tenant: Tenant
) -> None:
    site = admin.post("/sites", json={"label": "Lux Apartments"}).json()["id"]
    block = _building(admin, site)
    for place in (site, block["id"]):
        error(admin.get(f"/units/{place}"), 404, "not_found")
        error(admin.patch(f"/units/{place}", json={"label": "x"}), 404, "not_found")
        error(admin.delete(f"/units/{place}"), 404, "not_found")
    other = v1_client(
        http, other_tenant.account_id, personal_client(db, other_tenant.account_id, other_tenant.admin.user_id)
    )
    theirs_site = other.post("/sites", json={"label": "Theirs"}).json()["id"]
    theirs = other.post("/units", json={"label": "Their unit", "site": theirs_site}).json()["id"]
    error(admin.get(f"/units/{theirs}"), 404, "not_found")
    error(admin.patch(f"/units/{theirs}", json={"label": "Mine"}), 404, "not_found")
    error(admin.delete(f"/units/{theirs}"), 404, "not_found")
    assert error(admin.post("/units", json={"label": "U", "site": theirs_site}), 400, "invalid_request")["field"] == (
        "site"
    )
    assert admin.get("/units").json()["count"] == 0


def test_a_service_account_reaches_only_the_units_of_its_sites(http: TestClient, db: Database, tenant: Tenant) -> None:
    mine = make_place(db, tenant.account_id, "Lux Apartments")
    other = make_place(db, tenant.account_id, "Harbour View")
    admin = v1_client(http, tenant.account_id, personal_client(db, tenant.account_id, tenant.admin.user_id))
    inside = admin.post("/units", json={"label": "Mine", "site": mine}).json()["id"]
    outside = admin.post("/units", json={"label": "Theirs", "site": other}).json()["id"]
    api = v1_client(http, tenant.account_id, service_client(db, tenant.account_id, sites=[SiteRole(mine, Role.STAFF)]))
    listed = api.get("/units").json()
    assert listed["count"] == 1 and [u["id"] for u in listed["items"]] == [inside]
    error(api.get(f"/units/{outside}"), 404, "not_found")
    error(api.patch(f"/units/{outside}", json={"label": "x"}), 404, "not_found")
    assert error(api.get("/units", params={"sites": other}), 403, "forbidden")["id"] == other
    assert api.get("/units", params={"search": "Theirs"}).json()["count"] == 0
    assert error(api.post("/units", json={"label": "U", "site": other}), 400, "invalid_request")["field"] == "site"
    assert api.post("/units", json={"label": "New", "site": mine}).status_code == 201


@pytest.mark.parametrize(
    ("role", "may_create", "may_delete"),
    [(Role.ADMIN, True, True), (Role.MANAGER, True, True), (Role.STAFF, True, False), (Role.VIEW_ONLY, False, False)],
)
def test_each_site_role(
    http: TestClient, db: Database, tenant: Tenant, role: Role, may_create: bool, may_delete: bool
) -> None:
    site = make_place(db, tenant.account_id, "Lux Apartments")
    admin = v1_client(http, tenant.account_id, personal_client(db, tenant.account_id, tenant.admin.user_id))
    unit = admin.post("/units", json={"label": "U1", "site": site}).json()["id"]
    api = v1_client(http, tenant.account_id, service_client(db, tenant.account_id, sites=[SiteRole(site, role)]))
    assert api.get(f"/units/{unit}").status_code == 200
    created = api.post("/units", json={"label": "U2", "site": site})
    assert created.status_code == (201 if may_create else 403), created.text
    deleted = api.delete(f"/units/{unit}")
    assert deleted.status_code == (204 if may_delete else 403), deleted.text
