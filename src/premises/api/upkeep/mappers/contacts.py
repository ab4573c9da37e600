"""Contacts <-> UpKeep wire: what customers and vendors (a contact in either role) share.

A contact kind differs only in its role and the UpKeep names of its fields (``contact.fields``
declares them), attached once per role: from that attachment follow the body specs, the wire
schema, the wire objects, the list's filters and the ``includes`` expander.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from premises.api.kit.body import Spec
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.upkeep.expanders import expander
from premises.api.upkeep.mappers.common import DATE, NSTR, STR, iso, obj
from premises.contact import queries
from premises.contact.commands import ContactChanges, ContactCreate, ContactRole
from premises.contact.fields import CONTACTS
from premises.db.reader import Reader
from premises.errors import DomainValidation
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models import Contact


def custom_fields_key(role: ContactRole) -> str:
    """The wire key of a contact's custom fields in ``role`` (``customFieldsCustomer``)."""
    return "customFields" + role.capitalize()


class ContactWire:
    """One contact kind on the wire: UpKeep's names of the contact fields in ``role``, in the order of
    its objects (``id`` first, ``createdAt`` and ``updatedAt`` last, the custom fields before them).
    """

    def __init__(self, role: ContactRole, names: Mapping[str, Wire]) -> None:
        self.role: str = role.value  # a plain str: it is also a key of the wire objects
        self.upkeep = Fields(CONTACTS.attach(f"upkeep.{role}", names))
        self.name_field = names["name"].name
        self.custom_fields_key = custom_fields_key(role)
        self.create = Spec(*self.upkeep.body_fields(required=required_of(ContactCreate)), model=Contact)
        self.update = Spec(*self.upkeep.body_fields(), model=Contact)
        self.custom_field_schema = obj(
            {
                "id": STR,
                "name": NSTR,
                "value": NSTR,
                "createdByUser": NSTR,
                "updatedByUser": NSTR,
                role: STR,
                "createdAt": DATE,
                "updatedAt": DATE,
            }
        )
        self.schema = obj(
            self.upkeep.schema_properties(
                {self.custom_fields_key: {"type": "array", "items": self.custom_field_schema}}
            ),
            self.upkeep.required(),
        )
        expander(role)(self.expand)

    def parse_create(self, body: Mapping[str, Any]) -> ContactCreate:
        return build(ContactCreate, self._check_name(self.create.parse(body)))

    def parse_update(self, body: Mapping[str, Any]) -> ContactChanges:
        return build(ContactChanges, self._check_name(self.update.parse(body, partial=True)))

    def _check_name(self, fields: dict[str, Any]) -> dict[str, Any]:
        if "name" in fields and not str(fields["name"]).strip():
            raise DomainValidation(f"{self.name_field} cannot be null", field=self.name_field)
        return fields

    def custom_field_to_upkeep(self, value: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "id": value["id"],
            "name": value["name"],
            "value": value["value"],
            "createdByUser": None,
            "updatedByUser": None,
            self.role: value["owner_id"],
            "createdAt": iso(value["created_at"]),
            "updatedAt": iso(value["updated_at"]),
        }

    def to_upkeep(self, row: Mapping[str, Any]) -> dict[str, Any]:
        """A contact row (``contact.queries``, with its ``custom_fields``) on the wire."""
        out = self.upkeep.render(row)
        out[self.custom_fields_key] = [self.custom_field_to_upkeep(v) for v in row["custom_fields"]]
        return out

    def render(self, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        return [self.to_upkeep(row) for row in rows]

    async def expand(self, reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
        """The ``includes`` expander of this role, registered under the role's name."""
        rows = await queries.contacts_by_ids(reader, principal, self.role, ids)
        return {i: self.to_upkeep(row) for i, row in rows.items()}
