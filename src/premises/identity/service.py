"""Logging in (throttled) and out, and turning a session token into a Principal."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from premises.db.reader import Reader
from premises.errors import ErrorCode, RateLimited, Unauthenticated
from premises.event.service import record_event
from premises.event.types import EventType
from premises.identity import throttle
from premises.identity.passwords import check_password, hash_password, needs_rehash, run_off_loop
from premises.identity.permissions import Role
from premises.identity.principal import Principal, SubjectKind
from premises.identity.sessions import new_session_token, token_hash
from premises.kit.time import now_ms
from premises.models import AccessToken, AuthSession, Login, User

T = TypeVar("T")

# A resolved principal (role, teams, visible places and their roles) is reused for this many seconds per process.
# Revocation and role or place changes of the user take effect at once everywhere (the session row
# is read on every request); team membership and place-tree changes within the TTL.
PRINCIPAL_CACHE_TTL_S = 5.0
_principal_cache: dict[str, tuple[Principal, float, int]] = {}


@dataclass(frozen=True)
class NewSession:
    token: str
    expires_at: int


@dataclass(frozen=True)
class CheckedLogin:
    """A password verified against ``password_hash``, outside any transaction (``check_credentials``)."""

    email: str
    account_id: str
    user_id: str
    password_hash: str
    new_hash: str | None  # the password hashed again with the current parameters, when they changed


_LOGIN_SQL = (
    "SELECT l.account_id, l.user_id, l.password_hash, u.deleted_at FROM logins l "
    "JOIN users u ON u.account_id = l.account_id AND u.id = l.user_id WHERE l.email = :email"
)


async def check_credentials(reader: Reader, email: str, password: str) -> CheckedLogin:
    """Verify a login without holding any database lock or transaction, or Unauthenticated.

    The login is read on the read side; argon2 runs on the password pool. An unknown email or a
    deleted user is verified against a dummy hash with the same parameters, so every failed login
    costs the same. ``open_session`` then writes the session in a short transaction.
    """
    email = email.strip().lower()
    row = await reader.fetchrow(_LOGIN_SQL, {"email": email})
    stored: str | None = row[2] if row is not None and row[3] is None else None

    def verify() -> tuple[bool, str | None]:
        if not check_password(stored, password) or stored is None:  # None: checked against the dummy
            return False, None
        return True, hash_password(password) if needs_rehash(stored) else None

    ok, new_hash = await run_off_loop(verify)
    if not ok or row is None or stored is None:
        raise Unauthenticated(ErrorCode.LOGIN_FAILED)
    return CheckedLogin(email, row[0], row[1], stored, new_hash)


def open_session(
    session: Session, checked: CheckedLogin, *, ttl_hours: int, gate: LoginGate | None = None
) -> NewSession:
    """Create the session of a verified login. The login must still carry the hash that was verified
    and the user must still be live: a password change or deactivation in between wins. With the
    login's ``gate`` (``reserve_login``), the email's failures are forgotten and the attempt is
    given back to the client address."""
    login_row = session.get(Login, checked.email, with_for_update=True)
    if (
        login_row is None
        or login_row.password_hash != checked.password_hash
        or (login_row.account_id, login_row.user_id) != (checked.account_id, checked.user_id)
    ):
        raise Unauthenticated(ErrorCode.LOGIN_FAILED)
    user = session.get(User, (checked.account_id, checked.user_id), with_for_update=True)
    if user is None or user.deleted_at is not None:
        raise Unauthenticated(ErrorCode.LOGIN_FAILED)
    now = now_ms()
    if checked.new_hash is not None:
        login_row.password_hash = checked.new_hash
        login_row.updated_at = now
    user.date_of_last_login = now
    if gate is not None:
        gate.succeeded(session)
    token = new_session_token()
    expires_at = now + ttl_hours * 3_600_000
    session.add(
        AuthSession(
            token_hash=token_hash(token),
            account_id=user.account_id,
            user_id=user.id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    return NewSession(token, expires_at)


@dataclass(frozen=True, slots=True)
class LoginLimits:
    """Failed logins allowed per window, per email and per client address (``Settings.login_*``)."""

    per_email: int = 5
    per_address: int = 20
    window_s: int = 900

    @property
    def email(self) -> throttle.Limit:
        return throttle.Limit("login:email", self.per_email, self.window_s)

    @property
    def address(self) -> throttle.Limit:
        return throttle.Limit("login:address", self.per_address, self.window_s)


@dataclass(frozen=True, slots=True)
class LoginGate:
    """A login attempt counted against its email and client address (``reserve_login``)."""

    email: str
    address: str | None
    hits: tuple[throttle.Hit, ...]  # the email's, then the address's when there is one

    @property
    def allowed(self) -> bool:
        return all(h.allowed for h in self.hits)

    @property
    def retry_after(self) -> int:
        """Seconds until every limit the attempt is over has reset (0 when allowed)."""
        return max((h.retry_after for h in self.hits if not h.allowed), default=0)

    def succeeded(self, session: Session) -> None:
        """A successful login: the email's failures are forgotten, the address's slot given back (in
        key order, like ``throttle.hits``, so that it never deadlocks with a parallel attempt)."""
        email_key = self.hits[0].key
        for counted in sorted(self.hits, key=lambda h: h.key):
            if counted.key == email_key:
                throttle.forget(session, counted)
            else:
                throttle.release(session, counted)


def _login_event(session: Session, email: str, type_: EventType, payload: dict[str, Any]) -> None:
    """An event for the user of ``email``; an email of no account records nothing (no account to hold it)."""
    login_row = session.get(Login, email)
    if login_row is None:
        return
    record_event(
        session,
        account_id=login_row.account_id,
        type=type_,
        resource_type="user",
        resource_id=login_row.user_id,
        payload={"email": email, **payload},
    )


def reserve_login(
    session: Session, email: str, address: str | None, limits: LoginLimits, *, now: int | None = None
) -> LoginGate:
    """Count a login attempt against its email and its client address **before** the password is
    checked, and commit that (its own short transaction), so that parallel attempts in every process
    see each other: of N at once, exactly the limit's number are allowed. A refused attempt is never
    verified, even with the right password (else the limit would be an oracle). The first refusal
    of a window records LOGIN_THROTTLED for the email's user."""
    email = email.strip().lower()
    counted = [(limits.email, email)] + ([(limits.address, address)] if address else [])
    gate = LoginGate(email, address, tuple(throttle.hits(session, counted, now=now)))
    crossed = [h for h in gate.hits if h.first_refused]
    if crossed:
        by = [h.limit.scope.removeprefix("login:") for h in crossed]
        payload = {"address": address, "limited_by": by, "retry_after": gate.retry_after}
        _login_event(session, email, EventType.LOGIN_THROTTLED, payload)
    return gate


