"""/v1's list conventions over the kit's catalogued ``ListQuery`` (docs/dialects/v1.md, "Lists").

``page`` (1-based) and ``limit`` (default 50, 1 to 200; a larger one is taken as 200), or ``cursor``
(the previous page's ``nextCursor``: a keyset position that stays fast at any depth; ``page`` is then
ignored); ``search`` (case-insensitive, every word in one of the resource's searchable fields);
``sort`` (``label,-createdAt``: a leading ``-`` sorts descending); ``sites`` (a comma list, or the
parameter repeated): only records of these sites, each of which the caller must be a member of (else
403 naming the site); and the resource's own equality filters (a comma list is any of them). The
answer always counts the matching records (``count``).
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from premises.api.kit.errors import WireInputError
from premises.api.kit.listing import check_keys, query_param
from premises.api.kit.representation import Fields
from premises.api.v1.wire import JSON
from premises.db.reader import Reader
from premises.errors import ErrorCode, PermissionDenied
from premises.identity.principal import Principal
from premises.kit.fields import Catalogue, Op
from premises.kit.listing import ListQuery
from premises.kit.numbers import NumberError, NumberOutOfRange, parse_int

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
MAX_PAGE = 1_000_000
COMMON = frozenset({"page", "limit", "cursor", "search", "sort", "sites"})


@dataclass(frozen=True)
class ListSpec:
    """What one /v1 list accepts: its catalogue, its filters and sort keys (wire -> domain), and the
    domain field a ``sites`` value filters on (None: the route's query applies ``requested_sites``, for a
    resource whose site is no column of its own, e.g. a user's memberships); ``sited=False``: a resource
    of no site (teams, cost categories), whose list takes no ``sites`` parameter."""

    catalogue: Catalogue
    site_field: str | None
    filters: Mapping[str, str] = field(default_factory=dict)
    sortable: Mapping[str, str] = field(default_factory=dict)
    sited: bool = True

    @classmethod
    def of(cls, fields: Fields, *, site_field: str | None, sited: bool = True) -> ListSpec:
        """The list of a resource whose /v1 names are ``fields``: its ``filter`` and sort keys."""
        return cls(fields.attachment.catalogue, site_field, fields.filter_names(), fields.sort_keys(), sited)

    def openapi(self) -> dict[str, Any]:
        params = [
            query_param("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE}, "Page number, from 1."),
            query_param(
                "limit",
                {"type": "integer", "minimum": 1, "maximum": MAX_LIMIT},
                f"Page size, 1 to {MAX_LIMIT}; default {DEFAULT_LIMIT}.",
            ),
            query_param("cursor", {"type": "string"}, "The previous page's `nextCursor` (instead of `page`)."),
            query_param("search", {"type": "string", "maxLength": 200}, "Case-insensitive text search."),
            query_param(
                "sort",
                {"type": "string"},
                "Comma list of " + ", ".join(self.sortable) + "; `-` before a name sorts descending.",
            ),
        ]
        if self.sited:
            params.append(
                query_param(
                    "sites", {"type": "string"}, "Comma list of site ids (the caller must be a member of each)."
                )
            )
        params += [query_param(name, {"type": "string"}, "Equal to (a comma list: any of).") for name in self.filters]
        return {"parameters": params}


def _int(key: str, value: str, low: int, high: int, *, cap: bool) -> int:
    try:
        number = parse_int(value)
    except NumberOutOfRange:
        number = high + 1 if not value.strip().startswith("-") else low - 1
    except NumberError:
        raise WireInputError(ErrorCode.WRONG_TYPE, field=key, expected=f"an integer from {low}") from None
    if number < low or (number > high and not cap):
        raise WireInputError(ErrorCode.NOT_BETWEEN, field=key, min=low, max=high)
    return min(number, high)


def _values(request: Request, key: str) -> list[str]:
    return [part.strip() for value in request.query_params.getlist(key) for part in value.split(",") if part.strip()]


def _single(request: Request, key: str) -> str | None:
    values = request.query_params.getlist(key)
    if len(values) > 1:
        raise WireInputError(ErrorCode.REPEATED_PARAMETER, field=key)
    return values[0] if values else None


def paging(request: Request) -> tuple[int, int]:
    """``page`` (from 1) and ``limit`` (default 50, at most 200) as (offset, limit)."""
    limit_text, page_text = _single(request, "limit"), _single(request, "page")
    limit = DEFAULT_LIMIT if limit_text is None else _int("limit", limit_text, 1, MAX_LIMIT, cap=True)
    page = 1 if page_text is None else _int("page", page_text, 1, MAX_PAGE, cap=False)
    return (page - 1) * limit, limit


def member_sites(principal: Principal, site_ids: list[str], field_name: str = "sites") -> list[str]:
    """The site ids, each one the principal is a member of; else 403 naming the first that is not."""
    for site_id in site_ids:
        if not principal.sees_place(site_id):
            raise PermissionDenied(ErrorCode.NOT_A_SITE_MEMBER, field=field_name, id=site_id[:100])
    return site_ids


def requested_sites(request: Request, principal: Principal) -> list[str]:
    """The list's ``sites`` values, each one the principal is a member of (else 403 naming it)."""
    return member_sites(principal, _values(request, "sites"))


def parse_list(request: Request, spec: ListSpec, principal: Principal) -> ListQuery:
    given = request.query_params
    for key in given:
        if (key not in COMMON and key not in spec.filters) or (key == "sites" and not spec.sited):
            raise WireInputError(ErrorCode.UNKNOWN_PARAMETER, field=key)
    offset, limit = paging(request)
    cursor = _single(request, "cursor")
    query = ListQuery.of(spec.catalogue, limit=limit, offset=0 if cursor else offset).with_count()
    for wire, filtered in spec.filters.items():
        if wire not in given:
            continue
        values = _values(request, wire)
        if len(values) > 1:
            query.where(filtered, Op.IN, values)
        elif values:
            query.where(filtered, Op.EQ, values[0])
    sites = requested_sites(request, principal) if "sites" in given else []
    if sites and spec.site_field is not None:
        query.where(spec.site_field, Op.IN, sites)
    search = _single(request, "search")
    if search is not None:
        query.search_for(search)
    sort = _single(request, "sort")
    for key in (sort or "").split(","):
        name = key.strip()
        if not name:
            continue
        descending = name.startswith("-")
        sorted_by = spec.sortable.get(name.lstrip("-+"))
        if sorted_by is None:
            raise WireInputError(ErrorCode.INVALID_SORT, field="sort", choices=", ".join(spec.sortable))
        query.order(sorted_by, descending=descending)
    if not query.sort:
        for name, descending in spec.catalogue.default_sort:
            query.order(name, descending=descending)
    if cursor is not None:
        query.after(cursor)
    return query


def page_body(query: ListQuery, rows: list[dict[str, Any]], count: int | None, items: list[Any]) -> dict[str, Any]:
    """``{"count", "items", "nextCursor"}``: the cursor continues after the page's last row (null on a
    short page)."""
    next_cursor = query.next_cursor(rows[-1]) if rows and len(rows) == query.limit else None
    return {"count": count or 0, "items": items, "nextCursor": next_cursor}


def whole_list(items: list[Any]) -> dict[str, Any]:
    """A list answered whole, all on one page (no paging parameters): ``{"count", "items", "nextCursor": null}``."""
    return {"count": len(items), "items": items, "nextCursor": None}


Rows = list[dict[str, Any]]


async def list_route(
    request: Request,
    reader: Reader,
    principal: Principal,
    spec: ListSpec,
    fetch: Callable[[Reader, Principal, ListQuery], Awaitable[tuple[Rows, int | None]]],
    render: Callable[[Rows], Any],
) -> Response:
    """A /v1 list route's answer: the list's query (``parse_list``), the page of rows ``fetch`` reads
    with it (a query module's ``page_of_...(reader, principal, query)``), and ``page_body`` over the
    items ``render`` makes of the rows (a list, or an awaitable of one)."""
    query = parse_list(request, spec, principal)
    rows, count = await fetch(reader, principal, query)
    items = render(rows)
    if inspect.isawaitable(items):
        items = await items
    return JSON(page_body(query, rows, count, items))


async def get_route(
    request: Request, load: Callable[[], Awaitable[Any]], render: Callable[[Any], Any] | None = None
) -> Response:
    """A /v1 get-by-id route's answer: no query parameters (else 400 naming one), then what ``load``
    reads (its 404 for an id the caller does not see): an answer as it is, else rendered (``render``)
    as JSON."""
    check_keys(request, frozenset())
    found = await load()
    if isinstance(found, Response):
        return found
    return JSON(found if render is None else render(found))


def each(render: Callable[[dict[str, Any]], Any]) -> Callable[[Rows], list[Any]]:
    """A ``list_route`` render of one row at a time."""
    return lambda rows: [render(row) for row in rows]
