"""Parts, read side: lists and details, files, free custom fields, teams, the inventory ledger, categories,
and the parts assigned to assets.

Every function takes the principal and applies the tenant, the role (``part: read``) and the
visibility rule (``part.visibility``: a location-based principal sees the parts at its places).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from premises.account import queries as account_queries
from premises.asset.visibility import restrict as restrict_assets
from premises.db.reader import Reader, count_of
from premises.db.sql import Select
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.identity.service import Confirmation
from premises.kit.listing import ListQuery
from premises.part.fields import INVENTORY_MOVES, PART_CATEGORIES, PARTS
from premises.part.visibility import restrict
from premises.place.queries import free_field, free_field_select, free_fields_by_owner, with_free_field
from premises.place.subtree import under_sites

COLUMNS = PARTS.columns
MOVE_COLUMNS = INVENTORY_MOVES.columns
OWNER = "part"


def _base(principal: Principal) -> Select:
    principal.require("part", "read")
    return restrict(Select("parts", COLUMNS, principal.account_id).where_live(), principal)


def _row(values: Iterable[Any]) -> dict[str, Any]:
    return dict(zip(COLUMNS, values, strict=True))


def _page(principal: Principal, query: ListQuery, confirmation: Confirmation | None) -> Select:
    select = _base(principal)
    if confirmation is not None:
        select.confirm(confirmation.condition, *confirmation.values)
    return with_free_field(select, query, OWNER)


async def list_parts(
    reader: Reader, principal: Principal, query: ListQuery, *, confirmation: Confirmation | None = None
) -> list[dict[str, Any]]:
    """A page of parts; ``query.equals`` may also hold the custom-field pseudo-columns
    (``place.queries.CUSTOM_FIELD_FILTERS``: a free field of this name / value / unit). With a
    ``confirmation`` (``identity.service.cached_principal``) the statement also confirms the cached
    principal's session: no rows may then mean an ended session."""
    select = _page(principal, query, confirmation)
    return [_row(r) for r in await reader.fetch(select.sql(), select.params)]


# A part's files and free custom fields as JSON arrays in its list row (PostgreSQL: one statement a page;
# the same order and rows as ``part_files`` and ``custom_fields``).
PAGE_FIELD_COLUMNS = ("id", "name", "value", "unit", "created_by_user_id", "created_at", "updated_at")
_PAGE_FILES = (
    "(SELECT coalesce(json_agg(pf.file_id ORDER BY pf.position, pf.file_id), '[]')::text FROM part_files pf"
    " JOIN files f ON f.account_id = pf.account_id AND f.id = pf.file_id AND f.deleted_at IS NULL"
    " WHERE pf.account_id = t.account_id AND pf.part_id = t.id)"
)
_PAGE_FIELDS = (
    "(SELECT coalesce(json_agg(json_build_array("
    + ", ".join(f"v.{c}" for c in PAGE_FIELD_COLUMNS)
    + f") ORDER BY v.created_at DESC, v.id DESC), '[]')::text FROM custom_field_values v"
    f" WHERE v.account_id = t.account_id AND v.owner_type = '{OWNER}' AND v.owner_id = t.id)"
)


async def list_part_rows(
    reader: Reader, principal: Principal, query: ListQuery, *, confirmation: Confirmation | None = None
) -> list[tuple[dict[str, Any], str, str]]:
    """``list_parts``' page (PostgreSQL only), each part with its files and free custom fields as JSON
    text from the same statement (``PAGE_FIELD_COLUMNS`` arrays, newest field first)."""
    select = _page(principal, query, confirmation)
    projection = [*(f"t.{c}" for c in COLUMNS), _PAGE_FILES, _PAGE_FIELDS]
    rows = [tuple(r) for r in await reader.fetch(select.page_first_sql(projection), select.params)]
    return [(_row(r[:-2]), r[-2], r[-1]) for r in rows]


