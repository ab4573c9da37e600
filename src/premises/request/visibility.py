"""Which requests a principal sees: the one rule, as one SQL predicate for the read and the write side.

- a grant of ``OWN`` (requesters) sees the requests its holder raised;
- a location-based principal sees the requests at its places and those it raised.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from premises.db.sql import Select
from premises.identity.permissions import Grant
from premises.identity.principal import Principal
from premises.work_order.visibility import passes, restrict_to_places


def restrict(select: Select, principal: Principal, grant: Grant) -> Select:
    """Only the requests ``principal`` holding ``grant`` sees (``select`` is over ``requests``)."""
    if grant is Grant.OWN:
        select.where("{a}.requested_by_user_id = {}", principal.user_id)
    return restrict_to_places(select, principal, "requested_by_user_id")


def sees(session: Session, principal: Principal, grant: Grant, request_id: str) -> bool:
    """Whether ``principal`` holding ``grant`` sees the request (the write side's check, same SQL)."""
    return passes(session, "requests", restrict, principal, grant, request_id)
