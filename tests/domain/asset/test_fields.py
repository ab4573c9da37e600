"""The asset fields are declared once (asset.fields) and everything else derives from the declaration."""

from __future__ import annotations

import dataclasses

import pytest

from premises.api.kit.representation import Fields, Wire
from premises.api.upkeep.mappers import assets as wire
from premises.api.upkeep.routes import assets as routes
from premises.asset import queries, service
from premises.asset.commands import AssetChanges, AssetCreate, AssetStatus, UsefulLifeUnit, values_of
from premises.asset.fields import ASSETS
from premises.kit.fields import Catalogue, Field, FieldType
from premises.models import Asset
from tests.support.catalogues import assert_agrees_with_table

NOT_READ = {"account_id", "deleted_at"}  # the tenant and the soft delete: never part of the read model
# Body fields of UpKeep's that are no column of the asset (declared in the mapper).
BODY_ONLY = {"useful_life", "file_ids", "custom_fields", "free_fields"}


def test_every_column_of_the_table_is_declared_once_in_select_order() -> None:
    declared = [f.name for f in ASSETS]
    assert len(declared) == len(set(declared))
    assert set(ASSETS.columns) == {c.name for c in Asset.__table__.columns} - NOT_READ
    assert ASSETS.columns == queries.COLUMNS
    assert queries.JOINED == ("assigned_to_email", "created_by_email", "incomplete_work_orders")
    assert tuple(declared) == queries.ALL_COLUMNS


def test_the_declarations_agree_with_the_table_and_the_enums() -> None:
    assert_agrees_with_table(ASSETS, Asset.__table__)
    assert ASSETS.by_name["status"].choices == values_of(AssetStatus)
    assert ASSETS.by_name["useful_life_units"].choices == values_of(UsefulLifeUnit)


def test_writable_fields_are_what_the_commands_carry() -> None:
    create = {f.name for f in dataclasses.fields(AssetCreate)}
    changes = {f.name for f in dataclasses.fields(AssetChanges)}
    assert create == changes
    through_useful_life = {"useful_life_quantity", "useful_life_units"}
    assert ASSETS.writable == (create & set(ASSETS.columns)) | through_useful_life
    assert {"id", "created_by_user_id", "created_at", "updated_at", "incomplete_work_orders"}.isdisjoint(
        ASSETS.writable
    )


def test_the_service_stores_the_simple_writable_fields_as_given() -> None:
    assert set(service.SIMPLE_FIELDS) == {
        "description",
        "model",
        "serial",
        "serial_number",
        "additional_information",
        "notes",
        "area",
        "purchase_date",
        "placed_in_service_date",
        "warranty_expiration",
        "purchase_price",
        "residual_value",
        "check_in_procedure",
        "check_out_procedure",
        "availability_status",
        "manufacturer_vendor_id",
        "assigned_to_user_id",
        "location_id",
        "parent_asset_id",
        *service.IMAGE_FIELDS,
    }
    assert set(service.SIMPLE_FIELDS) == ASSETS.writable - service.OWN_RULES


def test_upkeep_names_only_declared_fields_each_once() -> None:
    attachment = wire.UPKEEP.attachment
    assert ASSETS.attachments["upkeep"] is attachment
    assert set(attachment.entries) <= {f.name for f in ASSETS}
    assert len(set(wire.UPKEEP.keys)) == len(wire.UPKEEP.keys)
    # The one column UpKeep does not name: its usefulLife object shows it with useful_life_quantity.
    assert {f.name for f in ASSETS} - set(attachment.entries) == {"useful_life_units"}


def test_upkeep_bodies_derive_from_the_attachment() -> None:
    names = wire.UPKEEP.attachment
    for spec in (wire.CREATE, wire.UPDATE):
        from_columns = {f.target: f.name for f in spec.fields.values() if f.target in ASSETS}
        exposed = {name: names[name] for name in ASSETS.writable if name in names}
        assert from_columns == {name: w.name for name, w in exposed.items() if w.body}
        assert {f.target for f in spec.fields.values()} - set(from_columns) == BODY_ONLY
    assert [f.name for f in wire.CREATE.fields.values() if f.required] == ["name"]
    assert wire.REQUIRED_ON_CREATE == ("name",)
    assert not wire.UPDATE.fields["status"].nullable and wire.UPDATE.fields["status"].choices == ("active", "inactive")
    assert wire.CREATE.fields["description"].max_length == 100_000
    assert wire.CREATE.fields["downtimeStatus"].max_length == 40


