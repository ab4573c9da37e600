"""Residents and every contact, read side (permission first, ``occupancy.visibility`` in every statement).

A resident row is its contact (``contacts`` as ``t``) joined to its occupancy ``o`` and the
occupancy's site ``s`` and unit ``u`` (``RESIDENTS``). ``when`` filters by the dates: ``current`` (moved
in, or no move-in date, and not moved out), ``past`` (moved out), ``future`` (moving in later).
Every contact (``CONTACTS``, customers, vendors and residents) is listed with its roles; one that is
a resident shows only to those who see its site.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from enum import StrEnum
from typing import Any

from premises.contact.fields import CONTACTS
from premises.db.reader import Reader, count_of
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery
from premises.kit.time import now_ms
from premises.occupancy import visibility
from premises.occupancy.fields import RESIDENTS


class When(StrEnum):
    CURRENT = "current"
    PAST = "past"
    FUTURE = "future"


class ContactType(StrEnum):
    """The roles a contact is listed in (a resident is also a customer)."""

    CUSTOMER = "customer"
    VENDOR = "vendor"
    RESIDENT = "resident"


COLUMNS = RESIDENTS.columns  # the contact's own columns
JOINED = tuple(f for f in RESIDENTS if f.expression is not None)
ALL_COLUMNS = COLUMNS + tuple(f.name for f in JOINED)
OCCUPANCY_JOIN = "JOIN occupancies o ON o.account_id = {a}.account_id AND o.contact_id = {a}.id"
PLACE_JOINS = (
    "LEFT JOIN places s ON s.account_id = o.account_id AND s.id = o.site_id "
    "LEFT JOIN places u ON u.account_id = o.account_id AND u.id = o.unit_id"
)
CONTACT_COLUMNS = CONTACTS.columns
CONTACT_ALL_COLUMNS = (*CONTACT_COLUMNS, "occupancy_site_id")


def _residents(principal: Principal) -> Select:
    principal.require("resident", "read")
    select = Select("contacts", COLUMNS, principal.account_id).where_live()
    select.join(OCCUPANCY_JOIN + " " + PLACE_JOINS, *(f.sql(select.alias) for f in JOINED))
    return visibility.restrict(select, principal)


WHEN_CONDITIONS = {
    When.PAST: "o.move_out_at <= {now}",
    When.FUTURE: "o.move_in_at > {now}",
    When.CURRENT: (
        "((o.move_in_at IS NULL OR o.move_in_at <= {now}) AND (o.move_out_at IS NULL OR o.move_out_at > {now}))"
    ),
}


def when_condition(select: Select, whens: Collection[When], now: int) -> Select:
    """Residents current, past or future (any of ``whens``) at ``now`` by their move-in and move-out."""
    if not whens:
        return select
    conditions = [WHEN_CONDITIONS[when] for when in When if when in whens]
    text = "(" + " OR ".join(conditions) + ")"
    return select.where(text.replace("{now}", "{}"), *([now] * text.count("{now}")))


def _resident_row(values: Iterable[Any]) -> dict[str, Any]:
    return dict(zip(ALL_COLUMNS, values, strict=True))


async def _page(
    reader: Reader, select: Select, query: ListQuery, columns: Sequence[str]
) -> tuple[list[dict[str, Any]], int | None]:
    select.apply(query)
    rows = [dict(zip(columns, r, strict=True)) for r in await reader.fetch(select.sql(), select.params)]
    return rows, await count_of(reader, select, query)


async def page_of_residents(
    reader: Reader, principal: Principal, query: ListQuery, *, when: Collection[When] = ()
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of residents (a catalogued ``ListQuery`` of ``RESIDENTS``; ``when``: any of these) and how
    many match."""
    select = when_condition(_residents(principal), when, now_ms())
    return await _page(reader, select, query, ALL_COLUMNS)


async def _one(reader: Reader, select: Select, record_id: str, record: str) -> Any:
    row = await reader.fetchrow(select.where_eq("id", record_id).sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record=record)
    return row


async def get_resident(reader: Reader, principal: Principal, resident_id: str) -> dict[str, Any]:
    return _resident_row(await _one(reader, _residents(principal), resident_id, "resident"))


# ------------------------------------------------------------------------------------------ every contact


def _contacts(principal: Principal) -> Select:
    principal.require("contact", "read")
    select = Select("contacts", CONTACT_COLUMNS, principal.account_id).where_live()
    select.join("LEFT JOIN occupancies o ON o.account_id = {a}.account_id AND o.contact_id = {a}.id", "o.site_id")
    return visibility.restrict(select, principal, or_none=True)


def _contact_row(values: Iterable[Any]) -> dict[str, Any]:
    row = dict(zip(CONTACT_ALL_COLUMNS, values, strict=True))
    row["is_customer"], row["is_vendor"] = bool(row["is_customer"]), bool(row["is_vendor"])
    return row


def contact_types(row: dict[str, Any]) -> list[str]:
    """The roles of a contact row: ``customer``, ``vendor``, ``resident``."""
    flags = (row["is_customer"], row["is_vendor"], row["occupancy_site_id"] is not None)
    return [t.value for t, flag in zip(ContactType, flags, strict=True) if flag]


def of_types(select: Select, types: Sequence[ContactType]) -> Select:
    """Contacts in any of ``types`` (none: every contact)."""
    if not types:
        return select
    conditions, values = [], []
    for type in types:
        if type is ContactType.RESIDENT:
            conditions.append("o.site_id IS NOT NULL")
        else:
            conditions.append(f"{{a}}.is_{type.value} = {{}}")
            values.append(True)
    return select.where("(" + " OR ".join(conditions) + ")", *values)


async def page_of_contacts(
    reader: Reader,
    principal: Principal,
    query: ListQuery,
    *,
    types: Sequence[ContactType] = (),
    site_ids: Sequence[str] = (),
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of every contact the principal sees (``types``: any of these roles; ``site_ids``: only the
    residents of these sites)."""
    select = of_types(_contacts(principal), types)
    if site_ids:
        select.where("o.site_id IN (" + ", ".join("{}" for _ in site_ids) + ")", *site_ids)
    rows, count = await _page(reader, select, query, CONTACT_ALL_COLUMNS)
    return [_contact_row(r.values()) for r in rows], count


async def get_contact(reader: Reader, principal: Principal, contact_id: str) -> dict[str, Any]:
    return _contact_row(await _one(reader, _contacts(principal), contact_id, "contact"))
