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
    "name": "Mark Boucher",
    "email": "user@onupkeep.com",
    "phoneNumber": "800-123-4567",
    "description": "A1 sevices manager",
    "address": "421 E Drachman, Hudson Street",
    "website": "www.aoneserv.com",
    "type": "Daily-User",
    "billingName": "Mark Boucher Sr",
    "billingAddressLine1": "345 B",
    "billingAddressLine2": "Jackson Street",
    "billingAddressLine3": "CA",
}
KEYS = {*DOCUMENTED, "id", "customFieldsCustomer", "createdAt", "updatedAt"}


def pause() -> None:
    """Keep creation instants distinct so that createdAt ordering is unambiguous."""
    time.sleep(0.003)


def create(client: UpKeep, **fields: Any) -> dict[str, Any]:
    response = client.post("/customers", json={"name": "Mark Boucher", **fields})
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
        response = tenant.admin.post("/customers/", data=DOCUMENTED)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["success"] is True
        result = body["result"]
        assert set(result) == KEYS
        assert re.fullmatch(r"[A-Za-z0-9]{10}", result["id"])
        assert {k: result[k] for k in DOCUMENTED} == DOCUMENTED
        assert result["customFieldsCustomer"] == []
        assert ISO.fullmatch(result["createdAt"]) and result["createdAt"] == result["updatedAt"]
        assert events_of(db, tenant.account_id, result["id"]) == ["CUSTOMER_CREATED"]
        with db.unit_of_work() as session:
            contact = session.get(Contact, (tenant.account_id, result["id"]))
            assert contact is not None
            assert contact.is_customer and not contact.is_vendor
            assert contact.kind == "person" and contact.record_no >= 1
            assert contact.created_by_user_id == tenant.admin.user_id

    def test_json_body_with_only_the_name(self, tenant: Tenant) -> None:
        result = tenant.admin.post("/customers", json={"name": "Rob"}).json()["result"]
        assert result["name"] == "Rob"
        assert all(result[k] is None for k in DOCUMENTED if k != "name")

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({}, "name cannot be null"),
            ({"name": None}, "name cannot be null"),
            ({"name": ""}, "name cannot be null"),
            ({"name": "   "}, "name cannot be null"),
            ({"name": "A", "colour": "red"}, "colour not in schema"),
            ({"name": "A", "businessName": "B"}, "businessName not in schema"),
            ({"name": "A", "email": "not-an-email"}, "email is not a valid email address"),
            ({"name": "A", "website": "x" * 501}, "website is too long"),
            ({"name": ["A", "B"]}, "name must be a string"),
            ({"name": "Mark\x00"}, "name must not contain NUL characters"),
        ],
    )
    def test_bad_input_is_400(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        response = tenant.admin.post("/customers", json=body)
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": message}

    def test_record_numbers_are_shared_by_contacts_and_increase(self, tenant: Tenant, db: Database) -> None:
        first = create(tenant.admin)
        second = tenant.admin.post("/vendors", json={"businessName": "AVC Inc."}).json()["result"]
        with db.unit_of_work() as session:
            rows = session.scalars(
                select(Contact).where(Contact.account_id == tenant.account_id).order_by(Contact.record_no)
            ).all()
            assert [c.id for c in rows] == [first["id"], second["id"]]


class TestRead:
    def test_get_and_list_return_the_created_object(self, tenant: Tenant) -> None:
        created = create(tenant.admin, **{k: v for k, v in DOCUMENTED.items() if k != "name"})
        fetched = tenant.admin.get(f"/customers/{created['id']}").json()
        assert fetched == {"success": True, "result": created}
        listed = tenant.admin.get("/customers/").json()
        assert listed == {"success": True, "results": [created]}

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
        [field] = tenant.admin.get(f"/customers/{created['id']}").json()["result"]["customFieldsCustomer"]
        assert field["name"] == "Title" and field["value"] == "Manager" and field["customer"] == created["id"]
        assert set(field) == {
            "id",
            "name",
            "value",
            "createdByUser",
            "updatedByUser",
            "customer",
            "createdAt",
            "updatedAt",
        }
        [listed] = tenant.admin.get("/customers").json()["results"]
        assert listed["customFieldsCustomer"] == [field]

    def test_name_filter_order_and_paging(self, tenant: Tenant) -> None:
        a = create(tenant.admin, name="Alpha")
        pause()
        b = create(tenant.admin, name="Beta")
        pause()
        c = create(tenant.admin, name="Alpha")
        assert listed(tenant.admin, "/customers") == [c["id"], b["id"], a["id"]]
        assert listed(tenant.admin, "/customers", {"orderBy": "createdAt ASC"}) == [a["id"], b["id"], c["id"]]
        assert listed(tenant.admin, "/customers", {"name": "Alpha"}) == [c["id"], a["id"]]
        assert listed(tenant.admin, "/customers", {"limit": 1, "offset": 1}) == [b["id"]]

    def test_range_filters(self, tenant: Tenant, db: Database) -> None:
        old = create(tenant.admin, name="Old")
        new = create(tenant.admin, name="New")
        with db.unit_of_work() as session:
            contact = session.get(Contact, (tenant.account_id, old["id"]))
            assert contact is not None
            contact.created_at = 1598983706000
            contact.updated_at = 1598983706000
        assert listed(tenant.admin, "/customers", {"createdAtGreaterThan": "1598983706000"}) == [new["id"]]
        assert listed(tenant.admin, "/customers", {"createdAtGreaterThanOrEqualTo": "1598983706000"}) == [
            new["id"],
            old["id"],
        ]
        assert listed(tenant.admin, "/customers", {"createdAtLessThanOrEqualTo": "1598983706000"}) == [old["id"]]
        assert listed(tenant.admin, "/customers", {"updatedAtLessThan": "1598983706000"}) == []
        assert listed(tenant.admin, "/customers", {"updatedAtGreaterThan": "1598983706000", "name": "New"}) == [
            new["id"]
        ]

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"colour": "red"}, "invalid filter key: colour"),
            ({"businessName": "AVC"}, "invalid filter key: businessName"),
            ({"limit": "-1"}, "limit must be between 1 and 5000"),
            (
                {"createdAtGreaterThan": "yesterday"},
                "createdAtGreaterThan must be a date (epoch milliseconds or ISO 8601)",
            ),
        ],
    )
    def test_bad_list_parameters_are_400(self, tenant: Tenant, params: dict[str, str], message: str) -> None:
        response = tenant.admin.get("/customers", params=params)
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": message}

    def test_unknown_and_foreign_ids_are_404(self, tenant: Tenant, other_tenant: Tenant) -> None:
        foreign = create(other_tenant.admin)
        vendor = tenant.admin.post("/vendors", json={"businessName": "AVC Inc."}).json()["result"]
        for customer_id in ("doesNotExist", foreign["id"], vendor["id"]):
            response = tenant.admin.get(f"/customers/{customer_id}")
            assert response.status_code == 404
            assert response.json() == {"success": False, "message": "customer not found"}
        assert tenant.admin.get("/customers").json()["results"] == []

    def test_nul_in_id_or_filter_is_4xx(self, tenant: Tenant) -> None:
        assert tenant.admin.get("/customers/a%00b").status_code == 404
        assert tenant.admin.patch("/customer/a%00b", json={"name": "X"}).status_code == 404
        assert tenant.admin.get("/customers", params={"name": "a\x00"}).status_code == 400
        response = tenant.admin.get("/customers", params={"offset": "0\x00"})
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": "query parameters must not contain NUL characters"}

    def test_get_rejects_query_parameters(self, tenant: Tenant) -> None:
        created = create(tenant.admin)
        response = tenant.admin.get(f"/customers/{created['id']}", params={"x": "1"})
        assert response.status_code == 400


