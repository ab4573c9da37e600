"""The resident fields, declared once (``premises.kit.fields``): a contact with its occupancy.

The read model (``occupancy.queries``) selects the ``contacts`` row (alias ``t``: its columns are the
plain fields below) joined to its occupancy (``o``), the occupancy's site (``s``) and unit (``u``): the
expression fields. Search covers the names, email and phone and the site's and unit's names.
Dialects attach their own names with ``RESIDENTS.attach(...)``; nothing here knows a wire name.
"""

from __future__ import annotations

from premises.kit.fields import Catalogue, Field, FieldType, Op
from premises.occupancy.commands import OccupancyType

ID, INSTANT, STRING = FieldType.ID, FieldType.INSTANT, FieldType.STRING
NOT_FILTERED: frozenset[Op] = frozenset()

RESIDENTS = Catalogue(
    "resident",
    (
        Field("id", ID, nullable=False),
        Field("first_name", STRING, max_length=200, searchable=True, writable=True),
        Field("last_name", STRING, max_length=200, searchable=True, writable=True),
        Field("email", STRING, max_length=320, searchable=True, writable=True),
        Field("phone_number", STRING, max_length=64, searchable=True, writable=True),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
        # The occupancy and its places (joined).
        Field(
            "type",
            FieldType.ENUM,
            expression="o.type",
            nullable=False,
            choices=tuple(t.value for t in OccupancyType),
            writable=True,
        ),
        Field("site_id", ID, expression="o.site_id", nullable=False, sortable=False, writable=True),
        Field("unit_id", ID, expression="o.unit_id", sortable=False, writable=True),
        Field("move_in_at", INSTANT, expression="o.move_in_at", writable=True),
        Field("move_out_at", INSTANT, expression="o.move_out_at", writable=True),
        Field("site_name", STRING, expression="s.name", max_length=300, searchable=True, ops=NOT_FILTERED),
        Field("unit_name", STRING, expression="u.name", max_length=300, searchable=True, ops=NOT_FILTERED),
    ),
    default_sort=(("created_at", True),),
)
OCCUPANCY_FIELDS = ("type", "site_id", "unit_id", "move_in_at", "move_out_at")
