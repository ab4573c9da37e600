"""SQL over the place hierarchy for the records kept at a place (work orders, requests): the site above
a record's place, the places under given sites, a related record's name. Catalogues declare these as
expression fields (``{a}`` is the record's alias); ``without_sites`` compiles a list's conditions on
the site the other way round."""

from __future__ import annotations

from dataclasses import replace

from premises.db.sql import Select
from premises.kit.fields import Field, FieldType, Op
from premises.kit.listing import ListQuery
from premises.place.subtree import under_sites

SITE_ID = "site_id"  # the expression field every such catalogue declares with ``site_of``


def site_of(place: str) -> str:
    """The top-level place above ``place`` (a column): the place's stored ``site_id`` (kept by the place
    service on every create and move), one index lookup per row."""
    return f"(SELECT s.site_id FROM places s WHERE s.account_id = {{a}}.account_id AND s.id = {place})"


def name_of(table: str, column: str, name: str = "name") -> str:
    """The ``name`` of the ``table`` row whose id is ``column`` (a related record's label)."""
    return f"(SELECT n.{name} FROM {table} n WHERE n.account_id = {{a}}.account_id AND n.id = {column})"


def _related(name: str, expression: str, *, searchable: bool = False) -> Field:
    kind = FieldType.STRING if searchable else FieldType.ID
    return Field(name, kind, expression=expression, ops=frozenset(), sortable=False, searchable=searchable)


def related_fields() -> tuple[Field, ...]:
    """The fields of a record at a place (``location_id``) with an asset (``asset_id``) and an assignee
    (its query joins users as ``uto``): its site (filtered as the places under it), the names its
    embedded objects show (shown and searched, never filtered), the asset's place (who may see it)."""
    site = site_of("{a}.location_id")
    return (
        Field(SITE_ID, FieldType.ID, expression=site, ops=frozenset({Op.EQ, Op.IN}), sortable=False),
        _related("site_name", name_of("places", site)),
        _related("location_name", name_of("places", "{a}.location_id"), searchable=True),
        _related("asset_name", name_of("assets", "{a}.asset_id"), searchable=True),
        _related("asset_location_id", name_of("assets", "{a}.asset_id", "location_id")),
        _related("assignee_first_name", "uto.first_name", searchable=True),
        _related("assignee_last_name", "uto.last_name", searchable=True),
    )


# A page's related names by joins instead of the fields' subselects (``Select.page_first_sql``): the
# place, its site and the asset are each one lookup, however many of their columns the page shows.
PAGE_JOINS = (
    "LEFT JOIN places rl ON rl.account_id = {a}.account_id AND rl.id = {a}.location_id",
    "LEFT JOIN places rs ON rs.account_id = rl.account_id AND rs.id = rl.site_id",
    "LEFT JOIN assets ra ON ra.account_id = {a}.account_id AND ra.id = {a}.asset_id",
)
PAGE_COLUMNS = {
    SITE_ID: "rl.site_id",
    "site_name": "rs.name",
    "location_name": "rl.name",
    "asset_name": "ra.name",
    "asset_location_id": "ra.location_id",
}


def without_sites(select: Select, query: ListQuery, place: str = "{a}.location_id") -> ListQuery:
    """``query`` without its conditions on ``SITE_ID``, which ``select`` gets instead as "the record's
    ``place`` is under those sites" (the walk up per row would read every row's hierarchy)."""
    kept = []
    for condition in query.conditions:
        if condition.field.name != SITE_ID:
            kept.append(condition)
            continue
        sites = condition.value if isinstance(condition.value, tuple) else (condition.value,)
        if sites:
            under_sites(select, list(sites), place)
        else:
            select.where("1 = 0")
    return replace(query, conditions=kept)
