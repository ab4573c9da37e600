"""Residents, write side: a resident is a contact (an UpKeep customer: ``is_customer``) with one occupancy.

Creating a resident creates the customer through ``contact.service`` (``CUSTOMER_CREATED``; the
permission is the resident's at its site, ADR 9, not the account-wide customer one), sets its
first and last names and adds the occupancy; every change records ``RESIDENT_CREATED`` /
``RESIDENT_UPDATED`` / ``RESIDENT_DELETED`` with the resident as it then stands, in the same
transaction. A resident is always a customer: it is that customer seen with its occupancy, so
``/api/v2/customers`` lists it and an edit there (email, phone, ...) shows on ``/v1/residents``.
The site must be a live top-level place the principal may act at, the unit a live place of kind
``unit`` under it (None: the resident is at the site itself).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from premises.contact import service as contacts
from premises.contact.commands import ContactChanges, ContactCreate, ContactRole
from premises.errors import DomainValidation, ErrorCode, NotFound
from premises.event.service import record_change
from premises.event.types import EventType
from premises.identity.principal import Principal
from premises.kit.commands import given
from premises.kit.ids import new_id
from premises.kit.text import required_text
from premises.kit.time import now_ms
from premises.models import Contact, Occupancy, Place
from premises.occupancy import visibility
from premises.occupancy.commands import OccupancyType, ResidentChanges, ResidentCreate
from premises.occupancy.fields import OCCUPANCY_FIELDS
from premises.place.service import site_of

NAME_FIELDS = ("first_name", "last_name")
CONTACT_FIELDS = ("email", "phone_number")
OPTIONAL_ON_CREATE = ("last_name", "email", "phone_number", "unit_id", "move_in_at", "move_out_at")


def display_name(first: str, last: str | None) -> str:
    """The contact's ``name`` (what /api/v2 shows): first and last name."""
    return f"{first} {last}" if last else first


def _optional(value: Any) -> str | None:
    text = value.strip() if isinstance(value, str) else None
    return text or None


def _site(session: Session, principal: Principal, site_id: str) -> Place:
    site = session.get(Place, (principal.account_id, site_id))
    if site is None or site.deleted_at is not None or site.parent_id is not None or not principal.sees_place(site_id):
        raise DomainValidation(ErrorCode.NOT_FOUND, field="site_id", id=site_id)
    return site


def _unit(session: Session, principal: Principal, site_id: str, unit_id: str) -> Place:
    unit = session.get(Place, (principal.account_id, unit_id))
    if unit is None or unit.deleted_at is not None or unit.kind != "unit" or site_of(session, unit) != site_id:
        raise DomainValidation(ErrorCode.NOT_FOUND, field="unit_id", id=unit_id)
    return unit


def _check_dates(move_in: int | None, move_out: int | None) -> None:
    if move_in is not None and move_out is not None and move_out < move_in:
        raise DomainValidation(ErrorCode.NOT_BEFORE, field="move_out_at", other_field="move_in_at")


def _event(session: Session, principal: Principal, type: EventType, contact: Contact, occupancy: Occupancy) -> None:
    """The resident's event: its contact's columns and its occupancy's (``type`` as ``occupancy_type``)."""
    occupied = {("occupancy_type" if name == "type" else name): getattr(occupancy, name) for name in OCCUPANCY_FIELDS}
    record_change(session, principal, type, "resident", contact, **occupied)


def create_resident(session: Session, principal: Principal, command: ResidentCreate) -> Contact:
    """A new customer with its occupancy (``first_name``, ``type`` and ``site_id`` are required)."""
    principal.require("resident", "create", at=command.site_id)
    site = _site(session, principal, command.site_id)
    unit = _unit(session, principal, site.id, command.unit_id) if command.unit_id else None
    _check_dates(command.move_in_at, command.move_out_at)
    first, last = required_text(command.first_name, "first_name"), _optional(command.last_name)
    contact = contacts.add_contact(
        session,
        principal,
        ContactRole.CUSTOMER,
        ContactCreate(name=display_name(first, last), email=command.email, phone_number=command.phone_number),
    )
    contact.first_name, contact.last_name = first, last
    now = contact.created_at
    occupancy = Occupancy(
        account_id=principal.account_id,
        id=new_id(),
        contact_id=contact.id,
        site_id=site.id,
        unit_id=unit.id if unit else None,
        type=OccupancyType(command.type).value,
        move_in_at=command.move_in_at,
        move_out_at=command.move_out_at,
        created_at=now,
        updated_at=now,
    )
    session.add(occupancy)
    _event(session, principal, EventType.RESIDENT_CREATED, contact, occupancy)
    return contact


