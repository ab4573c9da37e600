from __future__ import annotations

import re
from typing import Any

import orjson
import pytest
from sqlalchemy import select

from premises.db.engine import Database
from premises.kit.counters import next_value
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import AssetDowntime, Contact, Event, StoredFile
from tests.support.client import Tenant, UpKeep
from tests.support.factories import make_asset, make_place, make_team

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


# ------------------------------------------------------------------------------------------ helpers


def create(client: UpKeep, **fields: Any) -> dict[str, Any]:
    response = client.post("/assets", json={"name": "Generator", **fields})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["success"] is True
    return body.get("result", body.get("results"))


def error(response: Any, status: int = 400) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    message: str = body["message"]
    return message


def file_id_of(value: Any) -> Any:
    """Image fields render as file objects ``{"__type": "File", "id", "name", "url"}``."""
    assert value["__type"] == "File" and value["url"], value
    return value["id"]


def make_file(db: Database, account_id: str, filename: str = "generator.jpg") -> str:
    with db.unit_of_work() as session:
        now = now_ms()
        stored = StoredFile(
            account_id=account_id,
            id=new_id(),
            filename=filename,
            content_type="image/jpeg",
            size_bytes=10,
            storage_key=f"test/{new_id()}",
            created_at=now,
            updated_at=now,
        )
        session.add(stored)
        return stored.id


def make_contact(db: Database, account_id: str, *, vendor: bool = False, customer: bool = False) -> str:
    with db.unit_of_work() as session:
        now = now_ms()
        contact = Contact(
            account_id=account_id,
            id=new_id(),
            record_no=next_value(session, account_id, "record_no"),
            kind="organisation",
            is_customer=customer,
            is_vendor=vendor,
            name="Acme",
            created_at=now,
            updated_at=now,
        )
        session.add(contact)
        return contact.id


def events_of(db: Database, account_id: str, resource_id: str) -> list[str]:
    with db.unit_of_work() as session:
        rows = session.scalars(
            select(Event.type)
            .where(Event.account_id == account_id, Event.resource_id == resource_id)
            .order_by(Event.id)
        )
        return list(rows)


def define(client: UpKeep, name: str, type: str, **extra: Any) -> str:
    field_id: str = ok(client.post("/custom-fields/assets", json={"name": name, "type": type, **extra}))["id"]
    return field_id


def ids(results: list[dict[str, Any]]) -> list[str]:
    return [r["id"] for r in results]


# ------------------------------------------------------------------------------------------ create