async def page_of_parts(
    reader: Reader, principal: Principal, query: ListQuery, sites: Sequence[str] = ()
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of the parts the principal sees (``sites``: only those at or below these sites) and,
    when ``query.count`` asks, how many match in all."""
    select = under_sites(_base(principal), sites).apply(query)
    return [_row(r) for r in await reader.fetch(select.sql(), select.params)], await count_of(reader, select, query)


async def get_part(reader: Reader, principal: Principal, part_id: str) -> dict[str, Any]:
    select = _base(principal).where_eq("id", part_id)
    row = await reader.fetchrow(select.sql(), select.params)
    if row is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="part")
    return _row(row)


async def parts_by_ids(reader: Reader, principal: Principal, ids: Iterable[str]) -> dict[str, dict[str, Any]]:
    """The live parts among ``ids`` that the principal sees, by id (for expansions); none without ``part: read``."""
    wanted = sorted(set(ids))
    if not wanted or not principal.may("part", "read"):
        return {}
    select = restrict(Select("parts", COLUMNS, principal.account_id).where_live(), principal).where_in("id", wanted)
    return {r["id"]: r for r in (_row(v) for v in await reader.fetch(select.sql(), select.params))}


def _of_visible_parts(select: Select, principal: Principal, part_column: str) -> Select:
    """Rows of a child table only for live parts the principal may read and see."""
    principal.require("part", "read")
    select.join(
        f"JOIN parts vp ON vp.account_id = {{a}}.account_id AND vp.id = {{a}}.{part_column} AND vp.deleted_at IS NULL"
    )
    return restrict(select, principal, "vp.location_id")


async def part_files(reader: Reader, principal: Principal, part_ids: Iterable[str]) -> dict[str, list[str]]:
    """The live files attached to these parts, in their order, by part id."""
    wanted = sorted(set(part_ids))
    out: dict[str, list[str]] = {i: [] for i in wanted}
    if not wanted:
        return out
    select = Select("part_files", ("part_id", "file_id"), principal.account_id, alias="pf")
    _of_visible_parts(select.where_in("part_id", wanted), principal, "part_id")
    select.join("JOIN files f ON f.account_id = {a}.account_id AND f.id = {a}.file_id")
    select.where("f.deleted_at IS NULL").order_by("position", False).order_by("file_id", False)
    for part_id, file_id in await reader.fetch(select.sql(), select.params):
        out[part_id].append(file_id)
    return out


async def custom_fields(
    reader: Reader, principal: Principal, part_ids: Iterable[str]
) -> dict[str, list[dict[str, Any]]]:
    """The free custom fields of these parts, newest first (UpKeep lists a part's newest field first), by part id."""
    wanted = sorted(set(part_ids))
    if not wanted:
        return {}
    select = _of_visible_parts(free_field_select(principal, OWNER).where_in("owner_id", wanted), principal, "owner_id")
    return await free_fields_by_owner(reader, select, wanted, newest_first=True)


async def get_custom_field(reader: Reader, principal: Principal, part_id: str, field_id: str) -> dict[str, Any]:
    """One free custom field of a visible part."""
    await get_part(reader, principal, part_id)
    return await free_field(reader, principal, OWNER, part_id, field_id)


async def team_ids(reader: Reader, principal: Principal, part_id: str) -> list[str]:
    """The live teams assigned to a visible part, oldest first."""
    select = Select("part_teams", ("team_id",), principal.account_id, alias="l")
    _of_visible_parts(select.where_eq("part_id", part_id), principal, "part_id")
    select.join("JOIN teams tm ON tm.account_id = {a}.account_id AND tm.id = {a}.team_id AND tm.deleted_at IS NULL")
    select.order_by("created_at", False).order_by("team_id", False)
    return [r[0] for r in await reader.fetch(select.sql(), select.params)]


@dataclass(frozen=True, slots=True)
class PartDetail:
    part: dict[str, Any]
    file_ids: list[str]
    fields: list[dict[str, Any]]  # free custom fields, as ``custom_fields`` returns them
    team_ids: list[str]


async def part_detail(reader: Reader, principal: Principal, part_id: str) -> PartDetail:
    row = await get_part(reader, principal, part_id)
    files = await part_files(reader, principal, [row["id"]])
    fields = await custom_fields(reader, principal, [row["id"]])
    return PartDetail(row, files[row["id"]], fields[row["id"]], await team_ids(reader, principal, row["id"]))


async def asset_part_ids(reader: Reader, principal: Principal, asset_id: str) -> list[str]:
    """The live parts assigned to an asset that the principal sees (none without ``part: read``), oldest first."""
    if not principal.may("part", "read"):
        return []
    select = Select("asset_parts", ("part_id",), principal.account_id, alias="ap")
    _of_visible_parts(select.where_eq("asset_id", asset_id), principal, "part_id")
    select.join("JOIN assets va ON va.account_id = {a}.account_id AND va.id = {a}.asset_id AND va.deleted_at IS NULL")
    restrict_assets(select, principal, "va.location_id")
    select.order_by("created_at", False).order_by("part_id", False)
    return [r[0] for r in await reader.fetch(select.sql(), select.params)]


# ------------------------------------------------------------------------------------------ ledger


async def inventory_moves(reader: Reader, principal: Principal, part_id: str, query: ListQuery) -> list[dict[str, Any]]:
    """The ledger of a visible part (``part_inventory_moves``), oldest first unless the query orders otherwise."""
    return (await page_of_inventory_moves(reader, principal, part_id, query))[0]


async def page_of_inventory_moves(
    reader: Reader, principal: Principal, part_id: str, query: ListQuery
) -> tuple[list[dict[str, Any]], int | None]:
    """A page of a visible part's ledger and, when ``query.count`` asks, how many moves it has."""
    await get_part(reader, principal, part_id)
    select = Select("part_inventory_moves", MOVE_COLUMNS, principal.account_id).where_eq("part_id", part_id)
    select.apply(query)
    rows = [dict(zip(MOVE_COLUMNS, r, strict=True)) for r in await reader.fetch(select.sql(), select.params)]
    return rows, await count_of(reader, select, query)


# ------------------------------------------------------------------------------------------ categories


async def part_categories(reader: Reader, principal: Principal, query: ListQuery) -> list[dict[str, Any]]:
    return await account_queries.categories(reader, principal, PART_CATEGORIES, "part", query)


async def get_part_category(reader: Reader, principal: Principal, category_id: str) -> dict[str, Any]:
    return await account_queries.get_category(reader, principal, PART_CATEGORIES, "part", category_id)
