"""Handlers by kind, and the worker that claims jobs and runs them (docs/jobs.md).

A module registers what it handles with ``@handler("kind")`` (``every_s=`` makes it periodic: one
job of that kind exists and runs again ``every_s`` after each success; ``batch=`` also gives a
function that runs many claimed jobs of the kind at once, e.g. in one transaction). A handler takes a ``JobRun``
and may settle its job inside its own transaction (``run.done(session)``, ``run.again_in(session,
ms, error)``) so that its writes and the job's new state commit together; when it returns without
settling, the worker finishes the job; when it raises, the worker retries it with backoff.

``Worker.step()`` claims a batch and runs it on a small thread pool (the jobs of a kind with a batch
function split into one share per thread, each share one call; when that call raises, its jobs
that it did not settle run one by one); ``Worker.run(stop)`` loops
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
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

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
    deadline: float = float("inf")  # time.monotonic() past which the job must not start: release it

    def done(self, session: Session) -> None:
        """Finish the job in ``session``'s transaction (with the handler's own writes)."""
        self.settled = True
        service.finish(session, self.job)

    def again_in(self, session: Session, delay_ms: int, error: str | None = None) -> None:
        """Run the job again in ``delay_ms``, in ``session``'s transaction."""
        self.settled = True
        service.retry_later(session, self.job, delay_ms, error)

    def release(self, session: Session, delay_ms: int = 0) -> None:
        """Hand the job back unrun (too little of its lease is left, or its batch put it off): it is
        claimed again at once, or ``delay_ms`` from now; the attempt is not counted."""
        self.settled = True
        service.release(session, self.job, delay_ms=delay_ms)


def done_all(session: Session, runs: Sequence[JobRun]) -> None:
    """Finish every run's job in ``session``'s transaction: one statement per claim (a batch's jobs
    share their claim's token). A batch function marks them ``settled`` once that transaction commits
    (``settle_together``)."""
    by_token: dict[str, list[str]] = {}
    for run in runs:
        by_token.setdefault(run.job.token, []).append(run.job.id)
    for token, ids in by_token.items():
        service.finish_many(session, token, ids)


def settle_together(db: Database, work: Callable[[Session], object], runs: Sequence[JobRun]) -> None:
    """Run ``work`` (which settles ``runs``' jobs) in one unit of work; ``runs`` are settled only if it
    commits, so that when a batch function raises, the worker runs exactly the unsettled jobs again."""
    try:
        db.run(work)
    except Exception:
        for run in runs:
            run.settled = False
        raise
    for run in runs:
        run.settled = True


HandlerFunction = Callable[[JobRun], None]
BatchFunction = Callable[[Sequence[JobRun]], None]


@dataclass(frozen=True, slots=True)
class Handler:
    kind: str
    run: HandlerFunction
    every_ms: int | None = None  # periodic
    batch: BatchFunction | None = None  # runs several jobs of the kind at once


HANDLERS: dict[str, Handler] = {}


def handler(
    kind: str, *, every_s: float | None = None, batch: BatchFunction | None = None
) -> Callable[[HandlerFunction], HandlerFunction]:
    """Register the handler of ``kind`` (once per kind), and ``batch``, the same work for many jobs."""

    def register(run: HandlerFunction) -> HandlerFunction:
        if kind in HANDLERS and HANDLERS[kind].run is not run:
            raise ValueError(f"a handler for job kind {kind} is already registered")
        HANDLERS[kind] = Handler(kind, run, None if every_s is None else int(every_s * 1000), batch)
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
        self.claim_limit = self.concurrency * self.settings.worker_claim_per_thread
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
            self.db, self.name, limit=self.claim_limit, lease_ms=self.lease_ms, account_id=self.account_id
        )
        if jobs:
            # A job starts only while at least half the lease is left (a slow batch hands the rest back).
            deadline = claimed_at + self.lease_ms / 2000
            list(self._pool.map(lambda task: task(deadline), self._tasks(jobs)))
        return len(jobs)

    def _tasks(self, jobs: Sequence[ClaimedJob]) -> list[Callable[[float], None]]:
        """One task per job, except that the jobs of a kind with a batch function are shared out in
        one call per thread."""
        tasks: list[Callable[[float], None]] = []
        batched: dict[str, list[ClaimedJob]] = {}
        for job in jobs:
            h = self.handlers.get(job.kind)
            if h is not None and h.batch is not None:
                batched.setdefault(job.kind, []).append(job)
            else:
                tasks.append(lambda deadline, job=job: self._run(job, deadline))  # type: ignore[misc]
        for kind, same in batched.items():
            shares = min(self.concurrency, len(same))
            for n in range(shares):
                share = same[n::shares]
                tasks.append(lambda deadline, h=self.handlers[kind], share=share: self._run_batch(h, share, deadline))  # type: ignore[misc]
        return tasks

    def _run_batch(self, h: Handler, jobs: Sequence[ClaimedJob], deadline: float) -> None:
        if time.monotonic() > deadline:
            for job in jobs:
                self._release(job)
            return
        assert h.batch is not None
        runs = [JobRun(job, self.db, self.settings, deadline=deadline) for job in jobs]
        try:
            h.batch(runs)
        except Exception as error:  # one bad job must not hold the others back: run them one by one
            log.warning("job batch of %d (%s) failed: %r", len(runs), h.kind, error, exc_info=True)
            for run in runs:
                if not run.settled:
                    self._run(run.job, deadline)
            return
        unsettled = [run for run in runs if not run.settled]
        if unsettled:
            self._settle(lambda s: done_all(s, unsettled))

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

    def _settle(self, work: Callable[[Session], object]) -> None:
        try:
            self.db.run(work)
        except Exception:  # the lease expires and another claim runs the job again
            log.exception("could not record a job's outcome")

    def _release(self, job: ClaimedJob) -> None:
        self._settle(lambda session: service.release(session, job))

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