class TestCreate:
    def test_documented_body_and_shape(self, tenant: Tenant, db: Database) -> None:
        admin = tenant.admin
        site = make_place(db, tenant.account_id)
        vendor = make_contact(db, tenant.account_id, vendor=True)
        parent = make_asset(db, tenant.account_id, "Power plant", location_id=site)
        image, receipt, warranty, f1, f2 = (make_file(db, tenant.account_id) for _ in range(5))
        text_field = define(admin, "Custom text field", "singleLineText")
        tech = tenant.as_role("TECH")
        body = {
            "name": "The Deluxe Power Generator",
            "serial": "S5614B09118",
            "serialNumber": "SER-100",
            "purchaseDate": "2022-06-30T00:08:00Z",
            "placedInServiceDate": "2022-07-01T00:08:00Z",
            "warrantyExpiration": "2023-07-01T00:08:00Z",
            "purchasePrice": 50000,
            "residualValue": 4500,
            "usefulLife": {"quantity": 5, "units": "years"},
            "model": "Deluxe 5500",
            "customFields": [{"id": text_field, "fieldValue": {"singleLineTextValue": "Custom info"}}],
            "manufacturerVendor": vendor,
            "parentAsset": parent,
            "image": image,
            "purchaseReceipt": receipt,
            "warrantyFile": warranty,
            "files": [f1, f2],
            "location": site,
            "additionalInformation": "2 feet by 2 feet",
            "notes": "Oldest generator in use",
            "area": "Basement",
            "status": "active",
            "description": "The Generator Powering Life Support for the Space Station",
            "category": "Equipment",
            "checkInProcedure": "Connect generator",
            "checkOutProcedure": "Disconnect Generator",
            "availabilityStatus": "available",
            "availabilityTrackingOn": True,
            "assignedToUser": tech.user_id,
        }
        result = ok(admin.post("/assets/", json=body))
        assert re.fullmatch(r"[A-Za-z0-9]{10}", result["id"])
        for key in (
            "name",
            "serial",
            "serialNumber",
            "model",
            "additionalInformation",
            "notes",
            "area",
            "status",
            "description",
            "category",
            "checkInProcedure",
            "checkOutProcedure",
            "availabilityStatus",
        ):
            assert result[key] == body[key], key
        assert result["barcode"] == "S5614B09118"
        assert result["purchaseDate"] == "2022-06-30T00:08:00.000Z"
        assert result["placedInServiceDate"] == "2022-07-01T00:08:00.000Z"
        assert result["warrantyExpiration"] == "2023-07-01T00:08:00.000Z"
        assert result["purchasePrice"] == 50000 and result["residualValue"] == 4500
        assert result["usefulLife"] == {"quantity": 5, "units": "years"}
        assert result["manufacturerVendor"] == vendor and result["parentAsset"] == parent
        assert result["location"] == site
        assert file_id_of(result["image"]) == image
        assert file_id_of(result["purchaseReceipt"]) == receipt
        assert file_id_of(result["warrantyFile"]) == warranty
        assert result["files"] == [f1, f2]
        assert result["assignedToUser"] == tech.user_id and result["assignedToUsername"] == tech.email
        assert result["createdByUser"] == admin.user_id and result["createdByUsername"] == admin.email
        assert result["downtimeStatus"] == "available" and result["availabilityTrackingOn"] is True
        assert result["numberOfIncompleteWorkOrders"] == 0
        [custom] = result["customFields"]
        assert custom["id"] == text_field and custom["name"] == "Custom text field"
        assert custom["type"] == "singleLineText" and custom["options"] is None and custom["decimalPrecision"] is None
        assert custom["createdByUser"] == admin.user_id
        value = custom["fieldValue"]
        assert value["singleLineTextValue"] == "Custom info"
        assert value["numberValue"] is None and value["dateValue"] is None and value["dropdownValue"] is None
        assert ISO.fullmatch(value["createdAt"])
        assert result["customFieldsAsset"] == []
        assert result["subAssets"] == [] and result["parts"] == [] and result["formItems"] == []
        assert result["assignedUsers"] == [] and result["assignedVendors"] == []
        assert ISO.fullmatch(result["createdAt"]) and ISO.fullmatch(result["updatedAt"])
        assert events_of(db, tenant.account_id, result["id"]) == ["ASSET_CREATED"]

    def test_dates_keep_four_digit_years(self, tenant: Tenant) -> None:
        early = create(tenant.admin, purchaseDate="0470-03-16T17:13:51.100Z", warrantyExpiration=253402300799999)
        assert early["purchaseDate"] == "0470-03-16T17:13:51.100Z"
        assert early["warrantyExpiration"] == "9999-12-31T23:59:59.999Z"

    def test_minimal_defaults(self, tenant: Tenant) -> None:
        result = create(tenant.admin)
        assert result["status"] == "active" and result["downtimeStatus"] == "available"
        assert result["location"] is None and result["image"] is None and result["files"] == []
        assert result["usefulLife"] is None and result["availabilityTrackingOn"] is False

    def test_form_encoded_body(self, tenant: Tenant, db: Database) -> None:
        site = make_place(db, tenant.account_id)
        result = ok(
            tenant.admin.post(
                "/assets",
                data={
                    "name": "Pump",
                    "model": "P1",
                    "serial": "123",
                    "location": site,
                    "category": "Plumbing",
                    "purchasePrice": "12.5",
                    "availabilityTrackingOn": "true",
                },
            )
        )
        assert result["location"] == site and result["purchasePrice"] == 12.5
        assert result["availabilityTrackingOn"] is True and result["category"] == "Plumbing"

    def test_older_custom_fields_asset(self, tenant: Tenant) -> None:
        result = create(tenant.admin, customFieldsAsset=[{"name": "width", "value": "10", "unit": "cm"}])
        [field] = result["customFieldsAsset"]
        assert field["name"] == "width" and field["value"] == "10" and field["unit"] == "cm"
        assert field["asset"] == result["id"] and field["user"] == tenant.admin.user_id

    def test_custom_field_types(self, tenant: Tenant) -> None:
        admin = tenant.admin
        weight = define(admin, "Weight", "number", decimalPrecision=2)
        price = define(admin, "Price", "currency", decimalPrecision=0)
        when = define(admin, "Checked", "date")
        colour = define(admin, "Colour", "dropdown", options=["Red", "Blue"])
        notes = define(admin, "Notes", "multiLineText")
        result = create(
            admin,
            customFields=[
                {"id": weight, "fieldValue": {"numberValue": 50.123}},
                {"id": price, "fieldValue": {"currencyValue": "99.6"}},
                {"id": when, "fieldValue": {"dateValue": "2023-11-28T13:39:42.407Z"}},
                {"id": colour, "fieldValue": {"dropdownValue": "Blue"}},
                {"id": notes, "fieldValue": {"multiLineTextValue": "a\nb"}},
            ],
        )
        values = {f["id"]: f["fieldValue"] for f in result["customFields"]}
        assert values[weight]["numberValue"] == 50.12
        assert values[price]["currencyValue"] == 100
        assert values[when]["dateValue"] == "2023-11-28T13:39:42.407Z"
        assert values[colour]["dropdownValue"] == "Blue"
        assert values[notes]["multiLineTextValue"] == "a\nb"

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({}, "name cannot be null"),
            ({"name": ""}, "name cannot be null"),
            ({"name": "   "}, "name cannot be null"),
            ({"name": "x", "colour": "red"}, "colour not in schema"),
            ({"name": "x", "status": "broken"}, "status must be one of active, inactive"),
            ({"name": "x", "status": None}, "status cannot be null"),
            (
                {"name": "x", "category": "Spaceships"},
                "category Spaceships is not one of the account's asset categories",
            ),
            ({"name": "x", "location": "missing123"}, "location missing123 not found"),
            ({"name": "x", "parentAsset": "missing123"}, "parentAsset missing123 not found"),
            ({"name": "x", "manufacturerVendor": "missing123"}, "manufacturerVendor missing123 not found"),
            ({"name": "x", "assignedToUser": "missing123"}, "assignedToUser missing123 not found"),
            ({"name": "x", "image": "missing123"}, "image missing123 not found"),
            ({"name": "x", "files": ["missing123"]}, "file missing123 not found"),
            (
                {"name": "x", "purchaseDate": "yesterday"},
                "purchaseDate must be a date (epoch milliseconds or ISO 8601)",
            ),
            ({"name": "x", "purchaseDate": 10**17}, "purchaseDate is out of range"),
            ({"name": "x", "purchasePrice": "lots"}, "purchasePrice must be a number"),
            ({"name": "x", "purchasePrice": -1}, "purchasePrice must not be negative"),
            (
                {"name": "x", "usefulLife": {"quantity": 5, "units": "decades"}},
                "usefulLife.units must be one of days, weeks, months, years",
            ),
            (
                {"name": "x", "usefulLife": {"quantity": -1, "units": "days"}},
                "usefulLife.quantity must be a non-negative integer",
            ),
            ({"name": "x", "usefulLife": {"quantity": 1}}, "usefulLife.units cannot be null"),
            ({"name": "x", "usefulLife": {"quantity": 1, "units": "days", "x": 1}}, "usefulLife.x not in schema"),
            ({"name": "x", "usefulLife": 5}, "usefulLife must be an object"),
            (
                {"name": "x", "downtimeStatus": "broken"},
                "downtimeStatus must be available, not-available or the ID of an asset downtime status",
            ),
            (
                {"name": "x", "customFields": [{"id": "missing123", "fieldValue": {"numberValue": 1}}]},
                "customFields[0].id missing123 not found",
            ),
            ({"name": "x", "customFields": [{"fieldValue": {"numberValue": 1}}]}, "customFields[0].id cannot be null"),
            (
                {"name": "x", "customFields": [{"id": "a", "fieldValue": {"fooValue": 1}}]},
                "customFields[0].fieldValue.fooValue not in schema",
            ),
            (
                {
                    "name": "x",
                    "customFields": [{"id": "a", "fieldValue": {"numberValue": 1, "dateValue": "2020-01-01"}}],
                },
                "customFields[0].fieldValue must set only one value",
            ),
            ({"name": "x", "customFields": "nope"}, "customFields must be an array of objects"),
            ({"name": "x", "customFieldsAsset": [{"value": "1"}]}, "customFieldsAsset[0].name cannot be null"),
        ],
    )
    def test_bad_input(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        assert error(tenant.admin.post("/assets", json=body)) == message

    @pytest.mark.parametrize(
        ("field_type", "extra", "value_key", "value", "message"),
        [
            (
                "number",
                {"decimalPrecision": 1},
                "numberValue",
                "heavy",
                "customFields[0].fieldValue.numberValue must be a number",
            ),
            (
                "number",
                {"decimalPrecision": 1},
                "numberValue",
                True,
                "customFields[0].fieldValue.numberValue must be a number",
            ),
            (
                "date",
                {},
                "dateValue",
                "not a date",
                "customFields[0].fieldValue.dateValue must be an ISO 8601 timestamp",
            ),
            (
                "dropdown",
                {"options": ["A"]},
                "dropdownValue",
                "B",
                "customFields[0].fieldValue.dropdownValue must be one of the field's options",
            ),
            (
                "singleLineText",
                {},
                "numberValue",
                5,
                "customFields[0].fieldValue must set singleLineTextValue for this singleLineText field",
            ),
        ],
    )
    def test_bad_custom_field_values(
        self, tenant: Tenant, field_type: str, extra: dict[str, Any], value_key: str, value: Any, message: str
    ) -> None:
        field = define(tenant.admin, "Field", field_type, **extra)
        body = {"name": "x", "customFields": [{"id": field, "fieldValue": {value_key: value}}]}
        assert error(tenant.admin.post("/assets", json=body)) == message

    def test_references_of_another_account_are_not_found(
        self, tenant: Tenant, other_tenant: Tenant, db: Database
    ) -> None:
        site = make_place(db, other_tenant.account_id)
        asset = make_asset(db, other_tenant.account_id)
        vendor = make_contact(db, other_tenant.account_id, vendor=True)
        file = make_file(db, other_tenant.account_id)
        field = define(other_tenant.admin, "Theirs", "singleLineText")
        assert error(tenant.admin.post("/assets", json={"name": "x", "location": site})) == f"location {site} not found"
        assert error(tenant.admin.post("/assets", json={"name": "x", "parentAsset": asset})) == (
            f"parentAsset {asset} not found"
        )
        assert error(tenant.admin.post("/assets", json={"name": "x", "manufacturerVendor": vendor})) == (
            f"manufacturerVendor {vendor} not found"
        )
        assert error(tenant.admin.post("/assets", json={"name": "x", "files": [file]})) == f"file {file} not found"
        assert (
            error(tenant.admin.post("/assets", json={"name": "x", "customFields": [{"id": field, "fieldValue": None}]}))
            == f"customFields[0].id {field} not found"
        )
        assert (
            error(tenant.admin.post("/assets", json={"name": "x", "assignedToUser": other_tenant.admin.user_id}))
            == f"assignedToUser {other_tenant.admin.user_id} not found"
        )

    def test_manufacturer_must_be_a_vendor(self, tenant: Tenant, db: Database) -> None:
        customer = make_contact(db, tenant.account_id, customer=True)
        assert error(tenant.admin.post("/assets", json={"name": "x", "manufacturerVendor": customer})) == (
            f"manufacturerVendor {customer} not found"
        )

    def test_roles(self, tenant: Tenant) -> None:
        create(tenant.as_role("TECH"))
        for role in ("LIMITED_TECH", "VIEW_ONLY", "REQUESTER"):
            message = error(tenant.as_role(role).post("/assets", json={"name": "x"}), 403)
            assert message == f"{role} users may not create assets"

    def test_location_based_user_creates_only_at_their_places(self, tenant: Tenant, db: Database) -> None:
        mine, other = make_place(db, tenant.account_id, "Mine"), make_place(db, tenant.account_id, "Other")
        tech = tenant.as_role("TECH", location_based=True)
        ok(tenant.admin.put(f"/users/{tech.user_id}/locations", json={"locationIds": [mine]}))
        assert error(tech.post("/assets", json={"name": "x"})) == "location cannot be null for location-based users"
        assert error(tech.post("/assets", json={"name": "x", "location": other})) == f"location {other} not found"
        assert create(tech, location=mine)["location"] == mine


# ------------------------------------------------------------------------------------------ list


class TestList:
    def test_filters(self, tenant: Tenant, db: Database) -> None:
        admin = tenant.admin
        site = make_place(db, tenant.account_id)
        tech = tenant.as_role("TECH")
        a = create(admin, name="Pump", serial="B1", serialNumber="SN1", location=site, category="Plumbing")
        b = create(tech, name="Boiler", status="inactive", assignedToUser=tech.user_id, downtimeStatus="not-available")
        cases = {
            "name": ("Pump", [a]),
            "serial": ("B1", [a]),
            "serialNumber": ("SN1", [a]),
            "location": (site, [a]),
            "status": ("inactive", [b]),
            "category": ("Plumbing", [a]),
            "assignedToUser": (tech.user_id, [b]),
            "createdByUser": (tech.user_id, [b]),
            "downtimeStatus": ("not-available", [b]),
        }
        for key, (value, expected) in cases.items():
            assert ids(ok(admin.get("/assets", params={key: value}))) == ids(expected), key
        assert ids(ok(admin.get("/assets"))) == [b["id"], a["id"]]
        assert ids(ok(admin.get("/assets", params={"orderBy": "createdAt ASC"}))) == [a["id"], b["id"]]
        assert ids(ok(admin.get("/assets", params={"limit": 1, "offset": 1}))) == [a["id"]]
        assert ids(ok(admin.get("/assets", params={"createdAtLessThan": 1}))) == []
        assert len(ok(admin.get("/assets", params={"updatedAtGreaterThanOrEqualTo": 1}))) == 2

    def test_bad_filters(self, tenant: Tenant) -> None:
        assert error(tenant.admin.get("/assets", params={"colour": "red"})) == "invalid filter key: colour"
        assert (
            error(tenant.admin.get("/assets", params={"status": "broken"})) == "status must be one of active, inactive"
        )
        assert error(tenant.admin.get("/assets", params={"includes": "parts"})) == "invalid includes value: parts"
        assert error(tenant.admin.get("/assets", params={"orderBy": "name ASC"})).startswith("orderBy must be")

    def test_custom_field_filters(self, tenant: Tenant) -> None:
        admin = tenant.admin
        weight = define(admin, "Weight", "number", decimalPrecision=2)
        price = define(admin, "Price", "currency", decimalPrecision=2)
        when = define(admin, "Checked", "date")
        colour = define(admin, "Colour", "dropdown", options=["option 1", "option 2"])
        label = define(admin, "Label", "singleLineText")

        def asset(w: float, p: float, d: str, c: str, text: str) -> str:
            created = create(
                admin,
                customFields=[
                    {"id": weight, "fieldValue": {"numberValue": w}},
                    {"id": price, "fieldValue": {"currencyValue": p}},
                    {"id": when, "fieldValue": {"dateValue": d}},
                    {"id": colour, "fieldValue": {"dropdownValue": c}},
                    {"id": label, "fieldValue": {"singleLineTextValue": text}},
                ],
            )
            asset_id: str = created["id"]
            return asset_id

        a = asset(10, 12.5, "2023-10-30T08:00:00.000Z", "option 1", "Main 50% BOILER")
        b = asset(20, 25, "2023-11-03T23:00:00.000Z", "option 2", "spare")
        create(admin)  # no custom values at all

        def found(query: str) -> set[str]:
            return set(ids(ok(admin.get("/assets?" + query))))

        assert found(f"customFields[0][type]=number&customFields[0][id]={weight}&customFields[0][minValue]=15") == {b}
        assert found(
            f"customFields[0][type]=currency&customFields[0][id]={price}"
            "&customFields[0][minValue]=12.23&customFields[0][maxValue]=20.00"
        ) == {a}
        assert found(
            f"customFields[1][type]=date&customFields[1][id]={when}"
            "&customFields[1][minValue]=2023-10-30&customFields[1][maxValue]=2023-11-03"
        ) == {a, b}
        assert found(f"customFields[1][type]=date&customFields[1][id]={when}&customFields[1][maxValue]=2023-11-02") == {
            a
        }
        assert found(
            f"customFields[2][type]=dropdown&customFields[2][id]={colour}&customFields[2][value]=option 1"
        ) == {a}
        assert found(f"customFields[0][type]=text&customFields[0][id]={label}&customFields[0][value]=boiler") == {a}
        assert found(f"customFields[0][type]=text&customFields[0][id]={label}&customFields[0][value]=50%") == {a}
        assert found(f"customFields[0][type]=text&customFields[0][id]={label}&customFields[0][value]=_") == set()
        both = (
            f"customFields[0][type]=number&customFields[0][id]={weight}&customFields[0][maxValue]=30"
            f"&customFields[1][type]=dropdown&customFields[1][id]={colour}&customFields[1][value]=2"
        )
        assert found(both) == {b}
        json_form = orjson.dumps([{"type": "number", "id": weight, "minValue": 15}]).decode()
        assert set(ids(ok(admin.get("/assets", params={"customFields": json_form})))) == {b}

    @pytest.mark.parametrize(
        ("query", "message"),
        [
            ("customFields[0][type]=number&customFields[0][minValue]=1", "customFields[0][id] cannot be null"),
            (
                "customFields[0][id]=x&customFields[0][minValue]=1",
                "customFields[0][type] must be one of text, dropdown, number, currency, date",
            ),
            ("customFields[0][id]=x&customFields[0][type]=number", "customFields[0] needs minValue or maxValue"),
            (
                "customFields[0][id]=x&customFields[0][type]=number&customFields[0][minValue]=a",
                "customFields[0][minValue] must be a number",
            ),
            (
                "customFields[0][id]=x&customFields[0][type]=date&customFields[0][minValue]=soon",
                "customFields[0][minValue] must be a date",
            ),
            ("customFields[0][id]=x&customFields[0][type]=text", "customFields[0][value] cannot be null"),
            (
                "customFields[0][id]=x&customFields[0][type]=text&customFields[0][value]=a&customFields[0][colour]=1",
                "invalid filter key: customFields[0][colour]",
            ),
            ("customFields[x]=1", "invalid filter key: customFields[x]"),
            ("customFields=nope", "customFields must be a JSON array of filter objects"),
        ],
    )
    def test_bad_custom_field_filters(self, tenant: Tenant, query: str, message: str) -> None:
        assert error(tenant.admin.get("/assets?" + query)) == message

    def test_includes(self, tenant: Tenant, db: Database) -> None:
        admin = tenant.admin
        site = make_place(db, tenant.account_id, "Site A")
        parent = create(admin, name="Parent")
        child = create(admin, name="Child", parentAsset=parent["id"], location=site, assignedToUser=admin.user_id)
        items = ok(
            admin.get("/assets", params={"includes": "parentAsset,createdByUser,assignedToUser", "name": "Child"})
        )
        [item] = items
        assert item["id"] == child["id"]
        assert item["parentAsset"]["id"] == parent["id"] and item["parentAsset"]["name"] == "Parent"
        assert item["createdByUser"]["id"] == admin.user_id and item["createdByUser"]["email"] == admin.email
        assert item["assignedToUser"]["id"] == admin.user_id
        [item] = ok(admin.get("/assets", params={"includes[]": "location", "name": "Child"}))
        location = item["location"]
        assert location == site or location["id"] == site  # stays an id until locations register an expander

    def test_incomplete_work_orders_are_counted(self, tenant: Tenant) -> None:
        asset = create(tenant.admin)
        for _ in range(2):
            ok(tenant.admin.post("/work-orders", json={"title": "Fix", "asset": asset["id"]}))
        done = ok(tenant.admin.post("/work-orders", json={"title": "Done", "asset": asset["id"]}))
        ok(tenant.admin.patch(f"/work-orders/{done['id']}", json={"status": "complete"}))
        [item] = ok(tenant.admin.get("/assets"))
        assert item["numberOfIncompleteWorkOrders"] == 2
        assert ok(tenant.admin.get(f"/assets/{asset['id']}"))["numberOfIncompleteWorkOrders"] == 2

    def test_accounts_are_isolated(self, tenant: Tenant, other_tenant: Tenant) -> None:
        mine = create(tenant.admin)
        create(other_tenant.admin)
        assert ids(ok(tenant.admin.get("/assets"))) == [mine["id"]]

    def test_every_role_reads(self, tenant: Tenant) -> None:
        asset = create(tenant.admin)
        for role in ("TECH", "LIMITED_TECH", "VIEW_ONLY", "REQUESTER"):
            client = tenant.as_role(role)
            assert ids(ok(client.get("/assets"))) == [asset["id"]]
            assert ok(client.get(f"/assets/{asset['id']}"))["id"] == asset["id"]

    def test_location_based_users_see_only_their_places(self, tenant: Tenant, db: Database) -> None:
        site_a = make_place(db, tenant.account_id, "A")
        floor = make_place(db, tenant.account_id, "A floor 1", parent_id=site_a)
        site_b = make_place(db, tenant.account_id, "B")
        at_a = create(tenant.admin, name="at A", location=site_a)
        on_floor = create(tenant.admin, name="on floor", location=floor)
        at_b = create(tenant.admin, name="at B", location=site_b)
        nowhere = create(tenant.admin, name="nowhere")
        tech = tenant.as_role("TECH", location_based=True)
        ok(tenant.admin.put(f"/users/{tech.user_id}/locations", json={"locationIds": [site_a]}))
        assert set(ids(ok(tech.get("/assets")))) == {at_a["id"], on_floor["id"]}
        for hidden in (at_b, nowhere):
            assert error(tech.get(f"/assets/{hidden['id']}"), 404) == "asset not found"
            assert error(tech.patch(f"/assets/{hidden['id']}", json={"name": "x"}), 404) == "asset not found"
        # A child at a hidden place stays an id when the parent is expanded.
        child = create(tenant.admin, name="child", location=site_a, parentAsset=at_b["id"])
        got = ok(tech.get(f"/assets/{child['id']}", params={"includes": "parentAsset"}))
        assert got["parentAsset"] == at_b["id"]


# ------------------------------------------------------------------------------------------ get


class TestGet:
    def test_detail_and_includes(self, tenant: Tenant, db: Database) -> None:
        admin = tenant.admin
        parent = create(admin, name="Parent")
        child = create(admin, name="Child", parentAsset=parent["id"])
        tech = tenant.as_role("TECH")
        team = make_team(db, tenant.account_id)
        ok(admin.post(f"/assets/{parent['id']}/users/{tech.user_id}"))
        ok(admin.post(f"/assets/{parent['id']}/teams/{team}"))
        got = ok(admin.get(f"/assets/{parent['id']}"))
        assert got["subAssets"] == [child["id"]]
        assert got["assignedUsers"] == [tech.user_id] and got["assignedTeams"] == [team]
        assert got["assignedCustomers"] == [] and got["assignedVendors"] == []
        got = ok(admin.get(f"/assets/{parent['id']}", params={"includes": "subAssets,assignedUsers,parts,formItems"}))
        assert got["subAssets"][0]["id"] == child["id"] and got["subAssets"][0]["parentAsset"] == parent["id"]
        assert got["assignedUsers"][0]["email"] == tech.email
        assert got["parts"] == [] and got["formItems"] == []

    def test_not_found(self, tenant: Tenant, other_tenant: Tenant) -> None:
        theirs = create(other_tenant.admin)
        assert error(tenant.admin.get("/assets/missing123"), 404) == "asset not found"
        assert error(tenant.admin.get(f"/assets/{theirs['id']}"), 404) == "asset not found"

    def test_bad_query(self, tenant: Tenant) -> None:
        asset = create(tenant.admin)
        assert error(tenant.admin.get(f"/assets/{asset['id']}", params={"includes": "nope"})) == (
            "invalid includes value: nope"
        )
        assert error(tenant.admin.get(f"/assets/{asset['id']}", params={"name": "x"})) == "invalid filter key: name"


# ------------------------------------------------------------------------------------------ update


class TestUpdate:
    def test_documented_update(self, tenant: Tenant, db: Database) -> None:
        admin = tenant.admin
        text_field = define(admin, "Custom text field", "singleLineText")
        number_field = define(admin, "Weight", "number", decimalPrecision=0)
        vendor = make_contact(db, tenant.account_id, vendor=True)
        parent = create(admin, name="Parent")
        image, f1, f2 = (make_file(db, tenant.account_id) for _ in range(3))
        asset = create(
            admin,
            description="old",
            files=[f1],
            customFields=[{"id": number_field, "fieldValue": {"numberValue": 5}}],
            customFieldsAsset=[{"name": "width", "value": "10", "unit": "cm"}],
        )
        body = {
            "name": "The Amazing Power Generator",
            "purchaseDate": "2022-06-21T00:08:00Z",
            "residualValue": 3500,
            "usefulLife": {"quantity": 60, "units": "months"},
            "customFields": [{"id": text_field, "fieldValue": {"singleLineTextValue": "Custom info"}}],
            "manufacturerVendor": vendor,
            "parentAsset": parent["id"],
            "image": image,
            "files": [f2, f1],
            "description": None,
        }
        result = ok(admin.patch(f"/assets/{asset['id']}", json=body))
        assert result["name"] == "The Amazing Power Generator"
        assert result["purchaseDate"] == "2022-06-21T00:08:00.000Z"
        assert result["residualValue"] == 3500 and result["usefulLife"] == {"quantity": 60, "units": "months"}
        assert result["manufacturerVendor"] == vendor and result["parentAsset"] == parent["id"]
        assert file_id_of(result["image"]) == image and result["files"] == [f2, f1]
        assert result["description"] is None
        values = {f["id"]: f["fieldValue"] for f in result["customFields"]}
        assert values[text_field]["singleLineTextValue"] == "Custom info"
        assert values[number_field]["numberValue"] == 5  # untouched
        assert [f["name"] for f in result["customFieldsAsset"]] == ["width"]
        assert events_of(db, tenant.account_id, asset["id"]) == ["ASSET_CREATED", "ASSET_UPDATED"]

    def test_clearing_values(self, tenant: Tenant) -> None:
        admin = tenant.admin
        field = define(admin, "Weight", "number", decimalPrecision=0)
        asset = create(
            admin,
            usefulLife={"quantity": 1, "units": "days"},
            customFields=[{"id": field, "fieldValue": {"numberValue": 5}}],
        )
        result = ok(
            admin.patch(
                f"/assets/{asset['id']}",
                json={
                    "usefulLife": None,
                    "files": None,
                    "customFields": [{"id": field, "fieldValue": {"numberValue": None}}],
                },
            )
        )
        assert result["usefulLife"] is None and result["files"] == []
        [custom] = result["customFields"]
        assert custom["fieldValue"]["numberValue"] is None

    def test_older_custom_fields_update_by_id_or_name(self, tenant: Tenant) -> None:
        asset = create(tenant.admin, customFieldsAsset=[{"name": "width", "value": "10", "unit": "cm"}])
        [field] = asset["customFieldsAsset"]
        result = ok(
            tenant.admin.patch(
                f"/assets/{asset['id']}",
                json={
                    "customFieldsAsset": [
                        {"id": field["id"], "value": "12"},
                        {"name": "height", "value": "3"},
                        {"name": "width", "unit": "mm"},
                    ]
                },
            )
        )
        fields = {f["name"]: f for f in result["customFieldsAsset"]}
        assert fields["width"]["id"] == field["id"] and fields["width"]["value"] == "12"
        assert fields["width"]["unit"] == "mm" and fields["height"]["value"] == "3"
        assert (
            error(tenant.admin.patch(f"/assets/{asset['id']}", json={"customFieldsAsset": [{"id": "missing123"}]}))
            == "customFieldsAsset[0].id missing123 not found"
        )

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"name": None}, "name cannot be null"),
            ({"name": ""}, "name cannot be null"),
            ({"status": "broken"}, "status must be one of active, inactive"),
            ({"category": "Nope"}, "category Nope is not one of the account's asset categories"),
            ({"id": "x"}, "id not in schema"),
            ({"downtimeStatus": None}, "downtimeStatus cannot be null"),
        ],
    )
    def test_bad_input(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        asset = create(tenant.admin)
        assert error(tenant.admin.patch(f"/assets/{asset['id']}", json=body)) == message

    def test_no_cycles(self, tenant: Tenant) -> None:
        top = create(tenant.admin, name="top")
        middle = create(tenant.admin, name="middle", parentAsset=top["id"])
        bottom = create(tenant.admin, name="bottom", parentAsset=middle["id"])
        message = "parentAsset cannot be the asset itself or one of its sub-assets"
        assert error(tenant.admin.patch(f"/assets/{top['id']}", json={"parentAsset": bottom["id"]})) == message
        assert error(tenant.admin.patch(f"/assets/{top['id']}", json={"parentAsset": top["id"]})) == message
        assert ok(tenant.admin.patch(f"/assets/{bottom['id']}", json={"parentAsset": None}))["parentAsset"] is None
        assert (
            ok(tenant.admin.patch(f"/assets/{top['id']}", json={"parentAsset": bottom["id"]}))["parentAsset"]
            == (bottom["id"])
        )

    def test_downtime_status_change_is_history(self, tenant: Tenant, db: Database) -> None:
        status = ok(tenant.admin.post("/asset-downtime-statuses", json={"name": "Under Maintenance"}))
        asset = create(tenant.admin)
        result = ok(tenant.admin.patch(f"/assets/{asset['id']}", json={"downtimeStatus": status["id"]}))
        assert result["downtimeStatus"] == status["id"]
        assert ids(ok(tenant.admin.get("/assets", params={"downtimeStatus": status["id"]}))) == [asset["id"]]
        with db.unit_of_work() as session:
            [row] = session.scalars(
                select(AssetDowntime).where(
                    AssetDowntime.account_id == tenant.account_id, AssetDowntime.asset_id == asset["id"]
                )
            )
            assert row.status == "not-available" and row.status_category_id == status["id"]

    def test_roles_and_accounts(self, tenant: Tenant, other_tenant: Tenant) -> None:
        asset = create(tenant.admin)
        assert ok(tenant.as_role("TECH").patch(f"/assets/{asset['id']}", json={"name": "y"}))["name"] == "y"
        for role in ("LIMITED_TECH", "VIEW_ONLY", "REQUESTER"):
            assert error(tenant.as_role(role).patch(f"/assets/{asset['id']}", json={"name": "x"}), 403)
        assert error(other_tenant.admin.patch(f"/assets/{asset['id']}", json={"name": "x"}), 404) == "asset not found"


# ------------------------------------------------------------------------------------------ delete


class TestDelete:
    def test_delete(self, tenant: Tenant, db: Database) -> None:
        parent = create(tenant.admin, name="parent")
        child = create(tenant.admin, name="child", parentAsset=parent["id"])
        assert tenant.admin.delete(f"/assets/{parent['id']}").json() == {"success": True, "message": "1 asset deleted"}
        assert error(tenant.admin.get(f"/assets/{parent['id']}"), 404) == "asset not found"
        assert error(tenant.admin.delete(f"/assets/{parent['id']}"), 404) == "asset not found"
        assert ok(tenant.admin.get(f"/assets/{child['id']}"))["parentAsset"] is None
        assert ids(ok(tenant.admin.get("/assets"))) == [child["id"]]
        assert events_of(db, tenant.account_id, parent["id"])[-1] == "ASSET_DELETED"

    def test_only_admins_delete(self, tenant: Tenant, other_tenant: Tenant) -> None:
        asset = create(tenant.admin)
        assert error(tenant.as_role("TECH").delete(f"/assets/{asset['id']}"), 403) == "TECH users may not delete assets"
        assert error(other_tenant.admin.delete(f"/assets/{asset['id']}"), 404) == "asset not found"


# ------------------------------------------------------------------------------------------ downtime


class TestDowntime:
    def test_documented_example(self, tenant: Tenant) -> None:
        first, second = create(tenant.admin), create(tenant.admin)
        body = [
            {"assetId": first["id"], "status": "available", "recordedOn": "not a date"},
            {"assetId": second["id"], "status": "not-available", "recordedOn": "2023-10-25T23:25:59.999Z"},
        ]
        response = tenant.admin.post("/assets/downtime", json=body)
        assert response.status_code == 200
        payload = response.json()
        assert payload["success"] is False
        failed, recorded = payload["results"]
        assert failed == {
            **body[0],
            "row": 1,
            "errors": [{"message": "Invalid recordedOn date", "slug": "invalid-recorded-on", "value": "not a date"}],
        }
        assert recorded["row"] == 2 and recorded["assetId"] == second["id"]
        assert recorded["statusMessage"] == "Insert new asset activity update"
        assert recorded["statusSlug"] == "insert-asset-activity-update"
        assert re.fullmatch(r"[A-Za-z0-9]{10}", recorded["newAssetActivityUpdateId"])
        assert ok(tenant.admin.get(f"/assets/{second['id']}"))["downtimeStatus"] == "not-available"
        assert ok(tenant.admin.get(f"/assets/{first['id']}"))["downtimeStatus"] == "available"

    def test_custom_category_and_history_order(self, tenant: Tenant) -> None:
        asset = create(tenant.admin)
        status = ok(tenant.admin.post("/asset-downtime-statuses", json={"name": "Under Maintenance"}))
        user = tenant.as_role("TECH")
        body = [
            {
                "assetId": asset["id"],
                "status": "not-available",
                "recordedOn": 1698276359999,
                "statusCategory": status["id"],
                "userId": user.user_id,
            },
            {"assetId": asset["id"], "status": "available", "recordedOn": "2020-01-01T00:00:00Z"},  # older
        ]
        payload = tenant.as_role("LIMITED_TECH").post("/assets/downtime", json=body).json()
        assert payload["success"] is True and len(payload["results"]) == 2
        assert ok(tenant.admin.get(f"/assets/{asset['id']}"))["downtimeStatus"] == status["id"]

    def test_single_object_body(self, tenant: Tenant) -> None:
        asset = create(tenant.admin)
        payload = tenant.admin.post(
            "/assets/downtime", json={"assetId": asset["id"], "status": "not-available", "recordedOn": 1}
        ).json()
        assert payload["success"] is True

    def test_row_errors(self, tenant: Tenant, other_tenant: Tenant) -> None:
        asset = create(tenant.admin)
        theirs = create(other_tenant.admin)
        theirs_status = ok(other_tenant.admin.post("/asset-downtime-statuses", json={"name": "Theirs"}))
        body = [
            {"assetId": theirs["id"], "status": "available", "recordedOn": 1},
            {"status": "available", "recordedOn": 1},
            {"assetId": asset["id"], "status": "broken", "recordedOn": 1},
            {"assetId": asset["id"], "status": "not-available", "recordedOn": 1, "statusCategory": theirs_status["id"]},
            {"assetId": asset["id"], "status": "available", "recordedOn": 1, "userId": other_tenant.admin.user_id},
            {"assetId": asset["id"], "status": "available", "recordedOn": 1, "colour": "red"},
        ]
        payload = tenant.admin.post("/assets/downtime", json=body).json()
        assert payload["success"] is False
        slugs = [[e["slug"] for e in r["errors"]] for r in payload["results"]]
        assert slugs == [
            ["asset-not-found"],
            ["missing-asset-id"],
            ["invalid-status"],
            ["invalid-status-category"],
            ["user-not-found"],
            ["not-in-schema"],
        ]
        assert ok(other_tenant.admin.get(f"/assets/{theirs['id']}"))["downtimeStatus"] == "available"

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (b"[]", "request body must be a non-empty array of downtime events"),
            (b"", "request body must be a non-empty array of downtime events"),
            (b"[1]", "downtime event 1 must be an object"),
            (b"{nope", "request body is not valid JSON"),
            (b'"x"', "request body must be a non-empty array of downtime events"),
            (b'[{"assetId": "a\\u0000b", "status": "available"}]', "assetId must not contain NUL characters"),
        ],
    )
    def test_bad_body(self, tenant: Tenant, content: bytes, message: str) -> None:
        response = tenant.admin.http.post(
            "/api/v2/assets/downtime",
            content=content,
            headers={"Session-Token": tenant.admin.token, "Content-Type": "application/json"},
        )
        assert error(response) == message

    def test_roles(self, tenant: Tenant) -> None:
        asset = create(tenant.admin)
        body = [{"assetId": asset["id"], "status": "available", "recordedOn": 1}]
        for role in ("VIEW_ONLY", "REQUESTER"):
            assert error(tenant.as_role(role).post("/assets/downtime", json=body), 403)


