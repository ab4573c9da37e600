"""Which cases a principal sees: the one rule, for the read and the write side.

A case belongs to its site. A principal on every place (``location_ids`` None) sees every case of the
account its role lets it read; a location-based principal (a service account added to some sites) sees
the cases of the sites where its role there lets it read cases (``Principal.places_granted``).
"""

from __future__ import annotations

from premises.db.sql import Select
from premises.identity.principal import Principal


def restrict(select: Select, principal: Principal, action: str = "read") -> Select:
    """Only the cases ``principal`` sees for ``action`` (``select`` is over ``cases``)."""
    granted = principal.places_granted("case", action)
    if granted is None:
        return select
    return select.where_in("site_id", sorted(set().union(*granted.values())))


def sees(principal: Principal, site_id: str, action: str = "read") -> bool:
    """Whether ``principal`` sees the cases of ``site_id`` for ``action`` (the write side's check)."""
    return principal.sees_place(site_id) and principal.may("case", action, at=site_id)
