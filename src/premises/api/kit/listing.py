"""List query parameters the UpKeep way: filters, ``...GreaterThan`` ranges, ``orderBy``, paging, ``includes``.

Unknown keys are rejected with ``invalid filter key: {key}`` as UpKeep documents.
Paging: ``limit`` defaults to 100 and is capped (silently, as real clients expect) at 5000.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from premises.api.kit.body import COERCERS
from premises.errors import DomainValidation
from premises.kit.listing import RANGE_OPERATORS, ListQuery
from premises.kit.numbers import NumberError, parse_int

PAGING_KEYS = frozenset({"offset", "limit", "orderBy", "includes", "includes[]"})


@dataclass(frozen=True, slots=True)
class Filter:
    name: str
    column: str
    kind: str = "string"
    choices: Sequence[Any] | None = None
    description: str = ""


@dataclass(frozen=True)
class ListSpec:
    filters: Sequence[Filter] = ()
    ranges: Mapping[str, str] = field(default_factory=lambda: {"createdAt": "created_at", "updatedAt": "updated_at"})
    order_fields: Mapping[str, str] = field(
        default_factory=lambda: {"createdAt": "created_at", "updatedAt": "updated_at"}
    )
    includes: Sequence[str] = ()
    sort_param: str = "orderBy"  # files and form templates call it "sort"
    # Query keys the route parses itself: ``name`` and ``name[...]`` (e.g. ``customFields[0][id]``).
    passthrough: Sequence[str] = ()

    def by_name(self) -> dict[str, Filter]:
        return {f.name: f for f in self.filters}

    def openapi(self) -> dict[str, Any]:
        params: list[dict[str, Any]] = [
            _param("offset", {"type": "integer", "minimum": 0}, "Rows to skip."),
            _param("limit", {"type": "integer", "minimum": 1}, "Page size; default 100, capped at 5000."),
            _param(self.sort_param, {"type": "string"}, "`field ASC|DESC`: " + ", ".join(self.order_fields)),
        ]
        if self.includes:
            params.append(_param("includes", {"type": "string"}, "Expand: " + ", ".join(self.includes)))
        for f in self.filters:
            schema = {"enum": list(f.choices)} if f.choices else {"type": "string"}
            params.append(_param(f.name, schema, f.description))
        for wire in self.ranges:
            for suffix in RANGE_OPERATORS:
                params.append(_param(wire + suffix, {"type": "integer"}, "Unix time in milliseconds."))
        return {"parameters": params}


def _param(name: str, schema: Mapping[str, Any], description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "query",
        "required": False,
        "schema": dict(schema),
        "description": description,
    }


@dataclass
class ParsedList:
    query: ListQuery
    includes: set[str]


def parse_includes(values: Sequence[str], allowed: Sequence[str]) -> set[str]:
    """``includes=a&includes=b``, ``includes[]=a``, ``includes=a,b`` — all the same."""
    out: set[str] = set()
    for value in values:
        for part in value.split(","):
            name = part.strip()
            if not name:
                continue
            if name not in allowed:
                raise DomainValidation(f"invalid includes value: {name}", field="includes")
            out.add(name)
    return out


def include_values(request: Request) -> list[str]:
    params = request.query_params
    return [*params.getlist("includes"), *params.getlist("includes[]")]


def check_keys(request: Request, allowed: frozenset[str]) -> None:
    for key in request.query_params:
        if key not in allowed:
            raise DomainValidation(f"invalid filter key: {key}", field=key)


def parse_list(request: Request, spec: ListSpec, *, default_limit: int = 100, max_limit: int = 5000) -> ParsedList:
    params = request.query_params
    filters = spec.by_name()
    query = ListQuery(limit=default_limit)
    for key, value in params.multi_items():
        if key in ("offset", "limit"):
            number = _non_negative_int(key, value)
            if key == "offset":
                query.offset = number
            else:
                query.limit = max(1, min(number, max_limit))
        elif key == spec.sort_param:
            query.order_column, query.descending = _order(value, spec.order_fields, key)
        elif key in ("includes", "includes[]") or _passed_through(key, spec.passthrough):
            continue
        elif key in filters:
            f = filters[key]
            converted = COERCERS[f.kind](key, value)
            if f.choices is not None and converted not in f.choices:
                raise DomainValidation(f"{key} must be one of " + ", ".join(map(str, f.choices)), field=key)
            query.equals[f.column] = converted
        else:
            column_op = _range(key, spec.ranges)
            if column_op is None:
                raise DomainValidation(f"invalid filter key: {key}", field=key)
            column, operator = column_op
            query.ranges.append((column, operator, _range_value(key, value)))
    includes = parse_includes(include_values(request), spec.includes)
    return ParsedList(query, includes)


def _passed_through(key: str, names: Sequence[str]) -> bool:
    return any(key == name or key.startswith(name + "[") for name in names)


def _non_negative_int(key: str, value: str) -> int:
    try:
        return min(parse_int(value, minimum=0), 2**62)
    except NumberError:
        raise DomainValidation(f"{key} must be a non-negative integer", field=key) from None


def _range_value(key: str, value: str) -> int:
    """Epoch milliseconds compared with a 64-bit column: any integer that column holds."""
    try:
        return parse_int(value)
    except NumberError:
        raise DomainValidation(f"{key} must be a unix timestamp in milliseconds", field=key) from None


def _range(key: str, ranges: Mapping[str, str]) -> tuple[str, str] | None:
    for suffix, operator in sorted(RANGE_OPERATORS.items(), key=lambda kv: -len(kv[0])):
        if key.endswith(suffix) and key[: -len(suffix)] in ranges:
            return ranges[key[: -len(suffix)]], operator
    return None


def _order(value: str, fields: Mapping[str, str], key: str) -> tuple[str, bool]:
    parts = value.replace("+", " ").split()
    if not parts or len(parts) > 2 or parts[0] not in fields:
        allowed = ", ".join(fields)
        raise DomainValidation(f"{key} must be 'field ASC|DESC' with field one of {allowed}", field=key)
    direction = parts[1].upper() if len(parts) == 2 else "DESC"
    if direction not in ("ASC", "DESC"):
        raise DomainValidation(f"{key} direction must be ASC or DESC", field=key)
    return fields[parts[0]], direction == "DESC"
