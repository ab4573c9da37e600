"""/v1/places: every place of the account (site, building, floor, unit, area, location) with its kind,
parent and site; /api/v2's sub-locations appear with their kind."""

from __future__ import annotations

from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import Role
from premises.user.commands import SiteRole
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, service_client, v1_client

PLACE_KEYS = {"id", "label", "kind", "code", "number", "address", "Site", "Parent", "createdAt", "updatedAt"}


def error(response: object, status: int, error: str) -> dict[str, object]:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    body = response.json()  # type: ignore[attr-defined]
    assert set(body) == {"error", "message", "details"} and body["error"] == error
    details: dict[str, object] = body["details"]
    return details


def test_every_kind_with_its_parent_and_site(admin: V1) -> None:
    site = admin.post("/places", json={"label": "Lux Apartments", "address": "1 Main St"})
    assert site.status_code == 201, site.text
    top = site.json()
    assert set(top) == PLACE_KEYS
    assert (top["kind"], top["Parent"], top["Site"]) == ("site", None, {"id": top["id"], "label": "Lux Apartments"})
    assert top["code"] is None  # /v1/sites derives codes; /v1/places takes them as given
    block = admin.post("/places", json={"label": "Block A", "kind": "building", "parent": top["id"]}).json()
    floor = admin.post("/places", json={"label": "Level 1", "kind": "floor", "parent": block["id"]}).json()
    unit = admin.post("/places", json={"label": "1A", "kind": "unit", "number": "1A", "parent": floor["id"]}).json()
    area = admin.post("/places", json={"label": "Lobby", "kind": "area", "parent": floor["id"]}).json()
    plain = admin.post("/places", json={"label": "Roof", "parent": top["id"]}).json()
    assert [p["kind"] for p in (block, floor, unit, area, plain)] == ["building", "floor", "unit", "area", "location"]
    assert unit["Parent"] == {"id": floor["id"], "label": "Level 1", "kind": "floor"}
    assert all(p["Site"]["id"] == top["id"] for p in (block, floor, unit, area, plain))
    assert admin.get(f"/places/{unit['id']}").json() == unit
    assert admin.get(f"/units/{unit['id']}").json()["Parent"]["id"] == floor["id"]  # a unit either way
    listed = admin.get("/places", params={"kind": "floor,unit"}).json()
    assert listed["count"] == 2 and {p["kind"] for p in listed["items"]} == {"floor", "unit"}
    assert admin.get("/places", params={"sites": top["id"]}).json()["count"] == 6
    assert admin.get("/places", params={"search": "lobby"}).json()["items"][0]["id"] == area["id"]


def test_kinds_follow_the_hierarchy_and_validation_names_the_field(admin: V1) -> None:
    site = admin.post("/places", json={"label": "Lux"}).json()["id"]
    details = error(admin.post("/places", json={"label": "B", "kind": "building"}), 400, "invalid_request")
    assert (details["code"], details["field"]) == ("required", "parent")
    details = error(admin.post("/places", json={"label": "S", "kind": "site", "parent": site}), 400, "invalid_request")
    assert (details["code"], details["field"]) == ("not_one_of", "parent")
    floor = admin.post("/places", json={"label": "F", "kind": "floor", "parent": site}).json()["id"]
    details = error(
        admin.post("/places", json={"label": "B", "kind": "building", "parent": floor}), 400, "invalid_request"
    )
    assert details["field"] == "parent"
    details = error(admin.post("/places", json={"label": "X", "kind": "castle"}), 400, "invalid_request")
    assert (details["code"], details["field"]) == ("not_one_of", "kind")
    assert error(admin.post("/places", json={"kind": "site"}), 400, "invalid_request")["field"] == "label"
    assert error(admin.patch(f"/places/{floor}", json={"kind": "unit"}), 400, "invalid_request")["field"] == "kind"
    details = error(admin.patch(f"/places/{site}", json={"parent": floor}), 400, "invalid_request")
    assert (details["code"], details["field"]) == ("place_under_itself", "parent")
    assert error(admin.delete(f"/places/{site}"), 409, "conflict")["code"] == "has_sub_places"
    assert admin.delete(f"/places/{floor}").status_code == 204
    assert admin.delete(f"/places/{site}").status_code == 204


