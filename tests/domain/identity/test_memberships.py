"""Site memberships: what UpKeep's location list stores, what a role per site stores, and the
principal the read side resolves from them (docs/adr/0009-identity-for-three-dialects.md)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from premises.errors import DomainValidation, ErrorCode, PermissionDenied
from premises.identity import service as identity
from premises.identity.permissions import Role
from premises.models import SiteMembership
from premises.user import service as users
from premises.user.commands import SiteRole, UserChanges
from tests.domain.conftest import DomainAccount
from tests.domain.identity.helpers import add_place, new_user, resolved, sign_in
from tests.domain.reading import read


def _memberships(account: DomainAccount, user_id: str) -> dict[str, str]:
    statement = select(SiteMembership.place_id, SiteMembership.role).where(
        SiteMembership.account_id == account.account_id, SiteMembership.user_id == user_id
    )
    return account.write(lambda s: {row.place_id: row.role for row in s.execute(statement)})


def test_upkeeps_location_list_is_memberships_with_the_users_role(account: DomainAccount) -> None:
    site_a, site_b = add_place(account), add_place(account)
    user_id, _ = new_user(account, Role.TECH, location_based=True)
    ids = account.write(lambda s: users.set_user_locations(s, account.admin, user_id, [site_a, site_b, site_a]))
    assert ids == [site_a, site_b]
    assert _memberships(account, user_id) == {site_a: "TECH", site_b: "TECH"}


def test_a_role_per_site_and_an_account_type_change_sets_it_on_every_site(account: DomainAccount) -> None:
    site_a, site_b = add_place(account), add_place(account)
    user_id, _ = new_user(account, Role.MANAGER, location_based=True)
    sites = [SiteRole(site_a), SiteRole(site_b, Role.STAFF)]
    account.write(lambda s: users.set_site_memberships(s, account.admin, user_id, sites))
    assert _memberships(account, user_id) == {site_a: "MANAGER", site_b: "STAFF"}
    # /api/v2's accountType is "the same role on all the user's sites".
    account.write(lambda s: users.update_user(s, account.admin, user_id, UserChanges(account_type=Role.TECH)))
    assert _memberships(account, user_id) == {site_a: "TECH", site_b: "TECH"}


def test_only_live_sites_of_the_account_may_be_given(account: DomainAccount, other_account: DomainAccount) -> None:
    site = add_place(account)
    building = add_place(account, site)
    gone = add_place(account, deleted=True)
    theirs = add_place(other_account)
    user_id, _ = new_user(account, Role.TECH, location_based=True)
    for place_id, code in ((building, ErrorCode.NOT_A_SITE), (gone, ErrorCode.SITE_NOT_FOUND)):
        with pytest.raises(DomainValidation) as refused:
            account.write(lambda s, p=place_id: users.set_user_locations(s, account.admin, user_id, [p]))
        assert (refused.value.code, refused.value.field) == (code, "location_ids")
    with pytest.raises(DomainValidation) as refused:
        account.write(lambda s: users.set_user_locations(s, account.admin, user_id, [theirs]))
    assert refused.value.code is ErrorCode.SITE_NOT_FOUND and refused.value.params == {"id": theirs}


def test_the_principal_sees_its_sites_and_everything_under_them(account: DomainAccount, database_url: str) -> None:
    site_a, site_b, elsewhere = add_place(account), add_place(account), add_place(account)
    building = add_place(account, site_b)
    floor = add_place(account, building)
    user_id, _ = new_user(account, Role.MANAGER, location_based=True)
    sites = [SiteRole(site_a), SiteRole(site_b, Role.STAFF)]
    account.write(lambda s: users.set_site_memberships(s, account.admin, user_id, sites))
    principal = resolved(database_url, account, user_id)
    assert principal.location_ids == {site_a, site_b, building, floor}
    assert elsewhere not in principal.location_ids
    assert dict(principal.site_roles) == {site_b: Role.STAFF, building: Role.STAFF, floor: Role.STAFF}
    assert principal.role is Role.MANAGER and principal.role_at(site_a) is Role.MANAGER
    assert principal.may("asset", "delete", at=site_a) and not principal.may("asset", "delete", at=floor)


def test_an_upkeep_location_based_user_has_one_role_everywhere(account: DomainAccount, database_url: str) -> None:
    site = add_place(account)
    user_id, _ = new_user(account, Role.LIMITED_TECH, location_based=True)
    account.write(lambda s: users.set_user_locations(s, account.admin, user_id, [site]))
    principal = resolved(database_url, account, user_id)
    assert (principal.location_ids, dict(principal.site_roles)) == ({site}, {})


def test_memberships_of_a_user_that_is_not_location_based_restrict_nothing(
    account: DomainAccount, database_url: str
) -> None:
    site = add_place(account)
    user_id, _ = new_user(account, Role.TECH)
    account.write(lambda s: users.set_user_locations(s, account.admin, user_id, [site]))
    principal = resolved(database_url, account, user_id)
    assert principal.location_ids is None and principal.sees_place("anything")


def test_a_membership_change_reaches_a_cached_session_principal_at_once(
    account: DomainAccount, database_url: str
) -> None:
    site_a, site_b = add_place(account), add_place(account)
    user_id, email = new_user(account, Role.TECH, location_based=True)
    account.write(lambda s: users.set_user_locations(s, account.admin, user_id, [site_a]))
    token = sign_in(account, email)
    first = read(database_url, lambda r: identity.resolve_principal(r, token))
    account.write(lambda s: users.set_user_locations(s, account.admin, user_id, [site_b]))
    # Well within the cache's 5 s: the session's access_version moved, so the principal is rebuilt.
    second = read(database_url, lambda r: identity.resolve_principal(r, token))
    assert first.location_ids == {site_a} and second.location_ids == {site_b}


def test_a_location_based_admin_may_not_give_a_different_role_per_site(account: DomainAccount) -> None:
    site = add_place(account)
    scoped_admin = account.principal(Role.ADMIN, location_ids=frozenset({site}))
    user_id, _ = new_user(account, Role.TECH, location_based=True)
    account.write(lambda s: users.set_user_locations(s, account.admin, user_id, [site]))
    with pytest.raises(PermissionDenied) as refused:
        account.write(lambda s: users.set_site_memberships(s, scoped_admin, user_id, [SiteRole(site, Role.ADMIN)]))
    assert (refused.value.code, refused.value.field) == (ErrorCode.SCOPED_ADMIN_MAY_NOT_CHANGE, "role")
    assert account.write(lambda s: users.set_site_memberships(s, scoped_admin, user_id, [SiteRole(site)])) == [site]


def test_nobody_gives_themselves_another_role_on_a_site(account: DomainAccount) -> None:
    site = add_place(account)
    with pytest.raises(PermissionDenied) as refused:
        account.write(
            lambda s: users.set_site_memberships(s, account.admin, account.admin.user_id, [SiteRole(site, Role.STAFF)])
        )
    assert (refused.value.code, refused.value.field) == (ErrorCode.OWN_SCOPE_CHANGE, "role")