def login_failed(session: Session, gate: LoginGate) -> None:
    """A refused password: the attempt stays counted; LOGIN_FAILED for the email's user."""
    _login_event(session, gate.email, EventType.LOGIN_FAILED, {"address": gate.address})


class Writer(Protocol):
    """Runs one unit of work in its own transaction (``Runtime.write``)."""

    async def __call__(self, work: Callable[[Session], T]) -> T: ...


async def log_in(
    reader: Reader,
    write: Writer,
    email: str,
    password: str,
    *,
    address: str | None,
    limits: LoginLimits,
    ttl_hours: int,
) -> NewSession:
    """A throttled login: the attempt is counted (``reserve_login``), refused with
    ``RateLimited(LOGIN_THROTTLED, retry_after=seconds)`` when over a limit, else the password is
    verified off the event loop with no lock held (``check_credentials``) and the session opened,
    or the failure recorded. ``address`` is the client's (the socket peer); None counts none."""
    gate = await write(lambda s: reserve_login(s, email, address, limits))
    if not gate.allowed:
        raise RateLimited(ErrorCode.LOGIN_THROTTLED, retry_after=gate.retry_after)
    try:
        checked = await check_credentials(reader, email, password)
        return await write(lambda s: open_session(s, checked, ttl_hours=ttl_hours, gate=gate))
    except Unauthenticated:
        await write(lambda s: login_failed(s, gate))
        raise


