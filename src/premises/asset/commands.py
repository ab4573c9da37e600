"""What the asset services take: typed commands with domain names (style: ``premises.kit.commands``).

A dialect's mapper builds these from its wire body; the services never see a wire name. Kinds and
statuses are enums whose values are what the database stores.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from premises.kit.commands import UNSET, Unset


class AssetStatus(StrEnum):
    ACTIVE = "active"
    INACTIVE = "inactive"


class Availability(StrEnum):
    """The built-in downtime statuses; an asset's ``downtime_status`` may also be the id of the account's own."""

    AVAILABLE = "available"
    NOT_AVAILABLE = "not-available"


class UsefulLifeUnit(StrEnum):
    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    YEARS = "years"


class CustomFieldType(StrEnum):
    SINGLE_LINE_TEXT = "singleLineText"
    MULTI_LINE_TEXT = "multiLineText"
    DROPDOWN = "dropdown"
    DATE = "date"
    NUMBER = "number"
    CURRENCY = "currency"


def values_of(kind: type[StrEnum]) -> tuple[str, ...]:
    """The stored values of an enum, in declaration order."""
    return tuple(member.value for member in kind)


# ------------------------------------------------------------------------------------------ asset parts


@dataclass(frozen=True, slots=True)
class UsefulLife:
    """How long an asset is expected to serve. Both parts are required; the service says which is missing."""

    quantity: int | None
    units: UsefulLifeUnit | str | None


@dataclass(frozen=True, slots=True)
class CustomValueChange:
    """Set (or, with ``value`` None, clear) the record's value of one typed custom field.

    ``value`` is raw input the field's type decides on (a number, an ISO 8601 date, text, a dropdown
    option). ``type`` is the field type the caller believed the field has (None: not said); a
    mismatch is refused rather than stored as the wrong kind.
    """

    definition_id: str
    value: object = None
    type: CustomFieldType | str | None = None


@dataclass(frozen=True, slots=True)
class FreeFieldChange:
    """Add or change one free field (a ``name``/``value``/``unit`` triple without a definition).

    With ``id``, the record's free field of that id changes; without, the one of that ``name`` (or a
    new one). Parts left ``UNSET`` are not changed; ``name`` cannot be cleared.
    """

    id: str | None = None
    name: str | Unset | None = UNSET
    value: str | Unset | None = UNSET
    unit: str | Unset | None = UNSET


# ------------------------------------------------------------------------------------------ assets


@dataclass(frozen=True, slots=True)
class AssetCreate:
    name: str | None
    description: str | None = None
    model: str | None = None
    serial: str | None = None
    serial_number: str | None = None
    additional_information: str | None = None
    notes: str | None = None
    area: str | None = None
    status: AssetStatus | str = AssetStatus.ACTIVE
    category: str | None = None
    location_id: str | None = None
    parent_asset_id: str | None = None
    manufacturer_vendor_id: str | None = None
    assigned_to_user_id: str | None = None
    image_file_id: str | None = None
    purchase_receipt_file_id: str | None = None
    warranty_file_id: str | None = None
    file_ids: Sequence[str] = ()
    purchase_date: int | None = None
    placed_in_service_date: int | None = None
    warranty_expiration: int | None = None
    purchase_price: float | None = None
    residual_value: float | None = None
    useful_life: UsefulLife | None = None
    downtime_status: str | None = None  # an Availability value or the id of one of the account's statuses
    check_in_procedure: str | None = None
    check_out_procedure: str | None = None
    availability_status: str | None = None
    availability_tracking_on: bool = False
    custom_fields: Sequence[CustomValueChange] = ()
    free_fields: Sequence[FreeFieldChange] = ()


@dataclass(frozen=True, slots=True)
class AssetChanges:
    """A partial update: ``UNSET`` leaves a field as it is, ``None`` clears it.

    ``custom_fields`` and ``free_fields`` change only the fields they name; ``file_ids`` replaces the list.
    """

    name: str | Unset | None = UNSET
    description: str | Unset | None = UNSET
    model: str | Unset | None = UNSET
    serial: str | Unset | None = UNSET
    serial_number: str | Unset | None = UNSET
    additional_information: str | Unset | None = UNSET
    notes: str | Unset | None = UNSET
    area: str | Unset | None = UNSET
    status: AssetStatus | str | Unset = UNSET
    category: str | Unset | None = UNSET
    location_id: str | Unset | None = UNSET
    parent_asset_id: str | Unset | None = UNSET
    manufacturer_vendor_id: str | Unset | None = UNSET
    assigned_to_user_id: str | Unset | None = UNSET
    image_file_id: str | Unset | None = UNSET
    purchase_receipt_file_id: str | Unset | None = UNSET
    warranty_file_id: str | Unset | None = UNSET
    file_ids: Sequence[str] | Unset | None = UNSET
    purchase_date: int | Unset | None = UNSET
    placed_in_service_date: int | Unset | None = UNSET
    warranty_expiration: int | Unset | None = UNSET
    purchase_price: float | Unset | None = UNSET
    residual_value: float | Unset | None = UNSET
    useful_life: UsefulLife | Unset | None = UNSET
    downtime_status: str | Unset = UNSET
    check_in_procedure: str | Unset | None = UNSET
    check_out_procedure: str | Unset | None = UNSET
    availability_status: str | Unset | None = UNSET
    availability_tracking_on: bool | Unset = UNSET
    custom_fields: Sequence[CustomValueChange] | Unset = UNSET
    free_fields: Sequence[FreeFieldChange] | Unset = UNSET


@dataclass(frozen=True, slots=True)
class ValueChanges:
    """The older single-field update: ``name``/``value``/``unit`` of a free field; only ``value`` of a typed one."""

    name: str | Unset | None = UNSET
    value: object | Unset = UNSET
    unit: str | Unset | None = UNSET


# ------------------------------------------------------------------------------------------ settings


@dataclass(frozen=True, slots=True)
class CustomFieldCreate:
    name: str | None
    type: CustomFieldType | str | None
    options: object = None  # a dropdown's choices: a list of strings
    decimal_precision: int | None = None  # number and currency fields


@dataclass(frozen=True, slots=True)
class CustomFieldChanges:
    """Rename a field, or replace a dropdown's options (a field's type and precision never change)."""

    name: str | Unset | None = UNSET
    options: object | Unset = UNSET


@dataclass(frozen=True, slots=True)
class DowntimeStatusCreate:
    name: str | None


@dataclass(frozen=True, slots=True)
class DowntimeStatusChanges:
    name: str | Unset | None = UNSET


@dataclass(frozen=True, slots=True)
class DowntimeEvent:
    """One recorded change of an asset's availability.

    ``recorded_on`` is when it happened: epoch milliseconds or ISO 8601 text (checked per event).
    ``status_category_id`` names one of the account's downtime statuses (only with not-available).
    ``unknown_fields`` are parts the caller sent that the domain does not know: the event is refused.
    """

    asset_id: str | None
    status: Availability | str | None
    recorded_on: object = None
    status_category_id: str | None = None
    user_id: str | None = None
    unknown_fields: Sequence[str] = ()
