"""The related objects /v1 embeds in a record kept at a place (work orders, requests): ``Site`` (the
top-level place above its location), ``Location``, ``Asset`` as ``{"id", "label"}`` and ``Assignee``
as ``{"id", "first", "last"}``, from the columns of ``place.related.related_fields`` its page selects.
A place or an asset the principal does not reach is shown as null: a record it sees (one assigned to
it, one it raised) may be at a place it was not added to."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from premises.api.kit.representation import Columns, Computed
from premises.api.v1.wire import INSTANT_SCHEMA
from premises.db import jsonsql
from premises.db.reader import Reader, Row
from premises.errors import ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.kit.fields import Catalogue, Op
from premises.kit.listing import ListQuery

MAYBE_INSTANT = {**INSTANT_SCHEMA, "type": ["string", "null"]}
_LABELLED = {
    "type": ["object", "null"],
    "required": ["id", "label"],
    "properties": {"id": {"type": "string"}, "label": {"type": ["string", "null"]}},
}
_PERSON = {
    "type": ["object", "null"],
    "required": ["id", "first", "last"],
    "properties": {
        "id": {"type": "string"},
        "first": {"type": ["string", "null"]},
        "last": {"type": ["string", "null"]},
    },
}
# The columns a page selects after the record's own, for its embedded objects.
RELATED_COLUMNS = (
    "site_id",
    "site_name",
    "location_name",
    "asset_name",
    "asset_location_id",
    "assignee_first_name",
    "assignee_last_name",
)


def _embedded(name: str, id_column: str, members: dict[str, str], schema: dict[str, Any]) -> Computed:
    """An embedded related object (None without the related record), from the page's own columns; as
    Python, and as SQLite's ``json_object`` for a page SQLite renders (``Fields.sqlite_projection``)."""
    named = {"id": id_column, **members}
    body = ", ".join(f"{key!r}: {{{column}}}" for key, column in named.items())

    def sqlite(column: Columns) -> jsonsql.Piece:
        inner = jsonsql.json_object([(key, jsonsql.value(column(c))) for key, c in named.items()])
        return jsonsql.Piece(f"CASE WHEN {column(id_column)} IS NULL THEN NULL ELSE {inner.sql} END")

    return Computed(name, f"({{{body}}} if {{{id_column}}} is not None else None)", schema, sqlite)


# Placed after a response member (``Wire.then``), in this order.
EMBEDDED = (
    _embedded("Site", "site_id", {"label": "site_name"}, _LABELLED),
    _embedded("Location", "location_id", {"label": "location_name"}, _LABELLED),
    _embedded("Asset", "asset_id", {"label": "asset_name"}, _LABELLED),
    _embedded(
        "Assignee", "assigned_to_user_id", {"first": "assignee_first_name", "last": "assignee_last_name"}, _PERSON
    ),
)
# A work order's case as ``{"id", "code"}`` (placed after ``case``), from its ``case_code`` column.
CASE = _embedded(
    "Case",
    "case_id",
    {"code": "case_code"},
    {
        "type": ["object", "null"],
        "required": ["id", "code"],
        "properties": {"id": {"type": "string"}, "code": {"type": ["string", "null"]}},
    },
)


RenderRows = Callable[[Principal, Sequence[Row]], list[dict[str, Any]]]
Page = Callable[[Reader, Principal, ListQuery, Sequence[str]], Awaitable[tuple[Sequence[Row], int | None]]]


def renderer(render: Callable[..., dict[str, Any]], columns: Sequence[str]) -> RenderRows:
    """``render`` (a ``Fields.row_renderer`` over ``columns``) for a page's rows, hiding the places and
    assets the principal does not reach."""
    places = (("Site", columns.index("site_id")), ("Location", columns.index("location_id")))
    asset = columns.index("asset_location_id")

    def render_rows(principal: Principal, rows: Sequence[Row]) -> list[dict[str, Any]]:
        items = []
        for record in rows:
            row = tuple(record)  # indexing a tuple beats asyncpg's Record
            item = render(row)
            if principal.location_ids is not None:
                for key, index in (*places, ("Asset", asset)):
                    if item[key] is not None and not principal.sees_place(row[index]):
                        item[key] = None
            items.append(item)
        return items

    return render_rows


def one_of(
    catalogue: Catalogue, page: Page, columns: Sequence[str], render_rows: RenderRows, record: str
) -> Callable[[Reader, Principal, str], Awaitable[dict[str, Any]]]:
    """One record as its list renders it (``page`` of one row by id, with its embedded objects); a
    record the principal does not read or see is NotFound naming ``record``."""

    async def one(reader: Reader, principal: Principal, record_id: str) -> dict[str, Any]:
        query = ListQuery.of(catalogue, limit=1).where(catalogue.key, Op.EQ, record_id)
        rows, _ = await page(reader, principal, query, columns)
        if not rows:
            raise NotFound(ErrorCode.RECORD_NOT_FOUND, record=record)
        return render_rows(principal, rows)[0]

    return one
