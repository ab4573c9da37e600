"""Work request <-> UpKeep wire shape.

UpKeep documents only ``status``-less examples; Premises renders ``status`` as ``open``,
``approved``, ``rejected`` or ``cancelled``, and the decision as ``approvedByUser``/``approvedAt``,
``declinedByUser``/``declinedAt``/``declineReason`` or ``cancelledByUser``/``cancelledAt``/
``cancelReason`` (the pairs that do not apply are null). ``workOrder`` is the id of the work order
an approval created.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from premises.api.kit.body import Field, Spec
from premises.api.upkeep.expanders import expander, objects_for_columns
from premises.api.upkeep.mappers.common import DATE, ID_OR_OBJECT, IDS, NSTR, STR, iso, obj
from premises.db.reader import Reader
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models.request import REQUEST_STATUSES, WorkRequest
from premises.models.work_order import WorkOrder
from premises.request import queries
from premises.request.commands import RequestApproval, RequestCreate

PRIORITIES = (0, 1, 2, 3)

CREATE = Spec(
    Field("title", required=True, max_length=500),
    Field("description", max_length=100_000),
    Field("priority", "integer", choices=PRIORITIES),
    Field("location", "id", to="location_id"),
    Field("asset", "id", to="asset_id"),
    Field("team", "id", to="team_id"),
    Field("assignedToUser", "id", to="assigned_to_user_id"),
    Field("dueDate", "instant", to="due_date"),
    Field("category", max_length=200),
    # Premises extensions: the request portal's photo and attachments, and a due window's end.
    Field("endDueDate", "instant", to="end_due_date"),
    Field("image", "id", to="image_file_id"),
    Field("files", "id_list", to="file_ids"),
    model=WorkRequest,
)
# Work-order fields an approver may set on the work order the approval creates.
APPROVE = Spec(
    Field("title", max_length=500, nullable=False),
    Field("description", max_length=100_000),
    Field("priority", "integer", choices=PRIORITIES),
    Field("category", max_length=200),
    Field("startDate", "instant", to="start_date"),
    Field("dueDate", "instant", to="due_date"),
    Field("location", "id", to="location_id"),
    Field("asset", "id", to="asset_id"),
    Field("team", "id", to="team_id"),
    Field("assignedToUser", "id", to="assigned_to_user_id"),
    Field("additionalUsers", "id_list", to="additional_user_ids"),
    Field("estimatedDurationInHours", "number", to="estimated_duration_hours"),
    model=WorkOrder,
)
# Rejecting and cancelling take an optional reason.
DECISION = Spec(Field("reason", max_length=10_000))


def parse_create(body: Mapping[str, Any]) -> RequestCreate:
    return build(RequestCreate, CREATE.parse(body))


def parse_approval(body: Mapping[str, Any]) -> RequestApproval:
    return build(RequestApproval, APPROVE.parse(body, partial=True))


def _decision(row: Mapping[str, Any], status: str) -> tuple[str | None, str | None, str | None]:
    if row["status"] != status:
        return None, None, None
    return row["decided_by_user_id"], iso(row["decided_at"]), row["decision_reason"]


def to_upkeep(row: Mapping[str, Any], files: Mapping[str, Any] | None = None) -> dict[str, Any]:
    files = files or {}
    approved_by, approved_at, _ = _decision(row, "approved")
    declined_by, declined_at, decline_reason = _decision(row, "rejected")
    cancelled_by, cancelled_at, cancel_reason = _decision(row, "cancelled")
    image = row["image_file_id"]
    return {
        "id": row["id"],
        "title": row["title"],
        "description": row["description"],
        "status": row["status"],
        "priority": row["priority"],
        "category": row["category"],
        "location": row["location_id"],
        "asset": row["asset_id"],
        "team": row["team_id"],
        "assignedToUser": row["assigned_to_user_id"],
        "assignedToUsername": row["assigned_to_email"],
        "assignedByUser": row["assigned_by_user_id"],
        "requestedByUser": row["requested_by_user_id"],
        "publicRequesterEmail": row["public_requester_email"],
        "dueDate": iso(row["due_date"]),
        "endDueDate": iso(row["end_due_date"]),
        "image": files.get(image, image) if image else None,
        "files": row["file_ids"],
        # Checklists, parts and update messages live on the work order an approval creates.
        "formItems": [],
        "parts": [],
        "arrayOfUpdateItems": [],
        "workOrder": row["work_order_id"],
        "approvedByUser": approved_by,
        "approvedAt": approved_at,
        "declinedByUser": declined_by,
        "declinedAt": declined_at,
        "declineReason": decline_reason,
        "cancelledByUser": cancelled_by,
        "cancelledAt": cancelled_at,
        "cancelReason": cancel_reason,
        "createdAt": iso(row["created_at"]),
        "updatedAt": iso(row["updated_at"]),
    }


async def render(reader: Reader, principal: Principal, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Wire objects for rows; ``image`` becomes a file object when the file kind is registered (one query)."""
    files = await objects_for_columns("file", reader, principal, rows, ["image_file_id"])
    return [to_upkeep(row, files) for row in rows]


@expander("request")
async def expand_requests(reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not principal.may("request", "read"):
        return {}
    rows = await queries.requests_by_ids(reader, principal, ids)
    rendered = await render(reader, principal, list(rows.values()))
    return {item["id"]: item for item in rendered}


SCHEMA = obj(
    {
        "id": STR,
        "title": STR,
        "description": NSTR,
        "status": {"enum": list(REQUEST_STATUSES)},
        "priority": {"type": "integer"},
        "category": NSTR,
        "location": ID_OR_OBJECT,
        "asset": ID_OR_OBJECT,
        "team": ID_OR_OBJECT,
        "assignedToUser": ID_OR_OBJECT,
        "assignedToUsername": NSTR,
        "assignedByUser": ID_OR_OBJECT,
        "requestedByUser": ID_OR_OBJECT,
        "publicRequesterEmail": NSTR,
        "dueDate": DATE,
        "endDueDate": DATE,
        "image": {"type": ["object", "string", "null"]},
        "files": IDS,
        "formItems": {"type": "array"},
        "parts": {"type": "array"},
        "arrayOfUpdateItems": {"type": "array"},
        "workOrder": ID_OR_OBJECT,
        "approvedByUser": NSTR,
        "approvedAt": DATE,
        "declinedByUser": NSTR,
        "declinedAt": DATE,
        "declineReason": NSTR,
        "cancelledByUser": ID_OR_OBJECT,
        "cancelledAt": DATE,
        "cancelReason": NSTR,
        "createdAt": DATE,
        "updatedAt": DATE,
    },
    ("id", "title", "status", "priority", "createdAt", "updatedAt"),
)
