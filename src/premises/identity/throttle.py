"""A limiter every process shares: attempts counted per key in a fixed window, in the database.

``hit(session, limit, value)`` counts one attempt for ``value`` (an email, a client address, later
an OAuth client id or an onOffice token) under ``limit.scope`` and says whether it is within
``limit.attempts`` for the window, and if not, how many seconds are left (``retry_after``). The
count is one atomic ``INSERT .. ON CONFLICT DO UPDATE .. RETURNING`` on both SQLite and PostgreSQL,
so N processes hitting one key at the same instant see N distinct counts: exactly ``limit`` of
them are allowed. A window starts with a key's first attempt and lasts ``limit.window_s``; the
first attempt after it starts a new window at 1.

A caller that counts *failures* reserves before the slow check and gives the attempt back when it
succeeded (``release``) or forgets the key altogether (``forget``): the login counts every attempt
for the email and the address first, so parallel attempts cannot all slip in under the limit, then
a successful login forgets the email's failures and returns its slot at the address.

Keys are stored as the SHA-256 of scope and value, so the table holds no email or address. It is
global (no ``account_id``), like ``logins``: it is consulted before any account is known. Rows of
ended windows are deleted whenever a key starts a new window (``prune``), so the table holds about
one row per key seen within the last window.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.orm import Session

from premises.kit.time import now_ms


@dataclass(frozen=True, slots=True)
class Limit:
    """``attempts`` per ``window_s`` seconds for each value counted under ``scope``."""

    scope: str
    attempts: int
    window_s: int

    def key(self, value: str) -> str:
        return hashlib.sha256(f"{self.scope}\x00{value}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Hit:
    """One counted attempt: its number within the window and when the window ends."""

    limit: Limit
    key: str
    count: int
    window_start: int
    expires_at: int
    now: int

    @property
    def allowed(self) -> bool:
        return self.count <= self.limit.attempts

    @property
    def first_refused(self) -> bool:
        """The first attempt of its window over the limit (exactly one per window, however many race)."""
        return self.count == self.limit.attempts + 1

    @property
    def retry_after(self) -> int:
        """Whole seconds until the window ends (at least 1)."""
        return max(1, -(-(self.expires_at - self.now) // 1000))


_HIT = text(
    "INSERT INTO throttle_counters (key_hash, window_start, expires_at, attempts) "
    "VALUES (:key, :now, :expires, 1) "
    "ON CONFLICT (key_hash) DO UPDATE SET "
    "attempts = CASE WHEN throttle_counters.expires_at <= :now THEN 1 ELSE throttle_counters.attempts + 1 END, "
    "window_start = CASE WHEN throttle_counters.expires_at <= :now THEN :now "
    "ELSE throttle_counters.window_start END, "
    "expires_at = CASE WHEN throttle_counters.expires_at <= :now THEN :expires ELSE throttle_counters.expires_at END "
    "RETURNING attempts, window_start, expires_at"
)
_RELEASE = text(
    "UPDATE throttle_counters SET attempts = attempts - 1 "
    "WHERE key_hash = :key AND window_start = :window_start AND attempts > 0"
)
_FORGET = text("DELETE FROM throttle_counters WHERE key_hash = :key")
# PostgreSQL: rows another transaction holds are skipped, never waited for (no deadlock with a hit).
_PRUNE_PG = text(
    "DELETE FROM throttle_counters WHERE key_hash IN (SELECT key_hash FROM throttle_counters "
    "WHERE expires_at <= :now ORDER BY expires_at LIMIT :batch FOR UPDATE SKIP LOCKED)"
)
_PRUNE_SQLITE = text(
    "DELETE FROM throttle_counters WHERE key_hash IN (SELECT key_hash FROM throttle_counters "
    "WHERE expires_at <= :now ORDER BY expires_at LIMIT :batch)"
)
PRUNE_BATCH = 500


def hit(session: Session, limit: Limit, value: str, *, now: int | None = None) -> Hit:
    """Count one attempt for ``value``; see ``Hit.allowed`` and ``Hit.retry_after``."""
    return hits(session, [(limit, value)], now=now)[0]


def hits(session: Session, counted: Sequence[tuple[Limit, str]], *, now: int | None = None) -> list[Hit]:
    """Count one attempt for each ``(limit, value)``, in key order (parallel transactions lock the
    rows in the same order); the hits in the order given. A key starting a new window prunes."""
    at = now_ms() if now is None else now
    keyed = [(limit.key(value), limit) for limit, value in counted]
    by_key: dict[str, Hit] = {}
    for key, limit in sorted(keyed, key=lambda pair: pair[0]):
        row = session.execute(_HIT, {"key": key, "now": at, "expires": at + limit.window_s * 1000}).one()
        by_key[key] = Hit(limit, key, int(row[0]), int(row[1]), int(row[2]), at)
    if any(h.count == 1 for h in by_key.values()):
        prune(session, now=at)
    return [by_key[key] for key, _ in keyed]


def release(session: Session, counted: Hit) -> None:
    """Give back an attempt (it turned out not to count: a successful login), if its window still runs."""
    session.execute(_RELEASE, {"key": counted.key, "window_start": counted.window_start})


def forget(session: Session, counted: Hit) -> None:
    """Forget every attempt of the key (a successful login clears the email's failures)."""
    session.execute(_FORGET, {"key": counted.key})


def prune(session: Session, *, now: int | None = None) -> int:
    """Delete up to ``PRUNE_BATCH`` rows whose window has ended; how many were deleted."""
    at = now_ms() if now is None else now
    bind = session.get_bind()
    statement = _PRUNE_PG if bind.dialect.name == "postgresql" else _PRUNE_SQLITE
    result = session.execute(statement, {"now": at, "batch": PRUNE_BATCH})
    count: int = result.rowcount  # type: ignore[attr-defined]
    return count
