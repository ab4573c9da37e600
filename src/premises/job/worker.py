"""Handlers by kind, and the worker that claims jobs and runs them (docs/jobs.md).

A module registers what it handles with ``@handler("kind")`` (``every_s=`` makes it periodic: one
job of that kind exists and runs again ``every_s`` after each success). A handler takes a ``JobRun``
and may settle its job inside its own transaction (``run.done(session)``, ``run.again_in(session,
ms, error)``) so that its writes and the job's new state commit together; when it returns without
settling, the worker finishes the job; when it raises, the worker retries it with backoff.

``Worker.step()`` claims a batch and runs it on a small thread pool; ``Worker.run(stop)`` loops
until ``stop`` is set (``premises worker``); ``premises serve`` calls ``step`` from an asyncio task
(``premises.api.jobs``). Any number of workers may run against one PostgreSQL database: claims are
exclusive (``job.service.claim``).
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import text
from sqlalchemy.orm import Session

from premises.config import Settings
from premises.db.engine import Database
from premises.errors import Conflict
from premises.job import service
from premises.job.service import ClaimedJob
from premises.kit.ids import new_id

log = logging.getLogger("premises.jobs")


@dataclass
class JobRun:
    """One claimed job being run, with what its handler needs."""

    job: ClaimedJob
    db: Database
    settings: Settings
    settled: bool = False

    def done(self, session: Session) -> None:
        """Finish the job in ``session``'s transaction (with the handler's own writes)."""
        self.settled = True
        service.finish(session, self.job)

    def again_in(self, session: Session, delay_ms: int, error: str | None = None) -> None:
        """Run the job again in ``delay_ms``, in ``session``'s transaction."""
        self.settled = True
        service.retry_later(session, self.job, delay_ms, error)


@dataclass(frozen=True, slots=True)
class Handler:
    kind: str
    run: Callable[[JobRun], None]
    every_ms: int | None = None  # periodic


HANDLERS: dict[str, Handler] = {}


HandlerFunction = Callable[[JobRun], None]


def handler(kind: str, *, every_s: float | None = None) -> Callable[[HandlerFunction], HandlerFunction]:
    """Register the handler of ``kind`` (once per kind)."""

    def register(run: HandlerFunction) -> HandlerFunction:
        if kind in HANDLERS and HANDLERS[kind].run is not run:
            raise ValueError(f"a handler for job kind {kind} is already registered")
        HANDLERS[kind] = Handler(kind, run, None if every_s is None else int(every_s * 1000))
        return run

    return register


@dataclass
class Worker:
    db: Database
    settings: Settings
    handlers: Mapping[str, Handler] = field(default_factory=lambda: HANDLERS)
    name: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}:{new_id()}")
    account_id: str | None = None  # claim only this account's jobs (tests; per-shard workers)

    def __post_init__(self) -> None:
        self.concurrency = self.settings.worker_concurrency
        self.lease_ms = self.settings.job_lease_seconds * 1000
        self._pool = ThreadPoolExecutor(self.concurrency, thread_name_prefix="premises-job")
        self._periodic_checked = False

    def ensure_periodic(self) -> None:
        for h in self.handlers.values():
            if h.every_ms is not None:
                try:
                    with self.db.unit_of_work() as session:
                        service.ensure_periodic(session, h.kind)
                except Conflict:  # another worker, starting at the same time, added it first
                    pass
        self._periodic_checked = True

    def step(self) -> int:
        """Claim up to a batch of due jobs and run them; the number claimed."""
        if not self._periodic_checked and self.account_id is None:
            self.ensure_periodic()
        claimed_at = time.monotonic()
        jobs = service.claim(
            self.db, self.name, limit=self.concurrency * 4, lease_ms=self.lease_ms, account_id=self.account_id
        )
        if jobs:
            # A job starts only while at least half the lease is left (a slow batch hands the rest back).
            deadline = claimed_at + self.lease_ms / 2000
            list(self._pool.map(lambda j: self._run(j, deadline), jobs))
        return len(jobs)

    def _run(self, job: ClaimedJob, deadline: float) -> None:
        if time.monotonic() > deadline:
            self._release(job)
            return
        h = self.handlers.get(job.kind)
        if h is None:
            self._settle(lambda s: service.fail(s, job, f"no handler for job kind {job.kind}"))
            return
        run = JobRun(job, self.db, self.settings)
        try:
            h.run(run)
        except Exception as error:  # a handler's failure is the job's, never the worker's
            log.warning("job %s (%s) failed: %r", job.id, job.kind, error, exc_info=True)
            reason = f"{type(error).__name__}: {error}"
            self._settle(lambda s: service.fail(s, job, reason))
            return
        if not run.settled:
            self._settle(lambda s: service.finish(s, job, again_in_ms=h.every_ms))

    def _settle(self, work: Callable[[Session], bool]) -> None:
        try:
            self.db.run(work)
        except Exception:  # the lease expires and another claim runs the job again
            log.exception("could not record a job's outcome")

    def _release(self, job: ClaimedJob) -> None:
        def release(session: Session) -> bool:
            session.execute(
                text(
                    "UPDATE jobs SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL,"
                    " attempts = attempts - 1 WHERE id = :id AND lease_owner = :token"
                ),
                {"id": job.id, "token": job.token},
            )
            return True

        self._settle(release)

    def run(self, stop: threading.Event) -> None:
        """Claim and run jobs until ``stop`` is set; poll every ``PREMISES_WORKER_POLL_SECONDS`` when idle."""
        poll = self.settings.worker_poll_seconds
        while not stop.is_set():
            try:
                claimed = self.step()
            except Exception:  # the database is away: wait and try again
                log.exception("job worker step failed")
                claimed = 0
            if not claimed:
                service.WAKE.wait(poll)
                service.WAKE.clear()

    def close(self) -> None:
        self._pool.shutdown(wait=True)
