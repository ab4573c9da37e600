"""Places, read side: lists and details of the place hierarchy, custom fields, assignments.

Every query takes the principal: the role must allow reading locations, and location-based
principals (``principal.location_ids`` is not None) see only the places in that set, which the
identity service resolved with every descendant of the user's places. A place the principal may
not see is NotFound, like a missing one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

from premises.db.reader import Reader
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery
from premises.place.fields import PLACES

# The read model's columns and joined values, in select order: declared once in ``place.fields``.
COLUMNS = PLACES.columns
JOINED_FIELDS = tuple(f for f in PLACES if f.expression is not None)
JOINED = tuple(f.name for f in JOINED_FIELDS)
ALL_COLUMNS = COLUMNS + JOINED

# Pseudo-columns a list may filter on: a custom field of the place with this name / value / unit.
CF_NAME, CF_VALUE, CF_UNIT = "custom_field_name", "custom_field_value", "custom_field_unit"
CUSTOM_FIELD_FILTERS = {CF_NAME: "name", CF_VALUE: "value", CF_UNIT: "unit"}

CUSTOM_FIELD_COLUMNS = (
    "id",
    "owner_id",
    "name",
    "value",
    "unit",
    "created_by_user_id",
    "created_at",
    "updated_at",
)
LINK_TYPES = ("user", "team", "customer", "vendor", "file")


def _with_creator(select: Select) -> Select:
    return select.join(
        "LEFT JOIN users cu ON cu.account_id = {a}.account_id AND cu.id = {a}.created_by_user_id",
        *(f.sql(select.alias) for f in JOINED_FIELDS),
    )


def _restrict(select: Select, principal: Principal) -> Select:
    if principal.location_ids is not None:
        select.where_in("id", sorted(principal.location_ids))
    return select


def _base(principal: Principal) -> Select:
    principal.require("location", "read")
    return _restrict(_with_creator(Select("places", COLUMNS, principal.account_id).where_live()), principal)


def _row(values: Iterable[Any]) -> dict[str, Any]:
    row = dict(zip(ALL_COLUMNS, values, strict=True))
    row["hide_map"] = bool(row["hide_map"])
    return row


def with_free_field(select: Select, query: ListQuery, owner_type: str) -> Select:
    """Apply ``query``, its custom-field pseudo-columns (``CUSTOM_FIELD_FILTERS``) as "has a free custom
    field of this name / value / unit" over ``custom_field_values`` of ``owner_type`` (places, parts)."""
    custom = {column: query.equals[column] for column in CUSTOM_FIELD_FILTERS if column in query.equals}
    if custom:
        conditions = " AND ".join(f"cf.{CUSTOM_FIELD_FILTERS[column]} = {{}}" for column in custom)
        select.where(
            "EXISTS (SELECT 1 FROM custom_field_values cf WHERE cf.account_id = {a}.account_id "
            "AND cf.owner_type = {} AND cf.owner_id = {a}.id AND " + conditions + ")",
            owner_type,
            *custom.values(),
        )
    return select.apply(query, handled=frozenset(CUSTOM_FIELD_FILTERS))


async def list_locations(reader: Reader, principal: Principal, query: ListQuery) -> list[dict[str, Any]]:
    select = with_free_field(_base(principal), query, "place")
    return [_row(r) for r in await reader.fetch(select.sql(), select.params)]


