"""Customer (a contact in the customer role) <-> UpKeep wire shape."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from premises.api.upkeep.body import Field, Spec
from premises.api.upkeep.expand import expander
from premises.api.upkeep.mappers.common import DATE, NSTR, STR, iso, obj
from premises.contact import queries
from premises.db.reader import Reader
from premises.errors import DomainValidation
from premises.identity.principal import Principal

ROLE = "customer"


def _fields(*, update: bool) -> tuple[Field, ...]:
    return (
        Field("name", required=not update, nullable=not update, max_length=300),
        Field("email", max_length=320),
        Field("description", max_length=5000),
        Field("address", max_length=5000),
        Field("phoneNumber", to="phone_number", max_length=64),
        Field("website", max_length=500),
        Field("type", to="customer_type", max_length=100),
        Field("billingName", to="billing_name", max_length=300),
        Field("billingAddressLine1", to="billing_address_line1", max_length=500),
        Field("billingAddressLine2", to="billing_address_line2", max_length=500),
        Field("billingAddressLine3", to="billing_address_line3", max_length=500),
    )


CREATE = Spec(*_fields(update=False))
UPDATE = Spec(*_fields(update=True))


def parse_create(body: Mapping[str, Any]) -> dict[str, Any]:
    return _check_name(CREATE.parse(body))


def parse_update(body: Mapping[str, Any]) -> dict[str, Any]:
    return _check_name(UPDATE.parse(body, partial=True))


def _check_name(fields: dict[str, Any]) -> dict[str, Any]:
    if "name" in fields and not str(fields["name"]).strip():
        raise DomainValidation("name cannot be null", field="name")
    return fields


CUSTOM_FIELD_SCHEMA = obj(
    {
        "id": STR,
        "name": NSTR,
        "value": NSTR,
        "createdByUser": NSTR,
        "updatedByUser": NSTR,
        "customer": STR,
        "createdAt": DATE,
        "updatedAt": DATE,
    }
)
SCHEMA = obj(
    {
        "id": STR,
        "name": STR,
        "email": NSTR,
        "description": NSTR,
        "address": NSTR,
        "phoneNumber": NSTR,
        "website": NSTR,
        "type": NSTR,
        "billingName": NSTR,
        "billingAddressLine1": NSTR,
        "billingAddressLine2": NSTR,
        "billingAddressLine3": NSTR,
        "customFieldsCustomer": {"type": "array", "items": CUSTOM_FIELD_SCHEMA},
        "createdAt": DATE,
        "updatedAt": DATE,
    }
)


def custom_field_to_upkeep(value: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": value["id"],
        "name": value["name"],
        "value": value["value"],
        "createdByUser": None,
        "updatedByUser": None,
        "customer": value["owner_id"],
        "createdAt": iso(value["created_at"]),
        "updatedAt": iso(value["updated_at"]),
    }


def to_upkeep(row: Mapping[str, Any], custom_fields: Sequence[Mapping[str, Any]] = ()) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "email": row["email"],
        "description": row["description"],
        "address": row["address"],
        "phoneNumber": row["phone_number"],
        "website": row["website"],
        "type": row["customer_type"],
        "billingName": row["billing_name"],
        "billingAddressLine1": row["billing_address_line1"],
        "billingAddressLine2": row["billing_address_line2"],
        "billingAddressLine3": row["billing_address_line3"],
        "customFieldsCustomer": [custom_field_to_upkeep(v) for v in custom_fields],
        "createdAt": iso(row["created_at"]),
        "updatedAt": iso(row["updated_at"]),
    }


async def render(reader: Reader, principal: Principal, rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Wire objects for these rows, with their custom fields (one query)."""
    values = await queries.custom_fields(reader, principal.account_id, [r["id"] for r in rows])
    return [to_upkeep(row, values.get(row["id"], ())) for row in rows]


@expander(ROLE)
async def expand_customers(reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
    if not principal.may(ROLE, "read"):
        return {}
    rows = await queries.contacts_by_ids(reader, principal.account_id, ids, role=ROLE)
    return {item["id"]: item for item in await render(reader, principal, list(rows.values()))}
