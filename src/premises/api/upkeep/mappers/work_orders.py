"""Work order <-> UpKeep wire shape.

UpKeep's patch conventions become typed domain commands here: ``additionalCosts`` items with no
``id`` add a cost line, with an ``id`` modify it, with ``deleteAdditionalCostItem`` delete it, and
an empty (or null) ``additionalCosts`` removes every line; ``archivedStatus`` "0"/"1" is a boolean.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from typing import Any

from premises.api.kit.body import COERCERS, Field, Spec, bounded, check_length
from premises.api.kit.errors import WireInputError
from premises.api.kit.form_items import parse_form_items
from premises.api.kit.representation import Columns, Computed, Fields, Wire
from premises.api.upkeep.expanders import UPKEEP_EXPANDERS, expander, objects_for_columns
from premises.api.upkeep.mappers.common import (
    BOOL,
    ID_OR_OBJECT,
    IDS,
    NINT,
    NNUM,
    NSTR,
    STR,
    iso,
    obj,
)
from premises.db import jsonsql
from premises.db.reader import Reader, Row
from premises.errors import ErrorCode
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.commands import build
from premises.models.work_order import WorkOrder, WorkOrderCost, WorkOrderUpdate
from premises.work_order import queries
from premises.work_order.commands import (
    CostAdd,
    CostChange,
    CostDelete,
    CostModify,
    DecreaseInventory,
    Status,
    WorkOrderChanges,
    WorkOrderCreate,
)
from premises.work_order.fields import WORK_ORDERS

IMAGES = {
    "image": "image_file_id",
    "image2": "image2_file_id",
    "image3": "image3_file_id",
    "image4": "image4_file_id",
    "image5": "image5_file_id",
    "signatureImage": "signature_file_id",
}

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


def parse_quantities(value: Any) -> list[float] | None:
    """respectivePartQuantityUsed: a list of numbers (or numeric strings), one per part."""
    if value is None:
        return None
    if not isinstance(value, list):
        value = [value]  # a form body's single value
    return [COERCERS["number"](f"respectivePartQuantityUsed[{i}]", item) for i, item in enumerate(value)]


def _domain_values(fields: dict[str, Any]) -> dict[str, Any]:
    if "part_quantities" in fields:
        fields["part_quantities"] = parse_quantities(fields["part_quantities"])
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


def _response_hours(first_status_change_at: int | None, created_at: int) -> float | None:
    if first_status_change_at is None:
        return None
    hours: float = (first_status_change_at - created_at) / 3_600_000
    return round(hours, 2)


NUMBER_TEXT = jsonsql.sql_function("upkeep_number_text", 1, _number_text)
RESPONSE_TIME = jsonsql.sql_function(
    "upkeep_response_time", 2, lambda first, created: jsonutil.dumps(_response_hours(first, created))
)


def _number_text_sql(e: str) -> jsonsql.Piece:
    return jsonsql.call(NUMBER_TEXT, e)


_CUSTOM_STATUS = (
    ("id", "custom_status_id"),
    ("name", "custom_status_name"),
    ("type", "custom_status_type"),
    ("createdBy", "custom_status_created_by"),
    ("deletedBy", "custom_status_deleted_by"),
)


def _custom_status_sql(c: Columns) -> jsonsql.Piece:
    status_id = c("custom_status_id")
    rendered = jsonsql.json_object([(wire, jsonsql.value(c(column))) for wire, column in _CUSTOM_STATUS])
    return jsonsql.Piece(f"CASE WHEN {status_id} IS NULL OR {status_id} = '' THEN NULL ELSE {rendered.sql} END")


def _joined(name: str, column: str) -> Computed:
    """A member read from a column the list statement joins (``queries.JOINED_SQL``)."""
    return Computed(name, f"{{{column}}}", NSTR, lambda c: jsonsql.value(c(column)))


FILE_OBJECT = {"type": ["object", "string", "null"]}

# UpKeep's work order, in the order of its members (work_order.fields declares the domain's fields):
# the renderers from a dict or a row tuple, the page SQLite renders and the response schema derive from it.
UPKEEP = Fields(
    WORK_ORDERS.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "work_order_no": Wire(
                "workOrderNo", lambda n: format(n, "03d"), schema=STR, sqlite=lambda e: jsonsql.padded(e, 3)
            ),
            "title": Wire("title"),
            "description": Wire("description"),
            "status": Wire("status"),
            "priority": Wire("priority", schema={"type": "integer"}, body_kind="integer", null_default=True),
            "category": Wire("category"),
            "start_date": Wire("startDate", iso),
            "due_date": Wire("dueDate", iso),
            "end_due_date": Wire("endDueDate", iso, body=False),
            "date_completed": Wire("dateCompleted", iso),
            "asset_id": Wire("asset", schema=ID_OR_OBJECT),
            "location_id": Wire("location", schema=ID_OR_OBJECT),
            "team_id": Wire("team", schema=ID_OR_OBJECT),
            "assigned_to_user_id": Wire(
                "assignedToUser", schema=ID_OR_OBJECT, then=(_joined("assignedToUsername", "assigned_to_email"),)
            ),
            "assigned_by_user_id": Wire(
                "assignedByUser", schema=ID_OR_OBJECT, then=(_joined("assignedByUsername", "assigned_by_email"),)
            ),
            "completed_by_user_id": Wire(
                "completedByUser", schema=ID_OR_OBJECT, then=(_joined("completedByUsername", "completed_by_email"),)
            ),
            "requested_by_user_id": Wire("requestedByUser", schema=ID_OR_OBJECT),
            "created_by_user_id": Wire("createdByUser"),
            "public_requester_email": Wire("publicRequesterEmail"),
            "estimated_duration_hours": Wire("estimatedDurationInHours"),
            "time_spent": Wire("time", _number_text, schema=NSTR, sqlite=_number_text_sql),
            "cost": Wire(
                "cost",
                _number_text,
                schema=NSTR,
                sqlite=_number_text_sql,
                then=(
                    Computed(
                        "responseTime",
                        "(response_hours({first_status_change_at}, {created_at})"
                        " if {first_status_change_at} is not None else None)",
                        NNUM,
                        lambda c: jsonsql.Piece(
                            f"json({jsonsql.call(RESPONSE_TIME, c('first_status_change_at'), c('created_at')).sql})"
                        ),
                    ),
                ),
            ),
            "archived": Wire(
                "archivedStatus",
                lambda archived: "1" if archived else "0",
                schema={"enum": ["0", "1"]},
                sqlite=lambda e: jsonsql.either(e, "'1'", "'0'"),
                body_kind="string",
                choices=("0", "1"),
            ),
            "requires_signature": Wire(
                "requiresSignature",
                lambda required: 1 if required else 0,
                schema=NINT,
                sqlite=lambda e: jsonsql.either(e, "1", "0"),
                body=False,
            ),
            "decrease_inventory": Wire("decreaseInventory"),
            "form_template_id": Wire("formTemplate"),
            "custom_status_id": Wire("customWOStatusId", response=False),
            "form_items": Wire(
                "formItems",
                schema={"type": "array", "items": {"type": "object"}},
                body_kind="object_list",
                null_default=True,
            ),
            "file_ids": Wire("files", schema=IDS, null_default=True),
            "additional_user_ids": Wire(
                "additionalUsers",
                schema=IDS,
                null_default=True,
                then=(
                    Computed(
                        "customWOStatus",
                        "({"
                        + ", ".join(f"{wire!r}: {{{column}}}" for wire, column in _CUSTOM_STATUS)
                        + "} if {custom_status_id} else None)",
                        {"type": ["object", "null"]},
                        _custom_status_sql,
                    ),
                ),
            ),
            "part_ids": Wire("parts", schema=IDS, body=False),
            "part_quantities": Wire(
                "respectivePartQuantityUsed", schema={"type": "array", "items": {"type": "number"}}, body=False
            ),
            "created_at": Wire("createdAt", iso),
            "updated_at": Wire("updatedAt", iso),
            **{column: Wire(wire, expands="file", schema=FILE_OBJECT) for wire, column in IMAGES.items()},
        },
    ),
    functions={"response_hours": _response_hours},
)
IMAGE_COLUMNS = UPKEEP.expanded_columns("file")
# The body members that are no column of the work order: the parts used (work_order_parts), in order.
_PARTS = (Field("parts", "id_list"), Field("respectivePartQuantityUsed", "any", to="part_quantities"))
CREATE = Spec(*UPKEEP.body_fields(required=("title",), without=("status", "archived")), *_PARTS, model=WorkOrder)
UPDATE = Spec(
    *UPKEEP.body_fields(),
    *_PARTS,
    Field("additionalCosts", "object_list", to="additional_costs"),
    model=WorkOrder,
)
# A row as the database returns it (``queries.list_work_order_rows``: ALL_COLUMNS order) as UpKeep's object.
_render_row = UPKEEP.row_renderer(queries.ALL_COLUMNS)
_IMAGE_INDEXES = tuple(queries.ALL_COLUMNS.index(column) for column in IMAGE_COLUMNS)


def to_upkeep(row: Mapping[str, Any], files: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A read-model row (``queries.list_work_orders``: a dict, JSON lists parsed) as UpKeep's object."""
    return UPKEEP.render(row, {"file": files} if files else {})


