"""/v1/contacts: every contact of the account (customers, vendors, residents), its roles as ``types``."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import Role
from tests.api.v1.test_residents import make_unit
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, error_details, site_client

KEYS = {
    "id",
    "kind",
    "types",
    "name",
    "first",
    "last",
    "email",
    "phone",
    "address",
    "description",
    "createdAt",
    "updatedAt",
}


def test_every_contact_with_its_roles(admin: V1, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux Apartments")
    unit = make_unit(db, tenant.account_id, site, "12A")
    customer = tenant.admin.post("/customers", json={"name": "Mark Boucher"}).json()["result"]["id"]
    vendor = tenant.admin.post("/vendors", json={"businessName": "AVC Inc."}).json()["result"]["id"]
    resident = admin.post(
        "/residents",
        json={
            "site": site,
            "unit": unit,
            "first": "John",
            "last": "Doe",
            "type": "tenant",
            "email": "john@example.com",
        },
    ).json()["id"]
    page = admin.get("/contacts", params={"sort": "name"}).json()
    assert page["count"] == 3
    assert [(c["name"], c["types"], c["kind"]) for c in page["items"]] == [
        ("AVC Inc.", ["vendor"], "organisation"),
        ("John Doe", ["customer", "resident"], "person"),
        ("Mark Boucher", ["customer"], "person"),
    ]
    one = admin.get(f"/contacts/{resident}").json()
    assert set(one) == KEYS
    assert (one["first"], one["last"], one["email"]) == ("John", "Doe", "john@example.com")

    def ids(params: object) -> set[str]:
        return {c["id"] for c in admin.get("/contacts", params=params).json()["items"]}

    assert ids({"type": "customer"}) == {customer, resident}
    assert ids({"type": "vendor,resident"}) == {vendor, resident}
    assert ids({"kind": "organisation"}) == {vendor}
    assert ids({"sites": site}) == {resident}
    assert ids({"search": "boucher"}) == {customer}
    assert ids({"search": "john@example"}) == {resident}
    assert error_details(admin.get("/contacts", params={"type": "owner"}), 400, "invalid_request")["field"] == "type"
    assert error_details(admin.get("/contacts", params={"kind": "robot"}), 400, "invalid_request")["field"] == "kind"


def test_create_and_update(admin: V1, tenant: Tenant) -> None:
    created = admin.post("/contacts", json={"name": "Ann Lee", "email": "ann@example.com", "phone": "+6112"})
    assert created.status_code == 201, created.text
    contact = created.json()
    assert set(contact) == KEYS and contact["types"] == ["customer"] and contact["kind"] == "person"
    assert tenant.admin.get(f"/customers/{contact['id']}").json()["result"]["name"] == "Ann Lee"
    vendor = admin.post("/contacts", json={"name": "Pipes Pty", "type": "vendor"}).json()
    assert (vendor["types"], vendor["kind"]) == (["vendor"], "organisation")
    assert tenant.admin.get(f"/vendors/{vendor['id']}").status_code == 200
    changed = admin.patch(f"/contacts/{vendor['id']}", json={"phone": "+6199", "description": "Plumbers"})
    assert changed.status_code == 200, changed.text
    assert (changed.json()["phone"], changed.json()["description"]) == ("+6199", "Plumbers")
    assert admin.get(f"/contacts/{contact['id']}").json() == contact


def test_validation_names_the_field(admin: V1) -> None:
    assert error_details(admin.post("/contacts", json={"email": "a@b.c"}), 400, "invalid_request") == {
        "code": "required",
        "field": "name",
    }
    assert (
        error_details(admin.post("/contacts", json={"name": "X", "type": "resident"}), 400, "invalid_request")["field"]
        == "type"
    )
    assert (
        error_details(admin.post("/contacts", json={"name": "X", "email": "no"}), 400, "invalid_request")["field"]
        == "email"
    )
    contact = admin.post("/contacts", json={"name": "X"}).json()
    assert (
        error_details(admin.patch(f"/contacts/{contact['id']}", json={"name": None}), 400, "invalid_request")["field"]
        == "name"
    )


def test_another_accounts_contact_is_404(admin: V1, other_tenant: Tenant) -> None:
    theirs = other_tenant.admin.post("/customers", json={"name": "Theirs"}).json()["result"]["id"]
    error_details(admin.get(f"/contacts/{theirs}"), 404, "not_found")
    error_details(admin.patch(f"/contacts/{theirs}", json={"name": "Mine"}), 404, "not_found")
    assert admin.get("/contacts").json()["count"] == 0


@pytest.mark.parametrize(("role", "may_write"), [(Role.ADMIN, True), (Role.STAFF, True), (Role.VIEW_ONLY, False)])
def test_roles(http: TestClient, db: Database, tenant: Tenant, role: Role, may_write: bool) -> None:
    site = make_place(db, tenant.account_id, "Lux Apartments")
    api = site_client(http, db, tenant.account_id, site, role=role)
    customer = tenant.admin.post("/customers", json={"name": "Mark Boucher"}).json()["result"]["id"]
    assert api.get(f"/contacts/{customer}").status_code == 200  # not a resident: no site to hide it
    created = api.post("/contacts", json={"name": "New"})
    assert created.status_code == (201 if may_write else 403), created.text
    updated = api.patch(f"/contacts/{customer}", json={"phone": "+6100"})
    assert updated.status_code == (200 if may_write else 403), updated.text
