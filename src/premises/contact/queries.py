"""Contacts, read side: people and organisations, seen in one of their roles (customer, vendor, ...).

A contact appears in a role's list only while the role's flag is set; the same row may later carry
other roles (resident, contractor, address-book entry) without changing these queries. Every query
takes the principal and the role: the role's read permission decides (contacts are not place-bound).
Rows carry their free-form ``custom_fields``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from premises.contact.fields import CONTACTS
from premises.db.reader import Reader, count_of
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery

# role -> the flag column that puts a contact in that role. The role is also the permission resource.
ROLE_FLAGS = {"customer": "is_customer", "vendor": "is_vendor"}

# The read model's columns, in select order: declared once in ``contact.fields``.
COLUMNS = CONTACTS.columns
CUSTOM_FIELD_COLUMNS = ("id", "owner_id", "name", "value", "unit", "created_at", "updated_at")
CUSTOM_FIELD_OWNER = "contact"


def _flag(role: str) -> str:
    try:
        return ROLE_FLAGS[role]
    except KeyError:
        raise ValueError(f"unknown contact role: {role}") from None


def _in_role(account_id: str, role: str) -> Select:
    return Select("contacts", COLUMNS, account_id).where_live().where_eq(_flag(role), True)


async def _rows(reader: Reader, account_id: str, rows: Iterable[Any]) -> list[dict[str, Any]]:
    """Rows as dicts, each with its ``custom_fields`` (one query for all)."""
    out = []
    for values in rows:
        row = dict(zip(COLUMNS, values, strict=True))
        row["is_customer"] = bool(row["is_customer"])
        row["is_vendor"] = bool(row["is_vendor"])
        out.append(row)
    values_by_contact = await _custom_fields(reader, account_id, [row["id"] for row in out])
    for row in out:
        row["custom_fields"] = values_by_contact.get(row["id"], [])
    return out


async def list_contacts(reader: Reader, principal: Principal, role: str, query: ListQuery) -> list[dict[str, Any]]:
    """Contacts in ``role`` the principal may read: all of the account (contacts are not place-bound)."""
    return (await page_of_contacts_in(reader, principal, role, query))[0]


async def page_of_contacts_in(
    reader: Reader, principal: Principal, role: str, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of the contacts in ``role`` and, when ``query.count`` asks, how many match in all."""
    principal.require(role, "read")
    select = _in_role(principal.account_id, role).apply(query)
    rows = await _rows(reader, principal.account_id, await reader.fetch(select.sql(), select.params))
    return rows, await count_of(reader, select, query)


async def get_contact(reader: Reader, principal: Principal, role: str, contact_id: str) -> dict[str, Any]:
    principal.require(role, "read")
    select = _in_role(principal.account_id, role).where_eq("id", contact_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record=str(role))
    return (await _rows(reader, principal.account_id, [row]))[0]


async def contacts_by_ids(
    reader: Reader, principal: Principal, role: str, ids: Iterable[str]
) -> dict[str, dict[str, Any]]:
    """The live contacts in ``role`` among ``ids``, for expansions (none if the principal may not read the role)."""
    wanted = sorted(set(ids))
    if not wanted or not principal.may(role, "read"):
        return {}
    select = _in_role(principal.account_id, role).where_in("id", wanted)
    rows = await _rows(reader, principal.account_id, await reader.fetch(select.sql(), select.params))
    return {r["id"]: r for r in rows}


async def _custom_fields(reader: Reader, account_id: str, contact_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
    """The free-form custom field values of contacts already read with the principal, oldest first, by contact id."""
    wanted = sorted(set(contact_ids))
    if not wanted:
        return {}
    select = Select("custom_field_values", CUSTOM_FIELD_COLUMNS[:2], account_id, alias="v")
    select.join(
        "LEFT JOIN custom_field_definitions d ON d.account_id = {a}.account_id AND d.id = {a}.definition_id",
        "COALESCE(v.name, d.name)",
        "v.value",
        "v.unit",
        "v.created_at",
        "v.updated_at",
    )
    select.where_eq("owner_type", CUSTOM_FIELD_OWNER).where_in("owner_id", wanted)
    select.order_by("created_at", False).order_by("id", False)
    out: dict[str, list[dict[str, Any]]] = {}
    for values in await reader.fetch(select.sql(), select.params):
        row = dict(zip(CUSTOM_FIELD_COLUMNS, values, strict=True))
        out.setdefault(row["owner_id"], []).append(row)
    return out
