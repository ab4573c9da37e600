"""``includes`` expansion: replace id strings in wire objects by the objects they name.

Each mapper module registers an expander for the kind of record it renders (``user``,
``location``, ``asset``, ...). A route declares which wire fields hold which kind and calls
``expand``. Ids the caller may not read (role) or that no longer exist stay plain id strings.
Local choice, documented in docs/dialects/upkeep.md: the object replaces the id in place.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from premises.db.reader import Reader
from premises.identity.principal import Principal

Expander = Callable[[Reader, Principal, set[str]], Awaitable[Mapping[str, dict[str, Any]]]]
EXPANDERS: dict[str, Expander] = {}


def expander(kind: str) -> Callable[[Expander], Expander]:
    def register(fn: Expander) -> Expander:
        EXPANDERS[kind] = fn
        return fn

    return register


def _ids(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        yield from (v for v in value if isinstance(v, str))


async def expand(
    reader: Reader,
    principal: Principal,
    items: list[dict[str, Any]],
    kinds: Mapping[str, str],
    includes: set[str],
) -> None:
    """Expand, in place, each field of ``includes`` whose kind ``kinds`` names."""
    by_kind: dict[str, set[str]] = {}
    for name in includes:
        kind = kinds.get(name)
        if kind is None or kind not in EXPANDERS:  # a kind nobody registered yet leaves plain ids
            continue
        wanted = by_kind.setdefault(kind, set())
        for item in items:
            wanted.update(_ids(item.get(name)))
    fetched: dict[str, Mapping[str, dict[str, Any]]] = {}
    for kind, ids in by_kind.items():
        fetched[kind] = await EXPANDERS[kind](reader, principal, ids) if ids else {}
    for name in includes:
        kind = kinds.get(name)
        if kind is None or kind not in fetched:
            continue
        objects = fetched[kind]
        for item in items:
            value = item.get(name)
            if isinstance(value, str):
                item[name] = objects.get(value, value)
            elif isinstance(value, list):
                item[name] = [objects.get(v, v) if isinstance(v, str) else v for v in value]


async def objects_for_columns(
    kind: str, reader: Reader, principal: Principal, rows: Iterable[Mapping[str, Any]], columns: Iterable[str]
) -> dict[str, Any]:
    """Objects of ``kind`` for the ids the given columns of ``rows`` hold, by id; one query.

    Used for fields that always render as objects, such as the file fields of work orders and assets.
    """
    names = tuple(columns)
    ids = {row[column] for row in rows for column in names if row[column]}
    if not ids or kind not in EXPANDERS:
        return {}
    return dict(await EXPANDERS[kind](reader, principal, ids))
