"""Assets, read side: lists and details, their files, custom field values, assignments and sub-assets.

Every function takes the principal and applies the tenant, the role (``asset: read``) and the
visibility rule itself (``asset.visibility``: a location-based principal sees the assets at the
places where its role there lets it read them, none without a place).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from premises.asset.fields import ASSETS, CUSTOM_FIELD_DEFINITIONS, DOWNTIME_STATUSES, DOWNTIMES
from premises.asset.visibility import restrict
from premises.assignment.service import MEMBER_TYPES
from premises.db.reader import Reader, count_of
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.file.queries import files_by_ids
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.listing import ListQuery
from premises.place.subtree import under_sites

# The read model's columns and joined values, in select order: declared once in ``asset.fields``.
COLUMNS = ASSETS.columns
JOINED_FIELDS = tuple(f for f in ASSETS if f.expression is not None)
JOINED = tuple(f.name for f in JOINED_FIELDS)
ALL_COLUMNS = COLUMNS + JOINED

VALUE_COLUMNS = (
    "id",
    "owner_id",
    "definition_id",
    "name",
    "value",
    "unit",
    "number_value",
    "date_value",
    "created_by_user_id",
    "created_at",
    "updated_at",
)
DEFINITION_JOINED = (
    "definition_name",
    "definition_type",
    "definition_options",
    "definition_decimal_precision",
    "definition_created_by_user_id",
    "definition_created_at",
    "definition_updated_at",
    "definition_deleted_at",
)
DEFINITION_COLUMNS = CUSTOM_FIELD_DEFINITIONS.columns
STATUS_COLUMNS = DOWNTIME_STATUSES.columns
DOWNTIME_COLUMNS = DOWNTIMES.columns
LINK_TYPES = MEMBER_TYPES


class CustomFilterKind(StrEnum):
    """How a custom field filter compares: a substring of the text (text, dropdown) or a range of the value."""

    TEXT = "text"
    DROPDOWN = "dropdown"
    NUMBER = "number"
    CURRENCY = "currency"
    DATE = "date"


CUSTOM_FILTER_KINDS = tuple(kind.value for kind in CustomFilterKind)
SUBSTRING_KINDS = (CustomFilterKind.TEXT, CustomFilterKind.DROPDOWN)


@dataclass(frozen=True, slots=True)
class CustomFieldFilter:
    """Assets whose value of one typed custom field matches: a substring (text, dropdown) or a range."""

    definition_id: str
    kind: CustomFilterKind
    contains: str | None = None
    minimum: float | None = None
    maximum: float | None = None


# ------------------------------------------------------------------------------------------ assets


def _select(account_id: str) -> Select:
    select = Select("assets", COLUMNS, account_id).where_live()
    # The joins the JOINED fields' expressions read (uto, ucb).
    select.join(
        "LEFT JOIN users uto ON uto.account_id = {a}.account_id AND uto.id = {a}.assigned_to_user_id "
        "LEFT JOIN users ucb ON ucb.account_id = {a}.account_id AND ucb.id = {a}.created_by_user_id",
        *(f.sql(select.alias) for f in JOINED_FIELDS),
    )
    return select


def _base(principal: Principal) -> Select:
    principal.require("asset", "read")
    return restrict(_select(principal.account_id), principal)


def _row(values: Iterable[Any]) -> dict[str, Any]:
    row = dict(zip(ALL_COLUMNS, values, strict=True))
    row["availability_tracking_on"] = bool(row["availability_tracking_on"])
    row["incomplete_work_orders"] = int(row["incomplete_work_orders"] or 0)
    return row


def _custom_filter(select: Select, index: int, spec: CustomFieldFilter) -> None:
    alias = f"cf{index}"
    condition = (
        f"EXISTS (SELECT 1 FROM custom_field_values {alias} WHERE {alias}.account_id = {{a}}.account_id "
        f"AND {alias}.owner_type = 'asset' AND {alias}.owner_id = {{a}}.id AND {alias}.definition_id = {{}}"
    )
    values: list[Any] = [spec.definition_id]
    if spec.kind in SUBSTRING_KINDS:
        escaped = (spec.contains or "").lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        condition += f" AND LOWER({alias}.value) LIKE {{}} ESCAPE '\\'"
        values.append(f"%{escaped}%")
    else:
        dated = spec.kind == CustomFilterKind.DATE
        column = f"{alias}.date_value" if dated else f"{alias}.number_value"
        if spec.minimum is not None:
            condition += f" AND {column} >= {{}}"
            values.append(int(spec.minimum) if dated else spec.minimum)
        if spec.maximum is not None:
            condition += f" AND {column} <= {{}}"
            values.append(int(spec.maximum) if dated else spec.maximum)
    select.where(condition + ")", *values)


async def list_assets(
    reader: Reader, principal: Principal, query: ListQuery, custom: Sequence[CustomFieldFilter] = ()
) -> list[dict[str, Any]]:
    select = _base(principal)
    for index, spec in enumerate(custom):
        _custom_filter(select, index, spec)
    select.apply(query)
    return [_row(r) for r in await reader.fetch(select.sql(), select.params)]


async def page_of_assets(
    reader: Reader, principal: Principal, query: ListQuery, sites: Sequence[str] = ()
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of the assets the principal sees (``sites``: only those at or below these sites) and,
    when ``query.count`` asks, how many match in all."""
    select = under_sites(_base(principal), sites).apply(query)
    return [_row(r) for r in await reader.fetch(select.sql(), select.params)], await count_of(reader, select, query)


