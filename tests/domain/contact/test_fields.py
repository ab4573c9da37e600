"""The contact fields are declared once (contact.fields) and everything else derives from the declaration."""

from __future__ import annotations

import dataclasses

import pytest

from premises.api.upkeep.mappers.contacts import ContactWire
from premises.api.upkeep.mappers.customers import CUSTOMERS
from premises.api.upkeep.mappers.vendors import VENDORS
from premises.contact import queries, service
from premises.contact.commands import ContactChanges, ContactCreate, ContactKind, ContactRole
from premises.contact.fields import CONTACTS
from premises.models import Contact
from tests.support.catalogues import assert_agrees_with_table

NOT_READ = {"account_id", "deleted_at"}
COMMON = {"id": "id", "email": "email", "description": "description", "phone_number": "phoneNumber"}


def test_every_column_of_the_table_is_declared_once_in_select_order() -> None:
    declared = [f.name for f in CONTACTS]
    assert len(declared) == len(set(declared))
    assert set(CONTACTS.columns) == {c.name for c in Contact.__table__.columns} - NOT_READ
    assert CONTACTS.columns == queries.COLUMNS == tuple(declared)


def test_the_declarations_agree_with_the_table_and_the_kinds() -> None:
    assert_agrees_with_table(CONTACTS, Contact.__table__)
    assert CONTACTS.by_name["kind"].choices == tuple(k.value for k in ContactKind)
    assert {f.name for f in CONTACTS if f.type == "boolean"} == set(queries.ROLE_FLAGS.values())


def test_writable_fields_are_what_the_commands_carry_split_by_role() -> None:
    create = {f.name for f in dataclasses.fields(ContactCreate)}
    changes = {f.name for f in dataclasses.fields(ContactChanges)}
    assert CONTACTS.writable == create == changes
    assert service.COMMON_FIELDS == ("name", "email", "phone_number", "address", "website", "description")
    by_role = [set(fields) for fields in service.ROLE_FIELDS.values()]
    assert set(service.COMMON_FIELDS).union(*by_role) == CONTACTS.writable
    assert set(service.COMMON_FIELDS).isdisjoint(set().union(*by_role))


@pytest.mark.parametrize(
    ("wire", "own"),
    [
        (
            CUSTOMERS,
            {
                "name": "name",
                "address": "address",
                "website": "website",
                "customer_type": "type",
                "billing_name": "billingName",
                "billing_address_line1": "billingAddressLine1",
                "billing_address_line2": "billingAddressLine2",
                "billing_address_line3": "billingAddressLine3",
            },
        ),
        (
            VENDORS,
            {
                "name": "businessName",
                "address": "businessAddress",
                "website": "website",
                "vendor_type": "type",
                "main_point_of_contact": "mainPointOfContact",
            },
        ),
    ],
    ids=["customers", "vendors"],
)
def test_each_role_names_its_fields_once_and_its_bodies_lists_and_schema_derive_from_them(
    wire: ContactWire, own: dict[str, str]
) -> None:
    role = ContactRole(wire.role)
    names = wire.upkeep.attachment
    assert CONTACTS.attachments[f"upkeep.{role}"] is names
    assert {name: w.name for name, w in names.entries.items()} == {
        **COMMON,
        **own,
        "created_at": "createdAt",
        "updated_at": "updatedAt",
    }
    writable_here = set(service.COMMON_FIELDS) | set(service.ROLE_FIELDS[role])
    for spec in (wire.create, wire.update):
        assert {f.target for f in spec.fields.values()} == writable_here
        for f in spec.fields.values():
            assert f.name == names[f.target].name
            column = CONTACTS.by_name[f.target]
            assert f.max_length == (column.max_length or 5000)
    assert [f.target for f in wire.create.fields.values() if f.required] == ["name"]
    assert not any(f.required for f in wire.update.fields.values())
    assert not wire.update.fields[wire.name_field].nullable
    assert [(f.name, f.column) for f in wire.upkeep.filters()] == [(wire.name_field, "name")]
    assert wire.upkeep.ordered() == {"createdAt": "created_at", "updatedAt": "updated_at"}
    assert wire.schema["required"] == ["id", wire.name_field, "createdAt", "updatedAt"]


@pytest.mark.parametrize("wire", [CUSTOMERS, VENDORS], ids=["customers", "vendors"])
def test_the_rendered_object_follows_the_schema_order(wire: ContactWire) -> None:
    row = dict.fromkeys(queries.COLUMNS)
    row.update(id="c1", name="Acme", email="a@example.com", created_at=0, updated_at=0, custom_fields=[])
    item = wire.to_upkeep(row)
    assert list(item) == list(wire.schema["properties"])
    assert list(item)[-3:] == [wire.custom_fields_key, "createdAt", "updatedAt"]
    assert (item[wire.name_field], item["email"], item[wire.custom_fields_key]) == ("Acme", "a@example.com", [])
    assert item["createdAt"] == "1970-01-01T00:00:00.000Z"
