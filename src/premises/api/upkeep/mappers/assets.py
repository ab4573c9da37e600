"""Asset, asset downtime status and asset custom field <-> UpKeep wire shapes."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from premises.api.kit.body import COERCERS, Field, Spec
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.upkeep.expanders import expander, objects_for_columns
from premises.api.upkeep.mappers.common import BOOL, DATE, ID_OR_OBJECT, IDS, NNUM, NSTR, STR, iso, obj
from premises.asset import queries
from premises.asset.commands import (
    AssetChanges,
    AssetCreate,
    CustomFieldChanges,
    CustomFieldCreate,
    CustomFieldType,
    CustomValueChange,
    DowntimeEvent,
    DowntimeStatusChanges,
    DowntimeStatusCreate,
    FreeFieldChange,
    UsefulLife,
    ValueChanges,
    values_of,
)
from premises.asset.downtime import DowntimeOutcome, RowError
from premises.asset.fields import ASSETS, CUSTOM_FIELD_DEFINITIONS, DOWNTIME_STATUSES
from premises.checklist.queries import asset_form_items
from premises.db.reader import Reader
from premises.errors import DomainValidation, ErrorCode
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models import Asset, AssetDowntimeStatus, CustomFieldDefinition, CustomFieldValue
from premises.part import queries as part_queries

CUSTOM_FIELD_TYPES = values_of(CustomFieldType)
VALUE_KEYS = {f"{t}Value": t for t in CUSTOM_FIELD_TYPES}
# Keys of a customFields item as GET returns it; a client that sends such an item back is not refused.
ECHOED_KEYS = frozenset(
    {"name", "type", "decimalPrecision", "options", "createdByUser", "createdAt", "updatedAt", "subAssets"}
)
ECHOED_VALUE_KEYS = frozenset({"createdAt", "updatedAt", "createdBy"})
FILE_OBJECT = {"type": ["object", "string", "null"]}
USEFUL_LIFE_SCHEMA = {
    "type": ["object", "null"],
    "properties": {"quantity": {"type": "integer"}, "units": {"type": "string"}},
}


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _useful_life_of(row: Mapping[str, Any]) -> dict[str, Any] | None:
    quantity = row["useful_life_quantity"]
    return None if quantity is None else {"quantity": quantity, "units": row["useful_life_units"]}


# UpKeep's name and rendering of every asset field it shows (asset.fields declares them), in the
# order of its objects: bodies, responses, schemas and the list's filters derive from it.
UPKEEP = Fields(
    ASSETS.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "name": Wire("name", filter="Only assets with exactly this name."),
            "description": Wire("description"),
            "model": Wire("model"),
            "serial": Wire("serial", also=("barcode",), filter="Only assets with this barcode."),
            "serial_number": Wire("serialNumber", filter="Only assets with this serial number."),
            "additional_information": Wire("additionalInformation"),
            "notes": Wire("notes"),
            "area": Wire("area"),
            "status": Wire("status", filter=""),
            "category": Wire("category", filter="Only assets of this category."),
            "purchase_date": Wire("purchaseDate", iso),
            "placed_in_service_date": Wire("placedInServiceDate", iso),
            "warranty_expiration": Wire("warrantyExpiration", iso),
            "purchase_price": Wire("purchasePrice", _number),
            "residual_value": Wire("residualValue", _number),
            # usefulLife: {quantity, units} of two columns; the body's usefulLife is the mapper's own.
            "useful_life_quantity": Wire(
                "usefulLife", _useful_life_of, whole_row=True, body=False, schema=USEFUL_LIFE_SCHEMA
            ),
            "location_id": Wire("location", schema=ID_OR_OBJECT, filter="Only assets at this location."),
            "parent_asset_id": Wire("parentAsset", schema=ID_OR_OBJECT),
            "manufacturer_vendor_id": Wire("manufacturerVendor", then=("files",)),
            "assigned_to_user_id": Wire(
                "assignedToUser", schema=ID_OR_OBJECT, filter="Only assets assigned to this user."
            ),
            "assigned_to_email": Wire("assignedToUsername"),
            "created_by_user_id": Wire(
                "createdByUser", schema=ID_OR_OBJECT, filter="Only assets created by this user."
            ),
            "created_by_email": Wire("createdByUsername"),
            "check_in_procedure": Wire("checkInProcedure"),
            "check_out_procedure": Wire("checkOutProcedure"),
            "availability_status": Wire("availabilityStatus"),
            "downtime_status": Wire(
                "downtimeStatus", filter="available, not-available or the ID of an asset downtime status."
            ),
            "availability_tracking_on": Wire("availabilityTrackingOn", bool),
            "incomplete_work_orders": Wire("numberOfIncompleteWorkOrders", then=("customFields", "customFieldsAsset")),
            "created_at": Wire("createdAt", iso, ordered=True),
            "updated_at": Wire("updatedAt", iso, ordered=True),
            "image_file_id": Wire("image", expands="file", schema=FILE_OBJECT),
            "purchase_receipt_file_id": Wire("purchaseReceipt", expands="file", schema=FILE_OBJECT),
            "warranty_file_id": Wire("warrantyFile", expands="file", schema=FILE_OBJECT),
        },
    )
)
IMAGE_COLUMNS = UPKEEP.expanded_columns("file")
# The body fields that are no column of the asset.
_OWN = (
    Field("usefulLife", "object", to="useful_life"),
    Field("files", "id_list", to="file_ids"),
    Field("customFields", "object_list", to="custom_fields"),
    # The older free fields ({name, value, unit}); a production client still sends them.
    Field("customFieldsAsset", "object_list", to="free_fields"),
)
REQUIRED_ON_CREATE = required_of(AssetCreate)
CREATE = Spec(*UPKEEP.body_fields(required=REQUIRED_ON_CREATE), *_OWN, model=Asset)
UPDATE = Spec(*UPKEEP.body_fields(), *_OWN, model=Asset)
UPDATE_CUSTOM_FIELD = Spec(
    Field("name", max_length=200, nullable=False),
    Field("value", max_length=5000),
    Field("unit", max_length=100),
    model=CustomFieldValue,
)
# The account's downtime statuses and custom-field definitions (asset.fields declares them).
STATUS_UPKEEP = Fields(
    DOWNTIME_STATUSES.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "name": Wire("name", filter="Only the status with exactly this name."),
            "created_at": Wire("createdAt", iso),
            "updated_at": Wire("updatedAt", iso),
        },
    )
)
CREATE_STATUS = Spec(*STATUS_UPKEEP.body_fields(required=("name",)), model=AssetDowntimeStatus)
UPDATE_STATUS = Spec(*STATUS_UPKEEP.body_fields(), model=AssetDowntimeStatus)
DEFINITION_UPKEEP = Fields(
    CUSTOM_FIELD_DEFINITIONS.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "name": Wire("name"),
            "type": Wire("type"),
            "options": Wire("options", schema={"type": ["array", "null"], "items": {"type": "string"}}),
            "decimal_precision": Wire("decimalPrecision"),
            "created_by_user_id": Wire("createdByUser"),
            "created_at": Wire("createdAt", iso),
            "updated_at": Wire("updatedAt", iso),
        },
    )
)
CREATE_DEFINITION = Spec(*DEFINITION_UPKEEP.body_fields(required=("name", "type")), model=CustomFieldDefinition)
# A field's type and precision are fixed once it exists (its values were written for them).
UPDATE_DEFINITION = Spec(
    *DEFINITION_UPKEEP.body_fields(fixed=("type", "decimal_precision")), model=CustomFieldDefinition
)


# ------------------------------------------------------------------------------------------ parsing


def _useful_life(value: Mapping[str, Any] | None) -> UsefulLife | None:
    if value is None:
        return None
    for key in value:
        if key not in ("quantity", "units"):
            raise DomainValidation(f"usefulLife.{key} not in schema", field="usefulLife")
    quantity, units = None, None
    if value.get("quantity") is not None:
        quantity = COERCERS["integer"]("usefulLife.quantity", value["quantity"])
    if value.get("units") is not None:
        units = COERCERS["string"]("usefulLife.units", value["units"])
    return UsefulLife(quantity=quantity, units=units)


def parse_custom_fields(items: Sequence[Mapping[str, Any]]) -> list[CustomValueChange]:
    """``[{id, fieldValue: {<type>Value: v}}]``: the value's key names the type the client believes the field has."""
    out = []
    for index, item in enumerate(items):
        where = f"customFields[{index}]"
        for key in item:
            if key not in ("id", "fieldValue") and key not in ECHOED_KEYS:
                raise DomainValidation(f"{where}.{key} not in schema", field="customFields")
        if not item.get("id"):
            raise DomainValidation(f"{where}.id cannot be null", field="customFields")
        definition_id = COERCERS["id"](f"{where}.id", item["id"])
        if "fieldValue" not in item:
            raise DomainValidation(f"{where}.fieldValue cannot be null", field="customFields")
        field_value = item["fieldValue"]
        field_type: str | None = None
        value: Any = None
        if field_value is not None:
            if not isinstance(field_value, dict):
                raise DomainValidation(f"{where}.fieldValue must be an object", field="customFields")
            given = []
            for key, raw in field_value.items():
                if key in ECHOED_VALUE_KEYS:
                    continue
                if key not in VALUE_KEYS:
                    raise DomainValidation(f"{where}.fieldValue.{key} not in schema", field="customFields")
                given.append((key, raw))
            present = [(k, v) for k, v in given if v is not None]
            if len(present) > 1:
                raise DomainValidation(f"{where}.fieldValue must set only one value", field="customFields")
            if present:
                field_type, value = VALUE_KEYS[present[0][0]], present[0][1]
            elif len(given) == 1:
                field_type = VALUE_KEYS[given[0][0]]
        out.append(CustomValueChange(definition_id=definition_id, value=value, type=field_type))
    return out


