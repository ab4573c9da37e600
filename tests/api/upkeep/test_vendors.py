from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import pytest
from sqlalchemy import select

from premises.api.upkeep.expanders import EXPANDERS
from premises.db.engine import Database
from premises.db.reader import open_reader
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import Contact, CustomFieldValue, Event
from tests.support.client import Tenant, UpKeep

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
DOCUMENTED = {
    "businessName": "AVC Inc.",
    "email": "user@onupkeep.com",
    "phoneNumber": "800-123-4567",
    "description": "A1 sevices manager",
    "businessAddress": "421 E Drachman, Hudson Street",
    "website": "www.aoneserv.com",
    "type": "Raw-Material",
    "mainPointOfContact": "Mark Boucher",
}
ORDER_FIELDS = "createdAt, updatedAt"
KEYS = {*DOCUMENTED, "id", "customFieldsVendor", "createdAt", "updatedAt"}


def pause() -> None:
    """Keep creation instants distinct so that createdAt ordering is unambiguous."""
    time.sleep(0.003)


def create(client: UpKeep, **fields: Any) -> dict[str, Any]:
    response = client.post("/vendors", json={"businessName": "AVC Inc.", **fields})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def listed(client: UpKeep, path: str, params: dict[str, Any] | None = None) -> list[str]:
    """The ids a list endpoint returns."""
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return [r["id"] for r in response.json()["results"]]


def events_of(db: Database, account_id: str, resource_id: str) -> list[str]:
    with db.unit_of_work() as session:
        rows = session.scalars(
            select(Event.type)
            .where(Event.account_id == account_id, Event.resource_id == resource_id)
            .order_by(Event.id)
        )
        return list(rows)


