"""What the preventive-maintenance service takes: typed commands with domain names (``premises.kit.commands``).

A trigger is its schedule (the ``rr*`` names are RFC 5545's, as UpKeep names them), its cadence and
meter fields, its state (paused, archived) and the template of the work orders it creates (``wo_*``).
Dates of the schedule are wall-clock times in ``rrtzid`` (``preventive.recurrence.parse_local``
reads them); lists are lists.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from premises.kit.commands import UNSET, Unset


class MeterCondition(StrEnum):
    """How a trigger's meter makes it due (docs/preventive-maintenance.md): a reading ``meter_condition_value``
    compared, or every ``meter_condition_value`` units since the last meter-made work order."""

    GREATER_THAN = "GREATER_THAN"  # a reading above meter_condition_value
    LESS_THAN = "LESS_THAN"  # a reading below meter_condition_value
    EVERY = "EVERY"  # every meter_condition_value units since the last work order


CADENCE_MANUAL = "manual"  # UpKeep's example: no cadence, each occurrence makes its own work order


@dataclass(frozen=True, slots=True)
class TriggerCreate:
    name: str | None
    schedule_type: str | None
    rrdtstart: object
    rrtzid: str | None
    wo_title: str | None
    rrfreq: str | None = None
    rrinterval: int | None = None
    rrbyweekday: object = None
    rrbymonthday: object = None
    rrbysetpos: object = None
    rruntil: object = None
    rdates: object = None
    exdates: object = None
    create_first_wo: bool = False
    next_on_completion: bool = False
    cadence_type: str | None = None
    cadence_freq: str | None = None
    cadence_interval: int | None = None
    meter_id: str | None = None
    meter_condition: str | None = None
    meter_condition_value: float | None = None
    meter_due_interval: int | None = None
    meter_due_frequency: str | None = None
    is_paused: bool = False
    is_archived: bool = False
    wo_description: str | None = None
    wo_priority: int | None = None
    wo_category: str | None = None
    wo_asset_id: str | None = None
    wo_location_id: str | None = None
    wo_assigned_to_user_id: str | None = None
    wo_additional_user_ids: Sequence[str] | None = None
    wo_parts: Sequence[str] | None = None
    wo_part_quantities: object = None
    wo_duration: float | None = None


@dataclass(frozen=True, slots=True)
class TriggerChanges:
    """A partial update. A changed schedule starts again from now: occurrences already past make nothing."""

    name: str | Unset | None = UNSET
    schedule_type: str | Unset | None = UNSET
    rrdtstart: object = UNSET
    rrtzid: str | Unset | None = UNSET
    rrfreq: str | Unset | None = UNSET
    rrinterval: int | Unset | None = UNSET
    rrbyweekday: object = UNSET
    rrbymonthday: object = UNSET
    rrbysetpos: object = UNSET
    rruntil: object = UNSET
    rdates: object = UNSET
    exdates: object = UNSET
    create_first_wo: bool | Unset = UNSET
    next_on_completion: bool | Unset = UNSET
    cadence_type: str | Unset | None = UNSET
    cadence_freq: str | Unset | None = UNSET
    cadence_interval: int | Unset | None = UNSET
    meter_id: str | Unset | None = UNSET
    meter_condition: str | Unset | None = UNSET
    meter_condition_value: float | Unset | None = UNSET
    meter_due_interval: int | Unset | None = UNSET
    meter_due_frequency: str | Unset | None = UNSET
    is_paused: bool | Unset = UNSET
    is_archived: bool | Unset = UNSET
    wo_title: str | Unset | None = UNSET
    wo_description: str | Unset | None = UNSET
    wo_priority: int | Unset | None = UNSET
    wo_category: str | Unset | None = UNSET
    wo_asset_id: str | Unset | None = UNSET
    wo_location_id: str | Unset | None = UNSET
    wo_assigned_to_user_id: str | Unset | None = UNSET
    wo_additional_user_ids: Sequence[str] | Unset | None = UNSET
    wo_parts: Sequence[str] | Unset | None = UNSET
    wo_part_quantities: object = UNSET
    wo_duration: float | Unset | None = UNSET


SCHEDULE_FIELDS = frozenset(
    {"schedule_type", "rrdtstart", "rrtzid", "rrfreq", "rrinterval", "rrbyweekday", "rrbymonthday", "rrbysetpos"}
    | {"rruntil", "rdates", "exdates", "next_on_completion"}
)
