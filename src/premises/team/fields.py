"""The team fields, declared once (``premises.kit.fields``): domain names, columns, types, capabilities.

Every column of the team read model is declared here, in the order ``team.queries`` selects it
(``queries.COLUMNS`` is ``TEAMS.columns``); ``tests/domain/team/test_fields.py`` keeps the
declarations equal to the ``teams`` table. A team's name and description are written by the
service's own rules (a name is trimmed and required), so there is no list of plainly written fields.
Dialects attach their own names and renderers with ``TEAMS.attach(...)``; nothing here knows a wire
name.
"""

from __future__ import annotations

from premises.kit.fields import Catalogue, Field, FieldType

ID, INSTANT = FieldType.ID, FieldType.INSTANT

TEAMS = Catalogue(
    "team",
    (
        Field("id", ID, nullable=False),
        Field("name", FieldType.STRING, nullable=False, max_length=200, searchable=True, writable=True),
        Field("description", FieldType.TEXT, searchable=True, writable=True),
        Field("created_by_user_id", ID, sortable=False),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
    ),
    default_sort=(("created_at", True),),
)