_FREE_FIELD_KEYS = {"name": 200, "value": 5000, "unit": 100}


def parse_free_fields(items: Sequence[Mapping[str, Any]], wire: str = "customFieldsAsset") -> list[FreeFieldChange]:
    """``customFieldsAsset`` items (or another resource's, named ``wire``: ``customFieldsPart``):
    ``{name, value, unit}``, with ``id`` to change an existing one."""
    out = []
    for index, item in enumerate(items):
        where = f"{wire}[{index}]"
        parsed: dict[str, Any] = {}
        for key, value in item.items():
            if key == "id":
                parsed["id"] = None if value is None else COERCERS["id"](f"{where}.id", value)
                continue
            if key not in _FREE_FIELD_KEYS:
                if key in ("asset", "partInventory", "user", "createdAt", "updatedAt"):
                    continue  # echoed from a GET
                raise DomainValidation(f"{where}.{key} not in schema", field=wire)
            if value is None:
                parsed[key] = None
                continue
            text = COERCERS["string"](f"{where}.{key}", value)
            if len(text) > _FREE_FIELD_KEYS[key]:
                raise DomainValidation(f"{where}.{key} is too long", field=wire)
            parsed[key] = text
        out.append(FreeFieldChange(**parsed))
    return out


def _finish(fields: dict[str, Any]) -> dict[str, Any]:
    if "useful_life" in fields:
        fields["useful_life"] = _useful_life(fields["useful_life"])
    for name, parse in (("custom_fields", parse_custom_fields), ("free_fields", parse_free_fields)):
        if name in fields:
            fields[name] = parse(fields[name] or [])
    return fields


