"""Work order <-> UpKeep wire shape.

UpKeep's patch conventions become typed domain commands here: ``additionalCosts`` items with no
``id`` add a cost line, with an ``id`` modify it, with ``deleteAdditionalCostItem`` delete it, and
an empty (or null) ``additionalCosts`` removes every line; ``archivedStatus`` "0"/"1" is a boolean.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from premises.api.kit.body import COERCERS, Field, Spec, bounded, check_length
from premises.api.kit.errors import WireInputError
from premises.api.upkeep.expanders import expander, objects_for_columns
from premises.api.upkeep.mappers.common import (
    BOOL,
    DATE,
    ID_OR_OBJECT,
    IDS,
    NINT,
    NNUM,
    NSTR,
    STR,
    iso,
    obj,
)
from premises.db.reader import Reader
from premises.errors import ErrorCode
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models.work_order import WORK_ORDER_STATUSES, WorkOrder, WorkOrderCost, WorkOrderUpdate
from premises.work_order import queries
from premises.work_order.commands import (
    CostAdd,
    CostChange,
    CostDelete,
    CostModify,
    DecreaseInventory,
    FormItem,
    Status,
    WorkOrderChanges,
    WorkOrderCreate,
)

IMAGES = {
    "image": "image_file_id",
    "image2": "image2_file_id",
    "image3": "image3_file_id",
    "image4": "image4_file_id",
    "image5": "image5_file_id",
    "signatureImage": "signature_file_id",
}

_COMMON = (
    Field("description", max_length=100_000),
    Field("priority", "integer", choices=(0, 1, 2, 3)),
    Field("category", max_length=200),
    Field("startDate", "instant", to="start_date"),
    Field("dueDate", "instant", to="due_date"),
    Field("asset", "id", to="asset_id"),
    Field("location", "id", to="location_id"),
    Field("team", "id", to="team_id"),
    *(Field(wire, "id", to=column) for wire, column in IMAGES.items()),
    Field("files", "id_list", to="file_ids"),
    Field("formTemplate", "id", to="form_template_id"),
    Field("formItems", "object_list", to="form_items"),
    Field("assignedToUser", "id", to="assigned_to_user_id"),
    Field("estimatedDurationInHours", "number", to="estimated_duration_hours"),
    Field("parts", "id_list"),
    Field("respectivePartQuantityUsed", "any", to="part_quantities"),
    Field("decreaseInventory", to="decrease_inventory", choices=("auto", "manual"), nullable=False),
    Field("time", "number", to="time_spent"),
    Field("cost", "number"),
    Field("additionalUsers", "id_list", to="additional_user_ids"),
    Field("customWOStatusId", "id", to="custom_status_id"),
)
CREATE = Spec(Field("title", required=True, max_length=500), *_COMMON, model=WorkOrder)
UPDATE = Spec(
    Field("title", max_length=500, nullable=False),
    *_COMMON,
    Field("status", choices=WORK_ORDER_STATUSES, nullable=False),
    Field("archivedStatus", choices=("0", "1"), to="archived", nullable=False),
    Field("additionalCosts", "object_list", to="additional_costs"),
    model=WorkOrder,
)
UPDATE_MESSAGE = Spec(Field("text", required=True, max_length=100_000), model=WorkOrderUpdate)

_COST_FIELDS = {
    f.name: bounded(f, WorkOrderCost)
    for f in (
        Field("id", "id"),
        Field("amount", "number"),
        Field("info", max_length=10_000),
        Field("category"),
        Field("assignedToUser", "id", to="assigned_to_user_id"),
        Field("date", "instant"),
        Field("includedInTotalCost", "boolean", to="included_in_total_cost"),
        Field("deleteAdditionalCostItem", "boolean", to="delete"),
    )
}


def _cost_change(parsed: dict[str, Any]) -> CostChange:
    """No id: a new line; an id: change the line (null leaves a value), or delete it when flagged."""
    delete = parsed.pop("delete", None)
    cost_id = parsed.pop("id", None)
    if cost_id is None:
        return CostAdd(**parsed)
    if delete:
        return CostDelete(cost_id)
    return CostModify(cost_id, **{name: value for name, value in parsed.items() if value is not None})


def parse_costs(items: Sequence[Mapping[str, Any]]) -> list[CostChange]:
    """additionalCosts items as cost changes; unknown keys are 'not in schema'."""
    out = []
    for index, item in enumerate(items):
        parsed: dict[str, Any] = {}
        for key, value in item.items():
            if key not in _COST_FIELDS:
                raise WireInputError(ErrorCode.UNKNOWN_FIELD, field=f"additionalCosts[{index}].{key}")
            field = _COST_FIELDS[key]
            name = f"additionalCosts[{index}].{key}"
            converted = None if value is None else COERCERS[field.kind](name, value)
            check_length(field, converted, name)
            parsed[field.target] = converted
        out.append(_cost_change(parsed))
    return out


FORM_ITEM_KEYS = ("id", "name", "type", "value", "options", "meter")


def parse_form_items(items: Sequence[Mapping[str, Any]] | None) -> list[FormItem] | None:
    """formItems as the domain's form items (each checked by the service); unknown keys are 'not in schema'."""
    if items is None:
        return None
    out = []
    for index, item in enumerate(items):
        unknown = sorted(set(item) - set(FORM_ITEM_KEYS))
        if unknown:
            raise WireInputError(ErrorCode.UNKNOWN_FIELD, field=f"formItems[{index}].{unknown[0]}")
        out.append(FormItem(**{key: item.get(key) for key in FORM_ITEM_KEYS}))
    return out


