"""The place fields, declared once (``premises.kit.fields``): domain names, columns, types, capabilities.

Every column of the place read model is declared here, in the order ``place.queries`` selects it:
the ``places`` table's columns (``queries.COLUMNS`` is ``PLACES.columns``), then the creator's
email (``queries.JOINED``), a read-only expression over the join ``queries`` adds. The service's
plainly written fields derive from ``writable`` (``service.SIMPLE_FIELDS``);
``tests/domain/place/test_fields.py`` keeps the declarations equal to the table and the kinds.
Dialects attach their own names and renderers with ``PLACES.attach(...)``; nothing here knows a
wire name.
"""

from __future__ import annotations

from premises.kit.fields import Catalogue, Field, FieldType, Op
from premises.place.commands import PlaceKind

ID, INSTANT, NUMBER = FieldType.ID, FieldType.INSTANT, FieldType.NUMBER
ADDRESS_LENGTH = 2000  # a place's address (a Text column) holds this many characters
RECORD_NO_MAX = 2**31 - 1  # an Integer column
NOT_FILTERED: frozenset[Op] = frozenset()

PLACES = Catalogue(
    "place",
    (
        Field("id", ID, nullable=False),
        Field("record_no", FieldType.INTEGER, nullable=False, minimum=1, maximum=RECORD_NO_MAX, searchable=True),
        Field("kind", FieldType.ENUM, nullable=False, choices=tuple(k.value for k in PlaceKind), writable=True),
        Field("parent_id", ID, sortable=False, writable=True),
        Field("name", FieldType.STRING, nullable=False, max_length=300, searchable=True, writable=True),
        Field("code", FieldType.STRING, max_length=32, searchable=True, writable=True),
        # A unit's number in its building or site ("4B", "101"): as given, not unique (codes are).
        Field("number", FieldType.STRING, max_length=32, searchable=True, writable=True),
        Field("address", FieldType.TEXT, max_length=ADDRESS_LENGTH, searchable=True, writable=True),
        Field("latitude", NUMBER, writable=True),
        Field("longitude", NUMBER, writable=True),
        Field("hide_map", FieldType.BOOLEAN, nullable=False, writable=True),
        Field("description", FieldType.TEXT, searchable=True),
        # The site the place is under (its own id for a site), kept by the service on create and move.
        Field("site_id", ID, sortable=False),
        # A site's IANA time zone (``service.check_time_zone``); None reads as UTC.
        Field("time_zone", FieldType.STRING, max_length=64, writable=True),
        Field("created_by_user_id", ID, sortable=False),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
        # The creator's email: read-only, neither filtered nor sorted (queries joins users as cu).
        Field("created_by_email", FieldType.STRING, expression="cu.email", ops=NOT_FILTERED, sortable=False),
    ),
    default_sort=(("created_at", True),),
)
