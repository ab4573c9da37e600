"""Which assets a principal sees for an action: the one rule, for the write side (Python) and the read side (SQL).

A principal that sees every place sees every asset. A location-based principal sees the assets at
the places where its role there grants the action (``Principal.places_granted``); an asset without a
place is invisible to it. With one role on every place (UpKeep's location-based users) that is "the
assets at its places". ``visible_places`` is the rule; ``visible`` applies it to a loaded asset and
``restrict`` adds it to a read-side ``Select`` (tests/domain/asset prove the two agree).
"""

from __future__ import annotations

from premises.db.sql import Select
from premises.identity.principal import Principal
from premises.models import Asset


def visible_places(principal: Principal, action: str = "read", resource: str = "asset") -> frozenset[str] | None:
    """The places whose assets (or other records placed the same way: ``resource``, e.g. parts) the principal
    may ``action``; None: every place (and records without one)."""
    granted = principal.places_granted(resource, action)
    if granted is None:
        return None
    return frozenset().union(*granted.values())


def visible(principal: Principal, asset: Asset, action: str = "read") -> bool:
    places = visible_places(principal, action)
    return places is None or (asset.location_id is not None and asset.location_id in places)


def restrict(
    select: Select, principal: Principal, column: str = "{a}.location_id", action: str = "read", resource: str = "asset"
) -> Select:
    """Only the assets (or ``resource``'s records) the principal sees (``column``: the record's place in ``select``)."""
    places = visible_places(principal, action, resource)
    if places is None:
        return select
    if not places:
        return select.where("1 = 0")
    ordered = sorted(places)
    return select.where(f"{column} IN ({', '.join(['{}'] * len(ordered))})", *ordered)
