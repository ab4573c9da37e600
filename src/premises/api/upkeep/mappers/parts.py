"""Part, part custom field, inventory ledger and part category <-> UpKeep wire shapes.

UpKeep shows ``cost``, ``quantity`` and ``minimumQuantity`` as strings (``"88.00"``, ``"15"``). A
part's ``partId`` is its parent part; its part number is ``partName`` in responses (and
``partNumber`` too), and either name in a body. Custom fields are ``customFieldsPart`` items
``{name, value, unit}``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import orjson

from premises.api.kit.body import Field, Spec
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.upkeep.expanders import expander, objects_for_columns
from premises.api.upkeep.mappers import assets
from premises.api.upkeep.mappers.assets import parse_free_fields, parse_value_update
from premises.api.upkeep.mappers.common import DATE, ID_OR_OBJECT, IDS, NSTR, STR, iso, obj
from premises.db.reader import Reader
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models import Part
from premises.part import queries
from premises.part.commands import PartCategoryCreate, PartChanges, PartCreate
from premises.part.fields import INVENTORY_MOVES, PART_CATEGORIES, PARTS

CUSTOM_FIELDS = "customFieldsPart"
FILE_OBJECT = {"type": ["object", "string", "null"]}


def money(value: float | None) -> str | None:
    """A cost as UpKeep writes it: two decimals (``"88.00"``)."""
    return None if value is None else f"{value:.2f}"


def count(value: float | None) -> str | None:
    """A quantity as UpKeep writes it: ``"15"``, or ``"2.5"`` for a part counted in fractions."""
    if value is None:
        return None
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


# UpKeep's name and rendering of every part field (part.fields declares them), in the order of its objects.
UPKEEP = Fields(
    PARTS.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "image_file_id": Wire("image", expands="file", schema=FILE_OBJECT),
            "name": Wire("name", filter="Only parts with exactly this name."),
            "description": Wire("description"),
            "cost": Wire("cost", money, schema=NSTR),
            "quantity": Wire("quantity", count, schema=STR),
            "minimum_quantity": Wire("minimumQuantity", count, schema=NSTR),
            "parent_part_id": Wire("partId", schema=ID_OR_OBJECT, filter="Only the parts of this parent part."),
            "part_number": Wire("partName", also=("partNumber",)),
            "serial": Wire("serial"),
            "area": Wire("area"),
            "details": Wire("details"),
            "category": Wire("category", filter="Only parts of this category."),
            "location_id": Wire("location", schema=ID_OR_OBJECT, filter="Only parts at this location."),
            "created_by_user_id": Wire("createdByUser", schema=ID_OR_OBJECT, filter="Only parts created by this user."),
            "created_at": Wire("createdAt", iso, ordered=True),
            "updated_at": Wire("updatedAt", iso, ordered=True),
        },
    )
)
IMAGE_COLUMNS = UPKEEP.expanded_columns("file")
# Body fields that are no column of the part, and the documented request names of the part number.
_OWN = (
    Field("partNumber", to="part_number", max_length=200),
    Field("barcode", to="serial", max_length=200),
    Field("files", "id_list", to="file_ids"),
    Field(CUSTOM_FIELDS, "object_list", to="custom_fields"),
)
CREATE = Spec(*UPKEEP.body_fields(required=required_of(PartCreate)), *_OWN, model=Part)
UPDATE = Spec(*UPKEEP.body_fields(), *_OWN, model=Part)
UPDATE_CUSTOM_FIELD = assets.UPDATE_CUSTOM_FIELD  # {name, value, unit}, as an asset's free field
LEDGER = Fields(
    INVENTORY_MOVES.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "part_id": Wire("part"),
            "delta": Wire("change", number),
            "quantity_after": Wire("quantity", number),
            "reason": Wire("reason", filter="created, adjusted, work_order or purchase_order."),
            "source_type": Wire("sourceType"),
            "source_id": Wire("source"),
            "user_id": Wire("user"),
            "created_at": Wire("createdAt", iso, ordered=True),
        },
    )
)
CATEGORIES = Fields(
    PART_CATEGORIES.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "name": Wire("name", filter="Only the category with exactly this name."),
            "position": Wire("position"),
            "created_at": Wire("createdAt", iso),
        },
    )
)
CREATE_CATEGORY = Spec(Field("name", required=True, max_length=200, nullable=False))


# ------------------------------------------------------------------------------------------ parsing


def _finish(fields: dict[str, Any]) -> dict[str, Any]:
    if "custom_fields" in fields:
        fields["custom_fields"] = parse_free_fields(fields["custom_fields"] or [], CUSTOM_FIELDS)
    return fields


def parse_create(body: Mapping[str, Any]) -> PartCreate:
    return build(PartCreate, _finish(CREATE.parse(body)))


def parse_update(body: Mapping[str, Any]) -> PartChanges:
    return build(PartChanges, _finish(UPDATE.parse(body, partial=True)))


parse_custom_field_update = parse_value_update


def parse_category(body: Mapping[str, Any]) -> PartCategoryCreate:
    return build(PartCategoryCreate, CREATE_CATEGORY.parse(body))


# ------------------------------------------------------------------------------------------ rendering


def free_field_renderer(owner_key: str) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    """The wire shape of a free custom field ({name, value, unit}) whose record is named ``owner_key``."""

    def render(value: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "id": value["id"],
            "name": value["name"],
            "value": value["value"],
            "unit": value["unit"],
            owner_key: value["owner_id"],
            "user": value["created_by_user_id"],
            "createdAt": iso(value["created_at"]),
            "updatedAt": iso(value["updated_at"]),
        }

    return render


def free_field_schema(owner_key: str) -> dict[str, Any]:
    properties = {"id": STR, "name": NSTR, "value": NSTR, "unit": NSTR, owner_key: STR, "user": NSTR}
    return obj({**properties, "createdAt": DATE, "updatedAt": DATE})


custom_field_to_upkeep = free_field_renderer("partInventory")


def to_upkeep(
    row: Mapping[str, Any],
    files: Sequence[str] = (),
    fields: Sequence[Mapping[str, Any]] = (),
    images: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    out = UPKEEP.render(row, {"file": images or {}})
    out["files"] = list(files)
    out[CUSTOM_FIELDS] = [custom_field_to_upkeep(f) for f in fields]
    return out


async def render(reader: Reader, principal: Principal, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Wire objects for a page of parts: files, custom fields and images come in one query each."""
    ids = [r["id"] for r in rows]
    files = await queries.part_files(reader, principal, ids)
    fields = await queries.custom_fields(reader, principal, ids)
    images = await objects_for_columns("file", reader, principal, rows, IMAGE_COLUMNS)
    return [to_upkeep(row, files.get(row["id"], ()), fields.get(row["id"], ()), images) for row in rows]


