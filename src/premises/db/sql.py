"""A tiny builder for the read path's SELECT statements (``:name`` placeholders, tenant first).

It exists so that every read statement starts from ``account_id = :account_id`` and so that
filters, ordering and paging are composed the same way for every resource.

``apply(query)`` compiles a ``ListQuery`` (``premises.kit.listing``): the simple form as it always
has, and the catalogued form's validated conditions, search, sort keys and cursor. Values are always
parameters; identifiers come only from the fields of the query's catalogue (checked here by
identity); the SQL is the same on SQLite and PostgreSQL. ``count_sql()`` is the COUNT statement with
the same joins and WHERE, without the cursor's keyset condition and without paging.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Sequence
from typing import Any

from premises.kit.fields import Catalogue, Field, FieldType, Op
from premises.kit.listing import Condition, ListQuery, SortKey

_COMPARISONS = {Op.EQ: "=", Op.LT: "<", Op.LE: "<=", Op.GT: ">", Op.GE: ">="}
_LOOKUP = re.compile(r"LEFT JOIN \w+ (\w+) ON .*", re.DOTALL)
_TEXT_TYPES = frozenset({FieldType.STRING, FieldType.TEXT, FieldType.ID, FieldType.ENUM})


@functools.lru_cache(maxsize=256)
def _columns_read(alias: str, sql: str) -> str:
    """The ``alias.column`` references in ``sql``, each once, as a select list (``alias.*`` if none)."""
    read = dict.fromkeys(re.findall(rf"\b{re.escape(alias)}\.(\w+)", sql))
    return ", ".join(f"{alias}.{column}" for column in read) or f"{alias}.*"


@functools.lru_cache(maxsize=256)
def _lookup_alias_read(clause: str) -> tuple[str, re.Pattern[str]]:
    """A lookup join's ``alias.``, and what finds it as a whole word in a condition."""
    match = _LOOKUP.fullmatch(clause)
    if match is None:
        raise ValueError(f"not a single LEFT JOIN with an alias: {clause}")
    return f"{match.group(1)}.", re.compile(rf"\b{re.escape(match.group(1))}\.")


def _reads(text: str, prefix: str, finder: re.Pattern[str]) -> bool:
    return prefix in text and finder.search(text) is not None


