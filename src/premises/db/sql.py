"""A tiny builder for the read path's SELECT statements (``:name`` placeholders, tenant first).

It exists so that every read statement starts from ``account_id = :account_id`` and so that
filters, ordering and paging are composed the same way for every resource.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from premises.kit.listing import ListQuery


class Select:
    def __init__(self, table: str, columns: Sequence[str], account_id: str, *, alias: str = "t") -> None:
        self.table = table
        self.alias = alias
        self.columns = list(columns)
        self.params: dict[str, Any] = {"account_id": account_id}
        self.conditions: list[str] = [f"{alias}.account_id = :account_id"]
        self.order: list[str] = []
        self.joins: list[str] = []
        self.extra_columns: list[str] = []
        self.limit: int | None = None
        self.offset: int | None = None

    def _param(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def where(self, condition: str, *values: Any) -> Select:
        """``condition`` uses ``{}`` for each value: ``where("{a}.status = {}", "open")``."""
        placeholders = [self._param(v) for v in values]
        self.conditions.append(condition.replace("{a}", self.alias).format(*placeholders))
        return self

    def join(self, clause: str, *columns: str) -> Select:
        """Add a join (``{a}`` is this table's alias) and the qualified columns it contributes."""
        self.joins.append(clause.replace("{a}", self.alias))
        self.extra_columns.extend(columns)
        return self

    def where_eq(self, column: str, value: Any) -> Select:
        if value is None:
            self.conditions.append(f"{self.alias}.{column} IS NULL")
            return self
        return self.where(f"{{a}}.{column} = {{}}", value)

    def where_in(self, column: str, values: Iterable[Any]) -> Select:
        items = list(values)
        if not items:
            self.conditions.append("1 = 0")
            return self
        placeholders = ", ".join(self._param(v) for v in items)
        self.conditions.append(f"{self.alias}.{column} IN ({placeholders})")
        return self

    def where_live(self) -> Select:
        self.conditions.append(f"{self.alias}.deleted_at IS NULL")
        return self

    def order_by(self, column: str, descending: bool) -> Select:
        direction = "DESC" if descending else "ASC"
        self.order.append(f"{self.alias}.{column} {direction}")
        return self

    def page(self, offset: int, limit: int) -> Select:
        self.offset, self.limit = offset, limit
        return self

    def sql(self) -> str:
        cols = ", ".join([*(f"{self.alias}.{c}" for c in self.columns), *self.extra_columns])
        joins = "".join(f" {j}" for j in self.joins)
        text = f"SELECT {cols} FROM {self.table} {self.alias}{joins} WHERE " + " AND ".join(self.conditions)
        if self.order:
            text += " ORDER BY " + ", ".join(self.order)
        if self.limit is not None:
            self.params["limit"] = int(self.limit)
            self.params["offset"] = int(self.offset or 0)
            text += " LIMIT :limit OFFSET :offset"
        return text

    def apply(self, query: ListQuery, *, handled: frozenset[str] = frozenset()) -> Select:
        """Add a ListQuery's filters, sort and page. Columns in ``handled`` were filtered by the caller."""
        for column, value in query.equals.items():
            if column not in handled:
                self.where_eq(column, value)
        for column, operator, value in query.ranges:
            self.where(f"{{a}}.{column} {operator} {{}}", value)
        self.order_by(query.order_column, query.descending)
        if query.order_column != "id":
            self.order_by("id", query.descending)
        return self.page(query.offset, query.limit)
