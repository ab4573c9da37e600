"""Authentication: credentials in, a Principal out, through a set of resolvers behind one interface.

A dialect declares the resolvers it accepts (``/api/v2``: the session token; ``/v1``: the OAuth 2.0
bearer token; onOffice: token + HMAC) and its principal dependency calls :func:`authenticate`.
Each resolver looks only at :class:`Credentials` (no HTTP objects reach the domain), says whether
the credentials are meant for it (:meth:`Resolver.claims`), and turns them into a Principal or
raises ``Unauthenticated``. docs/adr/0009-identity-for-three-dialects.md.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from premises.db.reader import Reader
from premises.errors import ErrorCode, Unauthenticated
from premises.identity.principal import Principal
from premises.identity.service import Confirmation, cached_principal, resolve_principal
from premises.identity.tokens import cached_bearer, resolve_bearer


@dataclass(frozen=True, slots=True)
class Credentials:
    """What a resolver may look at: the request's headers (looked up by lower-case name), method and
    path, and ``fields``: values the dialect read from the body for its resolvers. onOffice signs
    each action, not the request: its dialect passes one action's ``token``, ``timestamp``,
    ``hmac``, ``hmac_version``, ``resourcetype`` and ``actionid`` (and, for legacy HMAC v1,
    ``identifier``, ``resourceid`` and ``parameters``) and authenticates every action."""

    headers: Mapping[str, str] = field(default_factory=dict)
    method: str = "GET"
    path: str = "/"
    fields: Mapping[str, object] = field(default_factory=dict)

    def header(self, name: str) -> str | None:
        return self.headers.get(name.lower())

    @classmethod
    def of(
        cls,
        headers: Mapping[str, str],
        method: str = "GET",
        path: str = "/",
        fields: Mapping[str, object] | None = None,
    ) -> Credentials:
        """Credentials from plain headers (any case); a request's own headers are passed as they are."""
        return cls({k.lower(): v for k, v in headers.items()}, method.upper(), path, fields or {})


class Resolver(Protocol):
    """One way of authenticating. ``claims`` is cheap and reads nothing; ``resolve`` may read.

    A resolver with a per-process cache may also offer ``cached(credentials)``: the principal,
    unconfirmed, and the ``Confirmation`` a read adds to its own statement (one round trip instead of
    two), or None without a fresh entry; it reads nothing (:func:`authenticate_cached`)."""

    @property
    def name(self) -> str:
        """What the resolver is called (named in CREDENTIALS_REQUIRED's ``accepted``)."""
        ...

    def claims(self, credentials: Credentials) -> bool:
        """True when the credentials are meant for this resolver (its header is present)."""
        ...

    async def resolve(self, reader: Reader, credentials: Credentials) -> Principal:
        """The principal, or Unauthenticated(ErrorCode.INVALID_CREDENTIALS, credential=...)."""
        ...


@dataclass(frozen=True, slots=True)
class SessionTokenResolver:
    """``Session-Token: r:...`` (UpKeep's header): a session opened by logging in with email and password.
    The session row is read on every request; the principal is cached (``identity.service``)."""

    header_name: str = "session-token"
    name: str = "session_token"

    def token(self, credentials: Credentials) -> str:
        return (credentials.header(self.header_name) or "").strip()

    def claims(self, credentials: Credentials) -> bool:
        return bool(credentials.header(self.header_name))

    async def resolve(self, reader: Reader, credentials: Credentials) -> Principal:
        return await resolve_principal(reader, self.token(credentials))

    def cached(self, credentials: Credentials) -> tuple[Principal, Confirmation] | None:
        return cached_principal(self.token(credentials))


SESSION_TOKEN: Resolver = SessionTokenResolver()


@dataclass(frozen=True, slots=True)
class BearerTokenResolver:
    """``Authorization: Bearer <token>`` (RFC 6750 §2.1; the scheme in any case): an OAuth 2.0 access
    token issued by ``identity.tokens``. The token row is read on every request (revocation is
    immediate); the principal is the client's service account (``SERVICE_ACCOUNT``) or, for a personal
    client, its owner (``USER``), narrowed by the token's scopes. A ``Bearer`` header without a token
    is claimed, and refused as an invalid token."""

    name: str = "bearer"

    @staticmethod
    def _scheme_and_token(credentials: Credentials) -> tuple[str, str]:
        scheme, _, token = (credentials.header("authorization") or "").strip().partition(" ")
        return scheme.lower(), token.strip()

    def claims(self, credentials: Credentials) -> bool:
        return self._scheme_and_token(credentials)[0] == "bearer"

    async def resolve(self, reader: Reader, credentials: Credentials) -> Principal:
        return await resolve_bearer(reader, self._scheme_and_token(credentials)[1])

    def cached(self, credentials: Credentials) -> tuple[Principal, Confirmation] | None:
        return cached_bearer(self._scheme_and_token(credentials)[1])


BEARER_TOKEN: Resolver = BearerTokenResolver()


async def authenticate(reader: Reader, credentials: Credentials, resolvers: Sequence[Resolver]) -> Principal:
    """The principal of the first resolver that claims the credentials.

    No resolver claims them: Unauthenticated(CREDENTIALS_REQUIRED). The claiming resolver's own
    refusal (unknown, expired or revoked credentials) is final: a request is never retried with a
    weaker resolver.
    """
    for resolver in resolvers:
        if resolver.claims(credentials):
            return await resolver.resolve(reader, credentials)
    raise Unauthenticated(ErrorCode.CREDENTIALS_REQUIRED, accepted=", ".join(r.name for r in resolvers))


def authenticate_cached(
    credentials: Credentials, resolvers: Sequence[Resolver]
) -> tuple[Principal, Confirmation] | None:
    """The claiming resolver's cached principal and its confirmation (``Resolver.cached``), or None.
    The caller adds the confirmation to its statement and, when the statement finds nothing or the
    request fails, calls :func:`authenticate` before answering."""
    for resolver in resolvers:
        if resolver.claims(credentials):
            cached: Callable[[Credentials], tuple[Principal, Confirmation] | None] | None
            cached = getattr(resolver, "cached", None)
            return cached(credentials) if cached is not None else None
    return None