def parse_create(body: Mapping[str, Any]) -> AssetCreate:
    return build(AssetCreate, _finish(CREATE.parse(body)))


def parse_update(body: Mapping[str, Any]) -> AssetChanges:
    return build(AssetChanges, _finish(UPDATE.parse(body, partial=True)))


def parse_value_update(body: Mapping[str, Any]) -> ValueChanges:
    """PATCH /assets/{id}/custom-fields/{id}: ``name``, ``value``, ``unit``."""
    return build(ValueChanges, UPDATE_CUSTOM_FIELD.parse(body, partial=True))


def parse_status_create(body: Mapping[str, Any]) -> DowntimeStatusCreate:
    return build(DowntimeStatusCreate, CREATE_STATUS.parse(body))


def parse_status_update(body: Mapping[str, Any]) -> DowntimeStatusChanges:
    return build(DowntimeStatusChanges, UPDATE_STATUS.parse(body, partial=True))


def _options(fields: dict[str, Any]) -> dict[str, Any]:
    """Form bodies send options as ``options[]=a&options[]=b`` (a list already) or as one JSON array."""
    value = fields.get("options")
    if isinstance(value, str) and value.strip().startswith("["):
        with contextlib.suppress(orjson.JSONDecodeError):
            fields["options"] = orjson.loads(value)
    return fields


def parse_definition_create(body: Mapping[str, Any]) -> CustomFieldCreate:
    fields = _options(CREATE_DEFINITION.parse(body))
    return CustomFieldCreate(
        name=fields.get("name"),
        type=fields.get("type"),
        options=fields.get("options"),
        decimal_precision=fields.get("decimal_precision"),
    )


def parse_definition_update(body: Mapping[str, Any]) -> CustomFieldChanges:
    # type and decimalPrecision are declared (patchable=False) so that the body parser refuses them.
    return build(CustomFieldChanges, _options(UPDATE_DEFINITION.parse(body, partial=True)))


DOWNTIME_KEYS = {
    "assetId": "asset_id",
    "status": "status",
    "recordedOn": "recorded_on",
    "statusCategory": "status_category_id",
    "userId": "user_id",
}


