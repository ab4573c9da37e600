"""Which meters a principal sees: the one rule, for the write side (Python) and the read side (SQL).

A principal that sees every place sees every meter. A location-based principal sees the meters at
the places where its role there lets it read meters (the meter's ``location``); a meter without a
location is invisible to it. A meter's readings and notifications are visible with their meter.
"""

from __future__ import annotations

from premises.db.sql import Select
from premises.identity.principal import Principal
from premises.models import Meter


def visible_places(principal: Principal, action: str = "read") -> frozenset[str] | None:
    """The places whose meters the principal may ``action``; None: every place (and meters without one)."""
    granted = principal.places_granted("meter", action)
    if granted is None:
        return None
    return frozenset().union(*granted.values())


def visible(principal: Principal, meter: Meter, action: str = "read") -> bool:
    places = visible_places(principal, action)
    return places is None or (meter.location_id is not None and meter.location_id in places)


def restrict(select: Select, principal: Principal, meters: str = "{a}") -> Select:
    """Only the meters the principal sees (``meters``: the alias of the ``meters`` table in ``select``)."""
    places = visible_places(principal)
    if places is None:
        return select
    ordered = sorted(places)
    listed = ", ".join(["{}"] * len(ordered)) or "NULL"  # IN (NULL) matches nothing
    return select.where(f"{meters}.location_id IN ({listed})", *ordered)
