"""Contacts, write side: create and update a contact in one of its roles (customer, vendor).

A role is both the flag on the contact row (``is_customer``, ``is_vendor``) and the permission
resource. Creating in a role makes a new contact with that flag; updating in a role only finds
contacts that have it. Every change records ``<ROLE>_CREATED`` / ``<ROLE>_UPDATED``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from premises.contact.queries import ROLE_FLAGS
from premises.errors import DomainValidation, NotFound
from premises.event.service import record_event, snapshot
from premises.event.types import EventType
from premises.identity.principal import Principal
from premises.kit.counters import next_value
from premises.kit.emails import clean_email
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import Contact

# Fields every contact has, and those that only mean something in one role.
COMMON_FIELDS = ("name", "email", "phone_number", "address", "website", "description")
ROLE_FIELDS = {
    "customer": (
        "customer_type",
        "billing_name",
        "billing_address_line1",
        "billing_address_line2",
        "billing_address_line3",
    ),
    "vendor": ("vendor_type", "main_point_of_contact"),
}
# What a new contact created in a role is: a customer may be a person or a company (person by
# default), a vendor is a business.
ROLE_KIND = {"customer": "person", "vendor": "organisation"}


def _fields_of(role: str) -> tuple[str, ...]:
    if role not in ROLE_FLAGS:
        raise ValueError(f"unknown contact role: {role}")
    return COMMON_FIELDS + ROLE_FIELDS[role]


def _clean_name(value: Any) -> str:
    name = value.strip() if isinstance(value, str) else ""
    if not name:
        raise DomainValidation("name cannot be empty", field="name")
    return name


def _clean_email(value: Any) -> str | None:
    if value is None:
        return None
    email = str(value).strip()
    if not email:
        return None
    return clean_email(email)


def _apply(contact: Contact, role: str, fields: Mapping[str, Any]) -> None:
    for name in _fields_of(role):
        if name not in fields:
            continue
        value = fields[name]
        if name == "name":
            value = _clean_name(value)
        elif name == "email":
            value = _clean_email(value)
        setattr(contact, name, value)


def _event(session: Session, principal: Principal, role: str, what: str, contact: Contact) -> None:
    record_event(
        session,
        account_id=principal.account_id,
        type=EventType(f"{role.upper()}_{what}"),
        resource_type="contact",
        resource_id=contact.id,
        payload=snapshot(contact),
        actor_user_id=principal.user_id,
    )


def create_contact(session: Session, principal: Principal, role: str, fields: Mapping[str, Any]) -> Contact:
    """Create a contact in ``role``; ``fields`` uses domain names (``name`` is required)."""
    _fields_of(role)
    principal.require(role, "create")
    account_id = principal.account_id
    now = now_ms()
    contact = Contact(
        account_id=account_id,
        id=new_id(),
        record_no=next_value(session, account_id, "record_no"),
        kind=ROLE_KIND[role],
        is_customer=False,
        is_vendor=False,
        name=_clean_name(fields.get("name")),
        created_by_user_id=principal.user_id,
        created_at=now,
        updated_at=now,
    )
    setattr(contact, ROLE_FLAGS[role], True)
    _apply(contact, role, fields)
    session.add(contact)
    session.flush()
    _event(session, principal, role, "CREATED", contact)
    return contact


def get_contact_for_write(session: Session, principal: Principal, role: str, contact_id: str) -> Contact:
    contact = session.get(Contact, (principal.account_id, contact_id), with_for_update=True)
    if contact is None or contact.deleted_at is not None or not getattr(contact, ROLE_FLAGS[role]):
        raise NotFound(f"{role} not found")
    return contact


def update_contact(
    session: Session, principal: Principal, role: str, contact_id: str, changes: Mapping[str, Any]
) -> Contact:
    """Change the given fields (domain names; ``None`` erases, except for ``name``)."""
    _fields_of(role)
    principal.require(role, "update")
    contact = get_contact_for_write(session, principal, role, contact_id)
    _apply(contact, role, changes)
    contact.updated_at = max(now_ms(), contact.updated_at)
    _event(session, principal, role, "UPDATED", contact)
    return contact
