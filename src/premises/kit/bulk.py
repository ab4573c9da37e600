"""Multi-row inserts for set-based writers (the PM sweep, the events and jobs they record).

``insert_rows(session, Model, rows)`` writes ``rows`` (dicts of column keys, every row the same keys,
plain JSON values) in one statement with one parameter, the rows as a JSON array:
``INSERT .. SELECT .. FROM json_populate_recordset(NULL::table, :rows)`` on PostgreSQL and
``INSERT .. SELECT json_extract(value, '$.column'), .. FROM json_each(:rows)`` on SQLite. The text of
the statement depends only on the table and the columns, so drivers prepare and cache it once.

The alternatives measured (docs/benchmarks.md, the PM sweep): an ``executemany`` runs one statement
per row on the server; a multi-row ``VALUES`` list costs SQLAlchemy a compiled parameter per value and
psycopg a parse of the whole statement per call (too long for its statement cache).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from sqlalchemy import Table, text
from sqlalchemy.orm import Session

from premises.kit import jsonutil


def insert_rows(session: Session, model: Any, rows: Sequence[Mapping[str, Any]]) -> None:
    """Insert ``rows`` into the table of ``model`` (a mapped class)."""
    if rows:
        engine = session.get_bind().dialect.name
        session.execute(_statement(engine, model.__table__, tuple(rows[0])), {"rows": jsonutil.dumps(list(rows))})


@cache
def _statement(engine: str, table: Table, columns: tuple[str, ...]) -> Any:
    names = ", ".join(f'"{table.c[c].name}"' for c in columns)
    if engine == "postgresql":
        source = f"SELECT {names} FROM json_populate_recordset(NULL::{table.name}, CAST(:rows AS json))"
    else:
        values = ", ".join(f"json_extract(value, '$.{table.c[c].name}')" for c in columns)
        source = f"SELECT {values} FROM json_each(:rows)"
    return text(f"INSERT INTO {table.name} ({names}) {source}")