async def page_of_locations(
    reader: Reader, principal: Principal, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of places (a catalogued ``ListQuery`` of ``PLACES``) and, when ``query.count`` asks, how
    many places match in all (``Select.count_sql``: the same filters, no cursor, no page)."""
    select = with_free_field(_base(principal), query, "place")
    rows = [_row(r) for r in await reader.fetch(select.sql(), select.params)]
    if not query.count:
        return rows, None
    counted = await reader.fetchrow(select.count_sql(), select.params)
    return rows, int(counted[0]) if counted is not None else 0


async def get_location(reader: Reader, principal: Principal, location_id: str) -> dict[str, Any]:
    select = _base(principal).where_eq("id", location_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="location")
    return _row(row)


def seeing_created(principal: Principal, location_id: str) -> Principal:
    """The principal, also seeing a place it has just created.

    The service only lets a location-based principal create places under its places, so the new
    place is one of them; but the principal's place set was resolved when its session was (cached
    for up to 5 s) and may predate the place.
    """
    if principal.location_ids is None:
        return principal
    return dataclasses.replace(principal, location_ids=principal.location_ids | {location_id})


async def get_location_detail(
    reader: Reader, principal: Principal, location_id: str, *, created: bool = False
) -> dict[str, Any]:
    """One place with what its detail shows: ``custom_fields``, ``sub_location_ids`` (those the principal
    sees) and ``links`` (live assigned members by link type). ``created``: the principal has just
    created it (``seeing_created``)."""
    if created:
        principal = seeing_created(principal, location_id)
    row = await get_location(reader, principal, location_id)
    row["custom_fields"] = (await custom_fields(reader, principal, [location_id]))[location_id]
    row["sub_location_ids"] = await sub_location_ids(reader, principal, location_id)
    row["links"] = await _links(reader, principal.account_id, location_id)
    return row


async def places_by_ids(reader: Reader, principal: Principal, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The live places among ``ids`` the principal may read (none if its role may not read locations)."""
    if not principal.may("location", "read"):
        return {}
    wanted = sorted(i for i in set(ids) if principal.sees_place(i))
    if not wanted:
        return {}
    select = _with_creator(Select("places", COLUMNS, principal.account_id).where_live()).where_in("id", wanted)
    return {r["id"]: r for r in (_row(v) for v in await reader.fetch(select.sql(), select.params))}


def free_field_select(principal: Principal, owner_type: str) -> Select:
    """The free custom fields (``CUSTOM_FIELD_COLUMNS``, alias ``v``) of the account's records of ``owner_type``."""
    return Select("custom_field_values", CUSTOM_FIELD_COLUMNS, principal.account_id, alias="v").where_eq(
        "owner_type", owner_type
    )


async def free_fields_by_owner(
    reader: Reader, select: Select, wanted: Iterable[str], *, newest_first: bool
) -> dict[str, list[dict[str, Any]]]:
    """The rows of ``select`` (a ``free_field_select`` narrowed to some owners) by owner id, each of ``wanted`` a
    key; oldest or newest first (then by id)."""
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in wanted}
    select.order_by("created_at", newest_first).order_by("id", newest_first)
    for values in await reader.fetch(select.sql(), select.params):
        row = dict(zip(CUSTOM_FIELD_COLUMNS, values, strict=True))
        out[row["owner_id"]].append(row)
    return out


async def free_field(
    reader: Reader, principal: Principal, owner_type: str, owner_id: str, field_id: str
) -> dict[str, Any]:
    """The free custom field ``field_id`` of the record ``owner_type`` ``owner_id``; else NotFound "custom field"
    (the caller has checked that the principal reads the record)."""
    select = free_field_select(principal, owner_type).where_eq("owner_id", owner_id).where_eq("id", field_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="custom field")
    return dict(zip(CUSTOM_FIELD_COLUMNS, row, strict=True))


async def custom_fields(
    reader: Reader, principal: Principal, place_ids: Iterable[str]
) -> dict[str, list[dict[str, Any]]]:
    """The free name/value/unit custom fields of these places, oldest first, by place id (places the
    principal may not read have none)."""
    wanted = sorted(set(place_ids))
    readable = [i for i in wanted if principal.sees_place(i)] if principal.may("location", "read") else []
    if not readable:
        return {i: [] for i in wanted}
    select = free_field_select(principal, "place").where_in("owner_id", readable)
    return await free_fields_by_owner(reader, select, wanted, newest_first=False)


async def get_custom_field(reader: Reader, principal: Principal, location_id: str, field_id: str) -> dict[str, Any]:
    await get_location(reader, principal, location_id)
    return await free_field(reader, principal, "place", location_id, field_id)


