"""The place fields are declared once (place.fields) and everything else derives from the declaration."""

from __future__ import annotations

import dataclasses

from premises.api.upkeep.mappers import locations as wire
from premises.api.upkeep.routes import locations as routes
from premises.models import Place
from premises.models.place import PLACE_KINDS
from premises.place import queries, service
from premises.place.commands import PlaceChanges, PlaceCreate
from premises.place.fields import PLACES
from tests.support.catalogues import assert_agrees_with_table

NOT_READ = {"account_id", "deleted_at"}
BODY_ONLY = {"custom_fields", "file_ids"}  # UpKeep body fields that are no column of the place


def test_every_column_of_the_table_is_declared_once_in_select_order() -> None:
    declared = [f.name for f in PLACES]
    assert len(declared) == len(set(declared))
    assert set(PLACES.columns) == {c.name for c in Place.__table__.columns} - NOT_READ
    assert PLACES.columns == queries.COLUMNS
    assert queries.JOINED == ("created_by_email",)
    assert tuple(declared) == queries.ALL_COLUMNS


def test_the_declarations_agree_with_the_table_and_the_kinds() -> None:
    assert_agrees_with_table(PLACES, Place.__table__)
    assert PLACES.by_name["kind"].choices == PLACE_KINDS


def test_writable_fields_are_what_the_commands_carry() -> None:
    create = {f.name for f in dataclasses.fields(PlaceCreate)}
    changes = {f.name for f in dataclasses.fields(PlaceChanges)}
    assert PLACES.writable == (create | changes) & set(PLACES.columns)
    assert service.SIMPLE_FIELDS == ("name", "number", "address", "latitude", "longitude", "hide_map")
    assert set(service.SIMPLE_FIELDS) == PLACES.writable - service.OWN_RULES


def test_upkeep_names_only_declared_fields_and_its_bodies_lists_and_schema_derive_from_them() -> None:
    names = wire.UPKEEP.attachment
    assert PLACES.attachments["upkeep"] is names
    assert {f.name for f in PLACES} - set(names.entries) == {
        "record_no",
        "kind",
        "code",
        "number",
        "description",
        "site_id",
        "time_zone",
    }
    for spec in (wire.CREATE, wire.UPDATE):
        from_columns = {f.target: f.name for f in spec.fields.values() if f.target in PLACES}
        assert from_columns == {
            "name": "name",
            "address": "address",
            "longitude": "longitude",
            "latitude": "latitude",
            "hide_map": "hideMap",
            "parent_id": "parentLocation",
        }
        assert {f.target for f in spec.fields.values()} - set(from_columns) == BODY_ONLY
    assert [f.name for f in wire.CREATE.fields.values() if f.required] == ["name"]
    assert wire.CREATE.fields["address"].max_length == 2000
    own = {f.name: f.column for f in routes.LIST.filters if f.column in PLACES}
    assert own == {"createdByUser": "created_by_user_id", "name": "name", "parentLocation": "parent_id"}
    assert dict(routes.LIST.order_fields) == {"createdAt": "created_at", "updatedAt": "updated_at"}
    assert wire.SCHEMA["required"] == ["id", "name", "hideMap", "createdAt", "updatedAt"]


def test_the_rendered_object_follows_the_schema_order() -> None:
    row = dict.fromkeys(queries.ALL_COLUMNS)
    row.update(id="p1", name="HQ", hide_map=True, latitude=1.5, created_at=0, updated_at=0)
    item = wire.to_upkeep(row)
    detail_only = ["subLocations", *wire.LINKS]
    assert list(item) == [k for k in wire.SCHEMA["properties"] if k not in detail_only]
    assert (item["hideMap"], item["latitude"], item["customFieldsLocation"]) == ("1", 1.5, [])
