"""Contacts, write side: create and update a contact in one of its roles (customer, vendor).

A role is both the flag on the contact row (``is_customer``, ``is_vendor``) and the permission
resource. Creating in a role makes a new contact with that flag; updating in a role only finds
contacts that have it. A field of another role is refused (``NOT_IN_ROLE``). Every change records
``<ROLE>_CREATED`` / ``<ROLE>_UPDATED``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from premises.contact.commands import ContactChanges, ContactCreate, ContactKind, ContactRole
from premises.contact.fields import CONTACTS
from premises.contact.queries import ROLE_FLAGS
from premises.errors import DomainValidation, ErrorCode, NotFound
from premises.event.service import record_change
from premises.event.types import EventType
from premises.identity.principal import Principal
from premises.kit.commands import given
from premises.kit.counters import next_value
from premises.kit.emails import clean_email
from premises.kit.ids import new_id
from premises.kit.text import required_text
from premises.kit.time import now_ms
from premises.models import Contact

# The fields that only mean something in one role, and those every contact has (the other fields
# declared writable in ``contact.fields``).
ROLE_FIELDS: dict[ContactRole, tuple[str, ...]] = {
    ContactRole.CUSTOMER: (
        "customer_type",
        "billing_name",
        "billing_address_line1",
        "billing_address_line2",
        "billing_address_line3",
    ),
    ContactRole.VENDOR: ("vendor_type", "main_point_of_contact"),
}
COMMON_FIELDS = tuple(
    f.name for f in CONTACTS if f.writable and not any(f.name in fields for fields in ROLE_FIELDS.values())
)
# What a new contact created in a role is: a customer may be a person or a company (person by
# default), a vendor is a business.
ROLE_KIND = {ContactRole.CUSTOMER: ContactKind.PERSON, ContactRole.VENDOR: ContactKind.ORGANISATION}


def _role(role: ContactRole | str) -> ContactRole:
    try:
        return ContactRole(role)
    except ValueError:
        raise ValueError(f"unknown contact role: {role}") from None


def _in_role(role: ContactRole, fields: Mapping[str, Any]) -> dict[str, Any]:
    """The fields given, refusing any that belongs to another role."""
    allowed = COMMON_FIELDS + ROLE_FIELDS[role]
    for name in fields:
        if name not in allowed:
            raise DomainValidation(ErrorCode.NOT_IN_ROLE, field=name, role=role.value)
    return dict(fields)


def _clean_email(value: Any) -> str | None:
    if value is None:
        return None
    email = str(value).strip()
    if not email:
        return None
    return clean_email(email)


def _apply(contact: Contact, fields: Mapping[str, Any]) -> None:
    for name, value in fields.items():
        if name == "name":
            value = required_text(value, "name")
        elif name == "email":
            value = _clean_email(value)
        setattr(contact, name, value)


def _event(session: Session, principal: Principal, role: ContactRole, what: str, contact: Contact) -> None:
    record_change(session, principal, EventType(f"{role.upper()}_{what}"), "contact", contact)


def create_contact(session: Session, principal: Principal, role: ContactRole | str, command: ContactCreate) -> Contact:
    """Create a contact in ``role`` (``name`` is required)."""
    role = _role(role)
    principal.require(role, "create")
    return add_contact(session, principal, role, command)


def add_contact(session: Session, principal: Principal, role: ContactRole | str, command: ContactCreate) -> Contact:
    """``create_contact`` for a service that has checked its own permission (a resident: at its site)."""
    role = _role(role)
    fields = _in_role(role, {name: value for name, value in given(command).items() if value is not None})
    account_id = principal.account_id
    now = now_ms()
    contact = Contact(
        account_id=account_id,
        id=new_id(),
        record_no=next_value(session, account_id, "record_no"),
        kind=ROLE_KIND[role].value,
        is_customer=False,
        is_vendor=False,
        name=required_text(command.name, "name"),
        created_by_user_id=principal.user_id,
        created_at=now,
        updated_at=now,
    )
    setattr(contact, ROLE_FLAGS[role], True)
    _apply(contact, fields)
    session.add(contact)
    session.flush()
    _event(session, principal, role, "CREATED", contact)
    return contact


def get_contact_for_write(session: Session, principal: Principal, role: ContactRole | str, contact_id: str) -> Contact:
    role = _role(role)
    contact = session.get(Contact, (principal.account_id, contact_id), with_for_update=True)
    if contact is None or contact.deleted_at is not None or not getattr(contact, ROLE_FLAGS[role]):
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record=role.value)
    return contact


def update_contact(
    session: Session, principal: Principal, role: ContactRole | str, contact_id: str, changes: ContactChanges
) -> Contact:
    """Change the given fields (``None`` erases, except for ``name``)."""
    principal.require(_role(role), "update")
    return change_contact(session, principal, role, contact_id, changes)


def change_contact(
    session: Session, principal: Principal, role: ContactRole | str, contact_id: str, changes: ContactChanges
) -> Contact:
    """``update_contact`` for a service that has checked its own permission (a resident: at its site)."""
    role = _role(role)
    fields = _in_role(role, given(changes))
    contact = get_contact_for_write(session, principal, role, contact_id)
    _apply(contact, fields)
    contact.updated_at = max(now_ms(), contact.updated_at)
    _event(session, principal, role, "UPDATED", contact)
    return contact
