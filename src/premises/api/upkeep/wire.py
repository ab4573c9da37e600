"""UpKeep envelopes: ``{"success": true, "result": ...}``, ``results``, ``message``; errors with ``message``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson
from starlette.responses import Response


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def ok_result(result: Mapping[str, Any], status_code: int = 200) -> JSON:
    return JSON({"success": True, "result": result}, status_code=status_code)


def ok_results(results: Sequence[Any], **extra: Any) -> JSON:
    return JSON({"success": True, "results": results, **extra})


def ok_message(message: str) -> JSON:
    return JSON({"success": True, "message": message})


def error(status_code: int, message: str, **extra: Any) -> JSON:
    return JSON({"success": False, "message": message, **extra}, status_code=status_code)


# OpenAPI fragments shared by every route.
ERROR_SCHEMA = {
    "type": "object",
    "required": ["success", "message"],
    "properties": {"success": {"type": "boolean", "enum": [False]}, "message": {"type": "string"}},
}
MESSAGE_SCHEMA = {
    "type": "object",
    "required": ["success", "message"],
    "properties": {"success": {"type": "boolean", "enum": [True]}, "message": {"type": "string"}},
}


def result_schema(item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["success", "result"],
        "properties": {"success": {"type": "boolean", "enum": [True]}, "result": item},
    }


def results_schema(item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["success", "results"],
        "properties": {
            "success": {"type": "boolean", "enum": [True]},
            "results": {"type": "array", "items": item},
        },
    }


def _content(schema: Mapping[str, Any]) -> dict[str, Any]:
    return {"content": {"application/json": {"schema": schema}}}


def responses(success: Mapping[str, Any], *, status: int = 200) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` argument of a route: its success body and every UpKeep error status."""
    out: dict[int | str, dict[str, Any]] = {status: {"description": "Success", **_content(success)}}
    for code, text in ((400, "Bad Request"), (401, "Unauthorized"), (403, "Forbidden"), (404, "Not Found")):
        out[code] = {"description": text, **_content(ERROR_SCHEMA)}
    return out
