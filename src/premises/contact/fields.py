"""The contact fields, declared once (``premises.kit.fields``): domain names, columns, types, capabilities.

Every column of the contact read model is declared here, in the order ``contact.queries`` selects it
(``queries.COLUMNS`` is ``CONTACTS.columns``). The writable fields are what the contact commands
carry; the service splits them into the fields of every contact and those of one role
(``service.ROLE_FIELDS``), and its ``COMMON_FIELDS`` derive from ``writable``.
``tests/domain/contact/test_fields.py`` keeps the declarations equal to the ``contacts`` table.
Dialects attach their own names and renderers with ``CONTACTS.attach(...)`` (UpKeep once per role:
customers and vendors name the same fields differently); nothing here knows a wire name.
"""

from __future__ import annotations

from premises.contact.commands import ContactKind
from premises.kit.fields import Catalogue, Field, FieldType

ID, INSTANT, STRING = FieldType.ID, FieldType.INSTANT, FieldType.STRING
RECORD_NO_MAX = 2**31 - 1  # an Integer column


def _string(name: str, length: int, *, searchable: bool = False) -> Field:
    return Field(name, STRING, max_length=length, searchable=searchable, writable=True)


CONTACTS = Catalogue(
    "contact",
    (
        Field("id", ID, nullable=False),
        Field("record_no", FieldType.INTEGER, nullable=False, minimum=1, maximum=RECORD_NO_MAX, searchable=True),
        Field("kind", FieldType.ENUM, nullable=False, choices=tuple(k.value for k in ContactKind)),
        Field("is_customer", FieldType.BOOLEAN, nullable=False),
        Field("is_vendor", FieldType.BOOLEAN, nullable=False),
        Field("name", STRING, nullable=False, max_length=300, searchable=True, writable=True),
        Field("first_name", STRING, max_length=200),
        Field("last_name", STRING, max_length=200),
        _string("email", 320, searchable=True),
        _string("phone_number", 64, searchable=True),
        Field("address", FieldType.TEXT, searchable=True, writable=True),
        _string("website", 500),
        Field("description", FieldType.TEXT, searchable=True, writable=True),
        # Customers only
        _string("customer_type", 100),
        _string("billing_name", 300),
        _string("billing_address_line1", 500),
        _string("billing_address_line2", 500),
        _string("billing_address_line3", 500),
        # Vendors only
        _string("vendor_type", 100),
        _string("main_point_of_contact", 300),
        Field("created_by_user_id", ID, sortable=False),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
    ),
    default_sort=(("created_at", True),),
)