def _load(session: Session, principal: Principal, resident_id: str, action: str) -> tuple[Contact, Occupancy]:
    """The resident's contact (locked) and occupancy, if the principal sees it; then the role at its site
    (ADR 9: a site role may allow what the account-wide role does not). A role that may not do it
    anywhere hears so before a missing resident is reported."""
    contact = session.get(Contact, (principal.account_id, resident_id), with_for_update=True)
    occupancy = (
        session.scalars(
            select(Occupancy).where(Occupancy.account_id == principal.account_id, Occupancy.contact_id == resident_id)
        ).first()
        if contact is not None and contact.deleted_at is None
        else None
    )
    if occupancy is None or not visibility.sees(principal, occupancy.site_id):
        principal.require("resident", action)
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="resident")
    assert contact is not None
    principal.require("resident", action, at=occupancy.site_id)
    return contact, occupancy


def _contact_changes(fields: Mapping[str, Any], contact: Contact) -> ContactChanges | None:
    """What the customer record takes of the changes (its name follows first and last name)."""
    changes: dict[str, Any] = {name: fields[name] for name in CONTACT_FIELDS if name in fields}
    if any(name in fields for name in NAME_FIELDS):
        first = required_text(fields.get("first_name", contact.first_name or contact.name), "first_name")
        last = _optional(fields["last_name"]) if "last_name" in fields else contact.last_name
        contact.first_name, contact.last_name = first, last
        changes["name"] = display_name(first, last)
    return ContactChanges(**changes) if changes else None


def _move(session: Session, principal: Principal, occupancy: Occupancy, fields: Mapping[str, Any]) -> None:
    """A new site (where the principal may also update residents) and unit, checked as on create."""
    site_id = fields.get("site_id", occupancy.site_id)
    if site_id is None:
        raise DomainValidation(ErrorCode.REQUIRED, field="site_id")
    if site_id != occupancy.site_id:
        principal.require("resident", "update", at=site_id)
        occupancy.site_id = _site(session, principal, site_id).id
        if "unit_id" not in fields:
            occupancy.unit_id = None
    if fields.get("unit_id") is not None:
        occupancy.unit_id = _unit(session, principal, occupancy.site_id, fields["unit_id"]).id
    elif "unit_id" in fields:
        occupancy.unit_id = None


def update_resident(session: Session, principal: Principal, resident_id: str, changes: ResidentChanges) -> Contact:
    """Change the given fields (``None`` erases, except for the first name, the type and the site)."""
    fields = given(changes)
    contact, occupancy = _load(session, principal, resident_id, "update")
    contact_changes = _contact_changes(fields, contact)
    if contact_changes is not None:
        contacts.change_contact(session, principal, ContactRole.CUSTOMER, contact.id, contact_changes)
    if "site_id" in fields or "unit_id" in fields:
        _move(session, principal, occupancy, fields)
    if "type" in fields:
        if fields["type"] is None:
            raise DomainValidation(ErrorCode.REQUIRED, field="type")
        occupancy.type = OccupancyType(fields["type"]).value
    for name in ("move_in_at", "move_out_at"):
        if name in fields:
            setattr(occupancy, name, fields[name])
    _check_dates(occupancy.move_in_at, occupancy.move_out_at)
    now = now_ms()
    occupancy.updated_at = max(now, occupancy.updated_at)
    contact.updated_at = max(now, contact.updated_at)
    _event(session, principal, EventType.RESIDENT_UPDATED, contact, occupancy)
    return contact


def delete_resident(session: Session, principal: Principal, resident_id: str) -> None:
    """Archive the resident's contact (gone from /v1 and /api/v2 alike); the occupancy stays as history."""
    contact, occupancy = _load(session, principal, resident_id, "delete")
    now = now_ms()
    contact.deleted_at = now
    contact.updated_at = max(now, contact.updated_at)
    _event(session, principal, EventType.RESIDENT_DELETED, contact, occupancy)
