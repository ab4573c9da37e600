"""Legacy recurring work orders <-> UpKeep's wire shape before version 2022-09-14 (``preventive.legacy``).

A legacy client sends ``recurringSchedule``, ``endDueDate`` and ``rescheduledBasedOnCompletion`` with a
work order; they are split off the body (the rest is an ordinary work order body) and the work order is
rendered as usual plus ``recurringSchedule`` and ``rescheduledBasedOnCompletion`` (``endDueDate`` is the
work order's). A schedule entry (GET /work-order-schedule) is the root rendered at one occurrence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from premises.api.kit.body import Field, Spec
from premises.api.upkeep.mappers.common import iso
from premises.kit.commands import build
from premises.models.work_order import WorkOrder
from premises.preventive import legacy
from premises.preventive.legacy import Recurrence

SPEC = Spec(
    Field("recurringSchedule", to="recurring_schedule", max_length=200),
    Field("endDueDate", "instant", to="end_due_date"),
    Field("rescheduledBasedOnCompletion", "boolean", to="rescheduled_based_on_completion"),
    model=WorkOrder,
)
# The members of a schedule entry: UpKeep's example shows the root's, without its id.
SCHEDULE_MEMBERS = (
    "title",
    "status",
    "dueDate",
    "assignedToUser",
    "assignedToUsername",
    "asset",
    "location",
    "time",
    "cost",
    "assignedByUser",
    "assignedByUsername",
    "priority",
    "description",
    "category",
    "createdAt",
    "updatedAt",
)


def split(body: Mapping[str, Any]) -> tuple[dict[str, Any], Recurrence]:
    """The work order's body without the legacy members, and the legacy members as a Recurrence."""
    rest = {key: value for key, value in body.items() if key not in SPEC.fields}
    ours = {key: value for key, value in body.items() if key in SPEC.fields}
    return rest, build(Recurrence, SPEC.parse(ours, partial=True))


def with_recurrence(item: dict[str, Any], trigger: Mapping[str, Any] | None) -> dict[str, Any]:
    """A rendered work order with its legacy recurrence (null and false when it does not recur)."""
    item["recurringSchedule"] = None if trigger is None else legacy.schedule_name(trigger)
    item["rescheduledBasedOnCompletion"] = bool(trigger and trigger["next_on_completion"])
    return item


def schedule_entry(root: Mapping[str, Any], trigger: Mapping[str, Any], due_at: int) -> dict[str, Any]:
    """One occurrence of a legacy recurring work order (its root rendered) in GET /work-order-schedule."""
    entry = {name: root.get(name) for name in SCHEDULE_MEMBERS}
    entry |= {"status": "open", "dueDate": iso(due_at), "recurringSchedule": legacy.schedule_name(trigger)}
    entry["preventativeMaintenance"] = root["id"]  # Premises: the legacy recurring work order (its root)
    return entry
