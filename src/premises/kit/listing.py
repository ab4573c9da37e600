"""A dialect-neutral list request: equality filters, range filters, one sort key, offset paging."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

RANGE_OPERATORS = {
    "GreaterThan": ">",
    "LessThan": "<",
    "GreaterThanOrEqualTo": ">=",
    "LessThanOrEqualTo": "<=",
}


@dataclass
class ListQuery:
    equals: dict[str, Any] = field(default_factory=dict)  # domain column -> value
    ranges: list[tuple[str, str, int]] = field(default_factory=list)  # (column, operator, value)
    order_column: str = "created_at"
    descending: bool = True
    offset: int = 0
    limit: int = 100
