"""The case and case-type fields, declared once (``premises.kit.fields``): domain names, columns, types,
capabilities: the cases, their comments and activity (paged under a case), and the case types.

Every column of the case read model is declared here, in the order ``case.queries`` selects it: the
``cases`` table's columns (``queries.COLUMNS`` is ``CASES.columns``), then the names of the records a
case embeds (its site, assignee, unit, resident, contractor and asset), read-only expressions over
the joins ``queries`` adds. The embedded names are searchable: a search for "John" finds the cases
whose assignee or resident is a John. Dialects attach their own names and renderers with
``CASES.attach(...)``; nothing here knows a wire name.
"""

from __future__ import annotations

from dataclasses import replace

from premises.case.commands import PRIORITIES, Status
from premises.kit.fields import Catalogue, Field, FieldType, Op

ID, INSTANT, STRING = FieldType.ID, FieldType.INSTANT, FieldType.STRING
LONG_TEXT = 100_000  # a case's description holds this many characters
NOT_FILTERED: frozenset[Op] = frozenset()


def _joined(name: str, expression: str) -> Field:
    """A name of an embedded record: read-only, searchable, neither filtered nor sorted."""
    return Field(name, STRING, expression=expression, ops=NOT_FILTERED, sortable=False, searchable=True)


CASES = Catalogue(
    "case",
    (
        Field("id", ID, nullable=False),
        Field("site_id", ID, nullable=False, sortable=False, writable=True),
        Field("number", FieldType.INTEGER, nullable=False, minimum=1, maximum=2**31 - 1),
        Field("code", STRING, nullable=False, max_length=48, searchable=True),
        Field("case_type", STRING, nullable=False, max_length=100, searchable=True, writable=True),
        Field("title", STRING, nullable=False, max_length=500, searchable=True, writable=True),
        Field("description", FieldType.TEXT, max_length=LONG_TEXT, searchable=True, writable=True),
        Field("status", FieldType.ENUM, nullable=False, choices=tuple(s.value for s in Status), writable=True),
        Field("priority", FieldType.ENUM, nullable=False, choices=PRIORITIES, writable=True),
        Field("due", INSTANT, writable=True),
        Field("assignee_user_id", ID, sortable=False, writable=True),
        Field("unit_id", ID, sortable=False, writable=True),
        Field("resident_id", ID, sortable=False, writable=True),
        Field("contractor_id", ID, sortable=False, writable=True),
        Field("asset_id", ID, sortable=False, writable=True),
        Field("closed_at", INSTANT),
        Field("reopen_count", FieldType.INTEGER, nullable=False, minimum=0, maximum=2**31 - 1),
        Field("created_by_user_id", ID, sortable=False),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
        # The embedded records' names (queries joins places s and up, users au, contacts rc and cc, assets ast).
        _joined("site_name", "s.name"),
        _joined("assignee_first", "au.first_name"),
        _joined("assignee_last", "au.last_name"),
        _joined("unit_name", "up.name"),
        _joined("resident_first", "rc.first_name"),
        _joined("resident_last", "rc.last_name"),
        _joined("resident_name", "rc.name"),
        _joined("contractor_name", "cc.name"),
        _joined("asset_name", "ast.name"),
    ),
    default_sort=(("created_at", True),),
)

# The cases linked to a case: the same fields, listed oldest first.
LINKED_CASES = replace(CASES, resource="linked_case", default_sort=(("created_at", False),))

# A case's comments and activity, each with its user's names (``queries`` joins users u), oldest first.
AUTHOR = (_joined("first_name", "u.first_name"), _joined("last_name", "u.last_name"))
CASE_COMMENTS = Catalogue(
    "case_comment",
    (
        Field("id", ID, nullable=False),
        Field("case_id", ID, nullable=False, sortable=False),
        Field("author_user_id", ID, sortable=False),
        Field("body", FieldType.TEXT, nullable=False, max_length=LONG_TEXT, searchable=True),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
        *AUTHOR,
    ),
    default_sort=(("created_at", False),),
)
ACTIONS = ("created", "updated", "commented", "linked", "unlinked", "deleted")
CASE_ACTIVITY = Catalogue(
    "case_activity",
    (
        Field("id", ID, nullable=False),
        Field("case_id", ID, nullable=False, sortable=False),
        Field("actor_user_id", ID, sortable=False),
        Field("action", FieldType.ENUM, nullable=False, choices=ACTIONS),
        Field("field", STRING, max_length=40),
        Field("old_value", FieldType.TEXT),
        Field("new_value", FieldType.TEXT),
        Field("at", INSTANT, nullable=False),
        *AUTHOR,
    ),
    default_sort=(("at", False),),
)

CASE_TYPES = Catalogue(
    "case_type",
    (
        Field("id", ID, nullable=False),
        Field("site_id", ID, nullable=False, sortable=False),
        Field("name", STRING, nullable=False, max_length=100, searchable=True, writable=True),
        Field("is_default", FieldType.BOOLEAN, nullable=False),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
    ),
    default_sort=(("created_at", False),),
)
