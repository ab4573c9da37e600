"""Checklist lines in a body (``formItems``), as every dialect spells them: a work order's lines
(``id``, ``name``, ``type``, ``value``, ``options``, ``meter``) and a template's (no ``id`` or ``value``).
Each line is checked by the checklist service; here only unknown keys are refused, naming the line."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from premises.api.kit.errors import WireInputError
from premises.errors import ErrorCode
from premises.work_order.commands import FormItem

FORM_ITEM_KEYS = ("id", "name", "type", "value", "options", "meter")
TEMPLATE_ITEM_KEYS = ("name", "type", "options", "meter")
TEMPLATE_ITEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "type": {"type": "string"},
        "meter": {"type": "string"},
        "options": {"type": "array", "items": {"type": "string"}},
    },
    "required": ["name", "type"],
}


def _check_keys(items: Sequence[Mapping[str, Any]], allowed: Sequence[str], field: str) -> None:
    for index, item in enumerate(items):
        unknown = sorted(set(item) - set(allowed))
        if unknown:
            raise WireInputError(ErrorCode.UNKNOWN_FIELD, field=f"{field}[{index}].{unknown[0]}")


def parse_form_items(items: Sequence[Mapping[str, Any]] | None, field: str = "formItems") -> list[FormItem] | None:
    """A work order's lines as the domain's form items; unknown keys are 'not in schema'."""
    if items is None:
        return None
    _check_keys(items, FORM_ITEM_KEYS, field)
    return [FormItem(**{key: item.get(key) for key in FORM_ITEM_KEYS}) for item in items]


def parse_template_items(items: Sequence[Mapping[str, Any]] | None, field: str = "formItems") -> list[FormItem] | None:
    """A template's lines: a work order's line without ``id`` or ``value``."""
    _check_keys(items or (), TEMPLATE_ITEM_KEYS, field)
    return parse_form_items(items, field)
