"""Typed custom fields: the account's definitions per resource (assets for now) and their values on records.

A value row with ``definition_id`` holds a typed value: the text of every type in ``value`` (numbers
without a trailing ``.0``, dates as ISO 8601), and also ``number_value`` (number, currency) or
``date_value`` (date, epoch ms) so range filters compare natively. A value row without a definition
is a free ``name``/``value``/``unit`` triple (a *free field*: ``commands.FreeFieldChange``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from premises.asset.commands import (
    CustomFieldChanges,
    CustomFieldCreate,
    CustomFieldType,
    CustomValueChange,
    FreeFieldChange,
    ValueChanges,
    values_of,
)
from premises.errors import Conflict, DomainValidation, ErrorCode, NotFound
from premises.event.service import record_change, snapshot
from premises.event.types import EventType
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.commands import given, is_set, require_text
from premises.kit.ids import new_id
from premises.kit.numbers import NumberError, NumberOutOfRange, parse_number
from premises.kit.time import MAX_MS, MIN_MS, ms_to_iso, now_ms, parse_instant
from premises.models import CustomFieldDefinition, CustomFieldValue


class Owner(Protocol):
    """A record that has custom fields: a part, a purchase order, ..."""

    id: str
    updated_at: int


# The permission row that guards each resource's field definitions.
SETTING_RESOURCE = {"asset": "asset_setting"}
EVENT_PREFIX = {"asset": "ASSET_CUSTOM_FIELD"}
CUSTOM_FIELD_TYPES = values_of(CustomFieldType)
NUMERIC_TYPES = (CustomFieldType.NUMBER, CustomFieldType.CURRENCY)
TEXT_LIMITS = {
    CustomFieldType.SINGLE_LINE_TEXT: 5_000,
    CustomFieldType.MULTI_LINE_TEXT: 100_000,
    CustomFieldType.DROPDOWN: 200,
}
MAX_OPTIONS = 500
MAX_PRECISION = 5
FREE_FIELD_LIMITS = {"name": 200, "value": 5_000, "unit": 100}


# ------------------------------------------------------------------------------------------ definitions


def definition_row(definition: CustomFieldDefinition) -> dict[str, Any]:
    """A definition as the read path returns it (for responses built from the write side)."""
    row = snapshot(definition)
    row["options"] = jsonutil.loads(definition.options)
    return row


def _event(session: Session, principal: Principal, definition: CustomFieldDefinition, action: str) -> None:
    type_ = EventType(f"{EVENT_PREFIX[definition.resource]}_{action}")
    record_change(session, principal, type_, "custom_field", definition)


def _name(session: Session, account_id: str, resource: str, value: Any, exclude_id: str | None) -> str:
    name = str(value or "").strip()
    if not name:
        raise DomainValidation(ErrorCode.REQUIRED, field="name")
    if len(name) > 200:
        raise DomainValidation(ErrorCode.TOO_LONG, field="name")
    statement = select(CustomFieldDefinition.id).where(
        CustomFieldDefinition.account_id == account_id,
        CustomFieldDefinition.resource == resource,
        CustomFieldDefinition.deleted_at.is_(None),
        func.lower(CustomFieldDefinition.name) == name.lower(),
    )
    if exclude_id is not None:
        statement = statement.where(CustomFieldDefinition.id != exclude_id)
    if session.scalar(statement) is not None:
        raise Conflict(ErrorCode.DUPLICATE, field="name", record="custom field")
    return name


def _options(value: Any) -> list[str]:
    if value is None:
        raise DomainValidation(ErrorCode.OPTIONS_REQUIRED, field="options")
    if not isinstance(value, list) or not all(isinstance(o, str) for o in value):
        raise DomainValidation(ErrorCode.WRONG_TYPE, field="options", expected="an array of strings")
    options = list(dict.fromkeys(o.strip() for o in value))
    if not options or any(not o for o in options):
        raise DomainValidation(ErrorCode.EMPTY_OPTIONS, field="options")
    if len(options) > MAX_OPTIONS or any(len(o) > TEXT_LIMITS[CustomFieldType.DROPDOWN] for o in options):
        raise DomainValidation(ErrorCode.TOO_MANY_OPTIONS, field="options", maximum=MAX_OPTIONS)
    return options


def _precision(value: Any) -> int:
    if value is None:
        raise DomainValidation(ErrorCode.PRECISION_REQUIRED, field="decimal_precision")
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_PRECISION:
        raise DomainValidation(
            ErrorCode.WRONG_TYPE, field="decimal_precision", expected=f"an integer from 0 to {MAX_PRECISION}"
        )
    return value


def _load_definition(session: Session, principal: Principal, resource: str, field_id: str) -> CustomFieldDefinition:
    principal.require(SETTING_RESOURCE[resource], "write")
    definition = session.get(CustomFieldDefinition, (principal.account_id, field_id), with_for_update=True)
    if definition is None or definition.deleted_at is not None or definition.resource != resource:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="custom field")
    return definition


def create_definition(
    session: Session, principal: Principal, resource: str, command: CustomFieldCreate
) -> CustomFieldDefinition:
    principal.require(SETTING_RESOURCE[resource], "write")
    field_type = command.type
    if field_type is None:
        raise DomainValidation(ErrorCode.REQUIRED, field="type")
    if field_type not in CUSTOM_FIELD_TYPES:
        raise DomainValidation(ErrorCode.NOT_ONE_OF, field="type", choices=", ".join(CUSTOM_FIELD_TYPES))
    name = _name(session, principal.account_id, resource, command.name, None)
    options: list[str] | None = None
    if field_type == CustomFieldType.DROPDOWN:
        options = _options(command.options)
    elif command.options is not None:
        raise DomainValidation(ErrorCode.ONLY_FOR_DROPDOWNS, field="options")
    precision: int | None = None
    if field_type in NUMERIC_TYPES:
        precision = _precision(command.decimal_precision)
    elif command.decimal_precision is not None:
        raise DomainValidation(ErrorCode.ONLY_FOR_NUMBERS, field="decimal_precision")
    now = now_ms()
    definition = CustomFieldDefinition(
        account_id=principal.account_id,
        id=new_id(),
        resource=resource,
        name=name,
        type=CustomFieldType(field_type).value,
        options=None if options is None else jsonutil.dumps(options),
        decimal_precision=precision,
        created_by_user_id=principal.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(definition)
    _event(session, principal, definition, "CREATED")
    return definition


def update_definition(
    session: Session, principal: Principal, resource: str, field_id: str, command: CustomFieldChanges
) -> CustomFieldDefinition:
    """Rename a field, or replace a dropdown's options (values already chosen are kept)."""
    definition = _load_definition(session, principal, resource, field_id)
    changes = given(command)
    if "name" in changes:
        definition.name = _name(session, principal.account_id, resource, changes["name"], definition.id)
    if "options" in changes:
        if definition.type != CustomFieldType.DROPDOWN:
            raise DomainValidation(ErrorCode.ONLY_FOR_DROPDOWNS, field="options")
        definition.options = jsonutil.dumps(_options(changes["options"]))
    definition.updated_at = now_ms()
    _event(session, principal, definition, "UPDATED")
    return definition


