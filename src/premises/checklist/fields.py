"""The form template fields, declared once (``premises.kit.fields``): domain names, columns, types.

Every column of the ``form_templates`` read model, in the order ``checklist.queries`` selects it
(``queries.COLUMNS`` is ``FORM_TEMPLATES.columns``); ``tests/domain/checklist/test_fields.py`` keeps
the declarations equal to the table. Dialects attach their own names with ``FORM_TEMPLATES.attach``.
"""

from __future__ import annotations

from premises.kit.fields import Catalogue, Field, FieldType

ID, INSTANT = FieldType.ID, FieldType.INSTANT

FORM_TEMPLATES = Catalogue(
    "form_template",
    (
        Field("id", ID, nullable=False),
        Field("name", FieldType.STRING, nullable=False, max_length=200, searchable=True, writable=True),
        Field("description", FieldType.TEXT, searchable=True, writable=True),
        Field("form_items", FieldType.JSON, nullable=False, writable=True),
        Field("created_by_user_id", ID, sortable=False),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
    ),
    default_sort=(("created_at", True),),
)
