"""What the part services take: typed commands with domain names (style: ``premises.kit.commands``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from premises.asset.commands import FreeFieldChange, ValueChanges
from premises.kit.commands import UNSET, Unset

# A part's custom fields are free fields ({name, value, unit}) like an asset's: the same commands.
__all__ = ["FreeFieldChange", "PartCategoryCreate", "PartChanges", "PartCreate", "PartUse", "ValueChanges"]


@dataclass(frozen=True, slots=True)
class PartCreate:
    name: str | None
    description: str | None = None
    cost: float | None = None
    quantity: float | None = None  # the count on hand to start with (a ledger row "created")
    minimum_quantity: float | None = None
    serial: str | None = None
    area: str | None = None
    details: str | None = None
    category: str | None = None
    location_id: str | None = None
    parent_part_id: str | None = None
    part_number: str | None = None
    image_file_id: str | None = None
    file_ids: Sequence[str] = ()
    custom_fields: Sequence[FreeFieldChange] = ()


@dataclass(frozen=True, slots=True)
class PartChanges:
    """A partial update: ``UNSET`` leaves a field as it is, ``None`` clears it. ``quantity`` sets the count
    on hand (a ledger row "adjusted" with the difference); ``custom_fields`` adds or changes, never removes."""

    name: str | Unset | None = UNSET
    description: str | Unset | None = UNSET
    cost: float | Unset | None = UNSET
    quantity: float | Unset | None = UNSET
    minimum_quantity: float | Unset | None = UNSET
    serial: str | Unset | None = UNSET
    area: str | Unset | None = UNSET
    details: str | Unset | None = UNSET
    category: str | Unset | None = UNSET
    location_id: str | Unset | None = UNSET
    parent_part_id: str | Unset | None = UNSET
    part_number: str | Unset | None = UNSET
    image_file_id: str | Unset | None = UNSET
    file_ids: Sequence[str] | Unset | None = UNSET
    custom_fields: Sequence[FreeFieldChange] | Unset | None = UNSET


@dataclass(frozen=True, slots=True)
class PartUse:
    """A part used on a work order: ``quantity`` units of ``part_id`` (positive)."""

    part_id: str
    quantity: float


@dataclass(frozen=True, slots=True)
class PartCategoryCreate:
    name: str | None
