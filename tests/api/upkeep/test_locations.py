from __future__ import annotations

import re
from typing import Any

import pytest
from sqlalchemy import select

from premises.db.engine import Database
from premises.kit.counters import next_value
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import Contact, Event, Place, StoredFile
from tests.support.client import Tenant, UpKeep
from tests.support.factories import make_team

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


def create(client: UpKeep, **fields: Any) -> dict[str, Any]:
    response = client.post("/locations", json={"name": "Meeting Room", **fields})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    message: str = body["message"]
    return message


def events_of(db: Database, account_id: str, resource_id: str) -> list[str]:
    with db.unit_of_work() as session:
        rows = session.scalars(
            select(Event.type)
            .where(Event.account_id == account_id, Event.resource_id == resource_id)
            .order_by(Event.id)
        )
        return list(rows)


def place_row(db: Database, account_id: str, place_id: str) -> tuple[str, int, str | None]:
    with db.unit_of_work() as session:
        place = session.get(Place, (account_id, place_id))
        assert place is not None
        return place.kind, place.record_no, place.parent_id


def make_contact(db: Database, account_id: str, *, customer: bool = False, vendor: bool = False) -> str:
    with db.unit_of_work() as session:
        now = now_ms()
        contact = Contact(
            account_id=account_id,
            id=new_id(),
            record_no=next_value(session, account_id, "record_no"),
            kind="organisation",
            is_customer=customer,
            is_vendor=vendor,
            name="ACME",
            created_at=now,
            updated_at=now,
        )
        session.add(contact)
        return contact.id


def make_file(db: Database, account_id: str) -> str:
    with db.unit_of_work() as session:
        now = now_ms()
        stored = StoredFile(
            account_id=account_id,
            id=new_id(),
            filename="plan.pdf",
            content_type="application/pdf",
            size_bytes=10,
            storage_key=f"test/{new_id()}",
            created_at=now,
            updated_at=now,
        )
        session.add(stored)
        return stored.id


def location_based(tenant: Tenant, role: str, *site_ids: str) -> UpKeep:
    client = tenant.as_role(role, location_based=True)
    response = tenant.admin.put(f"/users/{client.user_id}/locations", json={"locationIds": list(site_ids)})
    assert response.status_code == 200, response.text
    return client