def login(session: Session, email: str, password: str, *, ttl_hours: int) -> NewSession:
    """Log in within one unit of work (CLI and bench scripts; not throttled). Verifies under the
    caller's transaction: the API uses ``log_in`` instead."""
    login_row = session.get(Login, email.strip().lower())
    stored = login_row.password_hash if login_row is not None else None
    if login_row is None or not check_password(stored, password):
        raise Unauthenticated(ErrorCode.LOGIN_FAILED)
    new_hash = hash_password(password) if needs_rehash(login_row.password_hash) else None
    checked = CheckedLogin(login_row.email, login_row.account_id, login_row.user_id, login_row.password_hash, new_hash)
    return open_session(session, checked, ttl_hours=ttl_hours)


def logout(session: Session, token: str) -> None:
    digest = token_hash(token)
    result = session.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == digest, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now_ms())
    )
    _principal_cache.pop(digest, None)
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise Unauthenticated(ErrorCode.UNKNOWN_SESSION)


def revoke_user_sessions(session: Session, account_id: str, user_id: str, *, keep_token: str | None = None) -> int:
    """Revoke every live session of the user (but ``keep_token``'s); every process refuses them on
    the next request. Returns how many were revoked."""
    statement = (
        update(AuthSession)
        .where(AuthSession.account_id == account_id, AuthSession.user_id == user_id)
        .where(AuthSession.revoked_at.is_(None))
    )
    if keep_token is not None:
        statement = statement.where(AuthSession.token_hash != token_hash(keep_token))
    result = session.execute(statement.values(revoked_at=now_ms()))
    invalidate_principals(account_id)
    count: int = result.rowcount  # type: ignore[attr-defined]
    return count


def access_changed(session: Session, account_id: str, user_id: str) -> None:
    """The user's role, places or state changed: principals cached from its sessions and from its
    clients' access tokens are rebuilt on their next request, in every process."""
    for table in (AuthSession, AccessToken):
        session.execute(
            update(table)
            .where(table.account_id == account_id, table.user_id == user_id)
            .where(table.revoked_at.is_(None))
            .values(access_version=table.access_version + 1)
        )
    invalidate_principals(account_id)


def invalidate_principals(account_id: str) -> None:
    """Forget cached principals of an account in this process (after role, access or team changes)."""
    for key in [k for k, (p, _, _) in _principal_cache.items() if p.account_id == account_id]:
        _principal_cache.pop(key, None)


# Read on every request, cached principal or not: revocation and access changes (access_version)
# take effect at once in every process. One primary-key lookup on a global table.
_SESSION_SQL = (
    "SELECT account_id, user_id, expires_at, revoked_at, access_version FROM auth_sessions WHERE token_hash = :h"
)
_USER_SQL = (
    "SELECT u.account_type, u.is_location_based, u.deleted_at FROM users u "
    "WHERE u.account_id = :account_id AND u.id = :user_id"
)
_TEAMS_SQL = "SELECT m.team_id FROM team_members m WHERE m.account_id = :account_id AND m.user_id = :user_id"
# The places under the user's site memberships, each with the role of its nearest membership.
_PLACES_SQL = """
WITH RECURSIVE visible(id, role, depth) AS (
  SELECT m.place_id, m.role, 0 FROM site_memberships m WHERE m.account_id = :account_id AND m.user_id = :user_id
  UNION
  SELECT p.id, v.role, v.depth + 1 FROM places p JOIN visible v ON p.parent_id = v.id
  WHERE p.account_id = :account_id AND p.deleted_at IS NULL AND v.depth < 64
)
SELECT id, role, depth FROM visible
"""
SESSION_TOKEN = "session token"  # what INVALID_CREDENTIALS names for the session-token resolver


async def load_principal(
    reader: Reader,
    account_id: str,
    user_id: str,
    *,
    subject: SubjectKind = SubjectKind.USER,
    scopes: frozenset[str] | None = None,
) -> Principal | None:
    """The principal of a live user (role, teams, site memberships), whatever authenticated it;
    None when the user is missing or deactivated. Every resolver ends here."""
    ids = {"account_id": account_id, "user_id": user_id}
    user = await reader.fetchrow(_USER_SQL, ids)
    if user is None or user[2] is not None:
        return None
    role = Role(user[0])
    teams = frozenset(r[0] for r in await reader.fetch(_TEAMS_SQL, ids))
    places: frozenset[str] | None = None
    site_roles: dict[str, Role] = {}
    if user[1]:
        nearest: dict[str, tuple[int, str]] = {}
        for place_id, place_role, depth in await reader.fetch(_PLACES_SQL, ids):
            if place_id not in nearest or depth < nearest[place_id][0]:
                nearest[place_id] = (depth, place_role)
        places = frozenset(nearest)
        site_roles = {p: Role(r) for p, (_, r) in nearest.items() if r != role.value}
    return Principal(account_id, user_id, role, places, teams, subject, scopes, site_roles)


