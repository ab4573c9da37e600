"""The user fields, declared once (``premises.kit.fields``): domain names, columns, types, capabilities.

Every column of the user read model, in the order ``user.queries`` selects it (``queries.COLUMNS``
is ``USERS.columns``). The service's plainly written profile fields derive from ``writable``
(``service.PROFILE_FIELDS``); ``tests/domain/user/test_fields.py`` keeps the declarations equal to
the table and the roles. Dialects attach their own names and renderers with ``USERS.attach(...)``.
"""

from __future__ import annotations

from premises.identity.permissions import Role
from premises.kit.fields import Catalogue, Field, FieldType

ID, INSTANT, STRING = FieldType.ID, FieldType.INSTANT, FieldType.STRING

USERS = Catalogue(
    "user",
    (
        Field("id", ID, nullable=False),
        Field("email", STRING, nullable=False, max_length=320, searchable=True, writable=True),
        Field("account_type", FieldType.ENUM, nullable=False, choices=tuple(r.value for r in Role), writable=True),
        Field("first_name", STRING, max_length=200, searchable=True, writable=True),
        Field("last_name", STRING, max_length=200, searchable=True, writable=True),
        Field("phone_number", STRING, max_length=64, writable=True),
        Field("job_title", STRING, max_length=200, searchable=True, writable=True),
        Field("user_status", STRING, max_length=64),
        Field("is_location_based", FieldType.BOOLEAN, nullable=False, writable=True),
        Field("date_of_last_login", INSTANT),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
    ),
    default_sort=(("created_at", True),),
)
