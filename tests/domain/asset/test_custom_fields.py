"""Custom field rules at the service layer: definitions, typed values, free fields, single-field changes."""

from __future__ import annotations

from typing import Any

import pytest

from premises.asset import custom_fields, service
from premises.asset.commands import (
    AssetChanges,
    CustomFieldChanges,
    CustomFieldCreate,
    CustomFieldType,
    CustomValueChange,
    FreeFieldChange,
    ValueChanges,
)
from premises.errors import Conflict, DomainValidation, ErrorCode, NotFound, PermissionDenied
from premises.identity.permissions import Role
from premises.models import CustomFieldDefinition, CustomFieldValue
from premises.models.custom_field import CUSTOM_FIELD_TYPES
from tests.domain.asset.helpers import new_asset
from tests.domain.conftest import DomainAccount


def define(account: DomainAccount, name: str, kind: CustomFieldType, **extra: Any) -> CustomFieldDefinition:
    command = CustomFieldCreate(name=name, type=kind, **extra)
    return account.write(lambda s: custom_fields.create_definition(s, account.admin, "asset", command))


def values_of(account: DomainAccount, asset_id: str) -> dict[str | None, CustomFieldValue]:
    with account.db.unit_of_work() as session:
        rows = session.query(CustomFieldValue).filter_by(account_id=account.account_id, owner_id=asset_id)
        return {row.definition_id or row.name: row for row in rows}


def set_values(account: DomainAccount, asset_id: str, *items: CustomValueChange) -> None:
    account.write(lambda s: service.update_asset(s, account.admin, asset_id, AssetChanges(custom_fields=items)))


def refused(account: DomainAccount, asset_id: str, *items: CustomValueChange) -> DomainValidation:
    with pytest.raises(DomainValidation) as raised:
        set_values(account, asset_id, *items)
    return raised.value


def test_the_type_enum_is_the_stored_vocabulary() -> None:
    assert tuple(CustomFieldType) == CUSTOM_FIELD_TYPES


# ------------------------------------------------------------------------------------------ definitions


def test_definitions_are_typed_named_once_and_recorded(account: DomainAccount) -> None:
    number = define(account, "Weight", CustomFieldType.NUMBER, decimal_precision=1)
    dropdown = define(account, "Colour", CustomFieldType.DROPDOWN, options=[" Red", "Blue", "Red "])
    assert (number.type, number.decimal_precision, dropdown.options) == ("number", 1, '["Red","Blue"]')
    assert account.event_types(number.id) == ["ASSET_CUSTOM_FIELD_CREATED"]
    with pytest.raises(Conflict) as raised:
        define(account, "weight", CustomFieldType.DATE)
    assert (raised.value.code, raised.value.field, raised.value.params["record"]) == (
        ErrorCode.DUPLICATE,
        "name",
        "custom field",
    )


@pytest.mark.parametrize(
    ("command", "code", "field"),
    [
        (CustomFieldCreate(name="x", type=None), ErrorCode.REQUIRED, "type"),
        (CustomFieldCreate(name="x", type="colour"), ErrorCode.NOT_ONE_OF, "type"),
        (CustomFieldCreate(name=" ", type="date"), ErrorCode.REQUIRED, "name"),
        (CustomFieldCreate(name="x", type="dropdown"), ErrorCode.OPTIONS_REQUIRED, "options"),
        (CustomFieldCreate(name="x", type="dropdown", options=[""]), ErrorCode.EMPTY_OPTIONS, "options"),
        (CustomFieldCreate(name="x", type="dropdown", options="a"), ErrorCode.WRONG_TYPE, "options"),
        (CustomFieldCreate(name="x", type="date", options=["a"]), ErrorCode.ONLY_FOR_DROPDOWNS, "options"),
        (CustomFieldCreate(name="x", type="number"), ErrorCode.PRECISION_REQUIRED, "decimal_precision"),
        (CustomFieldCreate(name="x", type="currency", decimal_precision=6), ErrorCode.WRONG_TYPE, "decimal_precision"),
        (
            CustomFieldCreate(name="x", type="date", decimal_precision=1),
            ErrorCode.ONLY_FOR_NUMBERS,
            "decimal_precision",
        ),
    ],
)
def test_bad_definitions(account: DomainAccount, command: CustomFieldCreate, code: ErrorCode, field: str) -> None:
    with pytest.raises(DomainValidation) as raised:
        account.write(lambda s: custom_fields.create_definition(s, account.admin, "asset", command))
    assert (raised.value.code, raised.value.field) == (code, field)


def test_only_dropdowns_change_options_and_only_admins_define(account: DomainAccount) -> None:
    number = define(account, "N", CustomFieldType.NUMBER, decimal_precision=0)
    with pytest.raises(DomainValidation) as raised:
        account.write(
            lambda s: custom_fields.update_definition(
                s, account.admin, "asset", number.id, CustomFieldChanges(options=["A"])
            )
        )
    assert raised.value.code is ErrorCode.ONLY_FOR_DROPDOWNS
    tech = account.principal(Role.TECH)
    with pytest.raises(PermissionDenied):
        account.write(lambda s: custom_fields.create_definition(s, tech, "asset", CustomFieldCreate("y", "date")))
    with pytest.raises(PermissionDenied):
        account.write(lambda s: custom_fields.delete_definition(s, tech, "asset", number.id))


def test_another_accounts_definition_is_not_found(account: DomainAccount, other_account: DomainAccount) -> None:
    theirs = define(other_account, "Theirs", CustomFieldType.DATE)
    with pytest.raises(NotFound):
        account.write(lambda s: custom_fields.delete_definition(s, account.admin, "asset", theirs.id))
    asset = new_asset(account)
    error = refused(account, asset.id, CustomValueChange(theirs.id, "2020-01-01"))
    assert (error.code, error.field) == (ErrorCode.NOT_FOUND, "custom_fields[0].definition_id")


