"""The places under sites, as a read statement's condition: a record "of a site" is one whose place is the
site or any place below it (one recursive walk down from the sites, not one walk up per row)."""

from __future__ import annotations

from collections.abc import Sequence

from premises.db.sql import Select

MAX_DEPTH = 64
_UNDER = (
    "{column} IN (WITH RECURSIVE down(id, depth) AS (SELECT p.id, 0 FROM places p"
    " WHERE p.account_id = :account_id AND p.id IN (%s)"
    " UNION ALL SELECT p.id, d.depth + 1 FROM places p JOIN down d"
    f" ON p.account_id = :account_id AND p.parent_id = d.id WHERE d.depth < {MAX_DEPTH})"
    " SELECT down.id FROM down)"
)


def under_sites(select: Select, site_ids: Sequence[str], column: str = "{a}.location_id") -> Select:
    """Only rows whose place (``column``) is one of ``site_ids`` or below one (none given: unchanged)."""
    if not site_ids:
        return select
    condition = _UNDER.replace("{column}", column) % ", ".join("{}" for _ in site_ids)
    return select.where(condition, *site_ids)
