"""UpKeep's list conventions on top of the kit's parser (``premises.api.kit.listing``).

``createdAtGreaterThan`` / ``...LessThan`` / ``...GreaterThanOrEqualTo`` / ``...LessThanOrEqualTo``
range filters on ``createdAt`` and ``updatedAt``; ``orderBy=field ASC|DESC`` (files say ``sort``);
``includes`` (or ``includes[]``) names the fields to expand. An unknown key reads
``invalid filter key: {key}`` as UpKeep documents (``messages.UPKEEP_TEMPLATES``). Paging: ``limit``
defaults to 100, is at least 1 (``limit=0`` is a 400) and is capped (silently, as real clients
expect) at 5000. Range values are instants as bodies take them: epoch ms or ISO 8601.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from premises.api.kit import listing as kit
from premises.api.kit.body import JSON_SCHEMA
from premises.api.kit.errors import WireInputError
from premises.errors import ErrorCode

RANGE_SUFFIXES = {
    "GreaterThan": ">",
    "LessThan": "<",
    "GreaterThanOrEqualTo": ">=",
    "LessThanOrEqualTo": "<=",
}
MAX_LIMIT = 5000
RANGE_DESCRIPTION = "Epoch milliseconds or ISO 8601 (`2026-12-01` is midnight UTC; no offset means UTC)."


def _timestamps() -> dict[str, str]:
    return {"createdAt": "created_at", "updatedAt": "updated_at"}


def parse_order(key: str, value: str, fields: Mapping[str, str]) -> tuple[str, bool]:
    """``orderBy=createdAt ASC`` (``+`` for the space; descending when no direction is given)."""
    parts = value.replace("+", " ").split()
    if not parts or len(parts) > 2 or parts[0] not in fields:
        raise WireInputError(ErrorCode.INVALID_SORT, field=key, choices=", ".join(fields))
    direction = parts[1].upper() if len(parts) == 2 else "DESC"
    if direction not in ("ASC", "DESC"):
        raise WireInputError(ErrorCode.INVALID_SORT_DIRECTION, field=key, choices="ASC or DESC")
    return fields[parts[0]], direction == "DESC"


STYLE = kit.ListStyle(parse_sort=parse_order, max_limit=MAX_LIMIT, range_suffixes=RANGE_SUFFIXES)
INCLUDES_PARAM = STYLE.include_params[0]


@dataclass(frozen=True)
class ListSpec(kit.ListSpec):
    """A list endpoint the UpKeep way: ``createdAt``/``updatedAt`` ranges and order by default."""

    ranges: Mapping[str, str] = field(default_factory=_timestamps)
    order_fields: Mapping[str, str] = field(default_factory=_timestamps)
    sort_param: str = "orderBy"  # files and form templates call it "sort"

    def openapi(self) -> dict[str, Any]:
        params: list[dict[str, Any]] = [
            kit.query_param("offset", {"type": "integer", "minimum": 0}, "Rows to skip."),
            kit.query_param(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                f"Page size, 1 to {MAX_LIMIT}; default 100. A larger value is taken as {MAX_LIMIT}.",
            ),
            kit.query_param(self.sort_param, {"type": "string"}, "`field ASC|DESC`: " + ", ".join(self.order_fields)),
        ]
        if self.includes:
            params.append(kit.query_param("includes", {"type": "string"}, "Expand: " + ", ".join(self.includes)))
        for f in self.filters:
            schema = {"enum": list(f.choices)} if f.choices else {"type": "string"}
            params.append(kit.query_param(f.name, schema, f.description))
        for wire in self.ranges:
            for suffix in RANGE_SUFFIXES:
                params.append(kit.query_param(wire + suffix, JSON_SCHEMA["instant"], RANGE_DESCRIPTION))
        return {"parameters": params}


def parse_list(request: Request, spec: kit.ListSpec, *, default_limit: int = 100) -> kit.ParsedList:
    return kit.parse_list(request, spec, STYLE, default_limit=default_limit)


def include_values(request: Request) -> list[str]:
    return kit.param_values(request, STYLE.include_params)


def parse_includes(values: Sequence[str], allowed: Sequence[str]) -> set[str]:
    return kit.parse_includes(values, allowed, INCLUDES_PARAM)


def includes_openapi(allowed: Sequence[str]) -> dict[str, Any]:
    """The ``openapi_extra`` of a GET-one route that takes ``includes`` (the names it may expand)."""
    return {
        "parameters": [
            {
                "name": INCLUDES_PARAM,
                "in": "query",
                "required": False,
                "schema": {"type": "string"},
                "description": "Expand: " + ", ".join(allowed),
            }
        ]
    }
