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
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.upkeep.expanders import expander, objects_for_columns
from premises.api.upkeep.mappers.common import DATE, ID_OR_OBJECT, IDS, NSTR, iso, obj
from premises.db.reader import Reader
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models.request import WorkRequest
from premises.models.work_order import WorkOrder
from premises.request import queries
from premises.request.commands import RequestApproval, RequestCreate
from premises.request.fields import REQUESTS

PRIORITIES = REQUESTS.by_name["priority"].choices
# Keys the mapper fills: the work order's parts a request does not have yet, and the decision
# (status, decided_by_user_id, decided_at, decision_reason) as UpKeep's approved / declined / cancelled keys.
WORK_ORDER_PARTS = ("formItems", "parts", "arrayOfUpdateItems")
DECISION_SCHEMA = {
    "approvedByUser": NSTR,
    "approvedAt": DATE,
    "declinedByUser": NSTR,
    "declinedAt": DATE,
    "declineReason": NSTR,
    "cancelledByUser": ID_OR_OBJECT,
    "cancelledAt": DATE,
    "cancelReason": NSTR,
}

# UpKeep's name and rendering of every request field it shows (request.fields declares them), in
# the order of its objects: bodies, responses, schemas and the list's filters derive from it.
# endDueDate, image, files, requestedByUser, status and workOrder are Premises extensions (the
# request portal's photo and attachments, a due window's end, the decision).
UPKEEP = Fields(
    REQUESTS.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "title": Wire("title", filter="Only requests with this title."),
            "description": Wire("description"),
            "status": Wire("status", filter="Premises extension."),
            "priority": Wire("priority", null_default=True),
            "category": Wire("category", filter="Only requests with this category."),
            "location_id": Wire("location", schema=ID_OR_OBJECT, filter="Only requests at this location."),
            "asset_id": Wire("asset", schema=ID_OR_OBJECT, filter="Only requests for this asset."),
            "team_id": Wire("team", schema=ID_OR_OBJECT, filter="Only requests assigned to this team."),
            "assigned_to_user_id": Wire(
                "assignedToUser", schema=ID_OR_OBJECT, filter="Only requests assigned to this user."
            ),
            "assigned_to_email": Wire("assignedToUsername"),
            "assigned_by_user_id": Wire("assignedByUser", schema=ID_OR_OBJECT),
            "requested_by_user_id": Wire(
                "requestedByUser", schema=ID_OR_OBJECT, filter="Only requests raised by this user."
            ),
            "public_requester_email": Wire("publicRequesterEmail", filter="Only requests from this email."),
            "due_date": Wire("dueDate", iso, ordered=True),
            "end_due_date": Wire("endDueDate", iso, ordered=True),
            "image_file_id": Wire("image", expands="file", schema={"type": ["object", "string", "null"]}),
            "file_ids": Wire("files", schema=IDS, null_default=True, then=WORK_ORDER_PARTS),
            "work_order_id": Wire("workOrder", schema=ID_OR_OBJECT, then=tuple(DECISION_SCHEMA)),
            "created_at": Wire("createdAt", iso, ordered=True),
            "updated_at": Wire("updatedAt", iso, ordered=True),
        },
    )
)
IMAGE_COLUMNS = UPKEEP.expanded_columns("file")
CREATE = Spec(*UPKEEP.body_fields(required=required_of(RequestCreate)), model=WorkRequest)
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
    out = UPKEEP.render(row, {"file": files or {}})
    # Checklists, parts and update messages live on the work order an approval creates.
    out["formItems"], out["parts"], out["arrayOfUpdateItems"] = [], [], []
    out["approvedByUser"], out["approvedAt"], _ = _decision(row, "approved")
    out["declinedByUser"], out["declinedAt"], out["declineReason"] = _decision(row, "rejected")
    out["cancelledByUser"], out["cancelledAt"], out["cancelReason"] = _decision(row, "cancelled")
    return out


async def render(reader: Reader, principal: Principal, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Wire objects for rows; ``image`` becomes a file object when the file kind is registered (one query)."""
    files = await objects_for_columns("file", reader, principal, rows, IMAGE_COLUMNS)
    return [to_upkeep(row, files) for row in rows]


@expander("request")
async def expand_requests(reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not principal.may("request", "read"):
        return {}
    rows = await queries.requests_by_ids(reader, principal, ids)
    rendered = await render(reader, principal, list(rows.values()))
    return {item["id"]: item for item in rendered}


SCHEMA = obj(
    UPKEEP.schema_properties({**{key: {"type": "array"} for key in WORK_ORDER_PARTS}, **DECISION_SCHEMA}),
    UPKEEP.required(),
)
