"""SQLite's JSON fragments (premises.db.jsonsql) render values byte for byte as orjson does."""

from __future__ import annotations

import asyncio
import random
import sqlite3
from pathlib import Path

import orjson
import pytest

from premises.db import jsonsql
from premises.db.reader import SqliteReader

STRINGS = ["plain", 'quote " backslash \\ slash /', "\x00\x01\x08\t\n\x0b\x0c\r\x1f\x7f", "é ✓ 😀 \u2028\u2029", ""]
FLOATS = [0.0, -0.0, 0.1, 0.5, 2.0, -2.5, 1e-05, 0.0001, 0.30000000000000004, 1234.5678, 99999999999.9999, 1e11, 1e15]


@pytest.fixture
def connection() -> sqlite3.Connection:
    connection = sqlite3.connect(":memory:")
    jsonsql.install(connection)
    return connection


def _render(connection: sqlite3.Connection, piece: jsonsql.Piece, value: object) -> str:
    sql = jsonsql.json_object([("v", piece)]).sql.replace("x", "?")
    rendered: str = connection.execute(f"SELECT {sql}", (value,) * sql.count("?")).fetchone()[0]
    return rendered


def test_text_and_integers_as_orjson(connection: sqlite3.Connection) -> None:
    for value in [*STRINGS, None, 0, -7, 2**62]:
        assert _render(connection, jsonsql.value("x"), value) == orjson.dumps({"v": value}).decode()


def test_floats_as_orjson(connection: sqlite3.Connection) -> None:
    rng = random.Random(6)
    values = (
        FLOATS + [rng.uniform(-1e6, 1e6) for _ in range(300)] + [round(rng.uniform(0, 1000), 2) for _ in range(300)]
    )
    for value in [*values, None]:
        assert _render(connection, jsonsql.number("x"), value) == orjson.dumps({"v": value}).decode(), value


def test_instants_as_kit_time(connection: sqlite3.Connection) -> None:
    from premises.kit.time import ms_to_iso

    for value in (None, -62_135_596_800_000, -1, 0, 1, 1_764_684_000_123, 253_402_300_799_999):
        assert _render(connection, jsonsql.iso("x"), value) == orjson.dumps({"v": ms_to_iso(value)}).decode()


def test_a_function_registered_after_the_reader_opened_is_there_for_its_next_statement(tmp_path: Path) -> None:
    sqlite3.connect(tmp_path / "db.sqlite3").close()
    reader = SqliteReader(tmp_path / "db.sqlite3")

    async def run() -> object:
        name = jsonsql.sql_function("test_jsonsql_twice", 1, lambda v: v * 2)
        try:
            return (await reader.fetch(f"SELECT {name}(21)", {}))[0][0]
        finally:
            del jsonsql.SQL_FUNCTIONS[name]
            await reader.close()

    assert asyncio.run(run()) == 42
