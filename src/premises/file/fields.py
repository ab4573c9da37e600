"""The file fields, declared once (``premises.kit.fields``): domain names, columns, types, capabilities.

Every column of the file read model is declared here, in the order ``file.queries`` selects it
(``queries.COLUMNS`` is ``FILES.columns``). Unlike other resources the read model starts with the
tenant, ``account_id``: a file's signed download link names it (``file.links``); it is neither
filtered nor sorted. Nothing is writable: an upload is the service's own rules (the name cleaned,
the type and size from the bytes, the storage key chosen), so there is no list of plainly written
fields. ``tests/domain/file/test_fields.py`` keeps the declarations equal to the ``files`` table.
Dialects attach their own names and renderers with ``FILES.attach(...)``; nothing here knows a wire
name.
"""

from __future__ import annotations

from premises.kit.fields import Catalogue, Field, FieldType, Op

ID, INSTANT, STRING = FieldType.ID, FieldType.INSTANT, FieldType.STRING
NOT_FILTERED: frozenset[Op] = frozenset()

FILES = Catalogue(
    "file",
    (
        Field("account_id", ID, nullable=False, ops=NOT_FILTERED, sortable=False),
        Field("id", ID, nullable=False),
        Field("filename", STRING, nullable=False, max_length=500, searchable=True),
        Field("content_type", STRING, nullable=False, max_length=200),
        Field("size_bytes", FieldType.INTEGER, nullable=False, minimum=0),
        # where the bytes are in the file store: never shown, filtered or sorted
        Field("storage_key", STRING, nullable=False, max_length=300, ops=NOT_FILTERED, sortable=False),
        Field("created_by_user_id", ID, sortable=False),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
    ),
    default_sort=(("created_at", True),),
)