def delete_definition(session: Session, principal: Principal, resource: str, field_id: str) -> dict[str, Any]:
    """Soft delete; the values stay in the database but no record shows them any more."""
    definition = _load_definition(session, principal, resource, field_id)
    now = now_ms()
    definition.deleted_at = now
    definition.updated_at = now
    _event(session, principal, definition, "DELETED")
    return definition_row(definition)


def live_definition(session: Session, value: CustomFieldValue) -> CustomFieldDefinition | None:
    if value.definition_id is None:
        return None
    definition = session.get(CustomFieldDefinition, (value.account_id, value.definition_id))
    if definition is None or definition.deleted_at is not None:
        return None
    return definition


# ------------------------------------------------------------------------------------------ typed values


def _number_text(number: float) -> str:
    return str(int(number)) if number.is_integer() else repr(number)


def _typed(definition: CustomFieldDefinition, raw: Any, where: str) -> tuple[str, float | None, int | None]:
    """Validate one raw value for the definition; return (text, number_value, date_value).

    ``where`` is the domain path of the value in the command (``custom_fields[0].value.number``, ``value``).
    """
    field_type = definition.type
    if field_type in NUMERIC_TYPES:
        try:
            number = parse_number(raw)
        except NumberOutOfRange:
            raise DomainValidation(ErrorCode.WRONG_TYPE, field=where, expected="a finite number") from None
        except NumberError:
            raise DomainValidation(ErrorCode.WRONG_TYPE, field=where, expected="a number") from None
        number = round(number, definition.decimal_precision if definition.decimal_precision is not None else 2)
        return _number_text(number), number, None
    if field_type == CustomFieldType.DATE:
        try:
            ms = parse_instant(raw)
        except ValueError:
            raise DomainValidation(ErrorCode.WRONG_TYPE, field=where, expected="an ISO 8601 timestamp") from None
        if not MIN_MS <= ms <= MAX_MS:
            raise DomainValidation(ErrorCode.OUT_OF_RANGE, field=where)
        return ms_to_iso(ms) or "", None, ms
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise DomainValidation(ErrorCode.WRONG_TYPE, field=where, expected="a string")
    if len(raw) > TEXT_LIMITS[CustomFieldType(field_type)]:
        raise DomainValidation(ErrorCode.TOO_LONG, field=where)
    if field_type == CustomFieldType.DROPDOWN and raw not in (jsonutil.loads(definition.options) or []):
        raise DomainValidation(ErrorCode.NOT_A_FIELD_OPTION, field=where)
    return raw, None, None


