"""Contacts <-> UpKeep wire: what customers and vendors (a contact in either role) share.

A contact kind differs only in its role, the wire name of its ``name`` column and its other fields;
from these follow the body specs, the wire schema, the wire objects and the ``includes`` expander.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from premises.api.kit.body import Field, Spec
from premises.api.upkeep.expanders import expander
from premises.api.upkeep.mappers.common import DATE, NSTR, STR, iso, obj
from premises.contact import queries
from premises.contact.commands import ContactChanges, ContactCreate, ContactRole
from premises.db.reader import Reader
from premises.errors import DomainValidation
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models import Contact


class ContactWire:
    """One contact kind on the wire; ``fields`` are its optional string fields, after the name."""

    def __init__(self, role: ContactRole, name_field: str, fields: Sequence[Field]) -> None:
        self.role: str = role.value  # a plain str: it is also a key of the wire objects
        self.name_field = name_field
        self.fields = tuple(fields)
        self.custom_fields_key = "customFields" + role.capitalize()
        self.create = Spec(*self._fields(update=False), model=Contact)
        self.update = Spec(*self._fields(update=True), model=Contact)
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
            {
                "id": STR,
                name_field: STR,
                **{f.name: NSTR for f in self.fields},
                self.custom_fields_key: {"type": "array", "items": self.custom_field_schema},
                "createdAt": DATE,
                "updatedAt": DATE,
            }
        )
        expander(role)(self.expand)

    def _fields(self, *, update: bool) -> tuple[Field, ...]:
        name = Field(self.name_field, to="name", required=not update, nullable=not update, max_length=300)
        return (name, *self.fields)

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
        return {
            "id": row["id"],
            self.name_field: row["name"],
            **{f.name: row[f.target] for f in self.fields},
            self.custom_fields_key: [self.custom_field_to_upkeep(v) for v in row["custom_fields"]],
            "createdAt": iso(row["created_at"]),
            "updatedAt": iso(row["updated_at"]),
        }

    def render(self, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
        return [self.to_upkeep(row) for row in rows]

    async def expand(self, reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
        """The ``includes`` expander of this role, registered under the role's name."""
        rows = await queries.contacts_by_ids(reader, principal, self.role, ids)
        return {i: self.to_upkeep(row) for i, row in rows.items()}
