"""Field declarations: one per field of a resource, in domain names, read by every layer that needs them.

A resource declares its fields once, as a :class:`Catalogue` of :class:`Field` (for work orders:
``premises.work_order.fields.WORK_ORDERS``). A field says, in the domain's words only:

- its **domain name** (``custom_status_id``) and where it lives in SQL: a ``column`` of the
  resource's table (qualified with the statement's alias when compiled) or an ``expression``
  written by the declaring module (``{a}`` is the table's alias; e.g. ``({a}.status = 'complete')``
  or a joined ``cs.name``). No other identifier ever reaches SQL from a list request;
- its **type** (:class:`FieldType`), which also decides how a client's value is coerced
  (numbers through ``premises.kit.numbers``, ids bounded by ``ID_COLUMN_LENGTH``, enums by their
  ``choices``, strings by ``max_length`` and free of NUL);
- its **capabilities**: the filter operators it accepts (``ops``; default from the type, empty =
  not filterable), ``sortable``, ``searchable`` (free-text search, see ``kit.listing``) and
  ``writable`` (commands may set it).

The catalogue gives lookup by domain name, the SQL column list in declaration order, and the
filterable / sortable / searchable / writable sets. ``premises.kit.listing.ListQuery`` validates
every condition, sort key, search and cursor against it; ``premises.db.sql.Select`` compiles only
validated conditions, whose fields it checks are the catalogue's own objects.

Dialects attach their own names and renderers without the domain knowing them. A dialect keeps a
mapping from domain name to whatever it needs per field (a wire name, a renderer, a JSON-schema
fragment, onOffice's catalogue entry) and registers it with :meth:`Catalogue.attach`, which fails
at import when a key is not a declared field::

    # api/upkeep/mappers/work_orders.py (the dialect's module, not the domain's)
    UPKEEP_NAMES = WORK_ORDERS.attach("upkeep", {"custom_status_id": "customWOStatusId", ...})
    UPKEEP_NAMES.wire("custom_status_id")      # "customWOStatusId"
    UPKEEP_NAMES.domain("customWOStatusId")    # "custom_status_id"  (None when unknown)

    # api/onoffice/catalogue.py
    ESTATE_FIELDS = ESTATES.attach("onoffice", {"title": OnOfficeField("objekttitel", length=255), ...})

    # api/rest (/v1): names derived from the domain name
    V1_NAMES = WORK_ORDERS.attach("v1", {f.name: camel(f.name) for f in WORK_ORDERS})

The attachment's payload type is the dialect's own (``Attachment[str]``, ``Attachment[OnOfficeField]``),
so filters, sort keys, error field names and schemas in each dialect derive from the one declaration,
and a domain field without a dialect name is simply not exposed by that dialect.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Generic, TypeVar

T = TypeVar("T")

_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]{0,62}", re.ASCII)


class FieldType(StrEnum):
    STRING = "string"  # a bounded text (String(n) column)
    TEXT = "text"  # a long text (Text column)
    INTEGER = "integer"
    NUMBER = "number"  # a finite double
    BOOLEAN = "boolean"
    INSTANT = "instant"  # epoch milliseconds (ADR 4)
    ID = "id"  # an opaque id (ADR 3)
    ID_LIST = "id_list"  # a JSON list of ids kept on the row
    ENUM = "enum"  # one of ``choices``
    JSON = "json"  # structured data kept on the row; never filtered or sorted


class Op(StrEnum):
    """Filter operators. Negations are the complement of their positive: ``!=``, NOT IN and NOT LIKE
    also match rows where the field is NULL. LIKE and NOT LIKE ignore ASCII case."""

    EQ = "="
    NE = "!="
    LT = "<"
    LE = "<="
    GT = ">"
    GE = ">="
    IN = "in"
    NOT_IN = "not in"
    LIKE = "like"
    NOT_LIKE = "not like"
    BETWEEN = "between"
    IS_NULL = "is null"
    IS_NOT_NULL = "is not null"


EQUALITY = frozenset({Op.EQ, Op.NE, Op.IN, Op.NOT_IN})
ORDERED = EQUALITY | {Op.LT, Op.LE, Op.GT, Op.GE, Op.BETWEEN}
TEXTUAL = EQUALITY | {Op.LIKE, Op.NOT_LIKE}
NULLS = frozenset({Op.IS_NULL, Op.IS_NOT_NULL})

# Operators a field accepts when its declaration does not say (plus IS [NOT] NULL when nullable).
# Strings have no < or > by default: the engines order text differently (collations).
DEFAULT_OPS: Mapping[FieldType, frozenset[Op]] = {
    FieldType.STRING: TEXTUAL,
    FieldType.TEXT: frozenset({Op.LIKE, Op.NOT_LIKE}),
    FieldType.INTEGER: ORDERED,
    FieldType.NUMBER: ORDERED,
    FieldType.BOOLEAN: frozenset({Op.EQ, Op.NE}),
    FieldType.INSTANT: ORDERED,
    FieldType.ID: EQUALITY,
    FieldType.ID_LIST: frozenset(),
    FieldType.ENUM: EQUALITY,
    FieldType.JSON: frozenset(),
}
UNORDERED_TYPES = frozenset({FieldType.ID_LIST, FieldType.JSON, FieldType.TEXT})
SEARCHABLE_TYPES = frozenset({FieldType.STRING, FieldType.TEXT, FieldType.ID, FieldType.ENUM, FieldType.INTEGER})


class _Default:
    """Marker: take the capability from the field's type."""

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT = _Default()


