"""Contact rules at the service layer: one contact record seen in a role (customer, vendor).

The UpKeep wire behaviour is in tests/api/upkeep/test_customers.py and test_vendors.py.
"""

from __future__ import annotations

import pytest

from premises.contact import queries, service
from premises.contact.commands import ContactChanges, ContactCreate, ContactRole
from premises.errors import DomainValidation, ErrorCode, NotFound, PermissionDenied
from premises.identity.permissions import Role
from premises.kit.listing import ListQuery
from premises.models import Contact
from tests.domain.conftest import DomainAccount
from tests.domain.reading import read

CUSTOMER, VENDOR = ContactRole.CUSTOMER, ContactRole.VENDOR


def _create(account: DomainAccount, role: ContactRole, command: ContactCreate) -> Contact:
    return account.write(lambda s: service.create_contact(s, account.admin, role, command))


def test_a_contact_is_created_in_its_role_with_that_roles_kind(account: DomainAccount) -> None:
    customer = _create(account, CUSTOMER, ContactCreate(name=" Ada ", customer_type="Owner", email=" ada@x.test "))
    vendor = _create(account, VENDOR, ContactCreate(name="Pipes Ltd", vendor_type="Plumbing"))
    assert (customer.name, customer.email, customer.kind, customer.is_customer, customer.is_vendor) == (
        "Ada",
        "ada@x.test",
        "person",
        True,
        False,
    )
    assert (vendor.kind, vendor.is_customer, vendor.is_vendor, vendor.vendor_type) == (
        "organisation",
        False,
        True,
        "Plumbing",
    )
    assert account.event_types(customer.id) == ["CUSTOMER_CREATED"]
    assert account.event_types(vendor.id) == ["VENDOR_CREATED"]


@pytest.mark.parametrize(
    ("role", "command", "field"),
    [
        (CUSTOMER, ContactCreate(name="A", vendor_type="Plumbing"), "vendor_type"),
        (VENDOR, ContactCreate(name="A", billing_name="A Ltd"), "billing_name"),
    ],
)
def test_a_field_of_another_role_is_refused(
    account: DomainAccount, role: ContactRole, command: ContactCreate, field: str
) -> None:
    with pytest.raises(DomainValidation) as raised:
        _create(account, role, command)
    assert (raised.value.code, raised.value.field, raised.value.params["role"]) == (ErrorCode.NOT_IN_ROLE, field, role)


@pytest.mark.parametrize(
    ("command", "code", "field"),
    [
        (ContactCreate(name="   "), ErrorCode.REQUIRED, "name"),
        (ContactCreate(name="A", email="not an email"), ErrorCode.INVALID_EMAIL, "email"),
        (ContactCreate(name="A", email="a@b\r\nBcc: c@d"), ErrorCode.INVALID_EMAIL, "email"),
    ],
)
def test_bad_fields_name_the_domain_field(
    account: DomainAccount, command: ContactCreate, code: ErrorCode, field: str
) -> None:
    with pytest.raises(DomainValidation) as raised:
        _create(account, CUSTOMER, command)
    assert (raised.value.code, raised.value.field) == (code, field)


def test_changes_touch_only_the_fields_given_and_none_erases(account: DomainAccount) -> None:
    customer = _create(account, CUSTOMER, ContactCreate(name="Ada", phone_number="555", website="ada.test"))
    changed = account.write(
        lambda s: service.update_contact(s, account.admin, CUSTOMER, customer.id, ContactChanges(phone_number=None))
    )
    assert (changed.name, changed.phone_number, changed.website) == ("Ada", None, "ada.test")
    with pytest.raises(DomainValidation) as raised:
        account.write(
            lambda s: service.update_contact(s, account.admin, CUSTOMER, customer.id, ContactChanges(name=""))
        )
    assert (raised.value.code, raised.value.field) == (ErrorCode.REQUIRED, "name")
    assert account.event_types(customer.id) == ["CUSTOMER_CREATED", "CUSTOMER_UPDATED"]


def test_a_contact_is_found_only_in_a_role_it_has(account: DomainAccount) -> None:
    vendor = _create(account, VENDOR, ContactCreate(name="Pipes Ltd"))
    with pytest.raises(NotFound) as raised:
        account.write(lambda s: service.update_contact(s, account.admin, CUSTOMER, vendor.id, ContactChanges(name="x")))
    assert (raised.value.code, raised.value.params["record"]) == (ErrorCode.RECORD_NOT_FOUND, "customer")


def test_another_accounts_contact_is_not_found(account: DomainAccount, other_account: DomainAccount) -> None:
    vendor = _create(account, VENDOR, ContactCreate(name="Pipes Ltd"))
    with pytest.raises(NotFound):
        other_account.write(
            lambda s: service.update_contact(s, other_account.admin, VENDOR, vendor.id, ContactChanges(name="x"))
        )


@pytest.mark.parametrize("role", [Role.LIMITED_TECH, Role.VIEW_ONLY, Role.REQUESTER])
@pytest.mark.parametrize("contact_role", [CUSTOMER, VENDOR])
def test_weaker_roles_may_not_create_or_change_contacts(
    account: DomainAccount, role: Role, contact_role: ContactRole
) -> None:
    contact = _create(account, contact_role, ContactCreate(name="A"))
    principal = account.principal(role)
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.create_contact(s, principal, contact_role, ContactCreate(name="B")))
    with pytest.raises(PermissionDenied):
        account.write(
            lambda s: service.update_contact(s, principal, contact_role, contact.id, ContactChanges(name="B"))
        )


def test_a_tech_manages_contacts(account: DomainAccount) -> None:
    tech = account.principal(Role.TECH)
    vendor = account.write(lambda s: service.create_contact(s, tech, VENDOR, ContactCreate(name="Pipes Ltd")))
    assert vendor.created_by_user_id == tech.user_id


# ------------------------------------------------------------------------------------------ read models


def test_reads_apply_the_role_and_the_principal(
    account: DomainAccount, other_account: DomainAccount, database_url: str
) -> None:
    customer = _create(account, CUSTOMER, ContactCreate(name="Ada"))
    vendor = _create(account, VENDOR, ContactCreate(name="Pipes Ltd"))
    listed = read(database_url, lambda r: queries.list_contacts(r, account.admin, CUSTOMER, ListQuery()))
    assert [(row["id"], row["custom_fields"]) for row in listed] == [(customer.id, [])]
    both = [customer.id, vendor.id]
    assert set(read(database_url, lambda r: queries.contacts_by_ids(r, account.admin, VENDOR, both))) == {vendor.id}
    requester = account.principal(Role.REQUESTER)
    assert read(database_url, lambda r: queries.contacts_by_ids(r, requester, VENDOR, both)) == {}
    with pytest.raises(PermissionDenied):
        read(database_url, lambda r: queries.get_contact(r, requester, VENDOR, vendor.id))
    with pytest.raises(NotFound):
        read(database_url, lambda r: queries.get_contact(r, other_account.admin, VENDOR, vendor.id))
    assert read(database_url, lambda r: queries.contacts_by_ids(r, other_account.admin, VENDOR, both)) == {}
