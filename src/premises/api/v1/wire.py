"""/v1's wire conventions (docs/dialects/v1.md): JSON bodies, camelCase names, ISO 8601 UTC instants
with milliseconds, lists as ``{"count", "items"}`` (plus ``nextCursor``), errors as
``{"error", "message", "details"}``; and the OpenAPI fragments every route shares."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import orjson
from starlette.responses import Response

from premises.api.kit.representation import Fields, Wire
from premises.kit.time import ms_to_iso


class JSON(Response):
    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def camel(name: str) -> str:
    """A domain name as /v1 spells it: ``created_at`` -> ``createdAt``."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


# Epoch milliseconds as ``2025-04-17T23:55:59.719Z`` (None stays null); the same function as the
# kit's ``representation.iso``, so a /v1 page can be rendered by SQLite too.
instant = ms_to_iso


def error(status_code: int, code: str, message: str, details: Mapping[str, Any], **headers: str) -> JSON:
    return JSON({"error": code, "message": message, "details": dict(details)}, status_code=status_code, headers=headers)


# OpenAPI fragments
INSTANT_SCHEMA = {"type": "string", "format": "date-time", "examples": ["2025-04-17T23:55:59.719Z"]}
INSTANT_OR_NULL = {"anyOf": [INSTANT_SCHEMA, {"type": "null"}]}


def nullable_instant(name: str, **options: Any) -> Wire:
    """The ``Wire`` of an instant that may be null (``approvedAt``, ``nextDueAt``)."""
    return Wire(name, instant, schema=INSTANT_OR_NULL, **options)


ERROR_SCHEMA = {
    "type": "object",
    "required": ["error", "message", "details"],
    "properties": {
        "error": {"type": "string", "examples": ["invalid_request"]},
        "message": {"type": "string"},
        "details": {"type": "object", "description": "`code` (the precise reason), `field` (camelCase) and more"},
    },
}
ERRORS = {
    400: "Invalid request: `details.field` names the field at fault",
    401: "Missing, expired or revoked access token (`WWW-Authenticate: Bearer`)",
    403: "The role or the token's scopes do not allow it, or a site the caller is not a member of",
    404: "Not found (also another account's id)",
}


def object_schema(fields: Fields, extra: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """The response schema of a resource's object, from its /v1 ``Fields`` (``extra``: the schemas of
    the members the route fills, the ``then`` keys)."""
    return {"type": "object", "required": list(fields.required()), "properties": fields.schema_properties(extra or {})}


def list_schema(item: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "type": "object",
        "required": ["count", "items"],
        "properties": {
            "count": {"type": "integer", "minimum": 0, "description": "How many items match (all pages)"},
            "items": {"type": "array", "items": item},
            "nextCursor": {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "description": "Pass as `cursor` for the next page; null on the last page",
            },
        },
    }


def responses(
    success: Mapping[str, Any] | None, *, status: int = 200, extra: tuple[int, ...] = ()
) -> dict[int | str, dict[str, Any]]:
    """The ``responses`` argument of a route: its success body (None: no body) and /v1's error statuses."""
    content = {"content": {"application/json": {"schema": ERROR_SCHEMA}}}
    body = {} if success is None else {"content": {"application/json": {"schema": success}}}
    out: dict[int | str, dict[str, Any]] = {status: {"description": "Success", **body}}
    texts = {
        **ERRORS,
        409: "Conflict with the current data (a duplicate)",
        413: "The body is larger than the server accepts",
        422: "Invalid state transition",
    }
    for code in (*ERRORS, *extra):
        out[code] = {"description": texts[code], **content}
    return out
