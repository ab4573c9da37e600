"""What the request services take: typed commands with domain names (style: ``premises.kit.commands``).

Priorities use the work orders' scale (``work_order.commands.Priority``): an approved request
becomes a work order.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from premises.kit.commands import UNSET, Unset


class Status(StrEnum):
    """A request is open until someone decides it; the other statuses are final."""

    OPEN = "open"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


@dataclass(frozen=True, slots=True)
class RequestCreate:
    title: str
    description: str | None = None
    priority: int | None = None
    category: str | None = None
    due_date: int | None = None
    end_due_date: int | None = None
    location_id: str | None = None
    asset_id: str | None = None
    team_id: str | None = None
    assigned_to_user_id: str | None = None
    image_file_id: str | None = None
    file_ids: Sequence[str] | None = None


@dataclass(frozen=True, slots=True)
class RequestApproval:
    """Approving a request: work-order fields that replace the request's values on the new work order."""

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
    estimated_duration_hours: float | Unset | None = UNSET
