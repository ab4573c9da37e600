"""Which requests a principal sees: the one rule, as one SQL predicate for the read and the write side.

- a grant of ``OWN`` (requesters) sees the requests its holder raised;
- a location-based principal sees, at each of its places, what the grant its role there gives, and
  the requests it raised wherever they are (``work_order.visibility.restrict_by_grants``).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from premises.db.sql import Select
from premises.identity.permissions import Grant
from premises.identity.principal import Principal
from premises.work_order.visibility import passes, restrict_by_grants


def restrict(select: Select, principal: Principal, grant: Grant, action: str = "read") -> Select:
    """Only the requests ``principal`` holding ``grant`` for ``action`` sees (``select`` is over ``requests``)."""
    own = ("{a}.requested_by_user_id = {}", [principal.user_id])
    place_grants = principal.places_granted("request", action)
    return restrict_by_grants(select, principal, grant, place_grants, own, "requested_by_user_id")


def sees(session: Session, principal: Principal, grant: Grant, action: str, request_id: str) -> bool:
    """Whether ``principal`` holding ``grant`` for ``action`` sees the request (the write side's check)."""
    return passes(session, "requests", restrict, principal, grant, action, request_id)