class TestCreate:
    def test_documented_form_body(self, tenant: Tenant, db: Database) -> None:
        response = tenant.admin.post("/vendors/", data=DOCUMENTED)
        assert response.status_code == 200, response.text
        result = response.json()["result"]
        assert set(result) == KEYS
        assert re.fullmatch(r"[A-Za-z0-9]{10}", result["id"])
        assert {k: result[k] for k in DOCUMENTED} == DOCUMENTED
        assert result["customFieldsVendor"] == []
        assert ISO.fullmatch(result["createdAt"]) and result["createdAt"] == result["updatedAt"]
        assert events_of(db, tenant.account_id, result["id"]) == ["VENDOR_CREATED"]
        with db.unit_of_work() as session:
            contact = session.get(Contact, (tenant.account_id, result["id"]))
            assert contact is not None
            assert contact.is_vendor and not contact.is_customer
            assert contact.kind == "organisation"
            assert contact.name == "AVC Inc." and contact.address == "421 E Drachman, Hudson Street"
            assert contact.vendor_type == "Raw-Material" and contact.customer_type is None

    def test_json_body_with_only_the_business_name(self, tenant: Tenant) -> None:
        result = tenant.admin.post("/vendors", json={"businessName": "Doc Inc"}).json()["result"]
        assert result["businessName"] == "Doc Inc"
        assert all(result[k] is None for k in DOCUMENTED if k != "businessName")

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({}, "businessName cannot be null"),
            ({"businessName": None}, "businessName cannot be null"),
            ({"businessName": "  "}, "businessName cannot be null"),
            ({"name": "AVC"}, "name not in schema"),
            ({"businessName": "A", "address": "x"}, "address not in schema"),
            ({"businessName": "A", "billingName": "x"}, "billingName not in schema"),
            ({"businessName": "A", "email": "@x"}, "email is not a valid email address"),
            ({"businessName": "A" * 301}, "businessName is too long"),
            ({"businessName": "A", "type": True}, "type must be a string"),
        ],
    )
    def test_bad_input_is_400(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        response = tenant.admin.post("/vendors", json=body)
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": message}


class TestRead:
    def test_get_and_list_return_the_created_object(self, tenant: Tenant) -> None:
        created = tenant.admin.post("/vendors", data=DOCUMENTED).json()["result"]
        assert tenant.admin.get(f"/vendors/{created['id']}").json() == {"success": True, "result": created}
        assert tenant.admin.get("/vendors/").json() == {"success": True, "results": [created]}

    def test_customers_are_not_vendors(self, tenant: Tenant) -> None:
        customer = tenant.admin.post("/customers", json={"name": "Mark"}).json()["result"]
        vendor = create(tenant.admin)
        assert [r["id"] for r in tenant.admin.get("/vendors").json()["results"]] == [vendor["id"]]
        assert [r["id"] for r in tenant.admin.get("/customers").json()["results"]] == [customer["id"]]

    def test_custom_fields_are_rendered(self, tenant: Tenant, db: Database) -> None:
        created = create(tenant.admin)
        with db.unit_of_work() as session:
            now = now_ms()
            session.add(
                CustomFieldValue(
                    account_id=tenant.account_id,
                    id=new_id(),
                    owner_type="contact",
                    owner_id=created["id"],
                    name="Title",
                    value="Manager",
                    created_at=now,
                    updated_at=now,
                )
            )
        [field] = tenant.admin.get(f"/vendors/{created['id']}").json()["result"]["customFieldsVendor"]
        assert field["name"] == "Title" and field["value"] == "Manager" and field["vendor"] == created["id"]
        assert ISO.fullmatch(field["createdAt"])

    def test_business_name_filter_order_and_paging(self, tenant: Tenant) -> None:
        a = create(tenant.admin, businessName="Alpha")
        pause()
        b = create(tenant.admin, businessName="Beta")
        pause()
        c = create(tenant.admin, businessName="Alpha")
        assert listed(tenant.admin, "/vendors", {}) == [c["id"], b["id"], a["id"]]
        assert listed(tenant.admin, "/vendors", {"orderBy": "createdAt ASC"}) == [a["id"], b["id"], c["id"]]
        assert listed(tenant.admin, "/vendors", {"businessName": "Alpha"}) == [c["id"], a["id"]]
        assert listed(tenant.admin, "/vendors", {"businessName": "Gamma"}) == []
        assert listed(tenant.admin, "/vendors", {"offset": 2}) == [a["id"]]
        assert listed(tenant.admin, "/vendors", {"updatedAtGreaterThan": "9999999999999"}) == []

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"name": "AVC"}, "invalid filter key: name"),
            (
                {"orderBy": "businessName ASC"},
                "orderBy must be 'field ASC|DESC' with field one of createdAt, updatedAt",
            ),
        ],
    )
    def test_bad_list_parameters_are_400(self, tenant: Tenant, params: dict[str, str], message: str) -> None:
        response = tenant.admin.get("/vendors", params=params)
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": message}

    def test_unknown_foreign_and_customer_ids_are_404(self, tenant: Tenant, other_tenant: Tenant) -> None:
        foreign = create(other_tenant.admin)
        customer = tenant.admin.post("/customers", json={"name": "Mark"}).json()["result"]
        for vendor_id in ("doesNotExist", foreign["id"], customer["id"]):
            response = tenant.admin.get(f"/vendors/{vendor_id}")
            assert response.status_code == 404
            assert response.json() == {"success": False, "message": "vendor not found"}


