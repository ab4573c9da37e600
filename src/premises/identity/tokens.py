"""OAuth 2.0 access tokens: issued to an authenticated client (client credentials), read on every /v1 request.

``issue_access_token`` is the token endpoint's service, whatever the wire: the client's attempt is
counted first (``identity.throttle``: per client id and per client address, the login settings'
numbers, committed on its own so parallel attempts see each other), then the secret is checked and
the token written in one short transaction. A successful authentication forgets the client id's
failures and gives its slot back to the address. The secret is a SHA-256 compared in constant time
(``identity.clients``: why not argon2), so nothing slow runs in the transaction.

A token is 256 random bits (``token_urlsafe``), stored as its SHA-256, with its expiry and the OAuth
scope names it was granted; no refresh token (RFC 6749 §4.4.3). ``resolve_bearer`` reads the token
and its client on every request: an expired token, a revoked token or a revoked client is refused at
once in every process. The principal is the client's user (``load_principal``), narrowed by the
token's scopes.
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from premises.db.reader import Reader
from premises.errors import DomainValidation, ErrorCode, PremisesError, RateLimited, Unauthenticated
from premises.identity import throttle
from premises.identity.clients import ClientKind, check_scopes, domain_scopes, secret_hash
from premises.identity.principal import Principal, SubjectKind
from premises.identity.service import Confirmation, LoginGate, Writer, cached_with, load_principal, remember, remembered
from premises.identity.sessions import token_hash
from premises.kit.time import now_ms
from premises.models import AccessToken, ApiClient, User

ACCESS_TOKEN_TTL_S = 3600  # RFC 6749 §5.1 expires_in; reference §6.2: "3600 is a safer default"
ACCESS_TOKEN = "access token"  # what INVALID_CREDENTIALS names for the bearer resolver


@dataclass(frozen=True, slots=True)
class ClientLimits:
    """Failed client authentications allowed per window, per client id and per client address."""

    per_client: int = 5
    per_address: int = 20
    window_s: int = 900

    @property
    def client(self) -> throttle.Limit:
        return throttle.Limit("oauth:client", self.per_client, self.window_s)

    @property
    def address(self) -> throttle.Limit:
        return throttle.Limit("oauth:address", self.per_address, self.window_s)


@dataclass(frozen=True, slots=True)
class IssuedToken:
    access_token: str
    expires_in: int  # seconds
    scopes: tuple[str, ...]


def reserve(
    session: Session, client_id: str, address: str | None, limits: ClientLimits, *, now: int | None = None
) -> LoginGate:
    """Count an attempt against the client id and the address before the secret is checked."""
    counted = [(limits.client, client_id)] + ([(limits.address, address)] if address else [])
    return LoginGate(client_id, address, tuple(throttle.hits(session, counted, now=now)))


def _issue(
    session: Session,
    client_id: str,
    client_secret: str,
    requested: Sequence[str] | None,
    gate: LoginGate | None,
    ttl_s: int,
) -> IssuedToken | PremisesError:
    """The token, or the refusal of an authenticated client (returned, so that the attempt is still
    given back); an authentication failure raises, leaving the attempt counted."""
    client = session.get(ApiClient, client_id) if client_id else None
    presented = secret_hash(client_secret)
    if client is None or client.revoked_at is not None or not hmac.compare_digest(client.secret_hash, presented):
        raise Unauthenticated(ErrorCode.INVALID_CLIENT)
    if gate is not None:
        gate.succeeded(session)
    user = session.get(User, (client.account_id, client.user_id))
    if user is None or user.deleted_at is not None:
        return DomainValidation(ErrorCode.UNAUTHORIZED_CLIENT)
    granted = client.scopes.split()
    try:
        scopes = check_scopes(requested, allowed=granted) if requested else tuple(granted)
    except DomainValidation as refused:
        return refused
    token = secrets.token_urlsafe(32)
    now = now_ms()
    session.add(
        AccessToken(
            token_hash=token_hash(token),
            account_id=client.account_id,
            client_id=client.client_id,
            user_id=client.user_id,
            scopes=" ".join(scopes),
            created_at=now,
            expires_at=now + ttl_s * 1000,
        )
    )
    return IssuedToken(token, ttl_s, scopes)


async def issue_access_token(
    write: Writer,
    *,
    client_id: str,
    client_secret: str,
    requested: Sequence[str] | None,
    address: str | None,
    limits: ClientLimits,
    ttl_s: int = ACCESS_TOKEN_TTL_S,
) -> IssuedToken:
    """A token for an authenticated client (client credentials grant), or: RateLimited(CLIENT_THROTTLED),
    Unauthenticated(INVALID_CLIENT), DomainValidation(UNAUTHORIZED_CLIENT | INVALID_SCOPE)."""
    gate = await write(lambda s: reserve(s, client_id, address, limits))
    if not gate.allowed:
        raise RateLimited(ErrorCode.CLIENT_THROTTLED, retry_after=gate.retry_after)
    outcome = await write(lambda s: _issue(s, client_id, client_secret, requested, gate, ttl_s))
    if isinstance(outcome, PremisesError):
        raise outcome
    return outcome


# The token, its client and its user's state: a revoked client or a deactivated user ends the token
# at once, whichever way it happened.
_TOKEN_SQL = (
    "SELECT t.account_id, t.user_id, t.scopes, t.expires_at, t.revoked_at, c.kind, c.revoked_at, t.access_version,"
    " u.deleted_at FROM access_tokens t JOIN api_clients c ON c.client_id = t.client_id"
    " JOIN users u ON u.account_id = t.account_id AND u.id = t.user_id WHERE t.token_hash = :h"
)
# The condition a read adds to its statement instead of reading the token first (``cached_bearer``).
_LIVE_TOKEN = (
    "EXISTS (SELECT 1 FROM access_tokens tk JOIN api_clients ck ON ck.client_id = tk.client_id"
    " JOIN users uk ON uk.account_id = tk.account_id AND uk.id = tk.user_id"
    " WHERE tk.token_hash = {} AND tk.revoked_at IS NULL AND ck.revoked_at IS NULL AND uk.deleted_at IS NULL"
    " AND tk.expires_at > {} AND tk.access_version = {})"
)


def _cache_key(token: str) -> str:
    return "bearer:" + token_hash(token)  # never a session's key: a bearer token is no Session-Token


async def resolve_bearer(reader: Reader, token: str) -> Principal:
    """The principal of a live access token (its client's user, narrowed by its scopes), or
    Unauthenticated(INVALID_CREDENTIALS): unknown, expired or revoked token, revoked client,
    deactivated user.

    The token row is read on every request; the principal is cached as a session's is
    (``identity.service.remember``), rebuilt when the token's ``access_version`` moved."""
    row = await reader.fetchrow(_TOKEN_SQL, {"h": token_hash(token)}) if token else None
    if row is None or row[4] is not None or row[6] is not None or row[8] is not None or row[3] <= now_ms():
        raise Unauthenticated(ErrorCode.INVALID_CREDENTIALS, credential=ACCESS_TOKEN)
    key, version = _cache_key(token), row[7]
    cached = remembered(key, version)
    if cached is not None:
        return cached
    subject = SubjectKind.SERVICE_ACCOUNT if row[5] == ClientKind.SERVICE_ACCOUNT else SubjectKind.USER
    principal = await load_principal(reader, row[0], row[1], subject=subject, scopes=domain_scopes(row[2].split()))
    if principal is None:
        raise Unauthenticated(ErrorCode.INVALID_CREDENTIALS, credential=ACCESS_TOKEN)
    remember(key, principal, version)
    return principal


def cached_bearer(token: str) -> tuple[Principal, Confirmation] | None:
    """The principal of ``token`` from this process's cache with the condition that confirms it (a
    live token of a live client, of the same access version), or None: the one-round-trip read of
    ``identity.service.cached_principal``, for access tokens."""
    return cached_with(_cache_key(token), _LIVE_TOKEN, token_hash(token)) if token else None
