"""The part fields, declared once (``premises.kit.fields``): domain names, columns, types, capabilities.

Every column of the ``parts`` read model, in the order ``part.queries`` selects it (``queries.COLUMNS``
is ``PARTS.columns``); ``service.SIMPLE_FIELDS`` derives from ``writable``;
``tests/domain/part/test_fields.py`` keeps the declarations equal to the table. Dialects attach their
own names with ``PARTS.attach(...)``.
"""

from __future__ import annotations

from premises.kit.fields import Catalogue, Field, FieldType

ID, INSTANT, NUMBER, STRING, TEXT = FieldType.ID, FieldType.INSTANT, FieldType.NUMBER, FieldType.STRING, FieldType.TEXT
LONG_TEXT = 100_000


def _id(name: str, *, writable: bool = True) -> Field:
    return Field(name, ID, writable=writable, sortable=False)


def _string(name: str, length: int, *, searchable: bool = False) -> Field:
    return Field(name, STRING, max_length=length, searchable=searchable, writable=True)


PARTS = Catalogue(
    "part",
    (
        Field("id", ID, nullable=False),
        Field("name", STRING, nullable=False, max_length=300, searchable=True, writable=True),
        Field("description", TEXT, max_length=LONG_TEXT, searchable=True, writable=True),
        Field("cost", NUMBER, writable=True),
        Field("quantity", NUMBER, nullable=False, writable=True),
        Field("minimum_quantity", NUMBER, writable=True),
        _string("serial", 200, searchable=True),  # the barcode
        _string("area", 200),
        Field("details", TEXT, max_length=LONG_TEXT, writable=True),
        _string("category", 200),
        _id("location_id"),
        _id("parent_part_id"),
        _string("part_number", 200, searchable=True),
        _id("image_file_id"),
        _id("created_by_user_id", writable=False),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
    ),
    default_sort=(("created_at", True),),
)

# One change of a part's count (``part_inventory_moves``), oldest first.
INVENTORY_MOVES = Catalogue(
    "part_inventory_move",
    (
        Field("id", ID, nullable=False),
        Field("part_id", ID, nullable=False, sortable=False),
        Field("delta", NUMBER, nullable=False),
        Field("quantity_after", NUMBER, nullable=False),
        Field("reason", STRING, nullable=False, max_length=20),
        Field("source_type", STRING, max_length=40),
        _id("source_id", writable=False),
        _id("user_id", writable=False),
        Field("created_at", INSTANT, nullable=False),
    ),
    default_sort=(("created_at", False),),
)

# The account's part categories, the ``categories`` rows of kind "part", in the account's order.
PART_CATEGORIES = Catalogue(
    "part_category",
    (
        Field("id", ID, nullable=False),
        Field("name", STRING, nullable=False, max_length=200, searchable=True, writable=True),
        Field("position", FieldType.INTEGER, nullable=False),
        Field("created_at", INSTANT, nullable=False),
    ),
    default_sort=(("position", False), ("name", False)),
)