async def render_page(
    reader: Reader, principal: Principal, page: Sequence[tuple[Mapping[str, Any], str, str]]
) -> list[dict[str, Any]]:
    """``render`` for ``queries.list_part_rows``' page: the files and custom fields came with the rows."""
    images = await objects_for_columns("file", reader, principal, [row for row, _, _ in page], IMAGE_COLUMNS)
    return [
        to_upkeep(row, orjson.loads(files), [_page_field(row["id"], v) for v in orjson.loads(fields)], images)
        for row, files, fields in page
    ]


def _page_field(part_id: str, values: Sequence[Any]) -> dict[str, Any]:
    return {**dict(zip(queries.PAGE_FIELD_COLUMNS, values, strict=True)), "owner_id": part_id}


async def render_detail(reader: Reader, principal: Principal, detail: queries.PartDetail) -> dict[str, Any]:
    """``GET /parts/{id}``: the part with its files, custom fields and assigned teams."""
    images = await objects_for_columns("file", reader, principal, [detail.part], IMAGE_COLUMNS)
    item = to_upkeep(detail.part, detail.file_ids, detail.fields, images)
    item["assignedTeams"] = detail.team_ids
    return item


@expander("part")
async def expand_parts(reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Parts by id for ``includes=parts``; parts the principal may not see stay ids."""
    rows = await queries.parts_by_ids(reader, principal, ids)
    return {item["id"]: item for item in await render(reader, principal, list(rows.values()))}


# ------------------------------------------------------------------------------------------ schemas

CUSTOM_FIELD_SCHEMA = free_field_schema("partInventory")
SCHEMA = obj(
    {
        **UPKEEP.schema_properties({}),
        "files": IDS,
        CUSTOM_FIELDS: {"type": "array", "items": CUSTOM_FIELD_SCHEMA},
        "assignedTeams": IDS,  # GET /parts/{id} only
    },
    UPKEEP.required(),
)
LEDGER_SCHEMA = obj(LEDGER.schema_properties({}), LEDGER.required())
CATEGORY_SCHEMA = obj(CATEGORIES.schema_properties({}), ("id", "name"))
