"""Work order <-> UpKeep wire shape.

UpKeep's patch conventions become typed domain commands here: ``additionalCosts`` items with no
``id`` add a cost line, with an ``id`` modify it, with ``deleteAdditionalCostItem`` delete it, and
an empty (or null) ``additionalCosts`` removes every line; ``archivedStatus`` "0"/"1" is a boolean.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from premises.api.kit.body import COERCERS, Field, Spec, bounded, check_length
from premises.api.kit.errors import WireInputError
from premises.api.upkeep.expanders import UPKEEP_EXPANDERS, expander, objects_for_columns
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
from premises.db import jsonsql
from premises.db.reader import Reader, Row
from premises.errors import ErrorCode
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.commands import build
from premises.kit.fields import Attachment
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
from premises.work_order.fields import WORK_ORDERS

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


def _response_hours(first_status_change_at: int | None, created_at: int) -> float | None:
    if first_status_change_at is None:
        return None
    hours: float = (first_status_change_at - created_at) / 3_600_000
    return round(hours, 2)


def _fragment(text: str | None) -> Any:
    """A JSON list kept on the row (written by ``kit.jsonutil``) embedded as it is, without parsing it."""
    if text and text[0] == "[":
        return orjson.Fragment(text)
    return jsonutil.loads(text) or []


NUMBER_TEXT = jsonsql.sql_function("upkeep_number_text", 1, _number_text)
RESPONSE_TIME = jsonsql.sql_function(
    "upkeep_response_time", 2, lambda first, created: jsonutil.dumps(_response_hours(first, created))
)

Columns = Callable[[str], str]  # a domain field or joined column name -> its SQL in the list statement


@dataclass(frozen=True, slots=True)
class Out:
    """One member of UpKeep's work order: its wire name, its value as a Python expression (``{column}``
    is the read model's value of a domain field or joined column; ``files`` the file objects by id)
    and as a value of SQLite's ``json_object`` (``db.jsonsql``): ``to_upkeep``, the tuple renderer
    and the page rendered by SQLite all derive from this one declaration."""

    wire: str
    python: str
    sqlite: Callable[[Columns], jsonsql.Piece]


def _plain(wire: str, column: str) -> Out:
    return Out(wire, f"{{{column}}}", lambda c: jsonsql.value(c(column)))


def _instant(wire: str, column: str) -> Out:
    return Out(wire, f"(iso({{{column}}}) if {{{column}}} is not None else None)", lambda c: jsonsql.iso(c(column)))


def _json_list(wire: str, column: str) -> Out:
    return Out(
        wire, f"(EMPTY if {{{column}}} == '[]' else json_list({{{column}}}))", lambda c: jsonsql.json_list(c(column))
    )


def _image(wire: str, column: str, first: bool) -> Out:
    """A file object (when readable) replaces the id: a row with any image is rendered in Python (the
    first image's member says so for all of them)."""
    value = f"{{{column}}}"
    if not first:
        return Out(wire, f"(files.get({value}, {value}) if {value} else None)", lambda c: jsonsql.Piece("NULL"))
    return Out(
        wire,
        f"(files.get({value}, {value}) if {value} else None)",
        lambda c: jsonsql.absent(*(c(image) for image in IMAGES.values())),
    )


_CUSTOM_STATUS = (
    ("id", "custom_status_id"),
    ("name", "custom_status_name"),
    ("type", "custom_status_type"),
    ("createdBy", "custom_status_created_by"),
    ("deletedBy", "custom_status_deleted_by"),
)


def _custom_status(c: Columns) -> jsonsql.Piece:
    status_id = c("custom_status_id")
    rendered = jsonsql.json_object([(wire, jsonsql.value(c(column))) for wire, column in _CUSTOM_STATUS])
    return jsonsql.Piece(f"CASE WHEN {status_id} IS NULL OR {status_id} = '' THEN NULL ELSE {rendered.sql} END")


_CUSTOM_STATUS_PY = (
    "({"
    + ", ".join(f"{wire!r}: {{{column}}}" for wire, column in _CUSTOM_STATUS)
    + "} if {custom_status_id} else None)"
)

# UpKeep's work order, in the order of its members: per domain field, the members it renders (a field
# renders itself and may be followed by members that are no field of their own, e.g. the joined
# assignee's email).
UPKEEP: Attachment[tuple[Out, ...]] = WORK_ORDERS.attach(
    "upkeep",
    {
        "id": (_plain("id", "id"),),
        "work_order_no": (
            Out("workOrderNo", "format({work_order_no}, '03d')", lambda c: jsonsql.padded(c("work_order_no"), 3)),
        ),
        "title": (_plain("title", "title"),),
        "description": (_plain("description", "description"),),
        "status": (_plain("status", "status"),),
        "priority": (_plain("priority", "priority"),),
        "category": (_plain("category", "category"),),
        "start_date": (_instant("startDate", "start_date"),),
        "due_date": (_instant("dueDate", "due_date"),),
        "end_due_date": (_instant("endDueDate", "end_due_date"),),
        "date_completed": (_instant("dateCompleted", "date_completed"),),
        "asset_id": (_plain("asset", "asset_id"),),
        "location_id": (_plain("location", "location_id"),),
        "team_id": (_plain("team", "team_id"),),
        "assigned_to_user_id": (
            _plain("assignedToUser", "assigned_to_user_id"),
            _plain("assignedToUsername", "assigned_to_email"),
        ),
        "assigned_by_user_id": (
            _plain("assignedByUser", "assigned_by_user_id"),
            _plain("assignedByUsername", "assigned_by_email"),
        ),
        "completed_by_user_id": (
            _plain("completedByUser", "completed_by_user_id"),
            _plain("completedByUsername", "completed_by_email"),
        ),
        "requested_by_user_id": (_plain("requestedByUser", "requested_by_user_id"),),
        "created_by_user_id": (_plain("createdByUser", "created_by_user_id"),),
        "public_requester_email": (_plain("publicRequesterEmail", "public_requester_email"),),
        "estimated_duration_hours": (
            Out(
                "estimatedDurationInHours",
                "{estimated_duration_hours}",
                lambda c: jsonsql.number(c("estimated_duration_hours")),
            ),
        ),
        "time_spent": (
            Out(
                "time",
                "(number_text({time_spent}) if {time_spent} is not None else None)",
                lambda c: jsonsql.call(NUMBER_TEXT, c("time_spent")),
            ),
        ),
        "cost": (
            Out(
                "cost",
                "(number_text({cost}) if {cost} is not None else None)",
                lambda c: jsonsql.call(NUMBER_TEXT, c("cost")),
            ),
            Out(
                "responseTime",
                "(response_hours({first_status_change_at}, {created_at})"
                " if {first_status_change_at} is not None else None)",
                lambda c: jsonsql.Piece(
                    f"json({jsonsql.call(RESPONSE_TIME, c('first_status_change_at'), c('created_at')).sql})"
                ),
            ),
        ),
        "archived": (
            Out(
                "archivedStatus", "('1' if {archived} else '0')", lambda c: jsonsql.either(c("archived"), "'1'", "'0'")
            ),
        ),
        "requires_signature": (
            Out(
                "requiresSignature",
                "(1 if {requires_signature} else 0)",
                lambda c: jsonsql.either(c("requires_signature"), "1", "0"),
            ),
        ),
        "decrease_inventory": (_plain("decreaseInventory", "decrease_inventory"),),
        "form_template_id": (_plain("formTemplate", "form_template_id"),),
        "form_items": (_json_list("formItems", "form_items"),),
        "file_ids": (_json_list("files", "file_ids"),),
        "additional_user_ids": (
            _json_list("additionalUsers", "additional_user_ids"),
            Out("parts", "[]", lambda c: jsonsql.empty_list()),
            Out("respectivePartQuantityUsed", "[]", lambda c: jsonsql.empty_list()),
            Out("customWOStatus", _CUSTOM_STATUS_PY, _custom_status),
        ),
        "created_at": (_instant("createdAt", "created_at"),),
        "updated_at": (_instant("updatedAt", "updated_at"),),
        **{column: (_image(wire, column, i == 0),) for i, (wire, column) in enumerate(IMAGES.items())},
    },
)
MEMBERS = tuple(out for outs in UPKEEP.entries.values() for out in outs)
_PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)\}")


