"""List query parameters -> the domain's ``ListQuery``: equality filters, range filters, one sort key,
offset paging, and the names of fields to expand (``includes``).

A ``ListSpec`` says what one list endpoint accepts, in wire names; a ``ListStyle`` holds a dialect's
conventions: the paging parameter names and the cap on a page, the suffixes that make a range
filter of a field (``createdAtGreaterThan``), how a sort value reads. Refusals are
``WireInputError``s: ``UNKNOWN_PARAMETER``, ``WRONG_TYPE``, ``NOT_ONE_OF``, ``INVALID_INCLUDE``, and
whatever the style's sort parser raises.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request

from premises.api.kit.body import COERCERS, as_instant, not_one_of
from premises.api.kit.errors import WireInputError
from premises.errors import ErrorCode
from premises.kit.listing import ListQuery
from premises.kit.numbers import NumberError, NumberOutOfRange, parse_int

# (parameter, value, order_fields wire -> column) -> (column, descending)
SortParser = Callable[[str, str, Mapping[str, str]], tuple[str, bool]]


@dataclass(frozen=True, slots=True)
class Filter:
    """An equality filter: query parameter ``name`` compares domain ``column`` with the coerced value."""

    name: str
    column: str
    kind: str = "string"
    choices: Sequence[Any] | None = None
    description: str = ""


@dataclass(frozen=True)
class ListSpec:
    """What one list endpoint accepts. ``ranges`` and ``order_fields`` map wire names to columns."""

    filters: Sequence[Filter] = ()
    ranges: Mapping[str, str] = field(default_factory=dict)
    order_fields: Mapping[str, str] = field(default_factory=dict)
    includes: Sequence[str] = ()
    sort_param: str = "sort"
    # Query keys the route parses itself: ``name`` and ``name[...]`` (e.g. ``customFields[0][id]``).
    passthrough: Sequence[str] = ()

    def by_name(self) -> dict[str, Filter]:
        return {f.name: f for f in self.filters}


@dataclass(frozen=True)
class ListStyle:
    """A dialect's list conventions."""

    parse_sort: SortParser
    max_limit: int  # ``limit`` is 1 to this; a larger one is capped to it (silently), a smaller one refused
    range_suffixes: Mapping[str, str] = field(default_factory=dict)  # wire suffix -> ListQuery operator
    offset_param: str = "offset"
    limit_param: str = "limit"
    include_params: Sequence[str] = ("includes", "includes[]")


def query_param(name: str, schema: Mapping[str, Any], description: str) -> dict[str, Any]:
    """An OpenAPI query parameter (optional)."""
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


def parse_includes(values: Sequence[str], allowed: Sequence[str], param: str) -> set[str]:
    """``x=a&x=b``, ``x[]=a``, ``x=a,b`` — all the same; ``param`` names the parameter in errors."""
    out: set[str] = set()
    for value in values:
        for part in value.split(","):
            name = part.strip()
            if not name:
                continue
            if name not in allowed:
                raise WireInputError(ErrorCode.INVALID_INCLUDE, field=param, value=name)
            out.add(name)
    return out


def param_values(request: Request, names: Sequence[str]) -> list[str]:
    """Every value of the query parameters ``names`` (e.g. ``includes`` and ``includes[]``)."""
    params = request.query_params
    return [value for name in names for value in params.getlist(name)]


def check_keys(request: Request, allowed: frozenset[str]) -> None:
    """A route without a list: any query parameter but ``allowed`` is unknown."""
    for key in request.query_params:
        if key not in allowed:
            raise WireInputError(ErrorCode.UNKNOWN_PARAMETER, field=key)


def parse_list(request: Request, spec: ListSpec, style: ListStyle, *, default_limit: int) -> ParsedList:
    params = request.query_params
    filters = spec.by_name()
    query = ListQuery(limit=default_limit)
    for key, value in params.multi_items():
        if key == style.offset_param:
            query.offset = _non_negative_int(key, value)
        elif key == style.limit_param:
            query.limit = _limit(key, value, style.max_limit)
        elif key == spec.sort_param:
            query.order_column, query.descending = style.parse_sort(key, value, spec.order_fields)
        elif key in style.include_params or _passed_through(key, spec.passthrough):
            continue
        elif key in filters:
            f = filters[key]
            converted = COERCERS[f.kind](key, value)
            if f.choices is not None and converted not in f.choices:
                raise not_one_of(key, f.choices)
            query.equals[f.column] = converted
        else:
            column_op = _range(key, spec.ranges, style.range_suffixes)
            if column_op is None:
                raise WireInputError(ErrorCode.UNKNOWN_PARAMETER, field=key)
            column, operator = column_op
            query.ranges.append((column, operator, as_instant(key, value)))  # as bodies read an instant
    include_param = style.include_params[0] if style.include_params else ""
    includes = parse_includes(param_values(request, style.include_params), spec.includes, include_param)
    return ParsedList(query, includes)


def _passed_through(key: str, names: Sequence[str]) -> bool:
    return any(key == name or key.startswith(name + "[") for name in names)


def _non_negative_int(key: str, value: str) -> int:
    try:
        return min(parse_int(value, minimum=0), 2**62)
    except NumberError:
        raise WireInputError(ErrorCode.WRONG_TYPE, field=key, expected="a non-negative integer") from None


def _limit(key: str, value: str, maximum: int) -> int:
    """A page size from 1 to ``maximum``: a larger one is capped to it (clients ask for more than a
    server gives, and stop on a short page); 0, a negative or an over-long number is refused."""
    try:
        limit = parse_int(value)
    except NumberOutOfRange:
        raise WireInputError(ErrorCode.NOT_BETWEEN, field=key, min=1, max=maximum) from None
    except NumberError:
        raise WireInputError(ErrorCode.WRONG_TYPE, field=key, expected=f"an integer between 1 and {maximum}") from None
    if limit < 1:
        raise WireInputError(ErrorCode.NOT_BETWEEN, field=key, min=1, max=maximum)
    return min(limit, maximum)


def _range(key: str, ranges: Mapping[str, str], suffixes: Mapping[str, str]) -> tuple[str, str] | None:
    for suffix, operator in sorted(suffixes.items(), key=lambda kv: -len(kv[0])):
        if key.endswith(suffix) and key[: -len(suffix)] in ranges:
            return ranges[key[: -len(suffix)]], operator
    return None
