"""What the meter services take: typed commands with domain names (style: ``premises.kit.commands``).

A dialect's mapper builds these from its wire body; the services never see a wire name. A reading's
``date`` is epoch milliseconds (the mapper reads ISO 8601 or epoch ms into it).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from premises.kit.commands import UNSET, Unset


class TriggerFrequency(StrEnum):
    """When a meter notification fires (``meter.evaluation`` is the rule; docs/meters.md)."""

    ONE_TIME_IS_GREATER_THAN = "ONE_TIME_IS_GREATER_THAN"
    ONE_TIME_IS_LESS_THAN = "ONE_TIME_IS_LESS_THAN"
    EVERY_TIME_IS_LESS_THAN = "EVERY_TIME_IS_LESS_THAN"
    EVERY_TIME_IS_GREATER_THAN = "EVERY_TIME_IS_GREATER_THAN"
    EVERY_TIME_IS_EQUAL_TO = "EVERY_TIME_IS_EQUAL_TO"
    EVERY_TIME_REACHES = "EVERY_TIME_REACHES"


ONE_TIME = frozenset({TriggerFrequency.ONE_TIME_IS_GREATER_THAN, TriggerFrequency.ONE_TIME_IS_LESS_THAN})


class HitOutcome(StrEnum):
    """What a notification's hit did: created a work order, or none because its last one is still open."""

    CREATED = "created"
    OPEN_WORK_ORDER = "open_work_order"


# ------------------------------------------------------------------------------------------ meters


@dataclass(frozen=True, slots=True)
class MeterCreate:
    name: str | None
    units: str | None
    frequency: int | None
    asset_id: str | None = None
    location_id: str | None = None
    cumulative: bool = False


@dataclass(frozen=True, slots=True)
class MeterChanges:
    """A partial update: ``UNSET`` leaves a field as it is. Past readings never change."""

    name: str | Unset | None = UNSET
    units: str | Unset | None = UNSET
    frequency: int | Unset | None = UNSET
    asset_id: str | Unset | None = UNSET
    location_id: str | Unset | None = UNSET
    cumulative: bool | Unset = UNSET


# ------------------------------------------------------------------------------------------ readings


@dataclass(frozen=True, slots=True)
class ReadingCreate:
    """A new reading. ``date`` (epoch ms; None: now). ``is_reset``: the meter was reset or
    replaced, so a cumulative meter may read lower and interval triggers keep their progress."""

    value: float | None
    date: int | None = None
    is_reset: bool = False


@dataclass(frozen=True, slots=True)
class ReadingChanges:
    value: float | Unset | None = UNSET
    date: int | Unset | None = UNSET


# ------------------------------------------------------------------------------------------ notifications


@dataclass(frozen=True, slots=True)
class NotificationCreate:
    title: str | None
    trigger_value: float | None
    trigger_frequency: TriggerFrequency | str | None
    last_value_for_work_order: float | None = None
    description: str | None = None
    assigned_to_user_id: str | None = None
    category: str | None = None  # the work-order category of the work orders it creates
    one_open_work_order: bool = True


@dataclass(frozen=True, slots=True)
class NotificationChanges:
    """Any change re-arms a ONE_TIME notification that has fired."""

    title: str | Unset | None = UNSET
    trigger_value: float | Unset | None = UNSET
    trigger_frequency: TriggerFrequency | str | Unset | None = UNSET
    last_value_for_work_order: float | Unset | None = UNSET
    description: str | Unset | None = UNSET
    assigned_to_user_id: str | Unset | None = UNSET
    category: str | Unset | None = UNSET
    one_open_work_order: bool | Unset = UNSET
