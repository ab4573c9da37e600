"""``includes`` expansion: replace id strings in wire objects by the objects they name.

Each dialect keeps its own ``Expanders`` (its objects have its wire shape); each of its mapper
modules registers the expander for the kind of record it renders (``user``, ``location``,
``asset``, ...). A route declares which wire fields hold which kind and calls ``expand``: the object
replaces the id in place. Ids the caller may not read (role) or that no longer exist stay plain id
strings.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable, Mapping
from typing import Any

from premises.db.reader import Reader
from premises.identity.principal import Principal

Expander = Callable[[Reader, Principal, set[str]], Awaitable[Mapping[str, dict[str, Any]]]]


class Expanders:
    """One dialect's expanders, by kind of record."""

    def __init__(self) -> None:
        self.by_kind: dict[str, Expander] = {}

    def register(self, kind: str) -> Callable[[Expander], Expander]:
        """Decorator: ``fn`` renders the records of ``kind`` with the given ids, by id."""

        def register(fn: Expander) -> Expander:
            self.by_kind[kind] = fn
            return fn

        return register

    async def expand(
        self,
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
            if kind is None or kind not in self.by_kind:  # a kind nobody registered yet leaves plain ids
                continue
            wanted = by_kind.setdefault(kind, set())
            for item in items:
                wanted.update(_ids(item.get(name)))
        fetched: dict[str, Mapping[str, dict[str, Any]]] = {}
        for kind, ids in by_kind.items():
            fetched[kind] = await self.by_kind[kind](reader, principal, ids) if ids else {}
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
        self, kind: str, reader: Reader, principal: Principal, rows: Iterable[Mapping[str, Any]], columns: Iterable[str]
    ) -> dict[str, Any]:
        """Objects of ``kind`` for the ids the given columns of ``rows`` hold, by id; one query.

        Used for fields that always render as objects, such as the file fields of work orders and assets.
        """
        names = tuple(columns)
        ids = {row[column] for row in rows for column in names if row[column]}
        if not ids or kind not in self.by_kind:
            return {}
        return dict(await self.by_kind[kind](reader, principal, ids))


def _ids(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        yield from (v for v in value if isinstance(v, str))