async def resolve_principal(reader: Reader, token: str) -> Principal:
    """The principal of a live session token, or Unauthenticated.

    The session row is read on every request; the rest (role, teams, visible places and their
    roles) is cached for ``PRINCIPAL_CACHE_TTL_S`` and rebuilt at once when the session's
    ``access_version`` moved.
    """
    digest = token_hash(token)
    row = await reader.fetchrow(_SESSION_SQL, {"h": digest})
    if row is None or row[3] is not None or row[2] <= now_ms():
        _principal_cache.pop(digest, None)
        raise Unauthenticated(ErrorCode.INVALID_CREDENTIALS, credential=SESSION_TOKEN)
    account_id, user_id, version = row[0], row[1], row[4]
    cached = remembered(digest, version)
    if cached is not None:
        return cached
    principal = await load_principal(reader, account_id, user_id)
    if principal is None:
        raise Unauthenticated(ErrorCode.INVALID_CREDENTIALS, credential=SESSION_TOKEN)
    remember(digest, principal, version)
    return principal


@dataclass(frozen=True, slots=True)
class Confirmation:
    """A condition a read adds to its own statement instead of reading the session row first: it holds
    while the session is live and its access unchanged. ``condition`` has ``{}`` for each of ``values``
    (``db.sql.Select.where``)."""

    condition: str
    values: tuple[object, ...]


_LIVE_SESSION = (
    "EXISTS (SELECT 1 FROM auth_sessions s WHERE s.token_hash = {} AND s.revoked_at IS NULL"
    " AND s.expires_at > {} AND s.access_version = {})"
)


def cached_principal(token: str) -> tuple[Principal, Confirmation] | None:
    """The principal of ``token`` from this process's cache, unconfirmed, with the condition that
    confirms it; None when the cache has no fresh entry. A read that uses it and finds nothing must
    authenticate in full (``resolve_principal``) before it answers: an empty result may mean an ended
    session (docs/adr/0009-identity-for-three-dialects.md, "one round trip")."""
    digest = token_hash(token)
    return cached_with(digest, _LIVE_SESSION, digest)


def cached_with(key: str, condition: str, digest: str) -> tuple[Principal, Confirmation] | None:
    """A fresh cache entry under ``key`` with ``condition`` (placeholders: the credential's stored
    ``digest``, now, the version)."""
    cached = _principal_cache.get(key)
    if cached is None or cached[1] <= time.monotonic():
        return None
    return cached[0], Confirmation(condition, (digest, now_ms(), cached[2]))


def remember(key: str, principal: Principal, version: int) -> None:
    """Cache ``principal`` under ``key`` (a credential's hash) for ``PRINCIPAL_CACHE_TTL_S``, valid while
    the credential's ``access_version`` is ``version``."""
    _principal_cache[key] = (principal, time.monotonic() + PRINCIPAL_CACHE_TTL_S, version)


def remembered(key: str, version: int) -> Principal | None:
    """The cached principal under ``key`` while fresh and of ``version``; else None (and forgotten)."""
    cached = _principal_cache.get(key)
    if cached is not None and cached[1] > time.monotonic() and cached[2] == version:
        return cached[0]
    _principal_cache.pop(key, None)
    return None


def principal_for_user(session: Session, account_id: str, user_id: str) -> Principal:
    """Build a principal on the write side (CLI, jobs, demo loader)."""
    user = session.get(User, (account_id, user_id))
    if user is None:
        raise Unauthenticated(ErrorCode.RECORD_NOT_FOUND, record="user")
    return Principal(account_id, user_id, Role(user.account_type))


def find_login(session: Session, email: str) -> Login | None:
    return session.scalars(select(Login).where(Login.email == email.strip().lower())).first()
