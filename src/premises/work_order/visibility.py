"""Which work orders a principal sees: the one rule, as one SQL predicate for the read and the write side.

- a grant of ``OWN`` (limited technicians) sees the work orders assigned to its holder, to one of
  its teams, or naming it as an additional user;
- a location-based principal sees the work orders at its places and those assigned to it.

``restrict`` adds the rule to a read-side ``Select``; ``sees`` runs the same predicate on the write
side's session (after the service has locked the row), so both sides cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import text
from sqlalchemy.orm import Session

from premises.db.sql import Select
from premises.identity.permissions import Grant
from premises.identity.principal import Principal

Rule = Callable[[Select, Principal, Grant], Select]


def _placeholders(values: list[str]) -> str:
    return ", ".join("{}" for _ in values)


def restrict_to_places(select: Select, principal: Principal, owner_column: str) -> Select:
    """A location-based principal sees records at its places, and those whose ``owner_column`` is itself."""
    if principal.location_ids is not None:
        places = sorted(principal.location_ids)
        in_places = "{a}.location_id IN (" + _placeholders(places) + ") OR " if places else ""
        select.where("(" + in_places + "{a}." + owner_column + " = {})", *places, principal.user_id)
    return select


def restrict(select: Select, principal: Principal, grant: Grant) -> Select:
    """Only the work orders ``principal`` holding ``grant`` sees (``select`` is over ``work_orders``)."""
    me = principal.user_id
    if grant is Grant.OWN:
        teams = sorted(principal.team_ids)
        team_clause = " OR {a}.team_id IN (" + _placeholders(teams) + ")" if teams else ""
        select.where(
            "({a}.assigned_to_user_id = {}" + team_clause + " OR EXISTS (SELECT 1 FROM work_order_users wu "
            "WHERE wu.account_id = {a}.account_id AND wu.work_order_id = {a}.id AND wu.user_id = {}))",
            me,
            *teams,
            me,
        )
    return restrict_to_places(select, principal, "assigned_to_user_id")


def passes(session: Session, table: str, rule: Rule, principal: Principal, grant: Grant, record_id: str) -> bool:
    """Whether the record passes ``rule`` on the write side: the read side's SQL, run in ``session``."""
    if grant is not Grant.OWN and principal.location_ids is None:
        return True  # the predicate would be empty
    select = rule(Select(table, ("id",), principal.account_id).where_eq("id", record_id), principal, grant)
    return session.execute(text(select.sql()), select.params).first() is not None


def sees(session: Session, principal: Principal, grant: Grant, work_order_id: str) -> bool:
    """Whether ``principal`` holding ``grant`` sees the work order (the write side's check, same SQL)."""
    return passes(session, "work_orders", restrict, principal, grant, work_order_id)
