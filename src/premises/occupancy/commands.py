"""What the resident services take: typed commands with domain names (style: ``premises.kit.commands``)."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from premises.kit.commands import UNSET, Unset


class OccupancyType(StrEnum):
    """How a contact occupies a unit (reference §3.1); the stored values are ``models.occupancy.OCCUPANCY_TYPES``."""

    OWNER = "owner"
    TENANT = "tenant"
    OCCUPANT = "occupant"
    AGENT = "agent"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class ResidentCreate:
    """A new resident: a new contact (a customer) and its occupancy. ``unit_id`` None: the site itself."""

    site_id: str
    first_name: str
    type: OccupancyType
    last_name: str | None = None
    email: str | None = None
    phone_number: str | None = None
    unit_id: str | None = None
    move_in_at: int | None = None
    move_out_at: int | None = None


@dataclass(frozen=True, slots=True)
class ResidentChanges:
    """A partial update: ``None`` erases a field (not ``first_name``, ``type`` or ``site_id``). A new site
    without a unit puts the resident at the site itself."""

    first_name: str | Unset = UNSET
    last_name: str | Unset | None = UNSET
    email: str | Unset | None = UNSET
    phone_number: str | Unset | None = UNSET
    type: OccupancyType | Unset = UNSET
    site_id: str | Unset = UNSET
    unit_id: str | Unset | None = UNSET
    move_in_at: int | Unset | None = UNSET
    move_out_at: int | Unset | None = UNSET