def test_an_api_v2_sub_location_shows_with_its_kind(admin: V1, tenant: Tenant) -> None:
    site = tenant.admin.post("/locations", json={"name": "Harbour View"}).json()["result"]["id"]
    sub = tenant.admin.post("/locations", json={"name": "Plant room", "parentLocation": site}).json()["result"]["id"]
    place = admin.get(f"/places/{sub}").json()
    assert (place["kind"], place["label"], place["Parent"]["id"], place["Site"]["id"]) == (
        "location",
        "Plant room",
        site,
        site,
    )
    assert admin.get(f"/places/{site}").json()["kind"] == "site"
    error(admin.get(f"/units/{sub}"), 404, "not_found")
    # A unit made on /v1 is a sub-location on /api/v2 with the same id.
    unit = admin.post("/units", json={"label": "Unit 7", "site": site}).json()["id"]
    location = tenant.admin.get(f"/locations/{unit}").json()["result"]
    parent = location["parentLocation"]
    assert location["name"] == "Unit 7" and (parent if isinstance(parent, str) else parent["id"]) == site
    assert "kind" not in location and "number" not in location  # /api/v2 unchanged
    # Moving it on /api/v2 keeps its site on /v1.
    other = tenant.admin.post("/locations", json={"name": "Lux"}).json()["result"]["id"]
    assert tenant.admin.patch(f"/locations/{sub}", json={"parentLocation": other}).status_code == 200
    assert admin.get(f"/places/{sub}").json()["Site"] == {"id": other, "label": "Lux"}


def test_another_accounts_place_is_404(admin: V1, db: Database, other_tenant: Tenant) -> None:
    theirs = make_place(db, other_tenant.account_id, "Their Site")
    error(admin.get(f"/places/{theirs}"), 404, "not_found")
    error(admin.patch(f"/places/{theirs}", json={"label": "Mine"}), 404, "not_found")
    error(admin.delete(f"/places/{theirs}"), 404, "not_found")
    assert error(admin.post("/places", json={"label": "X", "parent": theirs}), 400, "invalid_request")["field"] == (
        "parent"
    )


def test_a_service_account_sees_only_its_sites_places(http: TestClient, db: Database, tenant: Tenant) -> None:
    mine = make_place(db, tenant.account_id, "Lux Apartments")
    inner = make_place(db, tenant.account_id, "Block A", parent_id=mine)
    other = make_place(db, tenant.account_id, "Harbour View")
    hidden = make_place(db, tenant.account_id, "Plant room", parent_id=other)
    api = v1_client(
        http, tenant.account_id, service_client(db, tenant.account_id, sites=[SiteRole(mine, Role.MANAGER)])
    )
    assert {p["id"] for p in api.get("/places").json()["items"]} == {mine, inner}
    error(api.get(f"/places/{hidden}"), 404, "not_found")
    assert error(api.get("/places", params={"sites": other}), 403, "forbidden")["id"] == other
    assert error(api.post("/places", json={"label": "Top"}), 403, "forbidden")["code"] == (
        "top_level_create_for_location_based"
    )
    assert error(api.patch(f"/places/{inner}", json={"parent": other}), 400, "invalid_request")["field"] == "parent"
    assert api.post("/places", json={"label": "Gym", "kind": "area", "parent": inner}).status_code == 201
    viewer = v1_client(
        http, tenant.account_id, service_client(db, tenant.account_id, sites=[SiteRole(mine, Role.VIEW_ONLY)])
    )
    assert error(viewer.patch(f"/places/{inner}", json={"label": "x"}), 403, "forbidden")["code"] == "role_may_not"
