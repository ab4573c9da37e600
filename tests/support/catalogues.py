"""Checks that a resource's field declarations (premises.kit.fields) agree with its table."""

from __future__ import annotations

from typing import Any

from sqlalchemy import String

from premises.kit.fields import Catalogue, FieldType


def assert_agrees_with_table(catalogue: Catalogue, table: Any) -> None:
    """Every declared column exists, with the same nullability; a string's length is its ``String(n)``."""
    for f in catalogue:
        if f.expression is not None:
            continue
        assert f.column is not None
        column = table.c[f.column]
        assert f.nullable == column.nullable, f.name
        if f.type is FieldType.STRING:
            assert isinstance(column.type, String) and f.max_length == column.type.length, f.name
