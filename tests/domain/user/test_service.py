"""User rules at the service layer (the UpKeep wire behaviour is in tests/api/upkeep/test_auth_and_users.py,
test_user_scope.py and test_session_revocation.py)."""

from __future__ import annotations

import pytest

from premises.errors import Conflict, DomainValidation, ErrorCode, NotFound, PermissionDenied, Unauthenticated
from premises.identity import service as identity
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.user import service as users
from premises.user.commands import UserChanges, UserCreate
from tests.domain.conftest import DomainAccount
from tests.domain.identity.helpers import add_place, live_sessions, new_user, sign_in
from tests.support.factories import new_password


def _create(account: DomainAccount, command: UserCreate, principal: Principal) -> str:
    return account.write(lambda s: users.create_user(s, principal, command, new_password(command.email))).id


# Creating and email uniqueness


def test_create_normalises_the_email_and_stores_the_role(account: DomainAccount) -> None:
    user = account.write(
        lambda s: users.create_user(
            s,
            account.admin,
            UserCreate(email="  Pat@Example.TEST ", account_type=Role.STAFF),
            new_password("  Pat@Example.TEST "),
        )
    )
    assert (user.email, user.account_type, user.is_location_based) == ("pat@example.test", "STAFF", False)


def test_an_email_is_unique_across_accounts_and_case(account: DomainAccount, other_account: DomainAccount) -> None:
    _, email = new_user(account, Role.TECH)
    for who in (account, other_account):
        with pytest.raises(Conflict) as refused:
            who.write(
                lambda s, w=who: users.create_user(
                    s, w.admin, UserCreate(email=email.upper(), account_type=Role.TECH), new_password(email.upper())
                )
            )
        assert (refused.value.code, refused.value.field, refused.value.params) == (
            ErrorCode.DUPLICATE,
            "email",
            {"record": "user"},
        )


def test_changing_to_a_taken_email_is_a_conflict(account: DomainAccount) -> None:
    user_id, _ = new_user(account, Role.TECH)
    _, taken = new_user(account, Role.TECH)
    with pytest.raises(Conflict):
        account.write(lambda s: users.update_user(s, account.admin, user_id, UserChanges(email=taken)))


def test_a_role_must_be_known(account: DomainAccount) -> None:
    with pytest.raises(DomainValidation) as refused:
        account.write(
            lambda s: users.create_user_unchecked(
                s,
                account.account_id,
                UserCreate(email="b@example.test", account_type="OWNER"),  # type: ignore[arg-type]
                new_password("b@example.test"),
            )
        )
    assert (refused.value.code, refused.value.field) == (ErrorCode.NOT_ONE_OF, "account_type")


def test_a_password_checked_for_another_email_is_not_stored(account: DomainAccount) -> None:
    """The policy compares the password with the email: a NewPassword made for another one is a bug."""
    command = UserCreate(email="c@example.test", account_type=Role.TECH)
    with pytest.raises(ValueError, match="another email"):
        account.write(lambda s: users.create_user(s, account.admin, command, new_password("d@example.test")))
    user_id, email = new_user(account, Role.TECH)
    with pytest.raises(ValueError, match="another email"):
        account.write(lambda s: users.set_password(s, account.account_id, user_id, new_password("x" + email)))


def test_required_fields_cannot_be_cleared(account: DomainAccount) -> None:
    user_id, _ = new_user(account, Role.TECH)
    for changes, field in ((UserChanges(email=None), "email"), (UserChanges(account_type=None), "account_type")):  # type: ignore[arg-type]
        with pytest.raises(DomainValidation) as refused:
            account.write(lambda s, c=changes: users.update_user(s, account.admin, user_id, c))
        assert (refused.value.code, refused.value.field) == (ErrorCode.REQUIRED, field)


def test_changes_touch_only_the_fields_given(account: DomainAccount) -> None:
    user_id, email = new_user(account, Role.TECH)
    account.write(lambda s: users.update_user(s, account.admin, user_id, UserChanges(first_name="Kim", job_title="x")))
    user = account.write(lambda s: users.update_user(s, account.admin, user_id, UserChanges(job_title=None)))
    assert (user.email, user.first_name, user.job_title, user.account_type) == (email, "Kim", None, "TECH")


# Who manages users


@pytest.mark.parametrize("role", [Role.MANAGER, Role.STAFF, Role.TECH, Role.LIMITED_TECH, Role.VIEW_ONLY])
def test_only_admins_create_and_change_users(account: DomainAccount, role: Role) -> None:
    principal = account.principal(role)
    user_id, _ = new_user(account, Role.TECH)
    with pytest.raises(PermissionDenied):
        _create(account, UserCreate(email="x@example.test", account_type=Role.TECH), principal)
    with pytest.raises(PermissionDenied):
        account.write(lambda s: users.update_user(s, principal, user_id, UserChanges(first_name="x")))
    with pytest.raises(PermissionDenied):
        account.write(lambda s: users.deactivate_user(s, principal, user_id))


def test_another_accounts_user_is_not_found(account: DomainAccount, other_account: DomainAccount) -> None:
    user_id, _ = new_user(account, Role.TECH)
    with pytest.raises(NotFound):
        other_account.write(lambda s: users.update_user(s, other_account.admin, user_id, UserChanges(first_name="x")))


# Scope changes (SCOPE_RULE in identity/permissions.py)


