"""Which parts a principal sees for an action: the rule assets follow (``asset.visibility``), for parts.

A principal that sees every place sees every part. A location-based principal sees the parts at the
places where its role there grants the action; a part without a place is invisible to it.
``visible`` is the write side's check, ``restrict`` the read side's predicate (``tests/domain/part``
proves they agree).
"""

from __future__ import annotations

from premises.asset import visibility as placed
from premises.db.sql import Select
from premises.identity.principal import Principal
from premises.models import Part


def visible(principal: Principal, part: Part, action: str = "read") -> bool:
    places = placed.visible_places(principal, action, "part")
    return places is None or (part.location_id is not None and part.location_id in places)


def restrict(select: Select, principal: Principal, column: str = "{a}.location_id") -> Select:
    """Only the parts the principal sees (``column``: the part's place in ``select``)."""
    return placed.restrict(select, principal, column, resource="part")
