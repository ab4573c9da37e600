"""The request fields, declared once (``premises.kit.fields``): domain names, columns, types, capabilities.

Every column of the request read model is declared here, in the order ``request.queries`` selects
it: the ``requests`` table's columns (``queries.COLUMNS`` is ``REQUESTS.columns``), then the
assignee's email (``queries.JOINED``), a read-only expression over the join ``queries`` adds, then
the site and related names of ``place.related`` (selected only by a page that asks for them). The
writable fields are what a ``RequestCreate`` carries (a request changes afterwards only by its
decision: approve, reject, cancel); ``tests/domain/request/test_fields.py`` keeps the declarations
equal to the table and the statuses. Dialects attach their own names and renderers with
``REQUESTS.attach(...)``; nothing here knows a wire name.
"""

from __future__ import annotations

from premises.kit.fields import Catalogue, Field, FieldType, Op
from premises.place.related import related_fields
from premises.request.commands import Status
from premises.work_order.commands import Priority

ID, INSTANT, STRING = FieldType.ID, FieldType.INSTANT, FieldType.STRING
LONG_TEXT = 100_000  # a request's description holds this many characters
NOT_FILTERED: frozenset[Op] = frozenset()


def _id(name: str, *, writable: bool = False) -> Field:
    return Field(name, ID, writable=writable, sortable=False)


REQUESTS = Catalogue(
    "request",
    (
        Field("id", ID, nullable=False),
        Field("title", STRING, nullable=False, max_length=500, searchable=True, writable=True),
        Field("description", FieldType.TEXT, max_length=LONG_TEXT, searchable=True, writable=True),
        Field("status", FieldType.ENUM, nullable=False, choices=tuple(s.value for s in Status)),
        # the work orders' scale (work_order.commands.Priority): an approved request becomes a work order
        Field("priority", FieldType.INTEGER, nullable=False, choices=tuple(p.value for p in Priority), writable=True),
        Field("category", STRING, max_length=200, writable=True),
        Field("due_date", INSTANT, writable=True),
        Field("end_due_date", INSTANT, writable=True),
        _id("location_id", writable=True),
        _id("asset_id", writable=True),
        _id("team_id", writable=True),
        _id("assigned_to_user_id", writable=True),
        _id("assigned_by_user_id"),
        _id("requested_by_user_id"),
        Field("public_requester_email", STRING, max_length=320),
        _id("image_file_id", writable=True),
        Field("file_ids", FieldType.ID_LIST, nullable=False, writable=True),
        _id("work_order_id"),
        # Who approved, rejected or cancelled the request, when, and the reason given.
        _id("decided_by_user_id"),
        Field("decided_at", INSTANT),
        Field("decision_reason", FieldType.TEXT),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
        # The assignee's email: read-only, neither filtered nor sorted (queries joins users as uto).
        Field("assigned_to_email", STRING, expression="uto.email", ops=NOT_FILTERED, sortable=False),
        # The site, the related records' names (the joined assignee ``uto``): what /v1 filters on
        # (``sites``), searches and embeds; only ``queries.page_of_requests`` selects them.
        *related_fields(),
    ),
    default_sort=(("created_at", True),),
)