def test_upkeep_list_filters_and_orders_derive_from_the_attachment() -> None:
    assert tuple(routes.LIST.filters) == wire.UPKEEP.filters()
    assert {f.name: f.column for f in routes.LIST.filters} == {
        "name": "name",
        "serial": "serial",
        "serialNumber": "serial_number",
        "status": "status",
        "category": "category",
        "location": "location_id",
        "assignedToUser": "assigned_to_user_id",
        "createdByUser": "created_by_user_id",
        "downtimeStatus": "downtime_status",
    }
    assert routes.LIST.by_name()["status"].choices == ("active", "inactive")
    assert (
        dict(routes.LIST.order_fields)
        == dict(routes.LIST.ranges)
        == {"createdAt": "created_at", "updatedAt": "updated_at"}
    )
    assert wire.IMAGE_COLUMNS == service.IMAGE_FIELDS


def test_the_rendered_object_and_its_schema_have_the_same_keys_in_order() -> None:
    row = dict.fromkeys(queries.ALL_COLUMNS)
    row.update(
        id="a1",
        name="Pump",
        serial="B-1",
        status="active",
        downtime_status="available",
        availability_tracking_on=True,
        incomplete_work_orders=2,
        purchase_price=12.0,
        residual_value=1.5,
        useful_life_quantity=3,
        useful_life_units="years",
        image_file_id="f1",
        warranty_file_id="f2",
        created_at=0,
        updated_at=1000,
    )
    item = wire.to_upkeep(row, ["f9"], (), {"f1": {"id": "f1"}})
    detail_only = ["subAssets", "parts", "formItems", *wire.MEMBER_KEYS.values()]
    assert list(item) == [k for k in wire.SCHEMA["properties"] if k not in detail_only]
    assert set(wire.SCHEMA["required"]) <= set(item)
    assert (item["serial"], item["barcode"], item["purchasePrice"], item["residualValue"]) == ("B-1", "B-1", 12, 1.5)
    assert item["usefulLife"] == {"quantity": 3, "units": "years"}
    assert (item["image"], item["purchaseReceipt"], item["warrantyFile"]) == ({"id": "f1"}, None, "f2")
    assert (item["files"], item["createdAt"], item["numberOfIncompleteWorkOrders"]) == (
        ["f9"],
        "1970-01-01T00:00:00.000Z",
        2,
    )
    assert list(item)[-3:] == ["image", "purchaseReceipt", "warrantyFile"]


def test_an_attachment_is_checked_against_the_declarations() -> None:
    catalogue = Catalogue(
        "thing",
        (
            Field("id", FieldType.ID, nullable=False),
            Field("notes", FieldType.TEXT),
            Field("created_at", FieldType.INSTANT, nullable=False),
        ),
    )
    with pytest.raises(ValueError, match="undeclared thing fields: colour"):
        catalogue.attach("upkeep", {"colour": Wire("colour")})
    with pytest.raises(ValueError, match="notes: upkeep filters it"):
        Fields(catalogue.attach("upkeep", {"notes": Wire("notes", filter="")}))  # a Text is no equality filter
    with pytest.raises(ValueError, match="notes: upkeep sorts by it"):
        Fields(catalogue.attach("upkeep", {"notes": Wire("notes", ordered=True)}))
    with pytest.raises(ValueError, match="a wire name is given twice"):
        Fields(catalogue.attach("upkeep", {"id": Wire("id"), "notes": Wire("notes", also=("id",))}))


def test_downtime_statuses_and_custom_field_definitions_are_declared_once() -> None:
    from premises.asset.custom_fields import CUSTOM_FIELD_TYPES
    from premises.asset.fields import CUSTOM_FIELD_DEFINITIONS, DOWNTIME_STATUSES
    from premises.models import AssetDowntimeStatus, CustomFieldDefinition

    assert_agrees_with_table(DOWNTIME_STATUSES, AssetDowntimeStatus.__table__)
    assert_agrees_with_table(CUSTOM_FIELD_DEFINITIONS, CustomFieldDefinition.__table__)
    assert CUSTOM_FIELD_DEFINITIONS.by_name["type"].choices == CUSTOM_FIELD_TYPES
    # UpKeep's bodies derive from the declarations: a field's type and precision are fixed once created.
    assert list(wire.CREATE_DEFINITION.fields) == ["name", "type", "options", "decimalPrecision"]
    assert [f.name for f in wire.UPDATE_DEFINITION.fields.values() if not f.patchable] == ["type", "decimalPrecision"]
    assert list(wire.CREATE_STATUS.fields) == ["name"] and wire.CREATE_STATUS.fields["name"].required