async def get_asset(reader: Reader, principal: Principal, asset_id: str) -> dict[str, Any]:
    select = _base(principal).where_eq("id", asset_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="asset")
    return _row(row)


async def assets_by_ids(reader: Reader, principal: Principal, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The live assets among ``ids`` that the principal sees, by id (for expansions); none without ``asset: read``."""
    wanted = sorted(set(ids))
    if not wanted or not principal.may("asset", "read"):
        return {}
    select = restrict(_select(principal.account_id), principal).where_in("id", wanted)
    return {r["id"]: r for r in (_row(v) for v in await reader.fetch(select.sql(), select.params))}


def _of_visible_assets(select: Select, principal: Principal, asset_column: str) -> Select:
    """Rows of a child table only for live assets the principal may read and see."""
    principal.require("asset", "read")
    select.join(
        f"JOIN assets va ON va.account_id = {{a}}.account_id AND va.id = {{a}}.{asset_column} AND va.deleted_at IS NULL"
    )
    return restrict(select, principal, "va.location_id")


async def asset_files(reader: Reader, principal: Principal, asset_ids: Iterable[str]) -> dict[str, list[str]]:
    """The live files attached to these assets (those the principal sees), in their order, by asset id."""
    wanted = sorted(set(asset_ids))
    out: dict[str, list[str]] = {i: [] for i in wanted}
    if not wanted:
        return out
    select = Select("asset_files", ("asset_id", "file_id"), principal.account_id, alias="af")
    _of_visible_assets(select.where_in("asset_id", wanted), principal, "asset_id")
    select.join("JOIN files f ON f.account_id = {a}.account_id AND f.id = {a}.file_id")
    select.where("f.deleted_at IS NULL")
    select.order_by("position", False).order_by("file_id", False)
    for asset_id, file_id in await reader.fetch(select.sql(), select.params):
        out[asset_id].append(file_id)
    return out


def _value_select(account_id: str) -> Select:
    select = Select("custom_field_values", VALUE_COLUMNS, account_id, alias="v").where_eq("owner_type", "asset")
    select.join(
        "LEFT JOIN custom_field_definitions d ON d.account_id = {a}.account_id AND d.id = {a}.definition_id",
        "d.name",
        "d.type",
        "d.options",
        "d.decimal_precision",
        "d.created_by_user_id",
        "d.created_at",
        "d.updated_at",
        "d.deleted_at",
    )
    select.where("({a}.definition_id IS NULL OR d.deleted_at IS NULL)")
    return select


def _value_row(values: Iterable[Any]) -> dict[str, Any]:
    row = dict(zip(VALUE_COLUMNS + DEFINITION_JOINED, values, strict=True))
    row["definition_options"] = jsonutil.loads(row["definition_options"])
    return row


async def custom_values(
    reader: Reader, principal: Principal, asset_ids: Iterable[str]
) -> dict[str, list[dict[str, Any]]]:
    """Custom field values of these assets (those the principal sees), oldest first, by asset id.

    A row with ``definition_id`` is a value of a typed field (``definition_*`` describe the field);
    one without is a free field (a ``name``/``value``/``unit`` triple).
    """
    wanted = sorted(set(asset_ids))
    out: dict[str, list[dict[str, Any]]] = {i: [] for i in wanted}
    if not wanted:
        return out
    select = _of_visible_assets(_value_select(principal.account_id).where_in("owner_id", wanted), principal, "owner_id")
    select.order_by("created_at", False).order_by("id", False)
    for values in await reader.fetch(select.sql(), select.params):
        row = _value_row(values)
        out[row["owner_id"]].append(row)
    return out


async def get_asset_custom_field(reader: Reader, principal: Principal, asset_id: str, field_id: str) -> dict[str, Any]:
    """One custom field value of a visible asset, by its own id or by the id of its typed definition."""
    await get_asset(reader, principal, asset_id)
    select = _value_select(principal.account_id).where_eq("owner_id", asset_id)
    select.where("({a}.id = {} OR {a}.definition_id = {})", field_id, field_id)
    select.order_by("created_at", False).order_by("id", False)
    rows = [_value_row(v) for v in await reader.fetch(select.sql(), select.params)]
    if not rows:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="custom field")
    return next((r for r in rows if r["id"] == field_id), rows[0])


async def links(reader: Reader, principal: Principal, asset_id: str) -> dict[str, list[str]]:
    """The users, teams, customers and vendors assigned to an asset the principal sees, by type, oldest first."""
    out: dict[str, list[str]] = {t: [] for t in LINK_TYPES}
    select = Select("asset_links", ("link_type", "member_id"), principal.account_id, alias="l")
    _of_visible_assets(select.where_eq("asset_id", asset_id), principal, "asset_id")
    select.order_by("created_at", False).order_by("member_id", False)
    for link_type, member_id in await reader.fetch(select.sql(), select.params):
        out.setdefault(link_type, []).append(member_id)
    return out


async def sub_asset_ids(reader: Reader, principal: Principal, asset_id: str) -> list[str]:
    """The live sub-assets of an asset that the principal sees, oldest first."""
    principal.require("asset", "read")
    select = restrict(Select("assets", ("id",), principal.account_id).where_live(), principal)
    select.where_eq("parent_asset_id", asset_id).order_by("created_at", False).order_by("id", False)
    return [r[0] for r in await reader.fetch(select.sql(), select.params)]


@dataclass(frozen=True, slots=True)
class AssetDetail:
    """One asset as its detail page shows it: the row, its files, custom values, sub-assets and members."""

    asset: dict[str, Any]
    file_ids: list[str]
    values: list[dict[str, Any]]  # custom field values, as ``custom_values`` returns them
    sub_asset_ids: list[str]
    members: dict[str, list[str]] = field(default_factory=dict)  # by member type (``links``)


async def asset_detail(reader: Reader, principal: Principal, asset_id: str) -> AssetDetail:
    """The detail read model of a visible asset; NotFound for a missing or invisible one."""
    row = await get_asset(reader, principal, asset_id)
    files = await asset_files(reader, principal, [row["id"]])
    values = await custom_values(reader, principal, [row["id"]])
    return AssetDetail(
        asset=row,
        file_ids=files[row["id"]],
        values=values[row["id"]],
        sub_asset_ids=await sub_asset_ids(reader, principal, row["id"]),
        members=await links(reader, principal, row["id"]),
    )


async def files_of_asset(reader: Reader, principal: Principal, asset_id: str) -> list[dict[str, Any]]:
    """The live files attached to a visible asset, in their order (``file.fields`` rows), those the principal
    may read: reading them needs ``file: read`` besides ``asset: read``."""
    await get_asset(reader, principal, asset_id)
    principal.require("file", "read")
    ids = (await asset_files(reader, principal, [asset_id]))[asset_id]
    rows = await files_by_ids(reader, principal, ids)
    return [rows[i] for i in ids if i in rows]


async def page_of_downtimes(
    reader: Reader, principal: Principal, asset_id: str, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of a visible asset's downtime history (a ``ListQuery`` of ``DOWNTIMES``, newest first unless it
    sorts otherwise) and, when ``query.count`` asks, how many records there are."""
    await get_asset(reader, principal, asset_id)
    select = Select("asset_downtimes", DOWNTIME_COLUMNS, principal.account_id).where_eq("asset_id", asset_id)
    select.apply(query)
    rows = [dict(zip(DOWNTIME_COLUMNS, r, strict=True)) for r in await reader.fetch(select.sql(), select.params)]
    return rows, await count_of(reader, select, query)


# ------------------------------------------------------------------------------------------ settings


def _definition_select(principal: Principal) -> Select:
    principal.require("asset_setting", "read")
    return (
        Select("custom_field_definitions", DEFINITION_COLUMNS, principal.account_id)
        .where_live()
        .where_eq("resource", "asset")
    )


def _definition_row(values: Iterable[Any]) -> dict[str, Any]:
    row = dict(zip(DEFINITION_COLUMNS, values, strict=True))
    row["options"] = jsonutil.loads(row["options"])
    return row


async def list_custom_field_definitions(reader: Reader, principal: Principal, query: ListQuery) -> list[dict[str, Any]]:
    select = _definition_select(principal).apply(query)
    return [_definition_row(r) for r in await reader.fetch(select.sql(), select.params)]


async def get_custom_field_definition(reader: Reader, principal: Principal, field_id: str) -> dict[str, Any]:
    select = _definition_select(principal).where_eq("id", field_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="custom field")
    return _definition_row(row)


def _status_select(principal: Principal) -> Select:
    principal.require("asset_setting", "read")
    return Select("asset_downtime_statuses", STATUS_COLUMNS, principal.account_id).where_live()


async def list_downtime_statuses(reader: Reader, principal: Principal, query: ListQuery) -> list[dict[str, Any]]:
    select = _status_select(principal).apply(query)
    return [dict(zip(STATUS_COLUMNS, r, strict=True)) for r in await reader.fetch(select.sql(), select.params)]


async def get_downtime_status(reader: Reader, principal: Principal, status_id: str) -> dict[str, Any]:
    select = _status_select(principal).where_eq("id", status_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="asset downtime status")
    return dict(zip(STATUS_COLUMNS, row, strict=True))
