"""Which work orders a principal sees: the one rule, as one SQL predicate for the read and the write side.

- a grant of ``OWN`` sees its holder's own work orders, which depend on the role that holds the
  grant (``OWN_BY_ROLE``): a limited technician's are those assigned to it, to one of its teams, or
  naming it as an additional user; a requester's are those created from a request it raised (the
  request portal: it follows what became of its request; it reads them only);
- a location-based principal sees, at each of its places, what the grant its role there gives
  (``Principal.places_granted``: all the work orders, its own, or none), and the work orders
  assigned to it wherever they are. With one role on every place (UpKeep's location-based users)
  that is "the work orders at its places, and those assigned to it".

``restrict`` adds the rule to a read-side ``Select``; ``sees`` runs the same predicate on the write
side's session (after the service has locked the row), so both sides cannot drift apart.
``restrict_by_grants`` is the shape requests share (``request.visibility``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from premises.db.sql import Select
from premises.identity.permissions import Grant, Role, grant_for
from premises.identity.principal import Principal

Rule = Callable[[Select, Principal, Grant, str], Select]
PlaceGrants = dict[Grant, frozenset[str]] | None


def _placeholders(values: list[str]) -> str:
    return ", ".join("{}" for _ in values)


# A condition on the record (``{a}`` its alias, ``{}`` each value) with its values.
Clause = tuple[str, list[Any]]


def restrict_by_grants(
    select: Select, principal: Principal, grant: Grant, place_grants: PlaceGrants, own: Clause, owner: str | Clause
) -> Select:
    """Records the principal sees: with ``grant`` OWN only its ``own``; a location-based principal,
    at each place what its grant there allows (``place_grants``), and everywhere the records whose
    ``owner`` column is itself (or that pass the ``owner`` clause)."""
    if place_grants is None:
        if grant is Grant.OWN:
            select.where("(" + own[0] + ")", *own[1])
        return select
    parts: list[str] = []
    values: list[Any] = []
    everything = sorted(place_grants.get(Grant.ALL, ()))
    if everything:
        parts.append("{a}.location_id IN (" + _placeholders(everything) + ")")
        values += everything
    owned = sorted(place_grants.get(Grant.OWN, ()))
    if owned:
        parts.append("({a}.location_id IN (" + _placeholders(owned) + ") AND (" + own[0] + "))")
        values += [*owned, *own[1]]
    if isinstance(owner, str):
        owner = ("{a}." + owner + " = {}", [principal.user_id])
    parts.append("(" + owner[0] + ")")
    values += owner[1]
    return select.where("(" + " OR ".join(parts) + ")", *values)


def load_grant(principal: Principal, resource: str, action: str) -> Grant:
    """The grant a write side loads a record at a place with (work orders, requests): a location-based
    principal may hold the action at some of its places only (its role there, e.g. a service account's
    Manager site beside its Staff account-wide role), and the visibility rule for the action then finds
    the record only at those places; else the account-wide grant (or PermissionDenied)."""
    granted = principal.places_granted(resource, action)
    if granted:
        return Grant.ALL if Grant.ALL in granted else Grant.OWN
    return principal.require(resource, action)


def _assigned(principal: Principal) -> Clause:
    """Assigned to the principal, to one of its teams, or naming it as an additional user."""
    me = principal.user_id
    teams = sorted(principal.team_ids)
    team_clause = " OR {a}.team_id IN (" + _placeholders(teams) + ")" if teams else ""
    sql = (
        "{a}.assigned_to_user_id = {}" + team_clause + " OR EXISTS (SELECT 1 FROM work_order_users wu "
        "WHERE wu.account_id = {a}.account_id AND wu.work_order_id = {a}.id AND wu.user_id = {})"
    )
    return sql, [me, *teams, me]


def _requested(principal: Principal) -> Clause:
    """Created from a request the principal raised (``request.service.approve_request`` copies the
    request's id and requester onto the work order; neither is writable afterwards)."""
    return "{a}.request_id IS NOT NULL AND {a}.requested_by_user_id = {}", [principal.user_id]


# What a grant of OWN covers, by the role holding it; any other role: ``_assigned``.
OWN_BY_ROLE: dict[Role, Callable[[Principal], Clause]] = {Role.REQUESTER: _requested}


def _meanings(principal: Principal, action: str) -> list[Callable[[Principal], Clause]]:
    """What OWN means for each of the principal's roles (account-wide and per site) that holds OWN for
    ``action``; ``_assigned`` when OWN comes from scopes alone."""
    roles = {principal.role, *principal.site_roles.values()}
    meanings = {OWN_BY_ROLE.get(r, _assigned) for r in roles if grant_for(r, "work_order", action) is Grant.OWN}
    return sorted(meanings or {_assigned}, key=lambda m: m.__name__)


def _any(clauses: list[Clause]) -> Clause:
    if len(clauses) == 1:
        return clauses[0]
    return " OR ".join("(" + sql + ")" for sql, _ in clauses), [value for _, values in clauses for value in values]


def _own(principal: Principal, action: str) -> Clause:
    """The principal's own work orders for ``action``: the union of what OWN means for its roles."""
    return _any([meaning(principal) for meaning in _meanings(principal, action)])


def _everywhere(principal: Principal, action: str) -> Clause:
    """What a location-based principal sees wherever it is: the work orders assigned to it and, for a
    requester, those of its requests (an approval may put them at a place it does not see)."""
    assigned: Clause = ("{a}.assigned_to_user_id = {}", [principal.user_id])
    requested = [_requested(principal)] if _requested in _meanings(principal, action) else []
    return _any([assigned, *requested])


def restrict(select: Select, principal: Principal, grant: Grant, action: str = "read") -> Select:
    """Only the work orders ``principal`` holding ``grant`` for ``action`` sees (``select`` is over ``work_orders``)."""
    place_grants = principal.places_granted("work_order", action)
    own, everywhere = _own(principal, action), _everywhere(principal, action)
    return restrict_by_grants(select, principal, grant, place_grants, own, everywhere)


def passes(
    session: Session, table: str, rule: Rule, principal: Principal, grant: Grant, action: str, record_id: str
) -> bool:
    """Whether the record passes ``rule`` on the write side: the read side's SQL, run in ``session``."""
    if grant is not Grant.OWN and principal.location_ids is None:
        return True  # the predicate would be empty
    select = rule(Select(table, ("id",), principal.account_id).where_eq("id", record_id), principal, grant, action)
    return session.execute(text(select.sql()), select.params).first() is not None


def sees(session: Session, principal: Principal, grant: Grant, action: str, work_order_id: str) -> bool:
    """Whether ``principal`` holding ``grant`` for ``action`` sees the work order (the write side's check)."""
    return passes(session, "work_orders", restrict, principal, grant, action, work_order_id)