@dataclass(frozen=True, slots=True, eq=False)
class Field:
    """One field of a resource. Compare by identity: a catalogue's fields are its own objects."""

    name: str
    type: FieldType
    column: str | None = None  # defaults to ``name`` unless ``expression`` is given
    expression: str | None = None
    ops: frozenset[Op] | _Default = DEFAULT
    sortable: bool | _Default = DEFAULT
    searchable: bool = False
    writable: bool = False
    nullable: bool = True
    max_length: int | None = None  # strings: the column's length; None = Text's 5,000
    choices: tuple[object, ...] = ()  # enums
    minimum: int | None = None  # integers: narrower bounds than 64 bits (an Integer column is 32-bit)
    maximum: int | None = None
    description: str = ""

    def __post_init__(self) -> None:
        if not _IDENTIFIER.fullmatch(self.name):
            raise ValueError(f"field name must be a lower-case identifier: {self.name!r}")
        if self.expression is None:
            column = self.column or self.name
            if not _IDENTIFIER.fullmatch(column):
                raise ValueError(f"{self.name}: column must be a lower-case identifier: {column!r}")
            object.__setattr__(self, "column", column)
        elif self.column is not None:
            raise ValueError(f"{self.name}: give a column or an expression, not both")
        elif any(bad in self.expression for bad in (":", ";", "--", "/*")):
            raise ValueError(f"{self.name}: an expression takes no parameters or comments")
        ops = self.ops
        if ops is DEFAULT:  # the type's operators, and IS [NOT] NULL for a nullable filterable field
            ops = DEFAULT_OPS[self.type]
            ops = ops | NULLS if ops and self.nullable else ops
        assert isinstance(ops, frozenset)
        object.__setattr__(self, "ops", frozenset(Op(op) for op in ops))
        if self.sortable is DEFAULT:
            object.__setattr__(self, "sortable", self.type not in UNORDERED_TYPES)
        if self.searchable and self.type not in SEARCHABLE_TYPES:
            raise ValueError(f"{self.name}: a {self.type} field cannot be searchable")
        if self.sortable and self.type in (FieldType.ID_LIST, FieldType.JSON):
            raise ValueError(f"{self.name}: a {self.type} field cannot be sortable")
        if self.type is FieldType.ENUM and not self.choices:
            raise ValueError(f"{self.name}: an enum needs its choices")

    @property
    def operators(self) -> frozenset[Op]:
        assert isinstance(self.ops, frozenset)
        return self.ops

    @property
    def is_sortable(self) -> bool:
        return self.sortable is True

    def sql(self, alias: str) -> str:
        """The SQL for this field in a statement whose table has ``alias``."""
        if self.expression is not None:
            return self.expression.replace("{a}", alias)
        return f"{alias}.{self.column}"


@dataclass(frozen=True, slots=True)
class Attachment(Generic[T]):
    """What one dialect attaches to a catalogue's fields (see the module docstring)."""

    dialect: str
    catalogue: Catalogue
    entries: Mapping[str, T]  # domain name -> the dialect's payload

    def __getitem__(self, domain_name: str) -> T:
        return self.entries[domain_name]

    def __contains__(self, domain_name: object) -> bool:
        return domain_name in self.entries

    def wire(self, domain_name: str) -> T | None:
        return self.entries.get(domain_name)

    def domain(self, wire_name: object) -> str | None:
        """The domain name whose payload is ``wire_name`` (for plain-name attachments)."""
        return self._reverse().get(wire_name) if isinstance(wire_name, str) else None

    def _reverse(self) -> Mapping[object, str]:
        return {value: name for name, value in self.entries.items() if isinstance(value, str)}


@dataclass(frozen=True, eq=False)
class Catalogue:
    """A resource's fields. ``key`` is the unique tie-breaker of every sort and cursor."""

    resource: str
    fields: Sequence[Field]
    key: str = "id"
    default_sort: Sequence[tuple[str, bool]] = (("created_at", True),)  # (name, descending)
    by_name: Mapping[str, Field] = field(init=False)
    attachments: dict[str, Attachment[object]] = field(init=False, default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "fields", tuple(self.fields))
        names: dict[str, Field] = {}
        for f in self.fields:
            if f.name in names:
                raise ValueError(f"{self.resource}: {f.name} declared twice")
            names[f.name] = f
        object.__setattr__(self, "by_name", names)
        key = names.get(self.key)
        if key is None or key.nullable or not key.is_sortable:
            raise ValueError(f"{self.resource}: the key {self.key} must be a declared, non-null, sortable field")
        for name, _ in self.default_sort:
            if name not in names or not names[name].is_sortable:
                raise ValueError(f"{self.resource}: default sort on {name}, which is not sortable")

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def __contains__(self, name: object) -> bool:
        return name in self.by_name

    def get(self, name: object) -> Field | None:
        return self.by_name.get(name) if isinstance(name, str) else None

    def owns(self, f: Field) -> bool:
        """True when ``f`` is this catalogue's own declaration (not a look-alike)."""
        return self.by_name.get(f.name) is f

    @property
    def columns(self) -> tuple[str, ...]:
        """The table's columns, in declaration order (expression fields are not columns)."""
        return tuple(f.column for f in self.fields if f.expression is None and f.column is not None)

    @property
    def filterable(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields if f.operators)

    @property
    def sortable(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields if f.is_sortable)

    @property
    def searchable(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if f.searchable)

    @property
    def writable(self) -> frozenset[str]:
        return frozenset(f.name for f in self.fields if f.writable)

    def attach(self, dialect: str, entries: Mapping[str, T]) -> Attachment[T]:
        """Register what ``dialect`` attaches to these fields; every key must be a declared field."""
        unknown = sorted(set(entries) - set(self.by_name))
        if unknown:
            raise ValueError(f"{dialect} names undeclared {self.resource} fields: {', '.join(unknown)}")
        attachment = Attachment(dialect, self, dict(entries))
        self.attachments[dialect] = attachment  # type: ignore[assignment]
        return attachment
