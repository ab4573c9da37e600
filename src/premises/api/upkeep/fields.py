"""UpKeep's names and renderers for a domain catalogue's fields (``kit.fields.Catalogue.attach``).

A mapper attaches one :class:`Wire` per domain field it exposes, in the order UpKeep's objects show
them::

    UPKEEP = Fields(ASSETS.attach("upkeep", {"id": Wire("id"), "purchase_date": Wire("purchaseDate", iso), ...}))

and derives from that one attachment (:class:`Fields`): the body ``Field``s of its ``Spec``s (every
writable field with a wire name: coercion kind, nullability, choices and length from the domain
declaration), the response renderer (generated at import as one function returning a dict display,
so a page renders as fast as a hand-written mapper), the response JSON schema, the list endpoint's equality
filters and its ``orderBy`` / range fields. Body or response parts that are no column of the
resource (``customFields``, ``files``) stay the mapper's own; ``Wire.then`` keeps their place in the
object.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from premises.api.kit import body
from premises.api.kit.listing import Filter
from premises.api.upkeep.mappers.common import BOOL, DATE, NINT, NNUM, NSTR, STR
from premises.kit.fields import Attachment, FieldType, Op
from premises.kit.fields import Field as DomainField

Render = Callable[[Any], Any]

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
    """How UpKeep names and shows one domain field.

    - ``render``: stored value -> wire value (None: as stored); with ``whole_row`` it takes the row
      (a wire value made of several columns, e.g. ``usefulLife``);
    - ``expands``: the field is rendered as the object of this kind the page loaded (else its id);
    - ``also``: more keys showing the same value; ``then``: keys the mapper fills, placed right after;
    - ``schema``: the response schema when the domain type's is not it;
    - ``body``: a body field (when the domain field is writable); ``filter``: an equality list filter,
      with this description; ``ordered``: an ``orderBy`` field with the ``...GreaterThan`` ranges;
    - ``choices``: the values UpKeep accepts and shows, when fewer than the domain's (body, filter
      and schema; e.g. UpKeep's account types among the domain's roles).
    """

    name: str
    render: Render | None = None
    whole_row: bool = False
    expands: str | None = None
    also: tuple[str, ...] = ()
    then: tuple[str, ...] = ()
    schema: Mapping[str, Any] | None = None
    body: bool = True
    null_default: bool = False  # the body takes null for "the default"; the stored value is never null
    filter: str | None = None
    ordered: bool = False
    choices: tuple[str, ...] | None = None

    def choices_of(self, f: DomainField) -> tuple[Any, ...] | None:
        return self.choices if self.choices is not None else (f.choices or None)


def _schema(f: DomainField, wire: Wire) -> dict[str, Any]:
    if wire.schema is not None:
        return dict(wire.schema)
    if f.type is FieldType.ENUM:
        return {"enum": list(wire.choices_of(f) or ())}
    return dict(SCHEMAS[f.type][1 if f.nullable else 0])


class Fields:
    """Everything UpKeep derives from one attachment of ``Wire``s (see the module docstring)."""

    def __init__(self, attachment: Attachment[Wire]) -> None:
        self.attachment = attachment
        catalogue = attachment.catalogue
        self.items: tuple[tuple[DomainField, Wire], ...] = tuple(
            (catalogue.by_name[name], wire) for name, wire in attachment.entries.items()
        )
        self.keys: tuple[str, ...] = tuple(key for _, wire in self.items for key in (wire.name, *wire.also, *wire.then))
        if len(set(self.keys)) != len(self.keys):
            raise ValueError(f"{catalogue.resource}: a wire name is given twice")
        self.expanded: dict[str, tuple[tuple[str, str], ...]] = {}
        for f, wire in self.items:
            if wire.expands is not None:
                self.expanded[wire.expands] = (*self.expanded.get(wire.expands, ()), (wire.name, f.name))
        # render(row, objects={}): the wire object of one row (domain names -> values), every key in
        # UpKeep's order. ``objects`` holds, per kind, the objects loaded for the ``expands`` fields
        # (by id); the keys of ``then`` are None until the mapper fills them.
        self.render: Callable[..., dict[str, Any]] = _compile(self.items)
        for f, wire in self.items:
            if wire.filter is not None and Op.EQ not in f.operators:
                raise ValueError(f"{f.name}: UpKeep filters it, but the domain does not let it be filtered")
            if wire.ordered and not (f.is_sortable and Op.GT in f.operators):
                raise ValueError(f"{f.name}: UpKeep orders by it, but the domain does not let it be sorted")

    # ------------------------------------------------------------------------------------- rendering

    def expanded_columns(self, kind: str) -> tuple[str, ...]:
        """The domain names of the fields rendered as objects of ``kind``."""
        return tuple(name for _, name in self.expanded.get(kind, ()))

    # ------------------------------------------------------------------------------------- bodies

    def body_fields(self, *, required: Iterable[str] = ()) -> list[body.Field]:
        """The body fields: every writable field with a wire name, in order; ``required`` (domain names)."""
        must = frozenset(required)
        return [
            body.Field(
                wire.name,
                BODY_KINDS[f.type],
                to=f.name,
                required=f.name in must,
                nullable=f.nullable or wire.null_default,
                choices=wire.choices_of(f),
                max_length=f.max_length if f.type in (FieldType.STRING, FieldType.TEXT) else None,
            )
            for f, wire in self.items
            if f.writable and wire.body
        ]

    # ------------------------------------------------------------------------------------- schemas

    def schema_properties(self, extra: Mapping[str, Any]) -> dict[str, Any]:
        """Response properties in UpKeep's order; ``extra`` gives the schema of the ``then`` keys."""
        properties: dict[str, Any] = {}
        for f, wire in self.items:
            schema = _schema(f, wire)
            for key in (wire.name, *wire.also):
                properties[key] = schema
            for key in wire.then:
                properties[key] = extra[key]
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