class TestCreate:
    def test_documented_body(self, tenant: Tenant, db: Database) -> None:
        parent = create(tenant.admin, name="Baker Street")
        body = {
            "name": "Sherlock Holmes\u2019 House",
            "address": "221B Baker Street, London NW1 6XE, UK",
            "longitude": 51.523767,
            "latitude": -0.1585557,
            "hideMap": "0",
            "parentLocation": parent["id"],
            "customFieldsLocation": [{"name": "Country", "value": "UK"}],
        }
        response = tenant.admin.post("/locations", json=body)
        assert response.status_code == 200, response.text
        result = response.json()["result"]
        assert re.fullmatch(r"[A-Za-z0-9]{10}", result["id"])
        assert result["createdByUser"] == tenant.admin.user_id
        assert result["createdByUsername"] == tenant.admin.email
        assert result["name"] == "Sherlock Holmes\u2019 House"
        assert result["address"] == "221B Baker Street, London NW1 6XE, UK"
        assert result["longitude"] == 51.523767 and result["latitude"] == -0.1585557
        assert result["hideMap"] == "0"
        assert result["parentLocation"] == parent["id"]
        [field] = result["customFieldsLocation"]
        assert re.fullmatch(r"[A-Za-z0-9]{10}", field["id"])
        assert field["name"] == "Country" and field["value"] == "UK" and field["unit"] is None
        assert field["location"] == result["id"] and field["user"] == tenant.admin.user_id
        assert ISO.fullmatch(field["createdAt"]) and ISO.fullmatch(field["updatedAt"])
        assert ISO.fullmatch(result["createdAt"]) and ISO.fullmatch(result["updatedAt"])
        assert result["subLocations"] == [] and result["files"] == []
        assert parent["parentLocation"] is None
        assert place_row(db, tenant.account_id, parent["id"]) == ("site", 1, None)
        assert place_row(db, tenant.account_id, result["id"]) == ("location", 2, parent["id"])
        assert events_of(db, tenant.account_id, result["id"]) == ["LOCATION_CREATED"]

    def test_form_encoded_body_like_production_client(self, tenant: Tenant) -> None:
        response = tenant.admin.post(
            "/locations/", data={"name": "Warehouse", "address": "", "hideMap": "1", "latitude": "34.07"}
        )
        assert response.status_code == 200, response.text
        result = response.json()["result"]
        assert result["name"] == "Warehouse" and result["hideMap"] == "1" and result["latitude"] == 34.07
        assert result["customFieldsLocation"] == []

    def test_record_numbers_are_per_account(self, tenant: Tenant, other_tenant: Tenant, db: Database) -> None:
        first = create(tenant.admin)
        second = create(tenant.admin)
        theirs = create(other_tenant.admin)
        assert place_row(db, tenant.account_id, first["id"])[1] == 1
        assert place_row(db, tenant.account_id, second["id"])[1] == 2
        assert place_row(db, other_tenant.account_id, theirs["id"])[1] == 1

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({}, "name cannot be null"),
            ({"name": ""}, "name cannot be null"),
            ({"name": None}, "name cannot be null"),
            ({"name": "x", "colour": "red"}, "colour not in schema"),
            ({"name": "x", "latitude": "north"}, "latitude must be a number"),
            ({"name": "x", "latitude": 91}, "latitude must be between -90 and 90"),
            ({"name": "x", "longitude": -181}, "longitude must be between -180 and 180"),
            ({"name": "x", "hideMap": "maybe"}, "hideMap must be a boolean"),
            ({"name": "x", "parentLocation": "doesNotExist"}, "parentLocation doesNotExist not found"),
            ({"name": "x", "customFieldsLocation": "Country"}, "customFieldsLocation must be an array of objects"),
            ({"name": "x", "customFieldsLocation": [{"value": "UK"}]}, "customFieldsLocation[0].name cannot be null"),
            (
                {"name": "x", "customFieldsLocation": [{"name": "a", "colour": "red"}]},
                "customFieldsLocation[0].colour not in schema",
            ),
            ({"name": "x", "files": ["doesNotExist"]}, "files doesNotExist not found"),
            ({"name": "x" * 301}, "name is too long"),
        ],
    )
    def test_bad_input(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        assert error(tenant.admin.post("/locations", json=body), 400) == message

    def test_parent_of_another_account_is_not_found(self, tenant: Tenant, other_tenant: Tenant) -> None:
        theirs = create(other_tenant.admin)
        response = tenant.admin.post("/locations", json={"name": "x", "parentLocation": theirs["id"]})
        assert error(response, 400) == f"parentLocation {theirs['id']} not found"

    def test_deleted_parent_is_not_found(self, tenant: Tenant) -> None:
        gone = create(tenant.admin)
        assert tenant.admin.delete(f"/locations/{gone['id']}").status_code == 200
        response = tenant.admin.post("/locations", json={"name": "x", "parentLocation": gone["id"]})
        assert error(response, 400) == f"parentLocation {gone['id']} not found"

    @pytest.mark.parametrize(
        ("role", "status"), [("TECH", 200), ("LIMITED_TECH", 403), ("VIEW_ONLY", 403), ("REQUESTER", 403)]
    )
    def test_roles(self, tenant: Tenant, role: str, status: int) -> None:
        response = tenant.as_role(role).post("/locations", json={"name": "Boiler Room"})
        assert response.status_code == status, response.text
        if status == 403:
            assert response.json()["success"] is False

    def test_files_are_a_local_extension(self, tenant: Tenant, db: Database) -> None:
        first, second = make_file(db, tenant.account_id), make_file(db, tenant.account_id)
        result = create(tenant.admin, files=[second, first])
        assert result["files"] == [second, first]
        updated = tenant.admin.patch(f"/locations/{result['id']}", json={"files": [first]}).json()["result"][0]
        assert updated["files"] == [first]

    def test_location_based_user_creates_only_under_their_locations(self, tenant: Tenant) -> None:
        site_a = create(tenant.admin, name="Site A")
        site_b = create(tenant.admin, name="Site B")
        tech = location_based(tenant, "TECH", site_a["id"])
        floor = create(tech, name="Floor 1", parentLocation=site_a["id"])
        assert floor["parentLocation"] == site_a["id"]
        room = create(tech, name="Room 1", parentLocation=floor["id"])
        assert tech.get(f"/locations/{room['id']}").status_code == 200
        response = tech.post("/locations", json={"name": "x", "parentLocation": site_b["id"]})
        assert error(response, 400) == f"parentLocation {site_b['id']} not found"
        assert error(tech.post("/locations", json={"name": "New site"}), 403).startswith("location-based users")


class TestList:
    def test_lists_newest_first_with_documented_shape(self, tenant: Tenant, other_tenant: Tenant) -> None:
        older = create(tenant.admin, name="Older", address="11087 Sunset Blvd")
        newer = create(tenant.admin, name="Newer", customFieldsLocation=[{"name": "Floor", "value": "1st"}])
        create(other_tenant.admin, name="Theirs")
        body = tenant.admin.get("/locations").json()
        assert body["success"] is True
        assert [r["id"] for r in body["results"]] == [newer["id"], older["id"]]
        item = body["results"][1]
        assert set(item) >= {
            "id",
            "createdByUser",
            "createdByUsername",
            "name",
            "address",
            "longitude",
            "latitude",
            "hideMap",
            "createdAt",
            "updatedAt",
        }
        assert item["createdByUsername"] == tenant.admin.email and item["address"] == "11087 Sunset Blvd"
        assert [f["name"] for f in body["results"][0]["customFieldsLocation"]] == ["Floor"]

    def test_filters(self, tenant: Tenant) -> None:
        tech = tenant.as_role("TECH")
        site = create(tenant.admin, name="Site", customFieldsLocation=[{"name": "Country", "value": "UK"}])
        child = create(
            tech,
            name="Room",
            parentLocation=site["id"],
            customFieldsLocation=[{"name": "Country", "value": "US", "unit": "iso"}],
        )
        other = create(tenant.admin, name="Room")

        def ids(params: dict[str, Any]) -> set[str]:
            response = tenant.admin.get("/locations", params=params)
            assert response.status_code == 200, response.text
            return {r["id"] for r in response.json()["results"]}

        assert ids({"name": "Room"}) == {child["id"], other["id"]}
        assert ids({"createdByUser": tech.user_id}) == {child["id"]}
        assert ids({"parentLocation": site["id"]}) == {child["id"]}
        assert ids({"customFieldsLocation[name]": "Country"}) == {site["id"], child["id"]}
        assert ids({"customFieldsLocations[name]": "Country", "customFieldsLocations[value]": "UK"}) == {site["id"]}
        assert ids({"customFieldsLocation[value]": "US", "customFieldsLocation[unit]": "iso"}) == {child["id"]}
        assert ids({"customFieldsLocation[name]": "Country", "customFieldsLocation[value]": "FR"}) == set()

    def test_ranges_order_and_paging(self, tenant: Tenant) -> None:
        made = [create(tenant.admin, name=f"L{i}") for i in range(3)]
        asc = tenant.admin.get("/locations", params={"orderBy": "createdAt ASC", "limit": 2, "offset": 1}).json()
        assert [r["id"] for r in asc["results"]] == [made[1]["id"], made[2]["id"]]
        page = tenant.admin.get("/locations", params={"createdAtGreaterThan": 0, "updatedAtLessThan": 1}).json()
        assert page["results"] == []

    def test_includes(self, tenant: Tenant) -> None:
        site = create(tenant.admin, name="Site")
        create(tenant.admin, name="Room", parentLocation=site["id"])
        response = tenant.admin.get("/locations", params={"includes": "createdByUser,parentLocation"})
        [room, top] = response.json()["results"]
        assert room["createdByUser"]["id"] == tenant.admin.user_id
        assert room["createdByUser"]["email"] == tenant.admin.email
        assert room["parentLocation"]["id"] == site["id"] and room["parentLocation"]["name"] == "Site"
        assert top["parentLocation"] is None

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"includes": "files"}, "invalid includes value: files"),
            ({"colour": "red"}, "invalid filter key: colour"),
            ({"orderBy": "name ASC"}, "orderBy must be 'field ASC|DESC' with field one of createdAt, updatedAt"),
            ({"limit": "-1"}, "limit must be between 1 and 5000"),
            (
                {"createdAtGreaterThan": "yesterday"},
                "createdAtGreaterThan must be a date (epoch milliseconds or ISO 8601)",
            ),
        ],
    )
    def test_bad_query(self, tenant: Tenant, params: dict[str, Any], message: str) -> None:
        assert error(tenant.admin.get("/locations", params=params), 400) == message

    def test_deleted_are_not_listed(self, tenant: Tenant) -> None:
        gone = create(tenant.admin)
        kept = create(tenant.admin)
        tenant.admin.delete(f"/locations/{gone['id']}")
        assert [r["id"] for r in tenant.admin.get("/locations").json()["results"]] == [kept["id"]]

    @pytest.mark.parametrize("role", ["TECH", "LIMITED_TECH", "VIEW_ONLY", "REQUESTER"])
    def test_every_role_reads(self, tenant: Tenant, role: str) -> None:
        made = create(tenant.admin)
        client = tenant.as_role(role)
        assert [r["id"] for r in client.get("/locations").json()["results"]] == [made["id"]]
        assert client.get(f"/locations/{made['id']}").status_code == 200

    def test_location_based_user_sees_only_their_places(self, tenant: Tenant) -> None:
        site_a = create(tenant.admin, name="Site A")
        room_a = create(tenant.admin, name="Room A", parentLocation=site_a["id"])
        site_b = create(tenant.admin, name="Site B")
        room_b = create(tenant.admin, name="Room B", parentLocation=site_b["id"])
        viewer = location_based(tenant, "VIEW_ONLY", site_a["id"])
        listed = {r["id"] for r in viewer.get("/locations").json()["results"]}
        assert listed == {site_a["id"], room_a["id"]}
        assert viewer.get(f"/locations/{room_a['id']}").status_code == 200
        assert error(viewer.get(f"/locations/{room_b['id']}"), 404) == "location not found"
        assert error(viewer.get(f"/locations/{site_b['id']}"), 404) == "location not found"
        nobody = location_based(tenant, "VIEW_ONLY")
        assert nobody.get("/locations").json()["results"] == []


