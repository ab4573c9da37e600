"""JSON rendered by SQLite, byte for byte as ``orjson`` renders the same values in Python.

A list page rendered by the database (docs/benchmarks.md) skips turning every column of every row
into Python objects and mapping them: SQLite's ``json_object`` (C code, one buffer per row) returns
one JSON text per row. It renders exactly as orjson does what it is given here:

- text: ``json_object`` escapes as orjson does (``\\"``, ``\\\\``, ``\\b \\t \\n \\f \\r``, other
  control characters as ``\\u00xx``, everything else as UTF-8); integers as integers; NULL as null;
- JSON kept on a row (written by ``kit.jsonutil``, i.e. orjson) is embedded as it is (``json(x)``
  keeps every token's text);
- anything whose text Python decides (an ISO instant, a float) comes from the Python function itself,
  registered on the read connection (:func:`sql_function`; ``SqliteReader`` installs them all), so
  there is one implementation of each rendering.

Each fragment is a :class:`Piece`: the SQL of a value for ``json_object`` and, when some values are
better rendered by the caller in Python (``unsafe``), the SQL condition saying so.

PostgreSQL has no such builder whose output is orjson's (``json_build_object`` puts spaces around
``:``; ``row_to_json`` and concatenation measured slower than asyncpg's decoding plus a generated
Python renderer), so on PostgreSQL the page is rendered in Python. Identifiers come from field
declarations only; no value of a request reaches these fragments.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from premises.kit import jsonutil
from premises.kit.time import ms_to_iso

# Python functions callable from the read connection's SQL: name -> (number of arguments, function).
SQL_FUNCTIONS: dict[str, tuple[int, Callable[..., Any]]] = {}


def sql_function(name: str, arguments: int, function: Callable[..., Any]) -> str:
    """Register ``function`` under ``name`` for every SQLite read connection (``SqliteReader`` installs
    the registry before a statement whenever it grew since the connection last did)."""
    SQL_FUNCTIONS[name] = (arguments, function)
    return name


def install(connection: sqlite3.Connection) -> int:
    """Create the registered functions on ``connection``; returns how many there are."""
    registered = list(SQL_FUNCTIONS.items())
    for name, (arguments, function) in registered:
        connection.create_function(name, arguments, function, deterministic=True)
    return len(registered)


ISO = sql_function("premises_iso", 1, ms_to_iso)
JSON = sql_function("premises_json", 1, jsonutil.dumps)


@dataclass(frozen=True, slots=True)
class Piece:
    sql: str
    unsafe: str | None = None


def literal(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def value(e: str) -> Piece:
    """A text or integer column as it is (a JSON string, a number, or null)."""
    return Piece(e)


def call(function: str, *arguments: str) -> Piece:
    """A registered Python function's result (text, or NULL), called only when the first argument is not NULL."""
    return Piece(f"CASE WHEN {arguments[0]} IS NULL THEN NULL ELSE {function}({', '.join(arguments)}) END")


def iso(e: str) -> Piece:
    """Epoch milliseconds as ``kit.time.ms_to_iso`` renders them (which fails outside its range, as in Python)."""
    return call(ISO, e)


def number(e: str) -> Piece:
    """A float as orjson renders it: ``json_object`` renders a REAL with ``%!.15g``, which is orjson's
    text for the double nearest a decimal of at most 4 places in [1e-4, 1e11) (at most 15 significant
    digits, printed without exponent); any other float's text comes from orjson itself."""
    decimal = f"ABS({e}) >= 0.0001 AND ABS({e}) < 1e11 AND ROUND({e} * 10000) / 10000.0 = {e}"
    return Piece(f"CASE WHEN {e} IS NULL THEN NULL WHEN {decimal} THEN {e} ELSE json({JSON}({e})) END")


def padded(e: str, width: int) -> Piece:
    """A non-null integer as text zero-padded to ``width`` (``format(n, "03d")``)."""
    return Piece(f"printf('%0{width}d', {e})")


def either(e: str, true: str, false: str) -> Piece:
    """SQL ``true`` when ``e`` (a 0/1 column) is set, else ``false`` (NULL too)."""
    return Piece(f"CASE WHEN {e} THEN {true} ELSE {false} END")


def json_list(e: str) -> Piece:
    """A stored JSON list (written by ``kit.jsonutil``) as it is; anything but a list is unsafe."""
    return Piece(
        f"CASE WHEN {e} = '[]' THEN json_array() WHEN substr({e}, 1, 1) = '[' THEN json({e}) END",
        f"({e} IS NULL OR substr({e}, 1, 1) <> '[')",
    )


def empty_list() -> Piece:
    return Piece("json_array()")


def absent(*columns: str) -> Piece:
    """null, and unsafe when any of ``columns`` is not NULL (the caller renders that row itself)."""
    return Piece(
        "NULL", f"COALESCE({', '.join(columns)}) IS NOT NULL" if len(columns) > 1 else f"{columns[0]} IS NOT NULL"
    )


def json_object(members: list[tuple[str, Piece]]) -> Piece:
    """``{"name":value,...}`` in the given order; unsafe when any member is."""
    arguments = ", ".join(f"{literal(name)}, {piece.sql}" for name, piece in members)
    unsafe = [f"({p.unsafe})" for _, p in members if p.unsafe]
    return Piece(f"json_object({arguments})", " OR ".join(unsafe) if unsafe else None)


def flag(condition: str | None) -> str:
    """1 when ``condition`` holds, else 0."""
    return f"CASE WHEN {condition} THEN 1 ELSE 0 END" if condition else "0"
