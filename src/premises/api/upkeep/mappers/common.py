"""Helpers every UpKeep mapper uses: dates, and JSON-schema fragments for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from premises.kit.time import ms_to_iso

iso = ms_to_iso

STR = {"type": "string"}
NSTR = {"type": ["string", "null"]}
NNUM = {"type": ["number", "null"]}
NINT = {"type": ["integer", "null"]}
BOOL = {"type": "boolean"}
DATE = {"type": ["string", "null"], "format": "date-time"}
ID_OR_OBJECT = {"type": ["string", "object", "null"]}
IDS = {"type": "array", "items": {"type": ["string", "object"]}}


def obj(properties: dict[str, Any], required: tuple[str, ...] = ("id",)) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(required)}
