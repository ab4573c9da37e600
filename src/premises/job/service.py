"""The durable job queue: enqueue with the change, claim with a lease, finish, retry (docs/jobs.md).

* ``enqueue(session, kind, payload, account_id=...)`` adds a job row in the caller's transaction: the
  job exists exactly when the change that needs it committed (ADR 5, ADR 7).
* ``claim(db, owner, limit)`` takes up to ``limit`` due jobs in one short transaction: queued jobs
  whose ``run_at`` has come, and running jobs whose lease expired (their worker died). The claim
  sets ``status='running'``, a fresh lease token and ``lease_expires_at``, and counts the attempt.
  On PostgreSQL it is ``UPDATE .. WHERE id IN (SELECT .. FOR UPDATE SKIP LOCKED LIMIT n)
  RETURNING``: parallel workers never claim one job twice. SQLite has one writer at a time
  (``BEGIN IMMEDIATE``), so the same statement without the locking clause is exclusive there too.
* ``finish``, ``retry_later`` and ``fail`` change a job only while the claim's token still holds it
  (``WHERE lease_owner = :token``): a worker whose lease expired and was re-claimed changes nothing.

A job that succeeds is deleted. Handlers are idempotent: a job runs at least once, and again when a
worker dies after its side effect but before ``finish``.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, event, text, update
from sqlalchemy.orm import Session

from premises.db.engine import Database
from premises.kit import jsonutil
from premises.kit.bulk import insert_rows
from premises.kit.ids import new_sortable_id
from premises.kit.time import now_ms
from premises.models import Job

QUEUED, RUNNING, FAILED = "queued", "running", "failed"
DEFAULT_MAX_ATTEMPTS = 10
MAX_ERROR_LENGTH = 2000

# Set after a transaction that enqueued a job commits: a worker in this process (embedded mode) wakes
# at once instead of waiting for its next poll.
WAKE = threading.Event()


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    id: str
    account_id: str | None
    kind: str
    payload: dict[str, Any]
    attempts: int  # including this one
    max_attempts: int
    token: str  # the claim's lease token


def enqueue(
    session: Session,
    kind: str,
    payload: Mapping[str, Any],
    *,
    account_id: str | None,
    delay_ms: int = 0,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
    job_id: str | None = None,
) -> Job:
    """Add a job in the caller's transaction (it is claimable once that commits)."""
    job = Job(**_row(kind, payload, account_id, now_ms() + delay_ms, max_attempts, job_id or new_sortable_id()))
    session.add(job)
    _wakes(session)
    return job


def enqueue_many(
    session: Session,
    kind: str,
    payloads: Sequence[Mapping[str, Any]],
    *,
    account_id: str | None,
    max_attempts: int = DEFAULT_MAX_ATTEMPTS,
) -> None:
    """``enqueue`` for many jobs of one kind: one multi-row insert (a set-based writer's jobs)."""
    if not payloads:
        return
    now = now_ms()
    rows = [_row(kind, p, account_id, now, max_attempts, new_sortable_id()) for p in payloads]
    insert_rows(session, Job, rows)
    _wakes(session)


def _row(
    kind: str, payload: Mapping[str, Any], account_id: str | None, run_at: int, max_attempts: int, job_id: str
) -> dict[str, Any]:
    now = now_ms()
    return {
        "id": job_id,
        "account_id": account_id,
        "kind": kind,
        "payload": jsonutil.dumps(dict(payload)),
        "status": QUEUED,
        "attempts": 0,
        "max_attempts": max_attempts,
        "run_at": run_at,
        "created_at": now,
        "updated_at": now,
    }


def _wakes(session: Session) -> None:
    if not session.info.get("wakes_worker"):
        session.info["wakes_worker"] = True
        event.listen(session, "after_commit", _wake, once=True)


def _wake(session: Session) -> None:
    session.info.pop("wakes_worker", None)
    WAKE.set()


def ensure_periodic(session: Session, kind: str, *, delay_ms: int = 0) -> bool:
    """Make sure the one job of a periodic kind exists (its id is ``periodic:<kind>``); True if added."""
    job_id = f"periodic:{kind}"
    if session.get(Job, job_id) is not None:
        return False
    enqueue(session, kind, {}, account_id=None, delay_ms=delay_ms, max_attempts=1_000_000, job_id=job_id)
    return True


_CLAIM = """
UPDATE jobs SET status = 'running', lease_owner = :token, lease_expires_at = :expires,
       attempts = attempts + 1, updated_at = :now
WHERE id IN (
    SELECT id FROM jobs
    WHERE ((status = 'queued' AND run_at <= :now) OR (status = 'running' AND lease_expires_at <= :now)){account}
    ORDER BY run_at, id
    LIMIT :limit{locking}
)
RETURNING id, account_id, kind, payload, attempts, max_attempts
"""


