"""Authentication as a set of resolvers behind one interface (premises.identity.authentication)."""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass

import pytest

from premises.db.reader import Reader
from premises.errors import ErrorCode, Unauthenticated
from premises.identity import service as identity
from premises.identity.authentication import SESSION_TOKEN, Credentials, Resolver, authenticate
from premises.identity.permissions import Role
from premises.identity.principal import Principal, SubjectKind
from premises.user import service as users
from tests.domain.conftest import DomainAccount
from tests.domain.identity.helpers import new_user, sign_in
from tests.domain.reading import read


@dataclass(frozen=True)
class ApiKeyResolver:
    """A second resolver, as /v1 and onOffice will add theirs: ``X-Api-Key: <account>/<user>``,
    resolving to a scoped API user through ``identity.service.load_principal``."""

    name: str = "api_key"

    def claims(self, credentials: Credentials) -> bool:
        return credentials.header("X-Api-Key") is not None

    async def resolve(self, reader: Reader, credentials: Credentials) -> Principal:
        account_id, _, user_id = (credentials.header("x-api-key") or "").partition("/")
        principal = await identity.load_principal(
            reader, account_id, user_id, subject=SubjectKind.API_USER, scopes=frozenset({"work_order:read"})
        )
        if principal is None:
            raise Unauthenticated(ErrorCode.INVALID_CREDENTIALS, credential="API key")
        return principal


RESOLVERS: tuple[Resolver, ...] = (SESSION_TOKEN, ApiKeyResolver())


def _authenticate(database_url: str, headers: dict[str, str], resolvers: tuple[Resolver, ...] = RESOLVERS) -> Principal:
    credentials = Credentials.of(headers, "GET", "/anything")
    return read(database_url, lambda r: authenticate(r, credentials, resolvers))


def test_a_session_token_resolves_to_its_user(account: DomainAccount, database_url: str) -> None:
    user_id, email = new_user(account, Role.TECH)
    principal = _authenticate(database_url, {"Session-Token": f" {sign_in(account, email)} "})
    assert (principal.user_id, principal.role, principal.subject, principal.scopes) == (
        user_id,
        Role.TECH,
        SubjectKind.USER,
        None,
    )


def test_no_credentials_any_resolver_claims_is_credentials_required(database_url: str) -> None:
    with pytest.raises(Unauthenticated) as refused:
        _authenticate(database_url, {"Authorization": "Bearer abc", "Session-Token": ""})
    assert refused.value.code is ErrorCode.CREDENTIALS_REQUIRED
    assert refused.value.params == {"accepted": "session_token, api_key"}


@pytest.mark.parametrize("token", ["r:unknown", "   "])
def test_an_unknown_session_token_is_invalid_credentials(database_url: str, token: str) -> None:
    with pytest.raises(Unauthenticated) as refused:
        _authenticate(database_url, {"Session-Token": token})
    assert refused.value.code is ErrorCode.INVALID_CREDENTIALS
    assert refused.value.message == "invalid or expired session token"


def test_revoked_and_deactivated_sessions_are_refused(account: DomainAccount, database_url: str) -> None:
    user_id, email = new_user(account, Role.TECH)
    token = sign_in(account, email)
    account.write(lambda s: identity.logout(s, token))
    with pytest.raises(Unauthenticated):
        _authenticate(database_url, {"Session-Token": token})
    token = sign_in(account, email)
    _authenticate(database_url, {"Session-Token": token})  # cached now
    account.write(lambda s: users.deactivate_user(s, account.admin, user_id))
    with pytest.raises(Unauthenticated):
        _authenticate(database_url, {"Session-Token": token})


def test_another_resolver_plugs_in_with_its_subject_and_scopes(account: DomainAccount, database_url: str) -> None:
    user_id, _ = new_user(account, Role.TECH)
    principal = _authenticate(database_url, {"x-api-key": f"{account.account_id}/{user_id}"})
    assert (principal.user_id, principal.subject, principal.scopes) == (
        user_id,
        SubjectKind.API_USER,
        frozenset({"work_order:read"}),
    )
    assert principal.may("work_order", "read") and not principal.may("work_order", "create")


