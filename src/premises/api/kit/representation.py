"""A dialect's names and renderers for a domain catalogue's fields (``kit.fields.Catalogue.attach``).

Every dialect shows a resource the same way: its mapper attaches one :class:`Wire` per domain field
it exposes, in the order the dialect's objects show them, and derives everything else from that one
attachment (:class:`Fields`)::

    # api/upkeep/mappers/assets.py
    UPKEEP = Fields(ASSETS.attach("upkeep", {"id": Wire("id"), "purchase_date": Wire("purchaseDate", iso), ...}))
    # api/v1/resources/sites.py
    V1 = Fields(PLACES.attach("v1", {"id": Wire("id"), "name": Wire("label", filter="..."), ...}))

What derives from it: the body ``Field``s of its ``Spec``s (every writable field with a wire name:
coercion kind, nullability, choices and length from the domain declaration), the response renderers
(generated at import as one function returning a dict display, so a page renders as fast as a
hand-written mapper: from a read model's dict, or from a row tuple as the database returns it), the
page rendered by SQLite itself (``sqlite_projection``, byte for byte the same JSON, ``db.jsonsql``),
the response JSON schema, the list endpoint's equality filters and its sort / range fields. Members
computed from other columns (a joined email, a response time) are :class:`Computed`; body or
response parts that are no column of the resource (``customFields``, ``files``) stay the mapper's
own, and ``Wire.then`` keeps their place in the object.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import orjson

from premises.api.kit import body
from premises.api.kit.listing import Filter
from premises.db import jsonsql
from premises.kit import jsonutil
from premises.kit.fields import Attachment, FieldType, Op
from premises.kit.fields import Field as DomainField
from premises.kit.time import ms_to_iso

iso = ms_to_iso  # epoch milliseconds (ADR 4) as ISO 8601 UTC with milliseconds

# JSON-schema fragments of response members.
STR: dict[str, Any] = {"type": "string"}
NSTR: dict[str, Any] = {"type": ["string", "null"]}
NNUM: dict[str, Any] = {"type": ["number", "null"]}
NINT: dict[str, Any] = {"type": ["integer", "null"]}
BOOL: dict[str, Any] = {"type": "boolean"}
DATE: dict[str, Any] = {"type": ["string", "null"], "format": "date-time"}

Render = Callable[[Any], Any]
Columns = Callable[[str], str]  # a domain field or joined column name -> its SQL in the list statement

# How a body coerces a value of each domain type (``api.kit.body.COERCERS``).
BODY_KINDS: Mapping[FieldType, str] = {
    FieldType.STRING: "string",
    FieldType.TEXT: "string",
    FieldType.ENUM: "string",
    FieldType.INTEGER: "integer",
    FieldType.NUMBER: "number",
    FieldType.BOOLEAN: "boolean",
    FieldType.INSTANT: "instant",
    FieldType.ID: "id",
    FieldType.ID_LIST: "id_list",
    FieldType.JSON: "any",
}
# The response schema of each domain type: (not null, nullable).
SCHEMAS: Mapping[FieldType, tuple[dict[str, Any], dict[str, Any]]] = {
    FieldType.STRING: (STR, NSTR),
    FieldType.TEXT: (STR, NSTR),
    FieldType.ID: (STR, NSTR),
    FieldType.INTEGER: ({"type": "integer"}, NINT),
    FieldType.NUMBER: ({"type": "number"}, NNUM),
    FieldType.BOOLEAN: (BOOL, {"type": ["boolean", "null"]}),
    FieldType.INSTANT: (DATE, DATE),
    FieldType.ID_LIST: ({"type": "array", "items": STR}, {"type": ["array", "null"], "items": STR}),
    FieldType.JSON: ({}, {}),
}


@dataclass(frozen=True, slots=True)
class Wire:
    """How a dialect names and shows one domain field.

    - ``render``: stored value -> wire value (None: as stored); with ``whole_row`` it takes the row
      (a wire value made of several columns, e.g. ``usefulLife``);
    - ``expands``: the field is rendered as the object of this kind the page loaded (else its id);
    - ``also``: more keys showing the same value; ``then``: keys the mapper fills, placed right after;
    - ``schema``: the response schema when the domain type's is not it;
    - ``body``: a body field (when the domain field is writable); ``filter``: an equality list filter,
      with this description; ``ordered``: a sort key with range filters (UpKeep's ``orderBy`` and
      ``...GreaterThan``); ``sort``: a sort key only;
    - ``choices``: the values the dialect accepts and shows, when fewer than the domain's (body, filter
      and schema; e.g. UpKeep's account types among the domain's roles);
    - ``sqlite``: the value in SQLite's ``json_object`` given the column's SQL, when neither the
      domain type nor ``iso`` says it (``sqlite_projection``);
    - ``body_kind``: the body's coercion when not the domain type's; ``response=False``: a body name
      only (e.g. UpKeep's ``customWOStatusId``, shown as the ``customWOStatus`` object).
    """

    name: str
    render: Render | None = None
    whole_row: bool = False
    expands: str | None = None
    also: tuple[str, ...] = ()
    then: tuple[str | Computed, ...] = ()
    schema: Mapping[str, Any] | None = None
    body: bool = True
    null_default: bool = False  # the body takes null for "the default"; the stored value is never null
    filter: str | None = None
    ordered: bool = False
    sort: bool = False
    choices: tuple[str, ...] | None = None
    sqlite: Callable[[str], jsonsql.Piece] | None = None
    body_kind: str | None = None  # the body's coercion when not the domain type's (``api.kit.body.COERCERS``)
    response: bool = True  # False: a body name only (the dialect shows the value under another member)

    def choices_of(self, f: DomainField) -> tuple[Any, ...] | None:
        return self.choices if self.choices is not None else (f.choices or None)

    @property
    def then_names(self) -> tuple[str, ...]:
        return tuple(item if isinstance(item, str) else item.name for item in self.then)


@dataclass(frozen=True, slots=True)
class Computed:
    """A member of a dialect's object that is no domain field, placed after a field (``Wire.then``): its
    value computed from the row's columns (domain fields, or columns the query joins) as a Python
    expression over ``{column}`` placeholders and, for ``Fields.sqlite_projection``, as SQLite's
    ``json_object`` value (``None``: the page cannot be rendered by SQLite)."""

    name: str
    python: str
    schema: Mapping[str, Any]
    sqlite: Callable[[Columns], jsonsql.Piece] | None = None


def _sqlite_value(f: DomainField, wire: Wire, sql: str) -> jsonsql.Piece:
    """A field's ``json_object`` value: the wire's own, else what its renderer or type implies."""
    if wire.sqlite is not None:
        return wire.sqlite(sql)
    if wire.expands is not None:
        return jsonsql.absent(sql)  # an object replaces the id: that row is rendered in Python
    if wire.render is iso:
        return jsonsql.iso(sql)
    if wire.render is None:
        if f.type in (FieldType.STRING, FieldType.TEXT, FieldType.ID, FieldType.INTEGER, FieldType.ENUM):
            return jsonsql.value(sql)
        if f.type is FieldType.NUMBER:
            return jsonsql.number(sql)
        if f.type in (FieldType.ID_LIST, FieldType.JSON):
            return jsonsql.json_list(sql)
    raise ValueError(f"{f.name}: no SQLite rendering for {wire.name} (give Wire(sqlite=...))")


def _schema(f: DomainField, wire: Wire) -> dict[str, Any]:
    if wire.schema is not None:
        return dict(wire.schema)
    if f.type is FieldType.ENUM:
        return {"enum": list(wire.choices_of(f) or ())}
    return dict(SCHEMAS[f.type][1 if f.nullable else 0])


_NO_FUNCTIONS: Mapping[str, Callable[..., Any]] = {}


class Fields:
    """Everything a dialect derives from one attachment of ``Wire``s (see the module docstring)."""

    def __init__(
        self, attachment: Attachment[Wire], *, functions: Mapping[str, Callable[..., Any]] = _NO_FUNCTIONS
    ) -> None:
        """``functions``: what ``Computed`` expressions call, by name."""
        self.attachment = attachment
        self.functions = functions
        catalogue = attachment.catalogue
        self.body_items: tuple[tuple[DomainField, Wire], ...] = tuple(
            (catalogue.by_name[name], wire) for name, wire in attachment.entries.items()
        )
        self.items = tuple((f, wire) for f, wire in self.body_items if wire.response)  # the response's members
        self.keys: tuple[str, ...] = tuple(
            key for _, wire in self.items for key in (wire.name, *wire.also, *wire.then_names)
        )
        if len(set(self.keys)) != len(self.keys):
            raise ValueError(f"{catalogue.resource}: a wire name is given twice")
        self.expanded: dict[str, tuple[tuple[str, str], ...]] = {}
        for f, wire in self.items:
            if wire.expands is not None:
                self.expanded[wire.expands] = (*self.expanded.get(wire.expands, ()), (wire.name, f.name))
        # render(row, objects={}): the wire object of one row (domain names -> values), every key in
        # the dialect's order. ``objects`` holds, per kind, the objects loaded for the ``expands`` fields
        # (by id); the keys of ``then`` are None until the mapper fills them (Computed ones are computed).
        self.render: Callable[..., dict[str, Any]] = _compile(
            self.items, lambda name: f"row[{name!r}]", functions=functions
        )
        for f, wire in self.items:
            if wire.filter is not None and Op.EQ not in f.operators:
                raise ValueError(
                    f"{f.name}: {self.attachment.dialect} filters it, but the domain does not let it be filtered"
                )
            if wire.sort and not f.is_sortable:
                raise ValueError(
                    f"{f.name}: {self.attachment.dialect} sorts by it, but the domain does not let it be sorted"
                )
            if wire.ordered and not (f.is_sortable and Op.GT in f.operators):
                raise ValueError(
                    f"{f.name}: {self.attachment.dialect} sorts by it, but the domain does not let it be sorted"
                )

    # ------------------------------------------------------------------------------------- rendering

    def expanded_columns(self, kind: str) -> tuple[str, ...]:
        """The domain names of the fields rendered as objects of ``kind``."""
        return tuple(name for _, name in self.expanded.get(kind, ()))

    def row_renderer(self, columns: Sequence[str]) -> Callable[..., dict[str, Any]]:
        """``render`` for rows as the database returns them (tuples in ``columns`` order, JSON lists as
        their stored text, embedded as they are): a page without the read model's dicts."""
        return _compile(self.items, lambda name: f"row[{columns.index(name)}]", functions=self.functions, tuples=True)

    def sqlite_projection(self, column: Columns) -> jsonsql.Piece:
        """Each row's object rendered by SQLite's ``json_object``, byte for byte ``orjson.dumps(render(row))``;
        ``unsafe`` says when a row must be rendered in Python (an object to expand, a value SQL does not
        render). ``column`` gives a domain field's or joined column's SQL."""
        members: list[tuple[str, jsonsql.Piece]] = []
        for f, wire in self.items:
            piece = _sqlite_value(f, wire, column(f.name))
            members += [(key, piece) for key in (wire.name, *wire.also)]
            for item in wire.then:
                if isinstance(item, str) or item.sqlite is None:
                    raise ValueError(f"{wire.name}: a member SQLite cannot render follows it")
                members.append((item.name, item.sqlite(column)))
        return jsonsql.json_object(members)

    # ------------------------------------------------------------------------------------- bodies

    def body_fields(
        self,
        *,
        required: Iterable[str] = (),
        without: Iterable[str] = (),
        fixed: Iterable[str] = (),
        not_null: Iterable[str] = (),
    ) -> list[body.Field]:
        """The body fields: every writable field with a wire name, in order; ``required``, ``without``
        (left out), ``fixed`` (refused in a partial update: read-only once set) and ``not_null`` (a
        client may not clear it, though the domain's column may be null) are domain names."""
        must, left_out, read_only = frozenset(required), frozenset(without), frozenset(fixed)
        never_null = frozenset(not_null)
        return [
            body.Field(
                wire.name,
                wire.body_kind or BODY_KINDS[f.type],
                to=f.name,
                required=f.name in must,
                nullable=(f.nullable or wire.null_default) and f.name not in never_null,
                choices=wire.choices_of(f),
                max_length=f.max_length if f.type in (FieldType.STRING, FieldType.TEXT) else None,
                patchable=f.name not in read_only,
            )
            for f, wire in self.body_items
            if f.writable and wire.body and f.name not in left_out
        ]

    # ------------------------------------------------------------------------------------- schemas

    def schema_properties(self, extra: Mapping[str, Any]) -> dict[str, Any]:
        """Response properties in the dialect's order; ``extra`` gives the schema of the ``then`` keys."""
        properties: dict[str, Any] = {}
        for f, wire in self.items:
            schema = _schema(f, wire)
            for key in (wire.name, *wire.also):
                properties[key] = schema
            for item in wire.then:
                if isinstance(item, Computed):
                    properties[item.name] = dict(item.schema)
                else:
                    properties[item] = extra[item]
        return properties

    def required(self) -> tuple[str, ...]:
        """The response keys of fields that are never null."""
        return tuple(key for f, wire in self.items if not f.nullable for key in (wire.name, *wire.also))

    # ------------------------------------------------------------------------------------- lists

    def filters(self) -> tuple[Filter, ...]:
        return tuple(
            Filter(wire.name, f.name, BODY_KINDS[f.type], choices=wire.choices_of(f), description=wire.filter)
            for f, wire in self.items
            if wire.filter is not None
        )

    def ordered(self) -> dict[str, str]:
        """``orderBy`` and range fields: wire name -> domain name."""
        return {wire.name: f.name for f, wire in self.items if wire.ordered}

    def sort_keys(self) -> dict[str, str]:
        """Every sort key (``ordered`` or ``sort``): wire name -> domain name."""
        return {wire.name: f.name for f, wire in self.items if wire.ordered or wire.sort}

    def filter_names(self) -> dict[str, str]:
        """The equality filters: wire name -> domain name."""
        return {wire.name: f.name for f, wire in self.items if wire.filter is not None}


def required_of(command: type) -> tuple[str, ...]:
    """The fields a create command must be given (its dataclass fields without a default): required in a body."""
    return tuple(
        f.name
        for f in dataclasses.fields(command)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )


_NONE: Mapping[str, Mapping[str, Any]] = {}
_PLACEHOLDER = re.compile(r"\{([a-z_0-9]+)\}")


_EMPTY_LIST = orjson.Fragment(b"[]")


def _stored_json(text: str | None) -> Any:
    """A JSON list kept on the row (written by ``kit.jsonutil``) embedded as it is, without parsing it."""
    if text == "[]":
        return _EMPTY_LIST
    if text and text[0] == "[":
        return orjson.Fragment(text)
    return jsonutil.loads(text) or []


def _compile(
    items: Sequence[tuple[DomainField, Wire]],
    value: Callable[[str], str],
    *,
    functions: Mapping[str, Callable[..., Any]],
    tuples: bool = False,
) -> Callable[..., dict[str, Any]]:
    """The renderer of these fields as one generated function returning a dict display (as
    ``dataclasses`` generates ``__init__``): a page renders as fast as a hand-written mapper.
    ``value(name)`` is the source reading a column from ``row``; with ``tuples`` the row is as the
    database returns it (stored JSON lists are embedded as their text).

    The source holds only ``repr()`` literals of the names, the renderers by position and the
    ``Computed`` expressions (declared in code, never from a request).
    """
    namespace: dict[str, Any] = {
        **functions,
        "_stored_json": _stored_json,
        "_EMPTY_LIST": _EMPTY_LIST,
        "_NONE": _NONE,
    }
    kinds = sorted({wire.expands for _, wire in items if wire.expands is not None})
    lines = ["def render(row, objects=_NONE):"]
    lines += [f"    o{i} = objects.get({kind!r}, _NONE)" for i, kind in enumerate(kinds)]
    entries = []
    for index, (f, wire) in enumerate(items):
        source = value(f.name)
        if wire.render is not None:
            namespace[f"r{index}"] = wire.render
            if wire.whole_row and tuples:
                raise ValueError(f"{wire.name}: a whole-row renderer needs the read model's dict")
            if wire.whole_row:
                source = f"r{index}(row)"
            elif wire.render is iso and f.nullable:  # most instants of a page are null or cached: no call for null
                source = f"(r{index}({source}) if {source} is not None else None)"
            else:
                source = f"r{index}({source})"
        elif wire.expands is not None:
            # inline (a page calls it for every image of every row): ``_expanded`` without the call
            loaded = f"o{kinds.index(wire.expands)}"
            source = f"({loaded}.get({source}, {source}) if {source} else None)"
        elif tuples and f.type in (FieldType.ID_LIST, FieldType.JSON):
            source = f"(_EMPTY_LIST if {source} == '[]' else _stored_json({source}))"  # the common case inline
        entries += [f"{key!r}: {source}" for key in (wire.name, *wire.also)]
        for item in wire.then:
            if isinstance(item, str):
                entries.append(f"{item!r}: None")
            else:
                entries.append(f"{item.name!r}: {_PLACEHOLDER.sub(lambda m: value(m.group(1)), item.python)}")
    lines.append("    return {" + ", ".join(entries) + "}")
    exec("\n".join(lines), namespace)  # the source holds only literals, positions and declared expressions
    render: Callable[..., dict[str, Any]] = namespace["render"]
    return render