def test_nobody_changes_their_own_role(account: DomainAccount) -> None:
    with pytest.raises(PermissionDenied) as refused:
        account.write(
            lambda s: users.update_user(s, account.admin, account.admin.user_id, UserChanges(account_type=Role.TECH))
        )
    assert (refused.value.code, refused.value.field) == (ErrorCode.OWN_SCOPE_CHANGE, "account_type")
    same = UserChanges(account_type=Role.ADMIN, first_name="Me")
    assert account.write(lambda s: users.update_user(s, account.admin, account.admin.user_id, same)).first_name == "Me"


def test_a_location_based_admin_manages_only_location_based_users_within_its_sites(account: DomainAccount) -> None:
    mine, other = add_place(account), add_place(account)
    scoped = account.principal(Role.ADMIN, location_ids=frozenset({mine}))
    inside, _ = new_user(account, Role.TECH, location_based=True)
    outside, _ = new_user(account, Role.TECH, location_based=True)
    everywhere, _ = new_user(account, Role.TECH)
    account.write(lambda s: users.set_user_locations(s, account.admin, inside, [mine]))
    account.write(lambda s: users.set_user_locations(s, account.admin, outside, [mine, other]))

    assert (
        account.write(lambda s: users.update_user(s, scoped, inside, UserChanges(first_name="ok"))).first_name == "ok"
    )
    for user_id in (outside, everywhere):
        with pytest.raises(PermissionDenied) as refused:
            account.write(lambda s, u=user_id: users.update_user(s, scoped, u, UserChanges(first_name="no")))
        assert refused.value.code is ErrorCode.SCOPED_ADMIN_OUTSIDE_SITES
    refusals = {
        ErrorCode.SCOPED_ADMIN_MAY_NOT_CHANGE: lambda s: users.update_user(
            s, scoped, inside, UserChanges(account_type=Role.ADMIN)
        ),
        ErrorCode.SCOPED_ADMIN_SITES_NOT_HELD: lambda s: users.set_user_locations(s, scoped, inside, [other]),
        ErrorCode.SCOPED_ADMIN_OWN_SITES: lambda s: users.set_user_locations(s, scoped, scoped.user_id, [mine]),
        ErrorCode.SCOPED_ADMIN_CREATES_SCOPED: lambda s: users.create_user(
            s, scoped, UserCreate(email="n@example.test", account_type=Role.TECH), new_password("n@example.test")
        ),
    }
    for code, work in refusals.items():
        with pytest.raises(PermissionDenied) as refused:
            account.write(work)
        assert refused.value.code is code
    with pytest.raises(PermissionDenied) as refused:
        account.write(lambda s: users.update_user(s, scoped, inside, UserChanges(is_location_based=False)))
    assert (refused.value.code, refused.value.field) == (ErrorCode.SCOPED_ADMIN_MAY_NOT_CHANGE, "is_location_based")


# Sessions end when what they were opened for changes


@pytest.mark.parametrize(
    ("changes", "ends"),
    [
        (UserChanges(email="moved-{}@example.test"), True),
        (UserChanges(account_type=Role.VIEW_ONLY), True),
        (UserChanges(account_type=Role.TECH), False),  # the same role: no change
        (UserChanges(first_name="Renamed"), False),
        (UserChanges(is_location_based=True), False),  # applies from the next request instead
    ],
    ids=["email", "role", "same-role", "name", "location-based"],
)
def test_email_and_role_changes_end_the_users_sessions(
    account: DomainAccount, changes: UserChanges, ends: bool
) -> None:
    user_id, email = new_user(account, Role.TECH)
    if isinstance(changes.email, str):
        changes = UserChanges(email=changes.email.format(user_id.lower()))
    sign_in(account, email)
    sign_in(account, email)
    account.write(lambda s: users.update_user(s, account.admin, user_id, changes))
    assert live_sessions(account, user_id) == (0 if ends else 2)


def test_a_password_change_keeps_only_the_session_that_made_it(account: DomainAccount) -> None:
    user_id, email = new_user(account, Role.TECH)
    keep = sign_in(account, email)
    sign_in(account, email)
    changed = new_password(email, "another passphrase")
    account.write(lambda s: users.set_password(s, account.account_id, user_id, changed, keep_token=keep))
    assert live_sessions(account, user_id) == 1
    with pytest.raises(Unauthenticated):
        sign_in(account, email)
    assert account.write(lambda s: identity.login(s, email, "another passphrase", ttl_hours=1)).token


def test_deactivation_ends_sessions_and_logins_but_not_for_oneself(account: DomainAccount) -> None:
    user_id, email = new_user(account, Role.TECH)
    sign_in(account, email)
    account.write(lambda s: users.deactivate_user(s, account.admin, user_id))
    assert live_sessions(account, user_id) == 0
    with pytest.raises(Unauthenticated) as refused:
        sign_in(account, email)
    assert refused.value.code is ErrorCode.LOGIN_FAILED
    with pytest.raises(NotFound):
        account.write(lambda s: users.update_user(s, account.admin, user_id, UserChanges(first_name="x")))
    with pytest.raises(PermissionDenied) as refused:
        account.write(lambda s: users.deactivate_user(s, account.admin, account.admin.user_id))
    assert refused.value.code is ErrorCode.SELF_DEACTIVATION


def test_sign_out_everywhere_is_for_oneself_or_an_admin(account: DomainAccount) -> None:
    tech = account.principal(Role.TECH)
    other_id, other_email = new_user(account, Role.TECH)
    sign_in(account, other_email)
    with pytest.raises(PermissionDenied):
        account.write(lambda s: users.sign_out_everywhere(s, tech, other_id))
    assert account.write(lambda s: users.sign_out_everywhere(s, tech, tech.user_id)) == 0
    assert account.write(lambda s: users.sign_out_everywhere(s, account.admin, other_id)) == 1