def parse_downtime_events(body: Any) -> list[DowntimeEvent]:
    """The body of POST /assets/downtime: an array of event objects (one bare object is accepted too)."""
    if isinstance(body, dict):
        body = [body]
    if not isinstance(body, list) or not body:
        raise DomainValidation("request body must be a non-empty array of downtime events")
    out = []
    for index, item in enumerate(body):
        if not isinstance(item, dict):
            raise DomainValidation(f"downtime event {index + 1} must be an object")
        parsed: dict[str, Any] = {target: item.get(wire) for wire, target in DOWNTIME_KEYS.items()}
        out.append(DowntimeEvent(**parsed, unknown_fields=[k for k in item if k not in DOWNTIME_KEYS]))
    return out


# UpKeep's message and slug for each reason an event is refused, by (code, domain field).
DOWNTIME_ERRORS: dict[tuple[ErrorCode, str], tuple[str, str]] = {
    (ErrorCode.REQUIRED, "asset_id"): ("assetId is required", "missing-asset-id"),
    (ErrorCode.NOT_FOUND, "asset_id"): ("Asset not found", "asset-not-found"),
    (ErrorCode.NOT_ONE_OF, "status"): ("Invalid status: must be available or not-available", "invalid-status"),
    (ErrorCode.WRONG_TYPE, "recorded_on"): ("Invalid recordedOn date", "invalid-recorded-on"),
    (ErrorCode.NOT_FOUND, "status_category_id"): ("Invalid statusCategory", "invalid-status-category"),
    (ErrorCode.CATEGORY_ONLY_WHEN_NOT_AVAILABLE, "status_category_id"): (
        "statusCategory is only allowed with status not-available",
        "invalid-status-category",
    ),
    (ErrorCode.NOT_FOUND, "user_id"): ("User not found", "user-not-found"),
}


def _downtime_error(error: RowError) -> dict[str, Any]:
    if error.code is ErrorCode.UNKNOWN_FIELD:  # the field as the client sent it
        message, slug = f"{error.field} not in schema", "not-in-schema"
    else:
        message, slug = DOWNTIME_ERRORS[(error.code, error.field)]
    return {"message": message, "slug": slug, "value": error.value}


def downtime_results(items: Sequence[Mapping[str, Any]], outcomes: Sequence[DowntimeOutcome]) -> list[dict[str, Any]]:
    results = []
    for item, outcome in zip(items, outcomes, strict=True):
        result = {**item, "row": outcome.row}
        if outcome.errors:
            result["errors"] = [_downtime_error(e) for e in outcome.errors]
        else:
            result["statusMessage"] = "Insert new asset activity update"
            result["statusSlug"] = "insert-asset-activity-update"
            result["newAssetActivityUpdateId"] = outcome.recorded_id
        results.append(result)
    return results


# ------------------------------------------------------------------------------------------ rendering


def _typed_value(value: Mapping[str, Any]) -> dict[str, Any]:
    field_type = value["definition_type"]
    out: dict[str, Any] = dict.fromkeys(VALUE_KEYS)
    if field_type in ("number", "currency"):
        out[f"{field_type}Value"] = _number(value["number_value"])
    elif field_type == "date":
        out["dateValue"] = iso(value["date_value"])
    elif field_type in CUSTOM_FIELD_TYPES:
        out[f"{field_type}Value"] = value["value"]
    out["createdBy"] = value["created_by_user_id"]
    out["createdAt"] = iso(value["created_at"])
    out["updatedAt"] = iso(value["updated_at"])
    return out


definition_to_upkeep = DEFINITION_UPKEEP.render


def custom_field_to_upkeep(value: Mapping[str, Any]) -> dict[str, Any]:
    """A typed field of one asset, with its value (the ``customFields`` items)."""
    return {
        "id": value["definition_id"],
        "name": value["definition_name"],
        "type": value["definition_type"],
        "decimalPrecision": value["definition_decimal_precision"],
        "options": value["definition_options"],
        "createdByUser": value["definition_created_by_user_id"],
        "createdAt": iso(value["definition_created_at"]),
        "updatedAt": iso(value["definition_updated_at"]),
        "fieldValue": _typed_value(value),
    }


def free_field_to_upkeep(value: Mapping[str, Any]) -> dict[str, Any]:
    """The older single-field shape (``customFieldsAsset`` items and /assets/{id}/custom-fields/{id}).

    A typed field shown this way is named by its definition's id and name, and has no unit.
    """
    typed = value["definition_id"] is not None
    return {
        "id": value["definition_id"] if typed else value["id"],
        "name": value["definition_name"] if typed else value["name"],
        "value": value["value"],
        "unit": None if typed else value["unit"],
        "asset": value["owner_id"],
        "user": value["created_by_user_id"],
        "createdAt": iso(value["created_at"]),
        "updatedAt": iso(value["updated_at"]),
    }


