"""What the contact services take: typed commands with domain names (style: ``premises.kit.commands``).

Customers and vendors are one contact record seen in a role; a command carries the fields of every
role, and the service refuses a field that belongs to another role than the one it acts in.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from premises.kit.commands import UNSET, Unset


class ContactRole(StrEnum):
    """The roles a contact appears in; each is also the permission resource and the event prefix."""

    CUSTOMER = "customer"
    VENDOR = "vendor"


class ContactKind(StrEnum):
    PERSON = "person"
    ORGANISATION = "organisation"


@dataclass(frozen=True, slots=True)
class ContactCreate:
    name: str
    email: str | None = None
    phone_number: str | None = None
    address: str | None = None
    website: str | None = None
    description: str | None = None
    # Customers only
    customer_type: str | None = None
    billing_name: str | None = None
    billing_address_line1: str | None = None
    billing_address_line2: str | None = None
    billing_address_line3: str | None = None
    # Vendors only
    vendor_type: str | None = None
    main_point_of_contact: str | None = None


@dataclass(frozen=True, slots=True)
class ContactChanges:
    """A partial update: ``None`` erases a field (``name`` cannot be erased)."""

    name: str | Unset = UNSET
    email: str | Unset | None = UNSET
    phone_number: str | Unset | None = UNSET
    address: str | Unset | None = UNSET
    website: str | Unset | None = UNSET
    description: str | Unset | None = UNSET
    customer_type: str | Unset | None = UNSET
    billing_name: str | Unset | None = UNSET
    billing_address_line1: str | Unset | None = UNSET
    billing_address_line2: str | Unset | None = UNSET
    billing_address_line3: str | Unset | None = UNSET
    vendor_type: str | Unset | None = UNSET
    main_point_of_contact: str | Unset | None = UNSET
