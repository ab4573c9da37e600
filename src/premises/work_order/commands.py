"""What the work-order services take: typed commands with domain names (style: ``premises.kit.commands``).

Dialects build these from their wire bodies; the service never sees a wire name or a wire convention.
Costs change through ``CostChange`` items (add, modify, delete), or all at once with
``remove_all_costs``. Form items (checklist lines) are validated by ``work_order.form_items``: a
command carries what the client sent, the service decides whether it is acceptable.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum, StrEnum
from typing import Any

from premises.kit.commands import UNSET, Unset


class Status(StrEnum):
    """A work order's built-in status (custom statuses each count as one of these)."""

    OPEN = "open"
    ON_HOLD = "onHold"
    IN_PROGRESS = "inProgress"
    COMPLETE = "complete"


class Priority(IntEnum):
    """0 lowest .. 3 highest (requests use the same scale)."""

    LOWEST = 0
    LOW = 1
    MEDIUM = 2
    HIGH = 3


class DecreaseInventory(StrEnum):
    AUTO = "auto"
    MANUAL = "manual"


class FormItemType(StrEnum):
    TASK = "TASK"
    TEXT = "TEXT"
    NUMBER = "NUMBER"
    CHECKLIST = "CHECKLIST"
    MULTIPLE_CHOICE = "MULTIPLE_CHOICE"
    METER = "METER"
    METER_READING = "METER_READING"


class TaskValue(StrEnum):
    OPEN = "OPEN"
    ON_HOLD = "ON_HOLD"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETE = "COMPLETE"


class ChecklistValue(StrEnum):
    PASS = "PASS"
    FLAG = "FLAG"
    FAIL = "FAIL"


@dataclass(frozen=True, slots=True)
class FormItem:
    """One checklist line as a client gives it; ``id`` keeps an existing line's id on update.

    The fields are what the client sent (not yet checked): ``form_items.normalise`` checks them.
    """

    name: Any = None
    type: Any = None
    value: Any = None
    options: Any = None
    meter: Any = None
    id: Any = None


@dataclass(frozen=True, slots=True)
class CostAdd:
    """A new cost line; amount, info, category and assignee are required (checked by the service)."""

    amount: float | None = None
    info: str | None = None
    category: str | None = None
    assigned_to_user_id: str | None = None
    date: int | None = None
    included_in_total_cost: bool | None = None


@dataclass(frozen=True, slots=True)
class CostModify:
    """Change the given fields of an existing cost line."""

    id: str
    amount: float | Unset = UNSET
    info: str | Unset = UNSET
    category: str | Unset = UNSET
    assigned_to_user_id: str | Unset = UNSET
    date: int | Unset = UNSET
    included_in_total_cost: bool | Unset = UNSET


@dataclass(frozen=True, slots=True)
class CostDelete:
    id: str


CostChange = CostAdd | CostModify | CostDelete


@dataclass(frozen=True, slots=True)
class WorkOrderCreate:
    title: str
    description: str | None = None
    priority: int | None = None
    category: str | None = None
    start_date: int | None = None
    due_date: int | None = None
    end_due_date: int | None = None
    location_id: str | None = None
    asset_id: str | None = None
    team_id: str | None = None
    assigned_to_user_id: str | None = None
    additional_user_ids: Sequence[str] | None = None
    file_ids: Sequence[str] | None = None
    image_file_id: str | None = None
    image2_file_id: str | None = None
    image3_file_id: str | None = None
    image4_file_id: str | None = None
    image5_file_id: str | None = None
    signature_file_id: str | None = None
    form_template_id: str | None = None
    form_items: Sequence[FormItem] | None = None
    estimated_duration_hours: float | None = None
    time_spent: float | None = None
    cost: float | None = None
    decrease_inventory: DecreaseInventory | None = None
    custom_status_id: str | None = None
    parts: Sequence[str] | None = None  # the parts used (part.usage), with their quantities (default 1 each)
    part_quantities: Sequence[float] | None = None
    # Set when a request is approved into this work order.
    requested_by_user_id: str | None = None
    request_id: str | None = None
    public_requester_email: str | None = None
    # The case it is made for (its place defaults to the case's unit, else its site).
    case_id: str | None = None


@dataclass(frozen=True, slots=True)
class WorkOrderChanges:
    title: str | Unset | None = UNSET
    description: str | Unset | None = UNSET
    priority: int | Unset | None = UNSET
    category: str | Unset | None = UNSET
    start_date: int | Unset | None = UNSET
    due_date: int | Unset | None = UNSET
    location_id: str | Unset | None = UNSET
    asset_id: str | Unset | None = UNSET
    team_id: str | Unset | None = UNSET
    assigned_to_user_id: str | Unset | None = UNSET
    additional_user_ids: Sequence[str] | Unset | None = UNSET
    file_ids: Sequence[str] | Unset | None = UNSET
    image_file_id: str | Unset | None = UNSET
    image2_file_id: str | Unset | None = UNSET
    image3_file_id: str | Unset | None = UNSET
    image4_file_id: str | Unset | None = UNSET
    image5_file_id: str | Unset | None = UNSET
    signature_file_id: str | Unset | None = UNSET
    form_template_id: str | Unset | None = UNSET
    form_items: Sequence[FormItem] | Unset | None = UNSET
    estimated_duration_hours: float | Unset | None = UNSET
    time_spent: float | Unset | None = UNSET
    cost: float | Unset | None = UNSET
    decrease_inventory: DecreaseInventory | Unset = UNSET
    custom_status_id: str | Unset | None = UNSET
    parts: Sequence[str] | Unset | None = UNSET  # replaces the parts used; None: none
    part_quantities: Sequence[float] | Unset | None = UNSET  # without parts: the current parts' new quantities
    status: Status | Unset = UNSET
    archived: bool | Unset = UNSET
    additional_costs: Sequence[CostChange] | Unset = UNSET
    remove_all_costs: bool | Unset = UNSET
