"""Which triggers a principal sees: the one rule, for the write side (Python) and the read side (SQL).

A principal that sees every place sees every trigger. A location-based principal sees the triggers
whose work orders go to a place where its role lets it read preventive maintenance (the template's
``location``); a trigger without a location is invisible to it.
"""

from __future__ import annotations

from premises.db.sql import Select
from premises.identity.principal import Principal
from premises.models import PmTrigger

RESOURCE = "preventive_maintenance"


def visible_places(principal: Principal, action: str = "read") -> frozenset[str] | None:
    """The places whose triggers the principal may ``action``; None: every place (and triggers without one)."""
    granted = principal.places_granted(RESOURCE, action)
    if granted is None:
        return None
    return frozenset().union(*granted.values())


def visible(principal: Principal, trigger: PmTrigger, action: str = "read") -> bool:
    places = visible_places(principal, action)
    return places is None or (trigger.wo_location_id is not None and trigger.wo_location_id in places)


def restrict(select: Select, principal: Principal) -> Select:
    """Only the triggers the principal sees."""
    places = visible_places(principal)
    if places is None:
        return select
    ordered = sorted(places)
    listed = ", ".join(["{}"] * len(ordered)) or "NULL"  # IN (NULL) matches nothing
    return select.where(f"{{a}}.wo_location_id IN ({listed})", *ordered)