# ------------------------------------------------------------------------------------------ one custom field


class TestSingleCustomField:
    def test_older_field_get_patch_delete(self, tenant: Tenant) -> None:
        asset = create(tenant.admin, customFieldsAsset=[{"name": "width", "value": "10", "unit": "cm"}])
        [field] = asset["customFieldsAsset"]
        path = f"/assets/{asset['id']}/custom-fields/{field['id']}"
        got = ok(tenant.admin.get(path))
        assert got["id"] == field["id"] and got["name"] == "width" and got["value"] == "10" and got["unit"] == "cm"
        assert got["asset"] == asset["id"] and got["user"] == tenant.admin.user_id
        assert ISO.fullmatch(got["createdAt"])
        changed = ok(tenant.admin.patch(path, json={"value": "15"}))
        assert changed["value"] == "15" and changed["unit"] == "cm"
        assert error(tenant.admin.patch(path, json={"name": None})) == "name cannot be null"
        assert error(tenant.admin.patch(path, json={"colour": "red"})) == "colour not in schema"
        assert tenant.admin.delete(path).json() == {"success": True, "message": "1 custom field deleted"}
        assert error(tenant.admin.get(path), 404) == "custom field not found"
        assert ok(tenant.admin.get(f"/assets/{asset['id']}"))["customFieldsAsset"] == []

    def test_typed_field_by_definition_id(self, tenant: Tenant) -> None:
        field = define(tenant.admin, "Weight", "number", decimalPrecision=1)
        asset = create(tenant.admin, customFields=[{"id": field, "fieldValue": {"numberValue": 5}}])
        path = f"/assets/{asset['id']}/custom-fields/{field}"
        got = ok(tenant.admin.get(path))
        assert got["id"] == field and got["name"] == "Weight" and got["value"] == "5" and got["unit"] is None
        assert ok(tenant.admin.patch(path, json={"value": "7.25"}))["value"] == "7.2"
        assert ok(tenant.admin.get(f"/assets/{asset['id']}"))["customFields"][0]["fieldValue"]["numberValue"] == 7.2
        assert error(tenant.admin.patch(path, json={"value": "heavy"})) == "value must be a number"
        assert error(tenant.admin.patch(path, json={"name": "x"})) == (
            "the name of a typed custom field is changed on its definition"
        )
        ok(tenant.admin.delete(path))
        assert ok(tenant.admin.get(f"/assets/{asset['id']}"))["customFields"] == []

    def test_not_found_and_roles(self, tenant: Tenant, other_tenant: Tenant) -> None:
        asset = create(tenant.admin, customFieldsAsset=[{"name": "width", "value": "10"}])
        other = create(tenant.admin)
        field = asset["customFieldsAsset"][0]["id"]
        assert error(tenant.admin.get(f"/assets/{asset['id']}/custom-fields/missing123"), 404) == (
            "custom field not found"
        )
        assert error(tenant.admin.get(f"/assets/{other['id']}/custom-fields/{field}"), 404) == "custom field not found"
        assert error(tenant.admin.get(f"/assets/missing123/custom-fields/{field}"), 404) == "asset not found"
        assert error(other_tenant.admin.get(f"/assets/{asset['id']}/custom-fields/{field}"), 404) == "asset not found"
        viewer = tenant.as_role("VIEW_ONLY")
        assert ok(viewer.get(f"/assets/{asset['id']}/custom-fields/{field}"))["value"] == "10"
        assert error(viewer.patch(f"/assets/{asset['id']}/custom-fields/{field}", json={"value": "1"}), 403)
        assert error(viewer.delete(f"/assets/{asset['id']}/custom-fields/{field}"), 403)