class TestGet:
    def test_detail_shape_and_includes(self, tenant: Tenant, db: Database) -> None:
        site = create(tenant.admin, name="Site")
        room = create(tenant.admin, name="Room", parentLocation=site["id"])
        tech = tenant.as_role("TECH")
        team = make_team(db, tenant.account_id)
        customer = make_contact(db, tenant.account_id, customer=True)
        vendor = make_contact(db, tenant.account_id, vendor=True)
        for path in (f"users/{tech.user_id}", f"teams/{team}", f"customers/{customer}", f"vendors/{vendor}"):
            assert tenant.admin.post(f"/locations/{site['id']}/{path}").status_code == 200
        result = tenant.admin.get(f"/locations/{site['id']}").json()["result"]
        assert result["subLocations"] == [room["id"]]
        assert result["files"] == []
        assert result["assignedUsers"] == [tech.user_id]
        assert result["assignedTeams"] == [team]
        assert result["assignedCustomers"] == [customer]
        assert result["assignedVendors"] == [vendor]
        assert result["parentLocation"] is None and result["customFieldsLocation"] == []
        expanded = tenant.admin.get(
            f"/locations/{site['id']}", params={"includes": "subLocations,assignedUsers,createdByUser"}
        ).json()["result"]
        assert expanded["subLocations"][0]["id"] == room["id"] and expanded["subLocations"][0]["name"] == "Room"
        assert expanded["assignedUsers"][0]["email"] == tech.email
        assert expanded["createdByUser"]["id"] == tenant.admin.user_id
        members = tenant.admin.get(
            f"/locations/{site['id']}", params={"includes": "assignedTeams,assignedCustomers,assignedVendors"}
        ).json()["result"]
        assert [m["id"] for m in members["assignedTeams"]] == [team]
        assert [m["id"] for m in members["assignedCustomers"]] == [customer]
        assert [m["id"] for m in members["assignedVendors"]] == [vendor]
        child = tenant.admin.get(f"/locations/{room['id']}", params={"includes[]": "parentLocation"}).json()
        assert child["result"]["parentLocation"]["name"] == "Site"

    def test_every_documented_include_is_accepted(self, tenant: Tenant) -> None:
        site = create(tenant.admin)
        includes = (
            "createdByUser,assignedUsers,assignedTeams,assignedCustomers,assignedVendors,files,"
            "parentLocation,subLocations"
        )
        assert tenant.admin.get(f"/locations/{site['id']}", params={"includes": includes}).status_code == 200

    def test_not_found(self, tenant: Tenant, other_tenant: Tenant) -> None:
        theirs = create(other_tenant.admin)
        assert error(tenant.admin.get(f"/locations/{theirs['id']}"), 404) == "location not found"
        assert error(tenant.admin.get("/locations/doesNotExist"), 404) == "location not found"
        mine = create(tenant.admin)
        assert error(tenant.admin.get(f"/locations/{mine['id']}", params={"foo": "1"}), 400) == (
            "invalid filter key: foo"
        )
        assert error(tenant.admin.get(f"/locations/{mine['id']}", params={"includes": "owner"}), 400) == (
            "invalid includes value: owner"
        )

    def test_deleted_sub_locations_are_not_shown(self, tenant: Tenant) -> None:
        site = create(tenant.admin)
        gone = create(tenant.admin, parentLocation=site["id"])
        tenant.admin.delete(f"/locations/{gone['id']}")
        assert tenant.admin.get(f"/locations/{site['id']}").json()["result"]["subLocations"] == []

    def test_work_orders_expand_their_location(self, tenant: Tenant) -> None:
        site = create(tenant.admin, name="Site", customFieldsLocation=[{"name": "Country", "value": "UK"}])
        made = tenant.admin.post("/work-orders", json={"title": "Fix", "location": site["id"]})
        assert made.status_code == 200, made.text
        [item] = tenant.admin.get("/work-orders", params={"includes": "location"}).json()["results"]
        assert item["location"]["id"] == site["id"] and item["location"]["name"] == "Site"
        assert item["location"]["customFieldsLocation"][0]["value"] == "UK"


