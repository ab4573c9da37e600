"""Checklist lines on a work order (form items): types and the values each type allows.

Errors name the line by its domain path (``form_items[2].value``); dialects rename it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from premises.errors import DomainValidation, ErrorCode
from premises.kit.ids import new_id
from premises.kit.numbers import NumberError, parse_number
from premises.work_order.commands import ChecklistValue, FormItem, FormItemType, TaskValue

TASK_VALUES = tuple(TaskValue)
CHECKLIST_VALUES = tuple(ChecklistValue)
TYPES = tuple(FormItemType)
METERED = (FormItemType.METER, FormItemType.METER_READING)


def _choices(values: Sequence[str]) -> str:
    return ", ".join(values)


def _number(value: Any, field: str) -> float | int:
    try:
        number = parse_number(value)
    except NumberError:
        raise DomainValidation(ErrorCode.WRONG_TYPE, field=field, expected="a number") from None
    return int(number) if number.is_integer() else number


def _value(item_type: FormItemType, value: Any, options: list[str] | None, path: str) -> Any:
    field = f"{path}.value"
    if value is None:
        return TaskValue.OPEN.value if item_type is FormItemType.TASK else None
    if item_type is FormItemType.TASK:
        if value not in TASK_VALUES:
            raise DomainValidation(ErrorCode.NOT_ONE_OF, field=field, choices=_choices(TASK_VALUES))
        return value
    if item_type is FormItemType.CHECKLIST:
        if value not in CHECKLIST_VALUES:
            raise DomainValidation(ErrorCode.NOT_ONE_OF, field=field, choices=_choices(CHECKLIST_VALUES))
        return value
    if item_type is FormItemType.MULTIPLE_CHOICE:
        if value not in (options or []):
            raise DomainValidation(ErrorCode.NOT_AN_OPTION, field=field)
        return value
    if item_type in (FormItemType.NUMBER, *METERED):
        return _number(value, field)
    if not isinstance(value, str):
        raise DomainValidation(ErrorCode.WRONG_TYPE, field=field, expected="a string")
    return value


def normalise(items: Sequence[FormItem], existing: Sequence[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
    """Check each line and give it an id (kept when it names an existing line); the stored JSON shape."""
    known = {str(i["id"]) for i in existing}
    out: list[dict[str, Any]] = []
    for index, raw in enumerate(items):
        path = f"form_items[{index}]"
        name = raw.name
        if not isinstance(name, str) or not name.strip():
            raise DomainValidation(ErrorCode.REQUIRED, field=f"{path}.name")
        if raw.type not in TYPES:
            raise DomainValidation(ErrorCode.NOT_ONE_OF, field=f"{path}.type", choices=_choices(TYPES))
        item_type = FormItemType(raw.type)
        options = raw.options
        if item_type is FormItemType.MULTIPLE_CHOICE:
            if not isinstance(options, list) or not options or not all(isinstance(o, str) for o in options):
                raise DomainValidation(
                    ErrorCode.WRONG_TYPE, field=f"{path}.options", expected="a non-empty array of strings"
                )
        else:
            options = None
        meter = raw.meter
        if item_type in METERED:
            if not isinstance(meter, str) or not meter:
                raise DomainValidation(ErrorCode.REQUIRED, field=f"{path}.meter")
        else:
            meter = None
        item_id = raw.id
        if not isinstance(item_id, str) or item_id not in known or item_id in {o["id"] for o in out}:
            item_id = new_id()
        item: dict[str, Any] = {"id": item_id, "name": name, "type": item_type.value}
        item["value"] = _value(item_type, raw.value, options, path)
        if options is not None:
            item["options"] = options
        if meter is not None:
            item["meter"] = meter
        out.append(item)
    return out