# ------------------------------------------------------------------------------------------ assignments


class TestAssignments:
    @pytest.mark.parametrize(
        ("segment", "kind"), [("users", "user"), ("teams", "team"), ("customers", "customer"), ("vendors", "vendor")]
    )
    def test_assign_and_remove(self, tenant: Tenant, db: Database, segment: str, kind: str) -> None:
        asset = create(tenant.admin)
        member = {
            "user": lambda: tenant.as_role("TECH").user_id,
            "team": lambda: make_team(db, tenant.account_id),
            "customer": lambda: make_contact(db, tenant.account_id, customer=True),
            "vendor": lambda: make_contact(db, tenant.account_id, vendor=True),
        }[kind]()
        path = f"/assets/{asset['id']}/{segment}/{member}"
        assert tenant.admin.post(path).json() == {
            "success": True,
            "message": f"{kind} {member} assigned to asset {asset['id']}",
        }
        ok(tenant.admin.post(path))  # idempotent
        field = "assigned" + segment.title()
        assert ok(tenant.admin.get(f"/assets/{asset['id']}"))[field] == [member]
        assert tenant.admin.delete(path).json() == {
            "success": True,
            "message": f"{kind} {member} removed from asset {asset['id']}",
        }
        assert ok(tenant.admin.get(f"/assets/{asset['id']}"))[field] == []
        ok(tenant.admin.delete(path))  # removing again is a no-op

    def test_unknown_members(self, tenant: Tenant, other_tenant: Tenant, db: Database) -> None:
        asset = create(tenant.admin)
        vendor = make_contact(db, tenant.account_id, vendor=True)
        base = f"/assets/{asset['id']}"
        assert error(tenant.admin.post(f"{base}/users/{other_tenant.admin.user_id}"), 404) == "user not found"
        assert error(tenant.admin.post(f"{base}/teams/missing123"), 404) == "team not found"
        assert error(tenant.admin.post(f"{base}/customers/{vendor}"), 404) == "customer not found"
        assert error(tenant.admin.delete(f"{base}/vendors/missing123"), 404) == "vendor not found"
        assert error(tenant.admin.post(f"/assets/missing123/users/{tenant.admin.user_id}"), 404) == "asset not found"
        assert error(other_tenant.admin.post(f"{base}/users/{other_tenant.admin.user_id}"), 404) == "asset not found"

    def test_roles(self, tenant: Tenant) -> None:
        asset = create(tenant.admin)
        tech = tenant.as_role("TECH")
        ok(tech.post(f"/assets/{asset['id']}/users/{tech.user_id}"))
        for role in ("LIMITED_TECH", "VIEW_ONLY", "REQUESTER"):
            assert error(tenant.as_role(role).post(f"/assets/{asset['id']}/users/{tech.user_id}"), 403)