class TestUpdate:
    def test_documented_body_and_array_result(self, tenant: Tenant, db: Database) -> None:
        made = create(tenant.admin, address="11087 Sunset Blvd")
        response = tenant.admin.patch(
            f"/locations/{made['id']}",
            json={"name": "Conference Room", "customFieldsLocation": [{"name": "Floor", "value": "1st"}]},
        )
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["success"] is True
        [result] = body["result"]
        assert result["id"] == made["id"] and result["name"] == "Conference Room"
        assert result["address"] == "11087 Sunset Blvd"
        [field] = result["customFieldsLocation"]
        assert field["name"] == "Floor" and field["value"] == "1st" and field["location"] == made["id"]
        assert field["user"] == tenant.admin.user_id
        assert events_of(db, tenant.account_id, made["id"]) == ["LOCATION_CREATED", "LOCATION_UPDATED"]

    def test_custom_fields_are_added_or_updated_never_deleted(self, tenant: Tenant) -> None:
        made = create(tenant.admin, customFieldsLocation=[{"name": "Floor", "value": "1st"}])
        path = f"/locations/{made['id']}"
        [floor] = made["customFieldsLocation"]
        result = tenant.admin.patch(
            path, json={"customFieldsLocation": [{"name": "Floor", "value": "2nd"}, {"name": "Wing", "value": "E"}]}
        ).json()["result"][0]
        assert [(f["id"] == floor["id"], f["name"], f["value"]) for f in result["customFieldsLocation"]] == [
            (True, "Floor", "2nd"),
            (False, "Wing", "E"),
        ]
        result = tenant.admin.patch(path, json={"customFieldsLocation": None}).json()["result"][0]
        assert len(result["customFieldsLocation"]) == 2
        result = tenant.admin.patch(path, json={"customFieldsLocation": [{"id": floor["id"], "unit": "level"}]}).json()[
            "result"
        ][0]
        assert result["customFieldsLocation"][0]["unit"] == "level"
        assert result["customFieldsLocation"][0]["value"] == "2nd"
        response = tenant.admin.patch(path, json={"customFieldsLocation": [{"id": "doesNotExist", "value": "x"}]})
        assert error(response, 400) == "customFieldsLocation custom field doesNotExist not found"

    def test_null_erases_optional_values(self, tenant: Tenant) -> None:
        made = create(tenant.admin, address="Somewhere", latitude=1.5, longitude=2.5, hideMap="1")
        result = tenant.admin.patch(
            f"/locations/{made['id']}", json={"address": None, "latitude": None, "longitude": None}
        ).json()["result"][0]
        assert result["address"] is None and result["latitude"] is None and result["longitude"] is None
        assert result["hideMap"] == "1"

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"name": None}, "name cannot be null"),
            ({"name": "  "}, "name cannot be null"),
            ({"hideMap": None}, "hideMap cannot be null"),
            ({"colour": "red"}, "colour not in schema"),
            ({"latitude": 1000}, "latitude must be between -90 and 90"),
            ({"parentLocation": "doesNotExist"}, "parentLocation doesNotExist not found"),
        ],
    )
    def test_bad_input(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        made = create(tenant.admin)
        assert error(tenant.admin.patch(f"/locations/{made['id']}", json=body), 400) == message

    def test_moving_in_the_hierarchy(self, tenant: Tenant, db: Database) -> None:
        site = create(tenant.admin, name="Site")
        other_site = create(tenant.admin, name="Other site")
        floor = create(tenant.admin, name="Floor", parentLocation=site["id"])
        room = create(tenant.admin, name="Room", parentLocation=floor["id"])
        cycle = "parentLocation cannot be the location itself or one of its sub-locations"
        for parent in (site["id"], floor["id"], room["id"]):
            assert error(tenant.admin.patch(f"/locations/{site['id']}", json={"parentLocation": parent}), 400) == cycle
        moved = tenant.admin.patch(f"/locations/{site['id']}", json={"parentLocation": other_site["id"]})
        assert moved.json()["result"][0]["parentLocation"] == other_site["id"]
        assert place_row(db, tenant.account_id, site["id"])[0] == "location"
        detached = tenant.admin.patch(f"/locations/{floor['id']}", json={"parentLocation": None})
        assert detached.json()["result"][0]["parentLocation"] is None
        assert place_row(db, tenant.account_id, floor["id"])[0] == "site"
        assert tenant.admin.get(f"/locations/{site['id']}").json()["result"]["subLocations"] == []

    def test_not_found(self, tenant: Tenant, other_tenant: Tenant) -> None:
        theirs = create(other_tenant.admin)
        assert error(tenant.admin.patch(f"/locations/{theirs['id']}", json={"name": "x"}), 404) == "location not found"
        assert error(tenant.admin.patch("/locations/doesNotExist", json={}), 404) == "location not found"

    @pytest.mark.parametrize(
        ("role", "status"), [("TECH", 200), ("LIMITED_TECH", 403), ("VIEW_ONLY", 403), ("REQUESTER", 403)]
    )
    def test_roles(self, tenant: Tenant, role: str, status: int) -> None:
        made = create(tenant.admin)
        response = tenant.as_role(role).patch(f"/locations/{made['id']}", json={"name": "Renamed"})
        assert response.status_code == status, response.text

    def test_location_based_user_writes_only_inside_their_places(self, tenant: Tenant) -> None:
        site_a = create(tenant.admin, name="Site A")
        room_a = create(tenant.admin, name="Room A", parentLocation=site_a["id"])
        site_b = create(tenant.admin, name="Site B")
        tech = location_based(tenant, "TECH", site_a["id"])
        assert tech.patch(f"/locations/{room_a['id']}", json={"name": "Room A1"}).status_code == 200
        assert error(tech.patch(f"/locations/{site_b['id']}", json={"name": "x"}), 404) == "location not found"
        response = tech.patch(f"/locations/{room_a['id']}", json={"parentLocation": site_b["id"]})
        assert error(response, 400) == f"parentLocation {site_b['id']} not found"
        response = tech.patch(f"/locations/{room_a['id']}", json={"parentLocation": None})
        assert error(response, 403) == "location-based users cannot make a location top-level"


class TestDelete:
    def test_delete(self, tenant: Tenant, db: Database) -> None:
        made = create(tenant.admin)
        response = tenant.admin.delete(f"/locations/{made['id']}")
        assert response.status_code == 200
        assert response.json() == {"success": True, "message": "1 location deleted"}
        assert error(tenant.admin.get(f"/locations/{made['id']}"), 404) == "location not found"
        assert error(tenant.admin.delete(f"/locations/{made['id']}"), 404) == "location not found"
        assert events_of(db, tenant.account_id, made["id"]) == ["LOCATION_CREATED", "LOCATION_DELETED"]

    def test_refuses_while_sub_locations_live(self, tenant: Tenant) -> None:
        site = create(tenant.admin)
        room = create(tenant.admin, parentLocation=site["id"])
        assert error(tenant.admin.delete(f"/locations/{site['id']}"), 400) == "location has sub-locations"
        assert tenant.admin.delete(f"/locations/{room['id']}").status_code == 200
        assert tenant.admin.delete(f"/locations/{site['id']}").status_code == 200

    def test_other_account(self, tenant: Tenant, other_tenant: Tenant) -> None:
        theirs = create(other_tenant.admin)
        assert error(tenant.admin.delete(f"/locations/{theirs['id']}"), 404) == "location not found"
        assert other_tenant.admin.get(f"/locations/{theirs['id']}").status_code == 200

    @pytest.mark.parametrize("role", ["TECH", "LIMITED_TECH", "VIEW_ONLY", "REQUESTER"])
    def test_only_admins_delete(self, tenant: Tenant, role: str) -> None:
        made = create(tenant.admin)
        assert error(tenant.as_role(role).delete(f"/locations/{made['id']}"), 403)
        assert tenant.admin.get(f"/locations/{made['id']}").status_code == 200


class TestCustomFields:
    def test_get_update_delete(self, tenant: Tenant, db: Database) -> None:
        made = create(tenant.admin, customFieldsLocation=[{"name": "Floor", "value": "1st", "unit": "level"}])
        [field] = made["customFieldsLocation"]
        path = f"/locations/{made['id']}/custom-fields/{field['id']}"
        got = tenant.admin.get(path).json()
        assert got == {"success": True, "result": field}
        response = tenant.admin.patch(path, json={"value": "2nd"})
        assert response.status_code == 200, response.text
        result = response.json()["result"]
        assert result["value"] == "2nd" and result["name"] == "Floor" and result["unit"] == "level"
        assert result["location"] == made["id"] and result["user"] == tenant.admin.user_id
        assert tenant.admin.patch(path, json={"unit": None}).json()["result"]["unit"] is None
        assert tenant.admin.patch(path, data={"name": "Storey", "value": 3}).json()["result"]["value"] == "3"
        deleted = tenant.admin.delete(path)
        assert deleted.json() == {"success": True, "message": "1 custom field deleted"}
        assert error(tenant.admin.get(path), 404) == "custom field not found"
        assert error(tenant.admin.delete(path), 404) == "custom field not found"
        assert tenant.admin.get(f"/locations/{made['id']}").json()["result"]["customFieldsLocation"] == []
        assert events_of(db, tenant.account_id, made["id"]).count("LOCATION_UPDATED") == 4

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"name": None}, "name cannot be null"),
            ({"colour": "x"}, "colour not in schema"),
            ({"value": ["a"]}, "value must be a string"),
        ],
    )
    def test_bad_input(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        made = create(tenant.admin, customFieldsLocation=[{"name": "Floor", "value": "1st"}])
        path = f"/locations/{made['id']}/custom-fields/{made['customFieldsLocation'][0]['id']}"
        assert error(tenant.admin.patch(path, json=body), 400) == message

    def test_field_of_another_location_or_account(self, tenant: Tenant, other_tenant: Tenant) -> None:
        one = create(tenant.admin, customFieldsLocation=[{"name": "Floor", "value": "1st"}])
        two = create(tenant.admin)
        field_id = one["customFieldsLocation"][0]["id"]
        assert error(tenant.admin.get(f"/locations/{two['id']}/custom-fields/{field_id}"), 404) == (
            "custom field not found"
        )
        assert error(tenant.admin.patch(f"/locations/{two['id']}/custom-fields/{field_id}", json={}), 404) == (
            "custom field not found"
        )
        theirs = create(other_tenant.admin, customFieldsLocation=[{"name": "Floor", "value": "1st"}])
        path = f"/locations/{theirs['id']}/custom-fields/{theirs['customFieldsLocation'][0]['id']}"
        assert error(tenant.admin.get(path), 404) == "location not found"
        assert error(tenant.admin.delete(path), 404) == "location not found"

    @pytest.mark.parametrize(
        ("role", "status"), [("TECH", 200), ("LIMITED_TECH", 403), ("VIEW_ONLY", 403), ("REQUESTER", 403)]
    )
    def test_roles(self, tenant: Tenant, role: str, status: int) -> None:
        made = create(tenant.admin, customFieldsLocation=[{"name": "Floor", "value": "1st"}])
        path = f"/locations/{made['id']}/custom-fields/{made['customFieldsLocation'][0]['id']}"
        client = tenant.as_role(role)
        assert client.get(path).status_code == 200
        assert client.patch(path, json={"value": "2nd"}).status_code == status
        assert client.delete(path).status_code == status

    def test_location_based_user(self, tenant: Tenant) -> None:
        site_a = create(tenant.admin, name="A")
        site_b = create(tenant.admin, name="B", customFieldsLocation=[{"name": "Floor", "value": "1st"}])
        tech = location_based(tenant, "TECH", site_a["id"])
        path = f"/locations/{site_b['id']}/custom-fields/{site_b['customFieldsLocation'][0]['id']}"
        assert error(tech.get(path), 404) == "location not found"
        assert error(tech.patch(path, json={"value": "x"}), 404) == "location not found"


class TestAssignments:
    @pytest.mark.parametrize(
        ("segment", "word"), [("users", "user"), ("teams", "team"), ("customers", "customer"), ("vendors", "vendor")]
    )
    def test_assign_and_remove(self, tenant: Tenant, db: Database, segment: str, word: str) -> None:
        member = {
            "user": lambda: tenant.as_role("TECH").user_id,
            "team": lambda: make_team(db, tenant.account_id),
            "customer": lambda: make_contact(db, tenant.account_id, customer=True),
            "vendor": lambda: make_contact(db, tenant.account_id, vendor=True),
        }[word]()
        made = create(tenant.admin)
        field = "assigned" + segment.title()
        path = f"/locations/{made['id']}/{segment}/{member}"
        response = tenant.admin.post(path)
        assert response.json() == {"success": True, "message": f"{word} {member} assigned to location {made['id']}"}
        assert tenant.admin.post(path).status_code == 200  # idempotent
        assert tenant.admin.get(f"/locations/{made['id']}").json()["result"][field] == [member]
        response = tenant.admin.delete(path)
        assert response.json() == {"success": True, "message": f"{word} {member} removed from location {made['id']}"}
        assert tenant.admin.get(f"/locations/{made['id']}").json()["result"][field] == []
        assert tenant.admin.delete(path).status_code == 200  # nothing to remove
        assert events_of(db, tenant.account_id, made["id"]) == [
            "LOCATION_CREATED",
            "LOCATION_UPDATED",
            "LOCATION_UPDATED",
        ]

    @pytest.mark.parametrize(
        ("segment", "word"), [("users", "user"), ("teams", "team"), ("customers", "customer"), ("vendors", "vendor")]
    )
    def test_unknown_member(self, tenant: Tenant, other_tenant: Tenant, segment: str, word: str) -> None:
        made = create(tenant.admin)
        assert error(tenant.admin.post(f"/locations/{made['id']}/{segment}/doesNotExist"), 404) == f"{word} not found"
        assert error(tenant.admin.delete(f"/locations/{made['id']}/{segment}/doesNotExist"), 404) == (
            f"{word} not found"
        )
        if word == "user":
            assert error(tenant.admin.post(f"/locations/{made['id']}/users/{other_tenant.admin.user_id}"), 404) == (
                "user not found"
            )

    def test_contact_must_have_the_role(self, tenant: Tenant, db: Database) -> None:
        made = create(tenant.admin)
        vendor = make_contact(db, tenant.account_id, vendor=True)
        customer = make_contact(db, tenant.account_id, customer=True)
        assert error(tenant.admin.post(f"/locations/{made['id']}/customers/{vendor}"), 404) == "customer not found"
        assert error(tenant.admin.post(f"/locations/{made['id']}/vendors/{customer}"), 404) == "vendor not found"

    def test_unknown_or_foreign_location(self, tenant: Tenant, other_tenant: Tenant) -> None:
        theirs = create(other_tenant.admin)
        path = f"/locations/{theirs['id']}/users/{tenant.admin.user_id}"
        assert error(tenant.admin.post(path), 404) == "location not found"
        assert error(tenant.admin.delete(path), 404) == "location not found"

    @pytest.mark.parametrize(
        ("role", "status"), [("TECH", 200), ("LIMITED_TECH", 403), ("VIEW_ONLY", 403), ("REQUESTER", 403)]
    )
    def test_roles(self, tenant: Tenant, role: str, status: int) -> None:
        made = create(tenant.admin)
        client = tenant.as_role(role)
        assert client.post(f"/locations/{made['id']}/users/{client.user_id}").status_code == status
        assert client.delete(f"/locations/{made['id']}/users/{client.user_id}").status_code == status

    def test_location_based_user(self, tenant: Tenant) -> None:
        site_a = create(tenant.admin, name="A")
        site_b = create(tenant.admin, name="B")
        tech = location_based(tenant, "TECH", site_a["id"])
        assert tech.post(f"/locations/{site_a['id']}/users/{tech.user_id}").status_code == 200
        assert error(tech.post(f"/locations/{site_b['id']}/users/{tech.user_id}"), 404) == "location not found"

    def test_deleted_members_are_not_listed(self, tenant: Tenant, db: Database) -> None:
        made = create(tenant.admin)
        customer = make_contact(db, tenant.account_id, customer=True)
        tenant.admin.post(f"/locations/{made['id']}/customers/{customer}")
        with db.unit_of_work() as session:
            contact = session.get(Contact, (tenant.account_id, customer))
            assert contact is not None
            contact.deleted_at = now_ms()
        assert tenant.admin.get(f"/locations/{made['id']}").json()["result"]["assignedCustomers"] == []
        response = tenant.admin.delete(f"/locations/{made['id']}/customers/{customer}")
        assert response.status_code == 200  # a stale link can still be removed
