"""Checklist lines on a work order (UpKeep ``formItems``): types and the values each type allows."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from premises.errors import DomainValidation
from premises.kit.ids import new_id
from premises.kit.numbers import NumberError, parse_number

TASK_VALUES = ("OPEN", "ON_HOLD", "IN_PROGRESS", "COMPLETE")
CHECKLIST_VALUES = ("PASS", "FLAG", "FAIL")
TYPES = ("TASK", "TEXT", "NUMBER", "CHECKLIST", "MULTIPLE_CHOICE", "METER", "METER_READING")


def _fail(message: str) -> DomainValidation:
    return DomainValidation(message, field="formItems")


def _number(value: Any, index: int) -> float | int:
    try:
        number = parse_number(value)
    except NumberError:
        raise _fail(f"formItems[{index}].value must be a number") from None
    return int(number) if number.is_integer() else number


def _value(item_type: str, value: Any, options: list[str] | None, index: int) -> Any:
    if value is None:
        return "OPEN" if item_type == "TASK" else None
    if item_type == "TASK":
        if value not in TASK_VALUES:
            raise _fail(f"formItems[{index}].value must be one of {', '.join(TASK_VALUES)}")
        return value
    if item_type == "CHECKLIST":
        if value not in CHECKLIST_VALUES:
            raise _fail(f"formItems[{index}].value must be one of {', '.join(CHECKLIST_VALUES)}")
        return value
    if item_type == "MULTIPLE_CHOICE":
        if value not in (options or []):
            raise _fail(f"formItems[{index}].value must be one of its options")
        return value
    if item_type in ("NUMBER", "METER", "METER_READING"):
        return _number(value, index)
    if not isinstance(value, str):
        raise _fail(f"formItems[{index}].value must be a string")
    return value


def normalise(items: Sequence[Mapping[str, Any]], existing: Sequence[Mapping[str, Any]] = ()) -> list[dict[str, Any]]:
    """Validate UpKeep-shaped items and give each an id (kept when it matches an existing item)."""
    known = {str(i["id"]) for i in existing}
    out: list[dict[str, Any]] = []
    for index, raw in enumerate(items):
        if not isinstance(raw, Mapping):
            raise _fail(f"formItems[{index}] must be an object")
        unknown = set(raw) - {"id", "name", "type", "value", "options", "meter"}
        if unknown:
            raise _fail(f"formItems[{index}].{sorted(unknown)[0]} not in schema")
        name, item_type = raw.get("name"), raw.get("type")
        if not isinstance(name, str) or not name.strip():
            raise _fail(f"formItems[{index}].name cannot be null")
        if item_type not in TYPES:
            raise _fail(f"formItems[{index}].type must be one of {', '.join(TYPES)}")
        options = raw.get("options")
        if item_type == "MULTIPLE_CHOICE":
            if not isinstance(options, list) or not options or not all(isinstance(o, str) for o in options):
                raise _fail(f"formItems[{index}].options must be a non-empty array of strings")
        else:
            options = None
        meter = raw.get("meter")
        if item_type in ("METER", "METER_READING"):
            if not isinstance(meter, str) or not meter:
                raise _fail(f"formItems[{index}].meter cannot be null")
        else:
            meter = None
        item_id = raw.get("id")
        if not isinstance(item_id, str) or item_id not in known or item_id in {o["id"] for o in out}:
            item_id = new_id()
        item: dict[str, Any] = {"id": item_id, "name": name, "type": item_type}
        item["value"] = _value(item_type, raw.get("value"), options, index)
        if options is not None:
            item["options"] = options
        if meter is not None:
            item["meter"] = meter
        out.append(item)
    return out
