"""Location (a place of the hierarchy) <-> UpKeep wire shape."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from premises.api.kit.body import COERCERS, Field, Spec
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.upkeep.expanders import expander
from premises.api.upkeep.mappers.common import DATE, ID_OR_OBJECT, IDS, NSTR, STR, iso, obj
from premises.db.reader import Reader
from premises.errors import DomainValidation
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models import CustomFieldValue, Place
from premises.place import queries
from premises.place.commands import CustomFieldChanges, CustomFieldPut, PlaceChanges, PlaceCreate
from premises.place.fields import PLACES


def _flag(value: bool) -> str:
    return "1" if value else "0"


# UpKeep's name and rendering of every place field it shows (place.fields declares them), in the
# order of its objects: bodies, responses, schemas and the list's filters derive from it.
UPKEEP = Fields(
    PLACES.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "created_by_user_id": Wire(
                "createdByUser", schema=ID_OR_OBJECT, filter="Only locations created by this user."
            ),
            "created_by_email": Wire("createdByUsername"),
            "name": Wire("name", filter="Only locations with exactly this name."),
            "address": Wire("address"),
            "longitude": Wire("longitude"),
            "latitude": Wire("latitude"),
            "hide_map": Wire("hideMap", _flag, schema={"enum": ["0", "1"]}),
            "parent_id": Wire(
                "parentLocation",
                schema=ID_OR_OBJECT,
                filter="Only the direct sub-locations of this location.",
                then=("customFieldsLocation",),
            ),
            "created_at": Wire("createdAt", iso, ordered=True),
            "updated_at": Wire("updatedAt", iso, ordered=True),
        },
    )
)
# The body fields that are no column of the place.
_OWN = (
    Field("customFieldsLocation", "object_list", to="custom_fields"),
    # Local extension: UpKeep shows a location's files but documents no way to attach them.
    Field("files", "id_list", to="file_ids"),
)
CREATE = Spec(*UPKEEP.body_fields(required=required_of(PlaceCreate)), *_OWN, model=Place)
UPDATE = Spec(*UPKEEP.body_fields(), *_OWN, model=Place)
UPDATE_CUSTOM_FIELD = Spec(
    Field("name", max_length=200, nullable=False),
    Field("value", max_length=5000),
    Field("unit", max_length=100),
    model=CustomFieldValue,
)

_CUSTOM_FIELD_KEYS = {"name": 200, "value": 5000, "unit": 100}


def parse_custom_fields(items: Sequence[Mapping[str, Any]], *, allow_id: bool) -> tuple[CustomFieldPut, ...]:
    """Validate ``customFieldsLocation`` items: ``{name, value, unit}`` (and ``id`` on update)."""
    out = []
    for index, item in enumerate(items):
        where = f"customFieldsLocation[{index}]"
        parsed: dict[str, Any] = {}
        for key, value in item.items():
            if key == "id" and allow_id:
                parsed["id"] = None if value is None else COERCERS["id"](f"{where}.id", value)
                continue
            if key not in _CUSTOM_FIELD_KEYS:
                raise DomainValidation(f"{where}.{key} not in schema", field="customFieldsLocation")
            if value is None:
                parsed[key] = None
                continue
            text = COERCERS["string"](f"{where}.{key}", value)
            if len(text) > _CUSTOM_FIELD_KEYS[key]:
                raise DomainValidation(f"{where}.{key} is too long", field="customFieldsLocation")
            parsed[key] = text
        if parsed.get("id") is None:
            parsed.pop("id", None)
            name = parsed.get("name")
            if name is None or not name.strip():
                raise DomainValidation(f"{where}.name cannot be null", field="customFieldsLocation")
        elif "name" in parsed and (parsed["name"] is None or not parsed["name"].strip()):
            raise DomainValidation(f"{where}.name cannot be null", field="customFieldsLocation")
        out.append(build(CustomFieldPut, parsed))
    return tuple(out)


def parse_create(body: Mapping[str, Any]) -> PlaceCreate:
    fields = CREATE.parse(body)
    fields["custom_fields"] = parse_custom_fields(fields.get("custom_fields") or [], allow_id=False)
    fields["file_ids"] = tuple(fields.get("file_ids") or ())
    return build(PlaceCreate, fields)


def parse_update(body: Mapping[str, Any]) -> PlaceChanges:
    changes = UPDATE.parse(body, partial=True)
    if changes.get("custom_fields"):
        changes["custom_fields"] = parse_custom_fields(changes["custom_fields"], allow_id=True)
    return build(PlaceChanges, changes)


def parse_custom_field_update(changes: Mapping[str, Any]) -> CustomFieldChanges:
    """``UPDATE_CUSTOM_FIELD`` as parsed by the shared custom-field routes, as the domain's command."""
    return build(CustomFieldChanges, dict(changes))


def custom_field_to_upkeep(field: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": field["id"],
        "name": field["name"],
        "value": field["value"],
        "unit": field["unit"],
        "location": field["owner_id"],
        "user": field["created_by_user_id"],
        "createdAt": iso(field["created_at"]),
        "updatedAt": iso(field["updated_at"]),
    }


def to_upkeep(row: Mapping[str, Any], custom_fields: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    out = UPKEEP.render(row)
    out["customFieldsLocation"] = [custom_field_to_upkeep(f) for f in custom_fields]
    return out


async def render(reader: Reader, principal: Principal, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Wire objects for a page of places; their custom fields come in one query."""
    fields = await queries.custom_fields(reader, principal, (r["id"] for r in rows))
    return [to_upkeep(row, fields.get(row["id"], ())) for row in rows]


# A location's assigned members and files: wire field -> the domain's link type.
LINKS = {
    "assignedUsers": "user",
    "assignedTeams": "team",
    "assignedCustomers": "customer",
    "assignedVendors": "vendor",
    "files": "file",
}


def detail_to_upkeep(detail: Mapping[str, Any]) -> dict[str, Any]:
    """A location's detail (``queries.get_location_detail``) on the wire."""
    item = to_upkeep(detail, detail["custom_fields"])
    item["subLocations"] = detail["sub_location_ids"]
    for name, link_type in LINKS.items():
        item[name] = detail["links"][link_type]
    return item


@expander("location")
async def expand_locations(reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Locations by id for ``includes``; places the principal may not read stay ids."""
    rows = await queries.places_by_ids(reader, principal, ids)
    return {item["id"]: item for item in await render(reader, principal, list(rows.values()))}


CUSTOM_FIELD_SCHEMA = obj(
    {
        "id": STR,
        "name": NSTR,
        "value": NSTR,
        "unit": NSTR,
        "location": STR,
        "user": NSTR,
        "createdAt": DATE,
        "updatedAt": DATE,
    }
)
SCHEMA = obj(
    {
        **UPKEEP.schema_properties({"customFieldsLocation": {"type": "array", "items": CUSTOM_FIELD_SCHEMA}}),
        # GET /locations/{id} only (detail_to_upkeep)
        "subLocations": IDS,
        **dict.fromkeys(LINKS, IDS),
    },
    UPKEEP.required(),
)