def _compile(
    name: str, value: Callable[[str], str], json_list: Callable[[Any], Any], empty: Any
) -> Callable[..., dict[str, Any]]:
    """``name(r, files=None)`` generated from ``MEMBERS`` as one dict display (as fast as a hand-written
    mapper); ``value(column)`` is the Python expression reading ``column`` from ``r``."""
    members = ", ".join(f"{out.wire!r}: {_PLACEHOLDER.sub(lambda m: value(m.group(1)), out.python)}" for out in MEMBERS)
    source = f"def {name}(r, files=None):\n    files = files or {{}}\n    return {{{members}}}\n"
    namespace: dict[str, Any] = {
        "iso": iso,
        "number_text": _number_text,
        "response_hours": _response_hours,
        "json_list": json_list,
        "EMPTY": empty,
    }
    exec(compile(source, f"{__name__}.{name}", "exec"), namespace)
    function: Callable[..., dict[str, Any]] = namespace[name]
    return function


# A read-model row (``queries.list_work_orders``: a dict, JSON lists parsed) as UpKeep's object.
to_upkeep = _compile("to_upkeep", lambda column: f"r[{column!r}]", lambda items: items, None)  # lists are parsed
# The same from a row as the database returns it (``queries.list_work_order_rows``: ALL_COLUMNS order).
to_upkeep_row = _compile(
    "to_upkeep_row", lambda column: f"r[{queries.ALL_COLUMNS.index(column)}]", _fragment, orjson.Fragment("[]")
)
_IMAGE_INDEXES = tuple(queries.ALL_COLUMNS.index(column) for column in IMAGES.values())


async def render_rows(reader: Reader, principal: Principal, rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Rows as the database returns them as UpKeep objects (``render`` without the read model's dicts)."""
    ids = {row[i] for row in rows for i in _IMAGE_INDEXES if row[i]}
    files = await UPKEEP_EXPANDERS.by_kind["file"](reader, principal, ids) if ids else {}
    # Indexing a tuple is twice as fast as indexing asyncpg's Record, and a page indexes every column.
    return [to_upkeep_row(tuple(row), files) for row in rows]


@functools.cache
def page_projection() -> tuple[str, str]:
    """The select list of a list page rendered by SQLite (``queries.list_work_orders_as``): each row's
    UpKeep object as JSON text, byte for byte ``orjson.dumps(to_upkeep(row))``, and 1 when the row must
    be rendered in Python instead (a file image to expand, a value outside what SQL renders)."""

    def column(name: str) -> str:
        declared = WORK_ORDERS.get(name)
        return declared.sql("t") if declared is not None else queries.JOINED_SQL[name]

    rendered = jsonsql.json_object([(out.wire, out.sqlite(column)) for out in MEMBERS])
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