def _set_typed(value: CustomFieldValue, typed: tuple[str, float | None, int | None] | None, now: int) -> None:
    value.value, value.number_value, value.date_value = typed if typed is not None else (None, None, None)
    value.updated_at = now


def put_values(
    session: Session,
    principal: Principal,
    owner_type: str,
    owner_id: str,
    items: Sequence[CustomValueChange],
    now: int,
) -> None:
    """Set typed values (``value`` None clears one); the record's other fields are untouched.

    An item naming a type other than the field's is refused. Errors name the item's domain path:
    ``custom_fields[0].definition_id``, ``custom_fields[0].value`` and ``custom_fields[0].value.<type>``."""
    wanted = list(dict.fromkeys(str(item.definition_id) for item in items))
    definitions = {
        d.id: d
        for d in session.scalars(
            select(CustomFieldDefinition).where(
                CustomFieldDefinition.account_id == principal.account_id,
                CustomFieldDefinition.resource == owner_type,
                CustomFieldDefinition.id.in_(wanted),
                CustomFieldDefinition.deleted_at.is_(None),
            )
        )
    }
    existing = {
        v.definition_id: v
        for v in session.scalars(
            select(CustomFieldValue).where(
                CustomFieldValue.account_id == principal.account_id,
                CustomFieldValue.owner_type == owner_type,
                CustomFieldValue.owner_id == owner_id,
                CustomFieldValue.definition_id.in_(wanted),
            )
        )
    }
    for index, item in enumerate(items):
        definition = definitions.get(str(item.definition_id))
        if definition is None:
            raise DomainValidation(
                ErrorCode.NOT_FOUND, field=f"custom_fields[{index}].definition_id", id=item.definition_id
            )
        if item.type is not None and item.type != definition.type:
            raise DomainValidation(
                ErrorCode.VALUE_OF_OTHER_TYPE, field=f"custom_fields[{index}].value", type=definition.type
            )
        raw = item.value
        typed = None if raw is None else _typed(definition, raw, f"custom_fields[{index}].value.{definition.type}")
        value = existing.get(definition.id)
        if value is None:
            value = CustomFieldValue(
                account_id=principal.account_id,
                id=new_id(),
                owner_type=owner_type,
                owner_id=owner_id,
                definition_id=definition.id,
                created_by_user_id=principal.user_id,
                created_at=now,
            )
            session.add(value)
            existing[definition.id] = value
        _set_typed(value, typed, now)