status_to_upkeep = STATUS_UPKEEP.render


def to_upkeep(
    row: Mapping[str, Any],
    files: Sequence[str] = (),
    values: Sequence[Mapping[str, Any]] = (),
    images: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    out = UPKEEP.render(row, {"file": images or {}})
    out["files"] = list(files)
    out["customFields"] = [custom_field_to_upkeep(v) for v in values if v["definition_id"] is not None]
    out["customFieldsAsset"] = [free_field_to_upkeep(v) for v in values if v["definition_id"] is None]
    return out


async def render(reader: Reader, principal: Principal, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Wire objects for a page of assets: files and custom field values come in one query each."""
    ids = [r["id"] for r in rows]
    files = await queries.asset_files(reader, principal, ids)
    values = await queries.custom_values(reader, principal, ids)
    images = await objects_for_columns("file", reader, principal, rows, IMAGE_COLUMNS)
    return [to_upkeep(row, files.get(row["id"], ()), values.get(row["id"], ()), images) for row in rows]


MEMBER_KEYS = {
    "user": "assignedUsers",
    "team": "assignedTeams",
    "customer": "assignedCustomers",
    "vendor": "assignedVendors",
}


async def render_detail(reader: Reader, principal: Principal, detail: queries.AssetDetail) -> dict[str, Any]:
    """The wire object of one asset with its sub-assets and assigned members (``GET /assets/{id}``)."""
    row = detail.asset
    images = await objects_for_columns("file", reader, principal, [row], IMAGE_COLUMNS)
    item = to_upkeep(row, detail.file_ids, detail.values, images)
    item["subAssets"] = detail.sub_asset_ids
    item["parts"] = await part_queries.asset_part_ids(reader, principal, row["id"])
    item["formItems"] = [line["id"] for line in await asset_form_items(reader, principal, row["id"])]
    for member_type, key in MEMBER_KEYS.items():
        item[key] = detail.members.get(member_type, [])
    return item


@expander("asset")
async def expand_assets(reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Assets by id for ``includes``; assets the principal may not see stay ids."""
    rows = await queries.assets_by_ids(reader, principal, ids)
    return {item["id"]: item for item in await render(reader, principal, list(rows.values()))}


# ------------------------------------------------------------------------------------------ schemas

DEFINITION_SCHEMA = obj(DEFINITION_UPKEEP.schema_properties({}), ("id", "name", "type"))
FIELD_VALUE_SCHEMA = obj(
    {
        "singleLineTextValue": NSTR,
        "multiLineTextValue": NSTR,
        "numberValue": NNUM,
        "dateValue": DATE,
        "currencyValue": NNUM,
        "dropdownValue": NSTR,
        "createdBy": NSTR,
        "createdAt": DATE,
        "updatedAt": DATE,
    },
    (),
)
CUSTOM_FIELD_SCHEMA = {
    **DEFINITION_SCHEMA,
    "properties": {**DEFINITION_SCHEMA["properties"], "fieldValue": FIELD_VALUE_SCHEMA},
}
FREE_FIELD_SCHEMA = obj(
    {
        "id": STR,
        "name": NSTR,
        "value": NSTR,
        "unit": NSTR,
        "asset": STR,
        "user": NSTR,
        "createdAt": DATE,
        "updatedAt": DATE,
    }
)
STATUS_SCHEMA = obj(STATUS_UPKEEP.schema_properties({}), ("id", "name"))
SCHEMA = obj(
    {
        **UPKEEP.schema_properties(
            {
                "files": IDS,
                "customFields": {"type": "array", "items": CUSTOM_FIELD_SCHEMA},
                "customFieldsAsset": {"type": "array", "items": FREE_FIELD_SCHEMA},
            }
        ),
        # GET /assets/{id} only (render_detail)
        "subAssets": IDS,
        "parts": IDS,
        "formItems": {"type": "array"},
        **dict.fromkeys(MEMBER_KEYS.values(), IDS),
    },
    UPKEEP.required(),
)
DOWNTIME_RESULTS_SCHEMA = {
    "type": "object",
    "required": ["success", "results"],
    "properties": {
        "success": BOOL,
        "results": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["row"],
                "properties": {
                    "row": {"type": "integer"},
                    "errors": {"type": "array", "items": {"type": "object"}},
                    "statusMessage": STR,
                    "statusSlug": STR,
                    "newAssetActivityUpdateId": STR,
                },
            },
        },
    },
}