class TestUpdate:
    @pytest.mark.parametrize("path", ["/customers/{id}", "/customer/{id}", "/customer/{id}/"])
    def test_documented_update_on_both_spellings(self, tenant: Tenant, db: Database, path: str) -> None:
        created = tenant.admin.post("/customers", data=DOCUMENTED).json()["result"]
        response = tenant.admin.patch(path.format(id=created["id"]), data={"name": "Rob"})
        assert response.status_code == 200, response.text
        result = response.json()["result"]
        assert result == {**created, "name": "Rob", "updatedAt": result["updatedAt"]}
        assert result["updatedAt"] >= created["updatedAt"]
        assert tenant.admin.get(f"/customers/{created['id']}").json()["result"] == result
        assert events_of(db, tenant.account_id, created["id"]) == ["CUSTOMER_CREATED", "CUSTOMER_UPDATED"]

    def test_null_erases_optional_fields(self, tenant: Tenant) -> None:
        created = tenant.admin.post("/customers", data=DOCUMENTED).json()["result"]
        result = tenant.admin.patch(
            f"/customers/{created['id']}", json={"email": None, "billingAddressLine3": None, "type": "Weekly"}
        ).json()["result"]
        assert result["email"] is None and result["billingAddressLine3"] is None
        assert result["type"] == "Weekly" and result["billingAddressLine1"] == "345 B"

    def test_empty_body_changes_nothing(self, tenant: Tenant) -> None:
        created = create(tenant.admin)
        result = tenant.admin.patch(f"/customers/{created['id']}", json={}).json()["result"]
        assert result["name"] == created["name"]

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"name": None}, "name cannot be null"),
            ({"name": " "}, "name cannot be null"),
            ({"id": "x"}, "id not in schema"),
            ({"email": "nope"}, "email is not a valid email address"),
            ({"phoneNumber": {"a": 1}}, "phoneNumber must be a string"),
        ],
    )
    def test_bad_input_is_400(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        created = create(tenant.admin)
        response = tenant.admin.patch(f"/customers/{created['id']}", json=body)
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": message}

    def test_foreign_unknown_and_vendor_ids_are_404(self, tenant: Tenant, other_tenant: Tenant) -> None:
        foreign = create(other_tenant.admin)
        vendor = tenant.admin.post("/vendors", json={"businessName": "AVC Inc."}).json()["result"]
        for customer_id in ("doesNotExist", foreign["id"], vendor["id"]):
            response = tenant.admin.patch(f"/customers/{customer_id}", json={"name": "Hijack"})
            assert response.status_code == 404
            assert response.json() == {"success": False, "message": "customer not found"}
        assert other_tenant.admin.get(f"/customers/{foreign['id']}").json()["result"]["name"] == "Mark Boucher"


class TestPermissions:
    @pytest.mark.parametrize("role", ["TECH", "LIMITED_TECH", "VIEW_ONLY"])
    def test_staff_roles_read(self, tenant: Tenant, role: str) -> None:
        created = create(tenant.admin)
        client = tenant.as_role(role)
        assert [r["id"] for r in client.get("/customers").json()["results"]] == [created["id"]]
        assert client.get(f"/customers/{created['id']}").status_code == 200

    def test_tech_creates_and_updates(self, tenant: Tenant) -> None:
        tech = tenant.as_role("TECH")
        created = create(tech)
        assert tech.patch(f"/customers/{created['id']}", json={"name": "Rob"}).status_code == 200

    @pytest.mark.parametrize("role", ["LIMITED_TECH", "VIEW_ONLY", "REQUESTER"])
    def test_other_roles_may_not_write(self, tenant: Tenant, role: str) -> None:
        created = create(tenant.admin)
        client = tenant.as_role(role)
        response = client.post("/customers", json={"name": "X"})
        assert response.status_code == 403 and response.json()["success"] is False
        assert client.patch(f"/customers/{created['id']}", json={"name": "X"}).status_code == 403
        assert client.patch(f"/customer/{created['id']}", json={"name": "X"}).status_code == 403

    def test_requester_may_not_read(self, tenant: Tenant) -> None:
        created = create(tenant.admin)
        requester = tenant.as_role("REQUESTER")
        assert requester.get("/customers").status_code == 403
        assert requester.get(f"/customers/{created['id']}").status_code == 403

    def test_location_based_users_see_every_customer(self, tenant: Tenant) -> None:
        """Local choice: customers belong to the account, not to a place, so location access does not narrow them."""
        created = create(tenant.admin)
        tech = tenant.as_role("TECH", location_based=True)
        assert [r["id"] for r in tech.get("/customers").json()["results"]] == [created["id"]]
        assert tech.get(f"/customers/{created['id']}").status_code == 200

    def test_missing_token_is_401(self, tenant: Tenant) -> None:
        response = tenant.http.get("/api/v2/customers")
        assert response.status_code == 401


class TestExpander:
    def test_customer_expander_returns_wire_objects_of_customers_only(
        self, tenant: Tenant, other_tenant: Tenant, database_url: str
    ) -> None:
        customer = create(tenant.admin)
        vendor = tenant.admin.post("/vendors", json={"businessName": "AVC Inc."}).json()["result"]
        foreign = create(other_tenant.admin)
        ids = {customer["id"], vendor["id"], foreign["id"], "doesNotExist"}

        async def run(role: Role) -> Any:
            reader = await open_reader(database_url)
            try:
                principal = Principal(tenant.account_id, tenant.admin.user_id, role)
                return await EXPANDERS["customer"](reader, principal, ids)
            finally:
                await reader.close()

        assert asyncio.run(run(Role.ADMIN)) == {customer["id"]: customer}
        assert asyncio.run(run(Role.REQUESTER)) == {}