def required_of(command: type) -> tuple[str, ...]:
    """The fields a create command must be given (its dataclass fields without a default): required in a body."""
    return tuple(
        f.name
        for f in dataclasses.fields(command)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    )


_NONE: Mapping[str, Mapping[str, Any]] = {}


def _expanded(loaded: Mapping[str, Any], value: Any) -> Any:
    return loaded.get(value, value) if value else None


def _compile(items: Sequence[tuple[DomainField, Wire]]) -> Callable[..., dict[str, Any]]:
    """The renderer of these fields as one generated function returning a dict display (as
    ``dataclasses`` generates ``__init__``): a page renders as fast as a hand-written mapper.

    The source holds only ``repr()`` literals of the names and the renderers by position.
    """
    namespace: dict[str, Any] = {"_expanded": _expanded}
    kinds = sorted({wire.expands for _, wire in items if wire.expands is not None})
    lines = ["def render(row, objects=_NONE):"]
    lines += [f"    o{i} = objects.get({kind!r}, _NONE)" for i, kind in enumerate(kinds)]
    namespace["_NONE"] = _NONE
    entries = []
    for index, (f, wire) in enumerate(items):
        value = f"row[{f.name!r}]"
        if wire.render is not None:
            namespace[f"r{index}"] = wire.render
            value = f"r{index}(row)" if wire.whole_row else f"r{index}({value})"
        elif wire.expands is not None:
            value = f"_expanded(o{kinds.index(wire.expands)}, {value})"
        entries += [f"{key!r}: {value}" for key in (wire.name, *wire.also)]
        entries += [f"{key!r}: None" for key in wire.then]
    lines.append("    return {" + ", ".join(entries) + "}")
    exec("\n".join(lines), namespace)  # the source holds only repr() literals and positions
    render: Callable[..., dict[str, Any]] = namespace["render"]
    return render