class TestUpdate:
    def test_documented_update(self, tenant: Tenant, db: Database) -> None:
        created = tenant.admin.post("/vendors", data=DOCUMENTED).json()["result"]
        response = tenant.admin.patch(f"/vendors/{created['id']}/", data={"businessName": "Doc Inc."})
        assert response.status_code == 200, response.text
        result = response.json()["result"]
        assert result == {**created, "businessName": "Doc Inc.", "updatedAt": result["updatedAt"]}
        assert tenant.admin.get(f"/vendors/{created['id']}").json()["result"] == result
        assert events_of(db, tenant.account_id, created["id"]) == ["VENDOR_CREATED", "VENDOR_UPDATED"]

    def test_null_erases_optional_fields(self, tenant: Tenant) -> None:
        created = tenant.admin.post("/vendors", data=DOCUMENTED).json()["result"]
        result = tenant.admin.patch(
            f"/vendors/{created['id']}", json={"businessAddress": None, "mainPointOfContact": "Doc Brown"}
        ).json()["result"]
        assert result["businessAddress"] is None and result["mainPointOfContact"] == "Doc Brown"
        assert result["email"] == "user@onupkeep.com"

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"businessName": None}, "businessName cannot be null"),
            ({"businessName": ""}, "businessName cannot be null"),
            ({"name": "x"}, "name not in schema"),
            ({"website": ["a"]}, "website must be a string"),
        ],
    )
    def test_bad_input_is_400(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        created = create(tenant.admin)
        response = tenant.admin.patch(f"/vendors/{created['id']}", json=body)
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": message}

    def test_unknown_foreign_and_customer_ids_are_404(self, tenant: Tenant, other_tenant: Tenant) -> None:
        foreign = create(other_tenant.admin)
        customer = tenant.admin.post("/customers", json={"name": "Mark"}).json()["result"]
        for vendor_id in ("doesNotExist", foreign["id"], customer["id"]):
            response = tenant.admin.patch(f"/vendors/{vendor_id}", json={"businessName": "Hijack"})
            assert response.status_code == 404
            assert response.json() == {"success": False, "message": "vendor not found"}
        assert other_tenant.admin.get(f"/vendors/{foreign['id']}").json()["result"]["businessName"] == "AVC Inc."


class TestPermissions:
    @pytest.mark.parametrize("role", ["TECH", "LIMITED_TECH", "VIEW_ONLY"])
    def test_staff_roles_read(self, tenant: Tenant, role: str) -> None:
        created = create(tenant.admin)
        client = tenant.as_role(role)
        assert [r["id"] for r in client.get("/vendors").json()["results"]] == [created["id"]]
        assert client.get(f"/vendors/{created['id']}").status_code == 200

    def test_tech_creates_and_updates(self, tenant: Tenant) -> None:
        tech = tenant.as_role("TECH")
        created = create(tech)
        assert tech.patch(f"/vendors/{created['id']}", json={"businessName": "Doc"}).status_code == 200

    @pytest.mark.parametrize("role", ["LIMITED_TECH", "VIEW_ONLY", "REQUESTER"])
    def test_other_roles_may_not_write(self, tenant: Tenant, role: str) -> None:
        created = create(tenant.admin)
        client = tenant.as_role(role)
        assert client.post("/vendors", json={"businessName": "X"}).status_code == 403
        assert client.patch(f"/vendors/{created['id']}", json={"businessName": "X"}).status_code == 403

    def test_requester_may_not_read(self, tenant: Tenant) -> None:
        created = create(tenant.admin)
        requester = tenant.as_role("REQUESTER")
        assert requester.get("/vendors").status_code == 403
        assert requester.get(f"/vendors/{created['id']}").status_code == 403

    def test_location_based_users_see_every_vendor(self, tenant: Tenant) -> None:
        created = create(tenant.admin)
        tech = tenant.as_role("TECH", location_based=True)
        assert [r["id"] for r in tech.get("/vendors").json()["results"]] == [created["id"]]


class TestExpander:
    def test_vendor_expander_returns_wire_objects_of_vendors_only(
        self, tenant: Tenant, other_tenant: Tenant, database_url: str
    ) -> None:
        vendor = create(tenant.admin)
        customer = tenant.admin.post("/customers", json={"name": "Mark"}).json()["result"]
        foreign = create(other_tenant.admin)
        ids = {vendor["id"], customer["id"], foreign["id"]}

        async def run(role: Role) -> Any:
            reader = await open_reader(database_url)
            try:
                principal = Principal(tenant.account_id, tenant.admin.user_id, role)
                return await EXPANDERS["vendor"](reader, principal, ids)
            finally:
                await reader.close()

        assert asyncio.run(run(Role.VIEW_ONLY)) == {vendor["id"]: vendor}
        assert asyncio.run(run(Role.REQUESTER)) == {}
