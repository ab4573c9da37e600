"""Helpers every UpKeep mapper uses: dates, and JSON-schema fragments for the OpenAPI document."""

from __future__ import annotations

from typing import Any

from premises.api.kit.representation import BOOL, DATE, NINT, NNUM, NSTR, STR, iso

__all__ = ["BOOL", "DATE", "NINT", "NNUM", "NSTR", "STR", "iso", "obj"]

ID_OR_OBJECT = {"type": ["string", "object", "null"]}
IDS = {"type": "array", "items": {"type": ["string", "object"]}}


def obj(properties: dict[str, Any], required: tuple[str, ...] = ("id",)) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(required)}
