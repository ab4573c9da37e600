"""Logging in and out, and turning a session token into a Principal."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from premises.db.reader import Reader
from premises.errors import Unauthenticated
from premises.identity.passwords import hash_password, needs_rehash, verify_password
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.identity.sessions import new_session_token, token_hash
from premises.kit.time import now_ms
from premises.models import AuthSession, Login, User

# A resolved principal is reused for this many seconds per process. Logging out evicts it at once
# in the process that served the logout; other processes notice within the TTL.
PRINCIPAL_CACHE_TTL_S = 5.0
_principal_cache: dict[str, tuple[Principal, float, int]] = {}


@dataclass(frozen=True)
class NewSession:
    token: str
    expires_at: int


def login(session: Session, email: str, password: str, *, ttl_hours: int) -> NewSession:
    login_row = session.get(Login, email.strip().lower())
    if login_row is None or not verify_password(login_row.password_hash, password):
        raise Unauthenticated("invalid email or password")
    user = session.get(User, (login_row.account_id, login_row.user_id))
    if user is None or user.deleted_at is not None:
        raise Unauthenticated("invalid email or password")
    now = now_ms()
    if needs_rehash(login_row.password_hash):
        login_row.password_hash = hash_password(password)
    user.date_of_last_login = now
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


def logout(session: Session, token: str) -> None:
    digest = token_hash(token)
    result = session.execute(
        update(AuthSession)
        .where(AuthSession.token_hash == digest, AuthSession.revoked_at.is_(None))
        .values(revoked_at=now_ms())
    )
    _principal_cache.pop(digest, None)
    if result.rowcount == 0:  # type: ignore[attr-defined]
        raise Unauthenticated("invalid session token")


def revoke_user_sessions(session: Session, account_id: str, user_id: str) -> None:
    session.execute(
        update(AuthSession)
        .where(AuthSession.account_id == account_id, AuthSession.user_id == user_id)
        .where(AuthSession.revoked_at.is_(None))
        .values(revoked_at=now_ms())
    )
    invalidate_principals(account_id)


def invalidate_principals(account_id: str) -> None:
    """Forget cached principals of an account (after role, access or team changes)."""
    for key in [k for k, (p, _, _) in _principal_cache.items() if p.account_id == account_id]:
        _principal_cache.pop(key, None)


_SESSION_SQL = "SELECT account_id, user_id, expires_at, revoked_at FROM auth_sessions WHERE token_hash = :h"
_USER_SQL = (
    "SELECT u.account_type, u.is_location_based, u.deleted_at FROM users u "
    "WHERE u.account_id = :account_id AND u.id = :user_id"
)
_TEAMS_SQL = "SELECT m.team_id FROM team_members m WHERE m.account_id = :account_id AND m.user_id = :user_id"
_PLACES_SQL = """
WITH RECURSIVE visible(id) AS (
  SELECT l.place_id FROM user_locations l WHERE l.account_id = :account_id AND l.user_id = :user_id
  UNION
  SELECT p.id FROM places p JOIN visible v ON p.parent_id = v.id
  WHERE p.account_id = :account_id AND p.deleted_at IS NULL
)
SELECT id FROM visible
"""


async def resolve_principal(reader: Reader, token: str) -> Principal:
    """The principal of a live session token, or Unauthenticated."""
    digest = token_hash(token)
    now = now_ms()
    cached = _principal_cache.get(digest)
    if cached is not None and cached[1] > time.monotonic() and cached[2] > now:
        return cached[0]
    row = await reader.fetchrow(_SESSION_SQL, {"h": digest})
    if row is None or row[3] is not None or row[2] <= now:
        _principal_cache.pop(digest, None)
        raise Unauthenticated("invalid or expired session token")
    account_id, user_id, expires_at = row[0], row[1], row[2]
    ids = {"account_id": account_id, "user_id": user_id}
    user = await reader.fetchrow(_USER_SQL, ids)
    if user is None or user[2] is not None:
        raise Unauthenticated("invalid or expired session token")
    teams = frozenset(r[0] for r in await reader.fetch(_TEAMS_SQL, ids))
    places = None
    if user[1]:
        places = frozenset(r[0] for r in await reader.fetch(_PLACES_SQL, ids))
    principal = Principal(account_id, user_id, Role(user[0]), places, teams)
    _principal_cache[digest] = (principal, time.monotonic() + PRINCIPAL_CACHE_TTL_S, expires_at)
    return principal


def principal_for_user(session: Session, account_id: str, user_id: str) -> Principal:
    """Build a principal on the write side (CLI, jobs, demo loader)."""
    user = session.get(User, (account_id, user_id))
    if user is None:
        raise Unauthenticated("no such user")
    return Principal(account_id, user_id, Role(user.account_type))


def find_login(session: Session, email: str) -> Login | None:
    return session.scalars(select(Login).where(Login.email == email.strip().lower())).first()
