"""Fails any SQL statement that touches a tenant table without filtering by account_id.

This is how the suite proves the schema can be sharded by account (Citus): every statement on a
tenant table must be routable to one account's shard. Registered for the whole test session via
premises.db.observe; a violation raises inside the request, so the test that caused it fails.
"""

from __future__ import annotations

import re
from functools import lru_cache

import sqlglot
from sqlglot import exp

from premises.models import GLOBAL_TABLES, Base

TENANT_TABLES = frozenset(name for name in Base.metadata.tables if name not in GLOBAL_TABLES)
_SKIP_PREFIXES = ("begin", "commit", "rollback", "savepoint", "release", "pragma", "set ", "show ")
_PYFORMAT = re.compile(r"%\((\w+)\)s")
_DOLLAR = re.compile(r"\$(\d+)")


class TenantFilterMissing(AssertionError):
    pass


def _normalise(sql: str) -> str:
    sql = _PYFORMAT.sub(r":\1", sql)
    sql = _DOLLAR.sub(r":p\1", sql)
    return sql.replace("?", ":p")


@lru_cache(maxsize=4096)
def check_statement(sql: str) -> None:
    stripped = sql.strip().lower()
    if stripped.startswith(_SKIP_PREFIXES):
        return
    mentioned = [t for t in TENANT_TABLES if re.search(rf"\b{t}\b", stripped)]
    if not mentioned:
        return
    try:
        tree = sqlglot.parse_one(_normalise(sql), read="postgres")
    except sqlglot.errors.ParseError as exc:
        raise TenantFilterMissing(f"cannot parse statement on tenant tables {mentioned}: {sql}") from exc
    if isinstance(tree, exp.Insert):
        _check_insert(tree, sql)
        return
    filtered_aliases = _aliases_filtered_by_account(tree)
    for table in tree.find_all(exp.Table):
        if table.name not in TENANT_TABLES:
            continue
        alias = table.alias_or_name
        if alias not in filtered_aliases and "" not in filtered_aliases:
            raise TenantFilterMissing(f"statement on {table.name} does not filter by account_id: {sql}")


def _check_insert(tree: exp.Insert, sql: str) -> None:
    target = tree.this
    table = target.this if isinstance(target, exp.Schema) else target
    if not isinstance(table, exp.Table) or table.name not in TENANT_TABLES:
        return
    columns = [c.name for c in target.expressions] if isinstance(target, exp.Schema) else []
    if "account_id" not in columns:
        raise TenantFilterMissing(f"insert into {table.name} without account_id: {sql}")


def _aliases_filtered_by_account(tree: exp.Expression) -> set[str]:
    """Table aliases that appear as ``alias.account_id = <value or other account_id>``."""
    aliases: set[str] = set()
    for eq in tree.find_all(exp.EQ):
        for side in (eq.left, eq.right):
            if isinstance(side, exp.Column) and side.name == "account_id":
                aliases.add(side.table or "")
    return aliases