# ------------------------------------------------------------------------------------------ typed values


def test_values_are_typed_by_their_field(account: DomainAccount) -> None:
    weight = define(account, "Weight", CustomFieldType.NUMBER, decimal_precision=1)
    when = define(account, "When", CustomFieldType.DATE)
    colour = define(account, "Colour", CustomFieldType.DROPDOWN, options=["Red", "Blue"])
    asset = new_asset(account)
    set_values(
        account,
        asset.id,
        CustomValueChange(weight.id, "7.25", CustomFieldType.NUMBER),
        CustomValueChange(when.id, "2023-11-28T13:39:42.407Z"),
        CustomValueChange(colour.id, "Blue"),
    )
    values = values_of(account, asset.id)
    assert (values[weight.id].value, values[weight.id].number_value) == ("7.2", 7.2)
    assert (values[when.id].value, values[when.id].date_value) == ("2023-11-28T13:39:42.407Z", 1701178782407)
    assert values[colour.id].value == "Blue"
    set_values(account, asset.id, CustomValueChange(weight.id, None))
    assert values_of(account, asset.id)[weight.id].number_value is None
    assert values_of(account, asset.id)[colour.id].value == "Blue"  # untouched


@pytest.mark.parametrize(
    ("kind", "extra", "value", "named", "code", "field"),
    [
        ("number", {"decimal_precision": 1}, "heavy", None, ErrorCode.WRONG_TYPE, "custom_fields[0].value.number"),
        ("number", {"decimal_precision": 1}, True, None, ErrorCode.WRONG_TYPE, "custom_fields[0].value.number"),
        ("date", {}, "soon", None, ErrorCode.WRONG_TYPE, "custom_fields[0].value.date"),
        ("date", {}, "99999-01-01", None, ErrorCode.WRONG_TYPE, "custom_fields[0].value.date"),
        ("dropdown", {"options": ["A"]}, "B", None, ErrorCode.NOT_A_FIELD_OPTION, "custom_fields[0].value.dropdown"),
        ("singleLineText", {}, "x" * 5001, None, ErrorCode.TOO_LONG, "custom_fields[0].value.singleLineText"),
        ("singleLineText", {}, 5, "number", ErrorCode.VALUE_OF_OTHER_TYPE, "custom_fields[0].value"),
    ],
)
def test_bad_values(
    account: DomainAccount, kind: str, extra: dict[str, Any], value: Any, named: str | None, code: ErrorCode, field: str
) -> None:
    definition = define(account, "F", CustomFieldType(kind), **extra)
    asset = new_asset(account)
    error = refused(account, asset.id, CustomValueChange(definition.id, value, named))
    assert (error.code, error.field) == (code, field)


# ------------------------------------------------------------------------------------------ free fields


def test_free_fields_add_by_name_and_change_by_id(account: DomainAccount) -> None:
    asset = new_asset(account, free_fields=[FreeFieldChange(name="width", value="10", unit="cm")])
    width = values_of(account, asset.id)["width"]
    account.write(
        lambda s: service.update_asset(
            s,
            account.admin,
            asset.id,
            AssetChanges(
                free_fields=[
                    FreeFieldChange(id=width.id, value="12"),
                    FreeFieldChange(name="height", value="3"),
                    FreeFieldChange(name="width", unit="mm"),
                ]
            ),
        )
    )
    values = values_of(account, asset.id)
    assert (values["width"].id, values["width"].value, values["width"].unit) == (width.id, "12", "mm")
    assert values["height"].value == "3"
    for item, field in (
        (FreeFieldChange(id="missing123"), "free_fields[0].id"),
        (FreeFieldChange(value="1"), "free_fields[0].name"),
    ):
        with pytest.raises(DomainValidation) as raised:
            account.write(
                lambda s, item=item: service.update_asset(s, account.admin, asset.id, AssetChanges(free_fields=[item]))
            )
        assert raised.value.field == field


def test_one_field_at_a_time(account: DomainAccount) -> None:
    weight = define(account, "Weight", CustomFieldType.NUMBER, decimal_precision=1)
    asset = new_asset(account, custom_fields=[CustomValueChange(weight.id, 5)], free_fields=[FreeFieldChange(name="w")])
    free = values_of(account, asset.id)["w"]

    def change(field_id: str, changes: ValueChanges) -> CustomFieldValue:
        return account.write(lambda s: service.update_custom_field(s, account.admin, asset.id, field_id, changes))

    assert change(weight.id, ValueChanges(value="7.25")).value == "7.2"  # by the definition's id
    assert change(free.id, ValueChanges(name="width", unit="cm")).unit == "cm"
    for field_id, changes, code in (
        (weight.id, ValueChanges(name="x"), ErrorCode.CHANGED_ON_DEFINITION),
        (weight.id, ValueChanges(unit="kg"), ErrorCode.NOT_OF_TYPED_FIELDS),
        (weight.id, ValueChanges(value="heavy"), ErrorCode.WRONG_TYPE),
        (free.id, ValueChanges(name=None), ErrorCode.REQUIRED),
    ):
        with pytest.raises(DomainValidation) as raised:
            change(field_id, changes)
        assert raised.value.code is code
    account.write(lambda s: service.delete_custom_field(s, account.admin, asset.id, free.id))
    with pytest.raises(NotFound):
        change(free.id, ValueChanges(value="1"))
