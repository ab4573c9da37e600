"""Assignment rules at the service layer, through the assets' assignments (places use the same ``Assignments``)."""

from __future__ import annotations

import pytest

from premises.asset import service
from premises.assignment.service import MEMBER_TYPES, MemberType
from premises.errors import DomainValidation, ErrorCode, NotFound, PermissionDenied
from premises.identity.permissions import Role
from premises.models import AssetLink
from tests.domain.asset.helpers import new_asset
from tests.domain.conftest import DomainAccount
from tests.support.factories import make_place, make_team


def members(account: DomainAccount, asset_id: str) -> list[tuple[str, str]]:
    with account.db.unit_of_work() as session:
        links = session.query(AssetLink).filter_by(account_id=account.account_id, asset_id=asset_id)
        return sorted((link.link_type, link.member_id) for link in links)


def test_the_member_types_are_the_stored_link_types() -> None:
    assert MEMBER_TYPES == ("user", "team", "customer", "vendor") == tuple(MemberType)


def test_assigning_is_idempotent_and_records_the_assets_event(account: DomainAccount) -> None:
    asset = new_asset(account)
    team = make_team(account.db, account.account_id)
    for _ in range(2):
        account.write(lambda s: service.assign_member(s, account.admin, asset.id, MemberType.TEAM, team))
    assert members(account, asset.id) == [("team", team)]
    assert account.event_types(asset.id) == ["ASSET_CREATED", "ASSET_UPDATED"]
    account.write(lambda s: service.unassign_member(s, account.admin, asset.id, MemberType.TEAM, team))
    account.write(lambda s: service.unassign_member(s, account.admin, asset.id, MemberType.TEAM, team))  # no-op
    assert members(account, asset.id) == []
    assert account.event_types(asset.id) == ["ASSET_CREATED", "ASSET_UPDATED", "ASSET_UPDATED"]


def test_members_must_be_live_records_of_the_account_in_that_role(
    account: DomainAccount, other_account: DomainAccount
) -> None:
    asset = new_asset(account)
    for member_type, member_id in (
        (MemberType.USER, other_account.admin.user_id),
        (MemberType.TEAM, "missing123"),
        (MemberType.CUSTOMER, "missing123"),
    ):
        with pytest.raises(NotFound) as raised:
            account.write(lambda s, t=member_type, m=member_id: service.assign_member(s, account.admin, asset.id, t, m))
        assert (raised.value.code, raised.value.params["record"]) == (ErrorCode.RECORD_NOT_FOUND, member_type)
    with pytest.raises(DomainValidation) as refused:
        account.write(lambda s: service.assign_member(s, account.admin, asset.id, "part", "x"))
    assert (refused.value.code, refused.value.field) == (ErrorCode.NOT_ASSIGNABLE, "member_type")


def test_the_record_must_be_visible_and_the_role_strong_enough(
    account: DomainAccount, other_account: DomainAccount
) -> None:
    site, other = make_place(account.db, account.account_id, "Site"), make_place(account.db, account.account_id)
    hidden = new_asset(account, location_id=other)
    theirs = new_asset(other_account)
    tech = account.principal(Role.TECH, location_ids=frozenset({site}))
    for principal, asset_id in ((tech, hidden.id), (account.admin, theirs.id)):
        with pytest.raises(NotFound):
            account.write(lambda s, p=principal, a=asset_id: service.assign_member(s, p, a, MemberType.USER, p.user_id))
    viewer = account.principal(Role.VIEW_ONLY)
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.assign_member(s, viewer, hidden.id, MemberType.USER, viewer.user_id))