def change_value(session: Session, value: CustomFieldValue, command: ValueChanges, now: int) -> None:
    """The older single-field update: ``name``/``value``/``unit`` of a free field; only ``value`` of a typed one."""
    definition = live_definition(session, value)
    changes = given(command)
    if definition is None:
        require_text(changes, "name")
        for name in ("name", "value", "unit"):
            if name in changes:
                setattr(value, name, changes[name])
        value.updated_at = now
        return
    if "name" in changes:
        raise DomainValidation(ErrorCode.CHANGED_ON_DEFINITION, field="name")
    if changes.get("unit") is not None:
        raise DomainValidation(ErrorCode.NOT_OF_TYPED_FIELDS, field="unit")
    if "value" in changes:
        raw = changes["value"]
        _set_typed(value, None if raw is None else _typed(definition, raw, "value"), now)


def owned_value(session: Session, account_id: str, owner_type: str, owner_id: str, field_id: str) -> CustomFieldValue:
    """The custom field value ``field_id`` of the record ``owner_type`` ``owner_id``; else NotFound "custom field"."""
    value = session.get(CustomFieldValue, (account_id, field_id))
    if value is None or value.owner_type != owner_type or value.owner_id != owner_id:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="custom field")
    return value


def change_owned_value(
    session: Session, account_id: str, owner_type: str, owner: Owner, field_id: str, command: ValueChanges
) -> CustomFieldValue:
    """``change_value`` on the custom field ``field_id`` of ``owner`` (a record of ``owner_type`` its service
    has loaded and locked), which is changed now too."""
    value = owned_value(session, account_id, owner_type, owner.id, field_id)
    now = now_ms()
    change_value(session, value, command, now)
    owner.updated_at = now
    return value


def delete_owned_value(session: Session, account_id: str, owner_type: str, owner: Owner, field_id: str) -> None:
    """Delete the custom field ``field_id`` of ``owner`` (loaded and locked), which is changed now too."""
    session.delete(owned_value(session, account_id, owner_type, owner.id, field_id))
    owner.updated_at = now_ms()


# ------------------------------------------------------------------------------------------ free fields


def put_free_fields(
    session: Session,
    principal: Principal,
    owner_type: str,
    owner_id: str,
    items: Sequence[FreeFieldChange],
    now: int,
    label: str = "free_fields",
) -> None:
    """Add free fields; an item naming an existing one (by ``id``, else by ``name``) updates it.

    Errors name the item's domain path: ``free_fields[0].id``, ``free_fields[0].name``."""
    existing = list(
        session.scalars(
            select(CustomFieldValue).where(
                CustomFieldValue.account_id == principal.account_id,
                CustomFieldValue.owner_type == owner_type,
                CustomFieldValue.owner_id == owner_id,
                CustomFieldValue.definition_id.is_(None),
            )
        )
    )
    by_id = {f.id: f for f in existing}
    by_name = {f.name: f for f in existing}
    for index, item in enumerate(items):
        field: CustomFieldValue | None
        parts = given(item)
        if item.id is not None:
            field = by_id.get(item.id)
            if field is None:
                raise DomainValidation(ErrorCode.NOT_FOUND, field=f"{label}[{index}].id", id=item.id)
        else:
            if not is_set(item.name) or not str(item.name or "").strip():
                raise DomainValidation(ErrorCode.REQUIRED, field=f"{label}[{index}].name")
            field = by_name.get(str(item.name))
        if "name" in parts and (item.name is None or not str(item.name).strip()):
            raise DomainValidation(ErrorCode.REQUIRED, field=f"{label}[{index}].name")
        if field is None:
            field = CustomFieldValue(
                account_id=principal.account_id,
                id=new_id(),
                owner_type=owner_type,
                owner_id=owner_id,
                created_by_user_id=principal.user_id,
                created_at=now,
            )
            session.add(field)
            by_id[field.id] = field
        for name in ("name", "value", "unit"):
            if name in parts:
                setattr(field, name, parts[name])
        field.updated_at = now
        if field.name is not None:
            by_name[field.name] = field
