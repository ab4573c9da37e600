"""Team rules at the service layer (the UpKeep wire behaviour is in tests/api/upkeep/test_teams.py)."""

from __future__ import annotations

import pytest

from premises.errors import DomainValidation, ErrorCode, NotFound, PermissionDenied
from premises.identity.permissions import Role
from premises.team import service
from premises.team.commands import TeamChanges, TeamCreate
from tests.domain.conftest import DomainAccount


def test_create_trims_the_name_and_records_the_event(account: DomainAccount) -> None:
    team = account.write(lambda s: service.create_team(s, account.admin, TeamCreate(name="  Plumbers ")))
    assert team.name == "Plumbers"
    assert account.event_types(team.id) == ["TEAM_CREATED"]


def test_a_blank_name_is_required(account: DomainAccount) -> None:
    with pytest.raises(DomainValidation) as raised:
        account.write(lambda s: service.create_team(s, account.admin, TeamCreate(name="   ")))
    assert (raised.value.code, raised.value.field) == (ErrorCode.REQUIRED, "name")


def test_changes_touch_only_the_fields_given(account: DomainAccount) -> None:
    team = account.write(lambda s: service.create_team(s, account.admin, TeamCreate(name="A", description="d")))
    changed = account.write(lambda s: service.update_team(s, account.admin, team.id, TeamChanges(name="B")))
    assert (changed.name, changed.description) == ("B", "d")
    cleared = account.write(lambda s: service.update_team(s, account.admin, team.id, TeamChanges(description=None)))
    assert (cleared.name, cleared.description) == ("B", None)


@pytest.mark.parametrize("role", [Role.TECH, Role.LIMITED_TECH, Role.VIEW_ONLY, Role.REQUESTER])
def test_only_admins_manage_teams(account: DomainAccount, role: Role) -> None:
    principal = account.principal(role)
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.create_team(s, principal, TeamCreate(name="X")))


def test_another_accounts_team_is_not_found(account: DomainAccount, other_account: DomainAccount) -> None:
    team = account.write(lambda s: service.create_team(s, account.admin, TeamCreate(name="Mine")))
    with pytest.raises(NotFound):
        other_account.write(lambda s: service.update_team(s, other_account.admin, team.id, TeamChanges(name="x")))


def test_membership_is_idempotent_and_removing_a_non_member_is_not_found(account: DomainAccount) -> None:
    team = account.write(lambda s: service.create_team(s, account.admin, TeamCreate(name="T")))
    tech = account.principal(Role.TECH)
    assert account.write(lambda s: service.add_team_member(s, account.admin, team.id, tech.user_id)) is True
    assert account.write(lambda s: service.add_team_member(s, account.admin, team.id, tech.user_id)) is False
    account.write(lambda s: service.remove_team_member(s, account.admin, team.id, tech.user_id))
    with pytest.raises(NotFound):
        account.write(lambda s: service.remove_team_member(s, account.admin, team.id, tech.user_id))
