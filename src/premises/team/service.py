"""Teams, write side: create, update, delete, and membership.

Principals cache their team ids, so every membership change (and a team's deletion) invalidates
the account's cached principals. Changes record TEAM_CREATED / TEAM_UPDATED / TEAM_DELETED;
membership changes are TEAM_UPDATED with ``member_added`` / ``member_removed`` in the payload.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session

from premises.errors import ErrorCode, NotFound
from premises.event.service import record_change
from premises.event.types import EventType
from premises.identity.principal import Principal
from premises.identity.service import invalidate_principals
from premises.kit.commands import given
from premises.kit.ids import new_id
from premises.kit.text import required_text
from premises.kit.time import now_ms
from premises.models import Team, TeamMember, User
from premises.team.commands import TeamChanges, TeamCreate


def _event(session: Session, principal: Principal, type: EventType, team: Team, **extra: Any) -> None:
    record_change(session, principal, type, "team", team, **extra)


def _touch(team: Team) -> None:
    team.updated_at = max(now_ms(), team.updated_at)


def create_team(session: Session, principal: Principal, command: TeamCreate) -> Team:
    principal.require("team", "create")
    now = now_ms()
    team = Team(
        account_id=principal.account_id,
        id=new_id(),
        name=required_text(command.name, "name"),
        description=command.description,
        created_by_user_id=principal.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(team)
    session.flush()
    _event(session, principal, EventType.TEAM_CREATED, team)
    return team


def get_team_for_write(session: Session, principal: Principal, team_id: str) -> Team:
    team = session.get(Team, (principal.account_id, team_id), with_for_update=True)
    if team is None or team.deleted_at is not None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="team")
    return team


def update_team(session: Session, principal: Principal, team_id: str, changes: TeamChanges) -> Team:
    principal.require("team", "update")
    team = get_team_for_write(session, principal, team_id)
    fields = given(changes)
    if "name" in fields:
        team.name = required_text(fields["name"], "name")
    if "description" in fields:
        team.description = fields["description"]
    _touch(team)
    _event(session, principal, EventType.TEAM_UPDATED, team)
    return team


def delete_team(session: Session, principal: Principal, team_id: str) -> None:
    """Soft-delete the team and end its memberships (records that name the team keep the id)."""
    principal.require("team", "delete")
    team = get_team_for_write(session, principal, team_id)
    now = now_ms()
    team.deleted_at = now
    team.updated_at = max(now, team.updated_at)
    session.execute(
        delete(TeamMember).where(TeamMember.account_id == principal.account_id, TeamMember.team_id == team.id)
    )
    _event(session, principal, EventType.TEAM_DELETED, team)
    invalidate_principals(principal.account_id)


def _live_user(session: Session, principal: Principal, user_id: str) -> User:
    user = session.get(User, (principal.account_id, user_id))
    if user is None or user.deleted_at is not None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="user")
    return user


def add_team_member(session: Session, principal: Principal, team_id: str, user_id: str) -> bool:
    """Make the user a member; True if they were not one already (adding twice is not an error)."""
    principal.require("team", "update")
    team = get_team_for_write(session, principal, team_id)
    _live_user(session, principal, user_id)
    if session.get(TeamMember, (principal.account_id, team.id, user_id)) is not None:
        return False
    session.add(TeamMember(account_id=principal.account_id, team_id=team.id, user_id=user_id, created_at=now_ms()))
    _touch(team)
    _event(session, principal, EventType.TEAM_UPDATED, team, member_added=user_id)
    invalidate_principals(principal.account_id)
    return True


def remove_team_member(session: Session, principal: Principal, team_id: str, user_id: str) -> None:
    """End the user's membership; NotFound if the user is not a member."""
    principal.require("team", "update")
    team = get_team_for_write(session, principal, team_id)
    membership = session.get(TeamMember, (principal.account_id, team.id, user_id))
    if membership is None:
        _live_user(session, principal, user_id)
        raise NotFound(ErrorCode.NOT_A_MEMBER, record="user", of="team")
    session.delete(membership)
    _touch(team)
    _event(session, principal, EventType.TEAM_UPDATED, team, member_removed=user_id)
    invalidate_principals(principal.account_id)
