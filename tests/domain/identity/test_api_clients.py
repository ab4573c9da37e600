"""OAuth 2.0 API clients and access tokens at the service level (identity.clients, identity.tokens) and
the bearer resolver: who a token acts as, with which roles per site, narrowed by which scopes."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import select

from premises.errors import DomainValidation, ErrorCode, NotFound, PermissionDenied, Unauthenticated
from premises.identity.authentication import BEARER_TOKEN, SESSION_TOKEN, Credentials, authenticate
from premises.identity.clients import (
    check_scopes,
    create_personal_client,
    create_service_client,
    domain_scopes,
    revoke_client,
)
from premises.identity.permissions import Role
from premises.identity.principal import Principal, SubjectKind
from premises.identity.tokens import ClientLimits, IssuedToken, issue_access_token
from premises.models import Login, User
from premises.user.commands import SiteRole
from tests.domain.conftest import DomainAccount
from tests.domain.identity.helpers import add_place, new_user
from tests.domain.reading import read

LIMITS = ClientLimits(per_client=5, per_address=1_000_000, window_s=900)


def _token(account: DomainAccount, client_id: str, secret: str, scopes: list[str] | None = None) -> IssuedToken:
    async def write(work: Callable[[Any], Any]) -> Any:
        return account.write(work)

    issue = issue_access_token(
        write, client_id=client_id, client_secret=secret, requested=scopes, address=None, limits=LIMITS
    )
    return asyncio.run(issue)


def _principal(database_url: str, token: str, scheme: str = "Bearer") -> Principal:
    credentials = Credentials.of({"Authorization": f"{scheme} {token}"})
    return read(database_url, lambda r: authenticate(r, credentials, (BEARER_TOKEN,)))


def test_the_bearer_resolver_claims_only_bearer_headers() -> None:
    for header, claimed in (("Bearer abc", True), ("bearer abc", True), ("Bearer", True), ("Basic abc", False)):
        assert BEARER_TOKEN.claims(Credentials.of({"Authorization": header})) is claimed, header
    assert not BEARER_TOKEN.claims(Credentials.of({}))
    assert not SESSION_TOKEN.claims(Credentials.of({"Authorization": "Bearer abc"}))


def test_a_service_account_acts_with_its_role_on_each_site_it_was_added_to(
    account: DomainAccount, database_url: str
) -> None:
    staff_site, admin_site, elsewhere = add_place(account), add_place(account), add_place(account)
    building = add_place(account, staff_site)
    client = account.write(
        lambda s: create_service_client(
            s, account.admin, name="Sync", sites=[SiteRole(staff_site), SiteRole(admin_site, Role.ADMIN)]
        )
    )
    principal = _principal(database_url, _token(account, client.client_id, client.client_secret).access_token)
    assert (principal.subject, principal.user_id, principal.role, principal.scopes) == (
        SubjectKind.SERVICE_ACCOUNT,
        client.user_id,
        Role.STAFF,
        None,
    )
    assert principal.location_ids == {staff_site, building, admin_site}
    assert not principal.sees_place(elsewhere)
    assert principal.may("location", "update", at=building) and not principal.may("location", "delete", at=building)
    assert principal.may("location", "delete", at=admin_site)
    with account.db.unit_of_work() as session:
        user = session.get(User, (account.account_id, client.user_id))
        assert user is not None and user.is_location_based and user.first_name == "Sync"
        assert session.scalars(select(Login).where(Login.user_id == client.user_id)).first() is None  # no password


def test_a_token_narrows_the_role_by_its_scopes(account: DomainAccount, database_url: str) -> None:
    client = account.write(
        lambda s: create_service_client(s, account.admin, name="Reader", role=Role.ADMIN, scopes=["sites:read"])
    )
    principal = _principal(database_url, _token(account, client.client_id, client.client_secret).access_token)
    assert principal.scopes == {"location:read"}
    assert principal.may("location", "read") and not principal.may("location", "create")
    with pytest.raises(PermissionDenied) as refused:
        principal.require("location", "create")
    assert refused.value.code is ErrorCode.INSUFFICIENT_SCOPE


def test_scope_names_are_checked_and_mapped() -> None:
    assert check_scopes(["sites:read", "sites:read", "api"]) == ("sites:read", "api")
    with pytest.raises(DomainValidation) as refused:
        check_scopes(["sites:read"], allowed=["api"])
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID_SCOPE, "scope")
    assert domain_scopes(["sites:read", "sites:write"]) == {"location:read", "location:create", "location:update"}
    assert domain_scopes(["sites:read", "api"]) is None
    assert domain_scopes([]) == frozenset()


def test_a_personal_client_acts_as_its_owner(account: DomainAccount, database_url: str) -> None:
    user_id, _ = new_user(account, Role.TECH)
    client = account.write(lambda s: create_personal_client(s, account.admin, name="Script", user_id=user_id))
    principal = _principal(database_url, _token(account, client.client_id, client.client_secret).access_token, "bearer")
    assert (principal.subject, principal.user_id, principal.role) == (SubjectKind.USER, user_id, Role.TECH)


def test_only_admins_make_clients_for_others(account: DomainAccount) -> None:
    tech = account.principal(Role.TECH)
    other_id, _ = new_user(account, Role.TECH)
    with pytest.raises(PermissionDenied):
        account.write(lambda s: create_service_client(s, tech, name="Mine"))
    with pytest.raises(PermissionDenied):
        account.write(lambda s: create_personal_client(s, tech, name="Theirs", user_id=other_id))
    own = account.write(lambda s: create_personal_client(s, tech, name="Mine", user_id=tech.user_id))
    account.write(lambda s: revoke_client(s, tech, own.client_id))  # its own personal client


def test_another_accounts_client_is_not_found(account: DomainAccount, other_account: DomainAccount) -> None:
    theirs = other_account.write(lambda s: create_service_client(s, other_account.admin, name="Theirs"))
    with pytest.raises(NotFound):
        account.write(lambda s: revoke_client(s, account.admin, theirs.client_id))


def test_refusals_of_the_token_service(account: DomainAccount, database_url: str) -> None:
    client = account.write(lambda s: create_service_client(s, account.admin, name="Sync", scopes=["sites:read"]))
    with pytest.raises(Unauthenticated) as refused:
        _token(account, client.client_id, "wrong")
    assert refused.value.code is ErrorCode.INVALID_CLIENT
    with pytest.raises(DomainValidation) as scoped:
        _token(account, client.client_id, client.client_secret, ["sites:write"])
    assert scoped.value.code is ErrorCode.INVALID_SCOPE
    with pytest.raises(Unauthenticated) as unknown:
        _principal(database_url, "no-such-token")
    assert (unknown.value.code, unknown.value.message) == (
        ErrorCode.INVALID_CREDENTIALS,
        "invalid or expired access token",
    )