class Select:
    def __init__(self, table: str, columns: Sequence[str], account_id: str, *, alias: str = "t") -> None:
        self.table = table
        self.alias = alias
        self.columns = list(columns)
        self.params: dict[str, Any] = {"account_id": account_id}
        self.conditions: list[str] = [f"{alias}.account_id = :account_id"]
        self.order: list[str] = []
        self.joins: list[str] = []
        self.lookups: dict[str, tuple[str, re.Pattern[str]]] = {}  # a lookup join -> "alias.", and its finder
        self.extra_columns: list[str] = []
        self.keyset: list[str] = []  # a cursor's position: in sql(), not in count_sql()
        self.gates: list[str] = []  # conditions on the caller, not the rows (``confirm``): not counted
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

    def confirm(self, condition: str, *values: Any) -> Select:
        """A condition that gates the whole statement rather than choosing rows (a cached principal's
        confirmation, ``identity.service.Confirmation``): in ``sql()``, left out of ``count_sql()``, so
        the count is the same statement (and the same kept count) for every request."""
        placeholders = [self._param(v) for v in values]
        self.gates.append(condition.replace("{a}", self.alias).format(*placeholders))
        return self

    def join(self, clause: str, *columns: str, lookup: bool = False) -> Select:
        """Add a join (``{a}`` is this table's alias) and the qualified columns it contributes.
        ``lookup``: one ``LEFT JOIN <table> <alias> ON ...`` that matches at most one row (a related
        record by its key) and only adds columns: ``count_sql`` leaves it out unless a condition reads
        its alias (SQLite would otherwise look it up for every counted row)."""
        joined = clause.replace("{a}", self.alias)
        self.joins.append(joined)
        if lookup:
            self.lookups[joined] = _lookup_alias_read(joined)
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

    def _from(self, *, counting: bool = False, lean: bool = False) -> str:
        """FROM, joins and WHERE. ``counting``: without the gates; ``counting`` or ``lean``: without the
        lookup joins that nothing of the statement from here on reads (conditions; for ``lean`` also the
        gates, the cursor's position and the order)."""
        conditions = self.conditions if counting else [*self.conditions, *self.gates]
        joins = self.joins
        if (counting or lean) and self.lookups:
            read = " ".join(conditions if counting else [*conditions, *self.keyset, *self.order])
            joins = [j for j in joins if j not in self.lookups or _reads(read, *self.lookups[j])]
        return f" FROM {self.table} {self.alias}{''.join(f' {j}' for j in joins)} WHERE " + " AND ".join(conditions)

    def sql(self, projection: Sequence[str] | None = None) -> str:
        """The statement; ``projection`` replaces the select list (SQL expressions from declarations)."""
        if projection is None:
            cols = ", ".join([*(f"{self.alias}.{c}" for c in self.columns), *self.extra_columns])
        else:
            cols = ", ".join(projection)
        return f"SELECT {cols}" + self._page()

    def _page(self, *, literal_limit: bool = False, lean: bool = False) -> str:
        """From the FROM clause on: joins, conditions, the cursor's position, order and page (the limit
        a parameter, or ``literal_limit``: written into the statement); ``lean`` as in ``_from``."""
        text = self._from(lean=lean)
        if self.keyset:
            text += "".join(f" AND {k}" for k in self.keyset)
        text += self._order()
        if self.limit is not None:
            self.params["offset"] = int(self.offset or 0)
            if literal_limit:
                text += f" LIMIT {int(self.limit)} OFFSET :offset"
            else:
                self.params["limit"] = int(self.limit)
                text += " LIMIT :limit OFFSET :offset"
        return text

    def _order(self) -> str:
        return " ORDER BY " + ", ".join(self.order) if self.order else ""

    def page_first_sql(self, projection: Sequence[str], page_joins: Sequence[str] = ()) -> str:
        """``sql(projection)`` computed for the page's rows only: the page is chosen from the table's own
        rows (filters, order, cursor, limit), then ``projection`` (which may carry a subselect per row,
        such as a related record's name) is evaluated for those rows. A planner that cannot see the
        limit (a generic plan) would otherwise evaluate the select list for every matching row.
        ``page_joins`` (``{a}`` is this table's alias) join the page's rows only, for ``projection``.

        The page's size is a literal (an int, 1 to a list's maximum): a generic plan that sees it joins
        the 50 rows by index; one that does not estimates a tenth of the table and hashes whole related
        tables (17 ms instead of 1.6 ms a page at a million rows, docs/benchmarks.md).

        The page carries only the table's columns the rest of the statement reads, not ``t.*``: SQLite
        copies every column of every page row into its subquery (a tenth of the statement's time for
        a work order's 46 columns). Choosing the page joins only the lookups its conditions, cursor or
        order read; the rest are joined to the page's rows (PostgreSQL does not always drop them)."""
        joins = "".join(f" {j}" for j in (*self.joins, *(j.replace("{a}", self.alias) for j in page_joins)))
        outer = f"SELECT {', '.join(projection)}"
        rest = f"{joins}{self._order()}"
        page = f"SELECT {_columns_read(self.alias, outer + rest)}{self._page(literal_limit=True, lean=True)}"
        return f"{outer} FROM ({page}) {self.alias}{rest}"

    def count_sql(self) -> str:
        """How many rows match the filters (joins and WHERE shared with ``sql()``; no cursor, no page, no
        ``confirm`` gate, no lookup join that no condition reads)."""
        return "SELECT COUNT(*)" + self._from(counting=True)

    def apply(self, query: ListQuery, *, handled: frozenset[str] = frozenset()) -> Select:
        """Add a ListQuery's filters, sort and page. Columns in ``handled`` were filtered by the caller."""
        for column, value in query.equals.items():
            if column not in handled:
                self.where_eq(column, value)
        for column, operator, value in query.ranges:
            self.where(f"{{a}}.{column} {operator} {{}}", value)
        if query.conditions or query.search or query.sort:
            catalogue = query.catalogue
            if catalogue is None:
                raise ValueError("a catalogued ListQuery needs its catalogue")
            for condition in query.conditions:
                self.conditions.append(self._condition(catalogue, condition))
            if query.search:
                self.conditions.append(self._search(catalogue, query.search))
        keys = query.sort_keys()
        if keys:
            self._order_keys(query.catalogue, keys)
            if query.cursor is not None:
                self.keyset.append(self._after(keys, query.cursor))
        else:
            self.order_by(query.order_column, query.descending)
            if query.order_column != "id":
                self.order_by("id", query.descending)
        return self.page(query.offset, query.limit)

    def _own(self, catalogue: Catalogue | None, f: Field) -> str:
        if catalogue is None or not catalogue.owns(f):
            raise ValueError(f"{f.name} is not a field of this query's catalogue")
        return f.sql(self.alias)

    def _lowered(self, f: Field, column: str) -> str:
        return f"LOWER({column})" if f.type in _TEXT_TYPES else f"LOWER(CAST({column} AS TEXT))"

    def _condition(self, catalogue: Catalogue, condition: Condition) -> str:
        f, op, value = condition.field, condition.op, condition.value
        column = self._own(catalogue, f)
        or_null = f" OR {column} IS NULL" if f.nullable else ""
        if op in _COMPARISONS:
            return f"{column} {_COMPARISONS[op]} {self._param(value)}"
        if op is Op.NE:
            return f"({column} <> {self._param(value)}{or_null})"
        if op is Op.IS_NULL:
            return f"{column} IS NULL"
        if op is Op.IS_NOT_NULL:
            return f"{column} IS NOT NULL"
        if op is Op.BETWEEN:
            return f"{column} BETWEEN {self._param(value[0])} AND {self._param(value[1])}"
        if op in (Op.IN, Op.NOT_IN):
            if not value:
                return "1 = 0" if op is Op.IN else "1 = 1"
            listed = ", ".join(self._param(v) for v in value)
            return f"{column} IN ({listed})" if op is Op.IN else f"({column} NOT IN ({listed}){or_null})"
        like = f"{self._lowered(f, column)} LIKE LOWER({self._param(value)}) ESCAPE '\\'"
        if op is Op.LIKE:
            return like
        if op is Op.NOT_LIKE:
            return f"(NOT ({like}){or_null})"
        raise ValueError(f"operator {op} is not compiled")

    def _search(self, catalogue: Catalogue, patterns: Sequence[str]) -> str:
        """Each term in at least one searchable field."""
        fields = [(f, self._own(catalogue, f)) for f in catalogue.searchable]
        terms = []
        for pattern in patterns:
            p = self._param(pattern)
            anywhere = " OR ".join(f"{self._lowered(f, c)} LIKE LOWER({p}) ESCAPE '\\'" for f, c in fields)
            terms.append(f"({anywhere})")
        return "(" + " AND ".join(terms) + ")"

    def _order_keys(self, catalogue: Catalogue | None, keys: Sequence[SortKey]) -> None:
        for key in keys:
            column = self._own(catalogue, key.field)
            direction = "DESC" if key.descending else "ASC"
            if key.field.nullable:  # NULL is the largest value on both engines
                direction += " NULLS FIRST" if key.descending else " NULLS LAST"
            self.order.append(f"{column} {direction}")

    def _after(self, keys: Sequence[SortKey], values: Sequence[Any]) -> str:
        """The keyset condition: rows strictly after ``values`` in the order of ``keys``."""
        columns = [key.field.sql(self.alias) for key in keys]
        params = [None if v is None else self._param(v) for v in values]
        same_direction = len({key.descending for key in keys}) == 1
        if same_direction and not any(k.field.nullable for k in keys) and None not in values:
            operator = "<" if keys[0].descending else ">"
            return f"({', '.join(columns)}) {operator} ({', '.join(p for p in params if p)})"
        disjuncts: list[str] = []
        for i, key in enumerate(keys):
            column, param = columns[i], params[i]
            if param is None:
                if not key.descending:
                    continue  # nothing sorts after NULL ascending
                later = f"{column} IS NOT NULL"
            elif key.descending:
                later = f"{column} < {param}"
            else:
                later = f"({column} > {param}" + (f" OR {column} IS NULL)" if key.field.nullable else ")")
            before = [
                f"{c} IS NULL" if p is None else f"{c} = {p}" for c, p in zip(columns[:i], params[:i], strict=True)
            ]
            disjuncts.append("(" + " AND ".join([*before, later]) + ")")
        return "(" + " OR ".join(disjuncts) + ")" if disjuncts else "1 = 0"