def test_the_first_resolver_that_claims_the_credentials_decides(account: DomainAccount, database_url: str) -> None:
    user_id, _ = new_user(account, Role.TECH)
    # A bad session token is not retried with the API key the request also carries.
    with pytest.raises(Unauthenticated) as refused:
        _authenticate(database_url, {"Session-Token": "r:bad", "X-Api-Key": f"{account.account_id}/{user_id}"})
    assert refused.value.params == {"credential": "session token"}


def test_a_dialect_accepts_only_the_resolvers_it_declares(account: DomainAccount, database_url: str) -> None:
    _, email = new_user(account, Role.TECH)
    with pytest.raises(Unauthenticated) as refused:
        _authenticate(database_url, {"Session-Token": sign_in(account, email)}, (ApiKeyResolver(),))
    assert refused.value.code is ErrorCode.CREDENTIALS_REQUIRED


@dataclass(frozen=True)
class ActionHmacResolver:
    """How onOffice's resolver plugs in: its dialect passes one action's signed values as
    ``Credentials.fields``; HMAC v2 = base64(HMAC-SHA256(secret, timestamp + token + resourcetype
    + actionid)) (reference §3.1). ``users`` maps an API token to (secret, account, user)."""

    users: dict[str, tuple[str, str, str]]
    name: str = "onoffice_hmac"

    def claims(self, credentials: Credentials) -> bool:
        return "token" in credentials.fields

    async def resolve(self, reader: Reader, credentials: Credentials) -> Principal:
        f = credentials.fields
        known = self.users.get(str(f["token"]))
        if known is None:
            raise Unauthenticated(ErrorCode.INVALID_CREDENTIALS, credential="token")
        secret, account_id, user_id = known
        message = f"{f['timestamp']}{f['token']}{f['resourcetype']}{f['actionid']}".encode()
        expected = base64.b64encode(hmac.new(secret.encode(), message, hashlib.sha256).digest()).decode()
        if not hmac.compare_digest(expected, str(f["hmac"])):
            raise Unauthenticated(ErrorCode.INVALID_CREDENTIALS, credential="hmac")
        principal = await identity.load_principal(reader, account_id, user_id, subject=SubjectKind.API_USER)
        if principal is None:
            raise Unauthenticated(ErrorCode.INVALID_CREDENTIALS, credential="token")
        return principal


# The PHP SDK's own test vector (tests/SDKIntegrationTest.php, reference §3.1).
SDK_ACTION = {
    "timestamp": 1646228220,
    "token": "testtoken",
    "resourcetype": "calendar",
    "actionid": "urn:onoffice-de-ns:smart:2.5:smartml:action:read",
    "hmac_version": 2,
    "hmac": "w6ifKMmAdJoKhu0vl2twvfP+ltyOTQ7LqLpvsZkOnlg=",
}


def test_a_signed_action_authenticates_through_credentials_fields(account: DomainAccount, database_url: str) -> None:
    user_id, _ = new_user(account, Role.TECH)
    resolver = ActionHmacResolver({"testtoken": ("testsecret", account.account_id, user_id)})
    credentials = Credentials.of({}, "POST", "/api/stable/api.php", SDK_ACTION)
    principal = read(database_url, lambda r: authenticate(r, credentials, (resolver,)))
    assert (principal.user_id, principal.subject) == (user_id, SubjectKind.API_USER)
    forged = Credentials.of({}, "POST", "/api/stable/api.php", {**SDK_ACTION, "resourcetype": "estate"})
    with pytest.raises(Unauthenticated) as refused:
        read(database_url, lambda r: authenticate(r, forged, (resolver,)))
    assert refused.value.params == {"credential": "hmac"}