async def render_rows(reader: Reader, principal: Principal, rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Rows as the database returns them as UpKeep objects (``render`` without the read model's dicts)."""
    ids = {row[i] for row in rows for i in _IMAGE_INDEXES if row[i]}
    objects = {"file": await UPKEEP_EXPANDERS.by_kind["file"](reader, principal, ids)} if ids else {}
    # Indexing a tuple is twice as fast as indexing asyncpg's Record, and a page indexes every column.
    return [_render_row(tuple(row), objects) for row in rows]


@functools.cache
def page_projection() -> tuple[str, str]:
    """The select list of a list page rendered by SQLite (``queries.list_work_orders_as``): each row's
    UpKeep object as JSON text, byte for byte ``orjson.dumps(to_upkeep(row))``, and 1 when the row must
    be rendered in Python instead (a file image to expand, a value outside what SQL renders)."""

    def column(name: str) -> str:
        declared = WORK_ORDERS.get(name)
        return declared.sql("t") if declared is not None else queries.JOINED_SQL[name]

    rendered = UPKEEP.sqlite_projection(column)
    return rendered.sql, jsonsql.flag(rendered.unsafe)


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


def _hours(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def time_log_to_upkeep(entries: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """``timeLog``: the time entries (``work_order.time_log``) by user, in the order of their first entry.
    Premises has no time categories yet: ``category`` is null."""
    groups: dict[Any, dict[str, Any]] = {}
    for entry in entries:
        group = groups.setdefault(
            entry["user_id"], {"duration": 0, "category": None, "assignedToUser": entry["user_id"], "timers": []}
        )
        group["duration"] = _hours(group["duration"] + entry["duration"])
        group["timers"].append(
            {
                "duration": _hours(entry["duration"]),
                "status": entry["status"],
                "hourlyCost": entry["hourly_cost"],
                "createdByUser": entry["created_by_user_id"],
                "createdAt": iso(entry["created_at"]),
            }
        )
    return list(groups.values())


async def render(reader: Reader, principal: Principal, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    files = await objects_for_columns("file", reader, principal, rows, IMAGE_COLUMNS)
    return [to_upkeep(row, files) for row in rows]


@expander("work_order")
async def expand_work_orders(reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not principal.may("work_order", "read"):
        return {}
    rows = await queries.work_orders_by_ids(reader, principal, ids)
    rendered = await render(reader, principal, list(rows.values()))
    return {item["id"]: item for item in rendered}


SCHEMA = obj(
    {
        **UPKEEP.schema_properties({}),
        "additionalCosts": {"type": "array", "items": {"type": "object"}},
        "arrayOfUpdateItems": IDS,
        "archived": BOOL,
    },
    ("id", "workOrderNo", "title", "status", "priority", "createdAt", "updatedAt"),
)