_LINKS_SQL = """
SELECT l.link_type, l.member_id FROM place_links l
LEFT JOIN users u ON u.account_id = l.account_id AND u.id = l.member_id
LEFT JOIN teams tm ON tm.account_id = l.account_id AND tm.id = l.member_id
LEFT JOIN contacts c ON c.account_id = l.account_id AND c.id = l.member_id
LEFT JOIN files f ON f.account_id = l.account_id AND f.id = l.member_id
WHERE l.account_id = :account_id AND l.place_id = :place_id AND (
  (l.link_type = 'user' AND u.id IS NOT NULL AND u.deleted_at IS NULL)
  OR (l.link_type = 'team' AND tm.id IS NOT NULL AND tm.deleted_at IS NULL)
  OR (l.link_type = 'customer' AND c.id IS NOT NULL AND c.deleted_at IS NULL AND c.is_customer = :yes)
  OR (l.link_type = 'vendor' AND c.id IS NOT NULL AND c.deleted_at IS NULL AND c.is_vendor = :yes)
  OR (l.link_type = 'file' AND f.id IS NOT NULL AND f.deleted_at IS NULL)
)
ORDER BY l.created_at, l.member_id
"""


async def _links(reader: Reader, account_id: str, place_id: str) -> dict[str, list[str]]:
    """Live members assigned to a place, by link type (user, team, customer, vendor, file), oldest first.
    Only for a place the caller has read with the principal (``get_location_detail``)."""
    out: dict[str, list[str]] = {t: [] for t in LINK_TYPES}
    rows = await reader.fetch(_LINKS_SQL, {"account_id": account_id, "place_id": place_id, "yes": True})
    for link_type, member_id in rows:
        out[link_type].append(member_id)
    return out


async def sub_location_ids(reader: Reader, principal: Principal, place_id: str) -> list[str]:
    """Live direct children of a place that the principal may see, oldest first."""
    select = _restrict(Select("places", ("id",), principal.account_id).where_live(), principal)
    select.where_eq("parent_id", place_id).order_by("created_at", False).order_by("id", False)
    return [r[0] for r in await reader.fetch(select.sql(), select.params)]


# ------------------------------------------------------------------------------------------ site members

MEMBER_COLUMNS = ("id", "first_name", "last_name", "email", "role", "is_location_based", "service_account")
_MEMBERS_SQL = """
SELECT u.id, u.first_name, u.last_name, u.email, m.role, u.is_location_based,
  EXISTS (SELECT 1 FROM api_clients c WHERE c.account_id = m.account_id AND c.user_id = u.id
          AND c.kind = 'service_account') AS service_account
FROM site_memberships m JOIN users u ON u.account_id = m.account_id AND u.id = m.user_id
WHERE m.account_id = :account_id AND m.place_id = :site_id AND u.deleted_at IS NULL {member}
ORDER BY u.first_name, u.last_name, u.id
"""
_MEMBERS_COUNT_SQL = """
SELECT COUNT(*) FROM site_memberships m JOIN users u ON u.account_id = m.account_id AND u.id = m.user_id
WHERE m.account_id = :account_id AND m.place_id = :site_id AND u.deleted_at IS NULL
"""


def _member(values: Iterable[Any]) -> dict[str, Any]:
    row = dict(zip(MEMBER_COLUMNS, values, strict=True))
    row["is_location_based"], row["service_account"] = bool(row["is_location_based"]), bool(row["service_account"])
    return row


async def _members_of(reader: Reader, principal: Principal, site_id: str) -> dict[str, Any]:
    """The parameters of a site's member list, once the site is one the principal may read members of."""
    site = await get_location(reader, principal, site_id)
    if site["parent_id"] is not None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="site")
    principal.require("user", "read", at=site_id)
    return {"account_id": principal.account_id, "site_id": site_id}


async def site_members(
    reader: Reader, principal: Principal, site_id: str, *, offset: int, limit: int
) -> tuple[list[dict[str, Any]], int]:
    """A page of the live users with a membership of the site (each with its role there), by name, and
    how many there are in all."""
    params = await _members_of(reader, principal, site_id)
    sql = _MEMBERS_SQL.format(member="") + " LIMIT :limit OFFSET :offset"
    rows = await reader.fetch(sql, {**params, "limit": limit, "offset": offset})
    counted = await reader.fetchrow(_MEMBERS_COUNT_SQL, params)
    return [_member(r) for r in rows], int(counted[0]) if counted is not None else 0


async def site_member(reader: Reader, principal: Principal, site_id: str, user_id: str) -> dict[str, Any]:
    """One live member of the site; NotFound when the user is none."""
    params = await _members_of(reader, principal, site_id)
    row = await reader.fetchrow(_MEMBERS_SQL.format(member="AND u.id = :user_id"), {**params, "user_id": user_id})
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="site member")
    return _member(row)