def _domain_values(fields: dict[str, Any]) -> dict[str, Any]:
    if "form_items" in fields:
        fields["form_items"] = parse_form_items(fields["form_items"])
    if fields.get("decrease_inventory") is not None:
        fields["decrease_inventory"] = DecreaseInventory(fields["decrease_inventory"])
    return fields


def parse_create(body: Mapping[str, Any]) -> WorkOrderCreate:
    return build(WorkOrderCreate, _domain_values(CREATE.parse(body)))


def parse_update(body: Mapping[str, Any]) -> WorkOrderChanges:
    changes = _domain_values(UPDATE.parse(body, partial=True))
    if "archived" in changes:
        changes["archived"] = changes["archived"] == "1"
    if "status" in changes:
        changes["status"] = Status(changes["status"])
    if "additional_costs" in changes:
        items = changes.pop("additional_costs")
        if items:
            changes["additional_costs"] = parse_costs(items)
        else:
            changes["remove_all_costs"] = True
    return build(WorkOrderChanges, changes)


def _number_text(value: float | None) -> str | None:
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else str(value)


def _response_hours(row: Mapping[str, Any]) -> float | None:
    if row["first_status_change_at"] is None:
        return None
    hours: float = (row["first_status_change_at"] - row["created_at"]) / 3_600_000
    return round(hours, 2)


