"""What the case services take: typed commands with domain names (style: ``premises.kit.commands``).

A case's status moves only along ``TRANSITIONS`` (reference §3.2); its priority is "1" (the most
urgent) to "5"; its type is a name among its site's case types (``DEFAULT_TYPES`` on every site).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from premises.kit.commands import UNSET, Unset


class Status(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "inProgress"
    CLOSED = "closed"


# The statuses a case may move to from each status; closing from todo is declining or a duplicate,
# closed -> todo reopens (and counts it).
TRANSITIONS: dict[Status, frozenset[Status]] = {
    Status.TODO: frozenset({Status.IN_PROGRESS, Status.CLOSED}),
    Status.IN_PROGRESS: frozenset({Status.TODO, Status.CLOSED}),
    Status.CLOSED: frozenset({Status.TODO}),
}

PRIORITIES = ("1", "2", "3", "4", "5")  # "1" is the most urgent
DEFAULT_PRIORITY = "3"

# Onsite's seven default case types (reference §2.3), made with every site.
DEFAULT_TYPES = ("Repair And Maintenance", "Incident", "Defects", "Task", "Upgrades", "Cleaning", "Gardening")
DEFAULT_TYPE = "Task"  # a case created without a type


@dataclass(frozen=True, slots=True)
class CaseCreate:
    """A new case at ``site_id``; ``assignee_user_id`` defaults to the creator."""

    site_id: str
    title: str
    case_type: str | None = None
    description: str | None = None
    status: Status | str | None = None
    priority: str | None = None
    due: int | None = None
    assignee_user_id: str | None = None
    unit_id: str | None = None
    resident_id: str | None = None
    contractor_id: str | None = None
    asset_id: str | None = None


@dataclass(frozen=True, slots=True)
class CaseChanges:
    """A partial update; ``None`` clears a link, the due date or the description."""

    title: str | Unset = UNSET
    case_type: str | Unset = UNSET
    description: str | Unset | None = UNSET
    status: Status | str | Unset = UNSET
    priority: str | Unset = UNSET
    due: int | Unset | None = UNSET
    assignee_user_id: str | Unset | None = UNSET
    unit_id: str | Unset | None = UNSET
    resident_id: str | Unset | None = UNSET
    contractor_id: str | Unset | None = UNSET
    asset_id: str | Unset | None = UNSET
