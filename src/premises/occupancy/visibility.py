"""Which residents (and contacts) a principal sees: those whose occupancy is at a site it may read
residents at (every site for an account-wide principal). One predicate, for the read model's
``Select`` (``o`` is the joined occupancy) and, on the write side, ``sees``."""

from __future__ import annotations

from premises.db.sql import Select
from premises.identity.principal import Principal


def readable_sites(principal: Principal) -> frozenset[str] | None:
    """The sites whose residents the principal may read (None: every site of the account)."""
    granted = principal.places_granted("resident", "read")
    if granted is None:
        return None
    return frozenset().union(*granted.values())


def restrict(select: Select, principal: Principal, *, or_none: bool = False) -> Select:
    """Only rows whose occupancy (``o``) is at a readable site; ``or_none``: rows without one pass too
    (contacts that are no resident)."""
    sites = readable_sites(principal)
    if sites is None:
        return select
    listed = "o.site_id IN (" + ", ".join("{}" for _ in sites) + ")" if sites else "1 = 0"
    return select.where(f"(o.site_id IS NULL OR {listed})" if or_none else listed, *sorted(sites))


def sees(principal: Principal, site_id: str | None) -> bool:
    """The same rule for one occupancy's site (None: no occupancy, a plain contact)."""
    sites = readable_sites(principal)
    return sites is None or site_id is None or site_id in sites