def to_upkeep(row: Mapping[str, Any], files: Mapping[str, Any] | None = None) -> dict[str, Any]:
    files = files or {}
    custom = None
    if row["custom_status_id"]:
        custom = {
            "id": row["custom_status_id"],
            "name": row["custom_status_name"],
            "type": row["custom_status_type"],
            "createdBy": row["custom_status_created_by"],
            "deletedBy": row["custom_status_deleted_by"],
        }
    out: dict[str, Any] = {
        "id": row["id"],
        "workOrderNo": f"{row['work_order_no']:03d}",
        "title": row["title"],
        "description": row["description"],
        "status": row["status"],
        "priority": row["priority"],
        "category": row["category"],
        "startDate": iso(row["start_date"]),
        "dueDate": iso(row["due_date"]),
        "endDueDate": iso(row["end_due_date"]),
        "dateCompleted": iso(row["date_completed"]),
        "asset": row["asset_id"],
        "location": row["location_id"],
        "team": row["team_id"],
        "assignedToUser": row["assigned_to_user_id"],
        "assignedToUsername": row["assigned_to_email"],
        "assignedByUser": row["assigned_by_user_id"],
        "assignedByUsername": row["assigned_by_email"],
        "completedByUser": row["completed_by_user_id"],
        "completedByUsername": row["completed_by_email"],
        "requestedByUser": row["requested_by_user_id"],
        "createdByUser": row["created_by_user_id"],
        "publicRequesterEmail": row["public_requester_email"],
        "estimatedDurationInHours": row["estimated_duration_hours"],
        "time": _number_text(row["time_spent"]),
        "cost": _number_text(row["cost"]),
        "responseTime": _response_hours(row),
        "archivedStatus": "1" if row["archived"] else "0",
        "requiresSignature": 1 if row["requires_signature"] else 0,
        "decreaseInventory": row["decrease_inventory"],
        "formTemplate": row["form_template_id"],
        "formItems": row["form_items"],
        "files": row["file_ids"],
        "additionalUsers": row["additional_user_ids"],
        "parts": [],
        "respectivePartQuantityUsed": [],
        "customWOStatus": custom,
        "createdAt": iso(row["created_at"]),
        "updatedAt": iso(row["updated_at"]),
    }
    for wire, column in IMAGES.items():
        file_id = row[column]
        out[wire] = files.get(file_id, file_id) if file_id else None
    return out


def cost_to_upkeep(cost: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": cost["id"],
        "amount": cost["amount"],
        "info": cost["info"],
        "category": cost["category"],
        "assignedToUser": cost["assigned_to_user_id"],
        "date": iso(cost["date"]),
        "includedInTotalCost": cost["included_in_total_cost"],
    }


async def render(reader: Reader, principal: Principal, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    files = await objects_for_columns("file", reader, principal, rows, IMAGES.values())
    return [to_upkeep(row, files) for row in rows]


@expander("work_order")
async def expand_work_orders(reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not principal.may("work_order", "read"):
        return {}
    rows = await queries.work_orders_by_ids(reader, principal, ids)
    rendered = await render(reader, principal, list(rows.values()))
    return {item["id"]: item for item in rendered}


FILE_OBJECT = {"type": ["object", "string", "null"]}
SCHEMA = obj(
    {
        "id": STR,
        "workOrderNo": STR,
        "title": STR,
        "description": NSTR,
        "status": {"enum": list(WORK_ORDER_STATUSES)},
        "priority": {"type": "integer"},
        "category": NSTR,
        "startDate": DATE,
        "dueDate": DATE,
        "endDueDate": DATE,
        "dateCompleted": DATE,
        "asset": ID_OR_OBJECT,
        "location": ID_OR_OBJECT,
        "team": ID_OR_OBJECT,
        "assignedToUser": ID_OR_OBJECT,
        "assignedToUsername": NSTR,
        "assignedByUser": ID_OR_OBJECT,
        "assignedByUsername": NSTR,
        "completedByUser": ID_OR_OBJECT,
        "completedByUsername": NSTR,
        "requestedByUser": ID_OR_OBJECT,
        "createdByUser": NSTR,
        "publicRequesterEmail": NSTR,
        "estimatedDurationInHours": NNUM,
        "time": NSTR,
        "cost": NSTR,
        "responseTime": NNUM,
        "archivedStatus": {"enum": ["0", "1"]},
        "requiresSignature": NINT,
        "formItems": {"type": "array", "items": {"type": "object"}},
        "files": IDS,
        "additionalUsers": IDS,
        "parts": IDS,
        "customWOStatus": {"type": ["object", "null"]},
        "createdAt": DATE,
        "updatedAt": DATE,
        **dict.fromkeys(IMAGES, FILE_OBJECT),
        "additionalCosts": {"type": "array", "items": {"type": "object"}},
        "arrayOfUpdateItems": IDS,
        "archived": BOOL,
    },
    ("id", "workOrderNo", "title", "status", "priority", "createdAt", "updatedAt"),
)
