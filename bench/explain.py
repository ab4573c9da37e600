"""Show the query plan and the database-only time of the list query the benchmark measures.

    python bench/explain.py --credentials /tmp/bench/pg-1m.json

The statement is the one the application itself builds for ``GET /api/v2/work-orders?limit=50&status=open``
(captured from ``premises.work_order.queries.list_work_orders`` through a recording reader), with
the admin's principal. PostgreSQL: ``EXPLAIN (ANALYZE, BUFFERS)`` with literal values, then again
as a prepared statement with its generic plan, which is what the read pool runs (asyncpg prepares
every statement; the pool sets ``plan_cache_mode=force_generic_plan``, see premises.db.reader).
SQLite: ``EXPLAIN QUERY PLAN``. Both: mean time of 200 runs of the bare statement.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any

import typer

from premises.db.engine import Database, make_engine
from premises.db.reader import READ_SETTINGS, PostgresReader, Reader, Row, open_reader, sqlite_path
from premises.identity import service as identity
from premises.kit.listing import ListQuery
from premises.work_order import queries

app = typer.Typer(add_completion=False, help=__doc__, pretty_exceptions_show_locals=False)
RUNS = 200


class RecordingReader:
    """Delegates to a real reader and keeps every statement with its parameters."""

    def __init__(self, inner: Reader) -> None:
        self.inner = inner
        self.dialect = inner.dialect
        self.statements: list[tuple[str, dict[str, Any]]] = []

    async def fetch(self, sql: str, params: Mapping[str, Any]) -> list[Row]:
        self.statements.append((sql, dict(params)))
        return await self.inner.fetch(sql, params)

    async def fetchrow(self, sql: str, params: Mapping[str, Any]) -> Row | None:
        self.statements.append((sql, dict(params)))
        return await self.inner.fetchrow(sql, params)

    async def close(self) -> None:
        await self.inner.close()


async def capture(database_url: str, email: str, password: str) -> tuple[str, dict[str, Any]]:
    db = Database(make_engine(database_url))
    with db.unit_of_work() as session:
        token = identity.login(session, email, password, ttl_hours=1).token
    db.dispose()
    reader = RecordingReader(await open_reader(database_url))
    try:
        principal = await identity.resolve_principal(reader, token)
        reader.statements.clear()
        rows = await queries.list_work_orders(reader, principal, ListQuery(equals={"status": "open"}, limit=50))
        print(f"-- {len(rows)} rows")
        return reader.statements[0]
    finally:
        await reader.close()


def explain_sqlite(database_url: str, sql: str, params: dict[str, Any]) -> None:
    conn = sqlite3.connect(str(sqlite_path(database_url)))
    print("EXPLAIN QUERY PLAN")
    for row in conn.execute("EXPLAIN QUERY PLAN " + sql, params):
        print(f"  {row[0]:>3} {row[1]:>3}  {row[3]}")
    conn.execute(sql, params).fetchall()
    began = time.perf_counter()
    for _ in range(RUNS):
        conn.execute(sql, params).fetchall()
    print(f"mean of {RUNS} runs: {(time.perf_counter() - began) / RUNS * 1000:.3f} ms")
    conn.close()


def explain_postgres(database_url: str, sql: str, params: dict[str, Any]) -> None:
    import psycopg
    from psycopg import sql as pgsql

    translated = PostgresReader(None)._translate(sql)
    values = [params[name] for name in translated.names]
    dsn = database_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(dsn, autocommit=True) as conn:
        literal_sql = sql
        for name in sorted(params, key=len, reverse=True):
            literal = pgsql.Literal(params[name]).as_string(conn)
            literal_sql = literal_sql.replace(f":{name}", literal)
        print("EXPLAIN (ANALYZE, BUFFERS), literal values")
        for (line,) in conn.execute("EXPLAIN (ANALYZE, BUFFERS) " + literal_sql):
            print("  " + line)
        for name, value in READ_SETTINGS.items():  # as the read pool's connections do
            conn.execute(pgsql.SQL("SET {} = {}").format(pgsql.Identifier(name), pgsql.Literal(value)))
        conn.execute(pgsql.SQL("PREPARE bench_list AS ") + pgsql.SQL(translated.sql))
        execute = pgsql.SQL("EXECUTE bench_list ({})").format(pgsql.SQL(", ").join(pgsql.Literal(v) for v in values))
        for _ in range(6):
            conn.execute(execute).fetchall()
        print("EXPLAIN (ANALYZE, BUFFERS) EXECUTE, generic plan of the prepared statement (what the reader runs)")
        for (line,) in conn.execute(pgsql.SQL("EXPLAIN (ANALYZE, BUFFERS) ") + execute):
            print("  " + line)
        began = time.perf_counter()
        for _ in range(RUNS):
            conn.execute(execute).fetchall()
        print(f"mean of {RUNS} runs of the prepared statement: {(time.perf_counter() - began) / RUNS * 1000:.3f} ms")


@app.command()
def main(credentials: Annotated[Path, typer.Option(help="JSON printed by bench/generate.py.")]) -> None:
    """Print the list statement, its plan and its database-only time."""
    info = json.loads(credentials.read_text().strip().splitlines()[-1])
    url = info["database_url"]
    sql, params = asyncio.run(capture(url, info["admin_email"], info["admin_password"]))
    print(sql)
    print(f"-- params {params}")
    sys.stdout.flush()
    if url.startswith("sqlite"):
        explain_sqlite(url, sql, params)
    else:
        explain_postgres(url, sql, params)


if __name__ == "__main__":
    app()