def relaxed_commit(session: Session) -> None:
    """On PostgreSQL, let this transaction's commit return before its WAL is flushed
    (``synchronous_commit = off``, this transaction only). For transactions whose loss in a crash of
    the database server only repeats work: a claim (the job is claimed again), a webhook attempt's
    record with its job's end (the receiver gets the delivery again, at least once). Never for a
    change a client has been told about."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL synchronous_commit = off"))


def claim(db: Database, owner: str, *, limit: int, lease_ms: int, account_id: str | None = None) -> list[ClaimedJob]:
    """Claim up to ``limit`` due jobs for ``owner`` (a worker's name) in one short transaction; only
    ``account_id``'s when given (a worker per account: tests, and per-shard claims on Citus)."""
    token = f"{owner}:{new_sortable_id()}"[:64]
    locking = " FOR UPDATE SKIP LOCKED" if db.engine.dialect.name == "postgresql" else ""
    account = "" if account_id is None else " AND account_id = :account_id"
    now = now_ms()
    with db.unit_of_work() as session:
        relaxed_commit(session)
        rows = session.execute(
            text(_CLAIM.format(locking=locking, account=account)),
            {"token": token, "expires": now + lease_ms, "now": now, "limit": limit, "account_id": account_id},
        ).all()
    claimed = [
        ClaimedJob(r.id, r.account_id, r.kind, jsonutil.loads(r.payload) or {}, r.attempts, r.max_attempts, token)
        for r in rows
    ]
    claimed.sort(key=lambda j: j.id)
    return claimed


def _held(session: Session, job: ClaimedJob) -> Job | None:
    row = session.get(Job, job.id, with_for_update=True)
    return row if row is not None and row.lease_owner == job.token and row.status == RUNNING else None


def _held_by(job: ClaimedJob) -> tuple[Any, ...]:
    return (Job.id == job.id, Job.lease_owner == job.token, Job.status == RUNNING)


def finish(session: Session, job: ClaimedJob, *, again_in_ms: int | None = None) -> bool:
    """The job succeeded: delete it (or, for a periodic job, queue it again in ``again_in_ms``).
    False if the claim no longer holds it. Runs in the caller's transaction, so a handler can finish
    its job in the transaction of its own writes. One statement."""
    if again_in_ms is None:
        statement: Any = delete(Job).where(*_held_by(job))
    else:
        statement = update(Job).where(*_held_by(job)).values(**_queued(now_ms() + again_in_ms, None), attempts=0)
    return _one_row(session, statement)


def finish_many(session: Session, token: str, job_ids: Sequence[str]) -> int:
    """``finish`` (no periodic jobs) for many jobs of one claim (``token``) in one statement; how many
    the claim still held."""
    if not job_ids:
        return 0
    statement = delete(Job).where(Job.id.in_(job_ids), Job.lease_owner == token, Job.status == RUNNING)
    result: Any = session.execute(statement.execution_options(synchronize_session=False))
    return int(result.rowcount)


def release(session: Session, job: ClaimedJob, *, delay_ms: int = 0) -> None:
    """Hand a claimed job back unrun (the attempt is not counted): queued, claimable at once, or
    ``delay_ms`` from now."""
    later = ", run_at = :run_at" if delay_ms > 0 else ""
    session.execute(
        text(
            "UPDATE jobs SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL,"
            f" attempts = attempts - 1{later} WHERE id = :id AND lease_owner = :token"
        ),
        {"id": job.id, "token": job.token, "run_at": now_ms() + delay_ms},
    )


def retry_later(session: Session, job: ClaimedJob, delay_ms: int, error: str | None) -> bool:
    """Queue the job again in ``delay_ms`` (the handler's own schedule, e.g. a webhook's Retry-After)."""
    return _one_row(session, update(Job).where(*_held_by(job)).values(**_queued(now_ms() + max(0, delay_ms), error)))


def _queued(run_at: int, error: str | None) -> dict[str, Any]:
    return {
        "status": QUEUED,
        "run_at": run_at,
        "lease_owner": None,
        "lease_expires_at": None,
        "last_error": None if error is None else error[:MAX_ERROR_LENGTH],
        "updated_at": now_ms(),
    }


def _one_row(session: Session, statement: Any) -> bool:
    result: Any = session.execute(statement.execution_options(synchronize_session=False))
    return bool(result.rowcount == 1)


def fail(session: Session, job: ClaimedJob, error: str) -> bool:
    """The handler raised: retry with backoff, or give up after ``max_attempts`` (status ``failed``)."""
    row = _held(session, job)
    if row is None:
        return False
    if row.attempts >= row.max_attempts:
        row.status = FAILED
        row.lease_owner = None
        row.lease_expires_at = None
        row.last_error = error[:MAX_ERROR_LENGTH]
        row.updated_at = now_ms()
    else:
        for name, value in _queued(now_ms() + backoff_ms(row.attempts), error).items():
            setattr(row, name, value)
    return True


def backoff_ms(attempts: int, *, base_ms: int = 1000, cap_ms: int = 3_600_000) -> int:
    """Exponential backoff with full jitter between half and all of ``base * 2^(attempts-1)``, capped."""
    ceiling = min(cap_ms, base_ms * 2 ** max(0, attempts - 1))
    return int(ceiling * (0.5 + random.random() / 2))  # jitter, not a secret


def counts(session: Session) -> dict[str, int]:
    """Jobs by status (for /metrics and ``premises worker --status``)."""
    rows = session.execute(text("SELECT status, COUNT(*) FROM jobs GROUP BY status")).all()
    return {status: int(n) for status, n in rows}
