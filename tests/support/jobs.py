"""Running the job worker inside a test: ``run_jobs`` steps a real Worker until nothing is due."""

from __future__ import annotations

import time

from premises.api.jobs import load_handlers
from premises.config import Settings
from premises.db.engine import Database
from premises.job.worker import Worker


def worker(db: Database, settings: Settings, account_id: str, **overrides: object) -> Worker:
    """A worker that claims only ``account_id``'s jobs (other tests' jobs stay queued)."""
    return Worker(
        db, settings.model_copy(update=overrides) if overrides else settings, load_handlers(), account_id=account_id
    )


def run_jobs(w: Worker, *, rounds: int = 50) -> int:
    """Step ``w`` until a step claims nothing (at most ``rounds`` steps); the jobs claimed in all."""
    total = 0
    for _ in range(rounds):
        claimed = w.step()
        if not claimed:
            return total
        total += claimed
    return total


def run_jobs_until(w: Worker, done: object, *, timeout: float = 20) -> None:
    """Step ``w`` until ``done()`` is true (jobs due later, e.g. retries, become due meanwhile)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if done():  # type: ignore[operator]
            return
        if not w.step():
            time.sleep(0.05)
    raise AssertionError("the jobs did not get there in time")


def run_account_jobs(db: Database, account_id: str, *, concurrency: int = 1) -> int:
    """Run ``account_id``'s due jobs now, ``concurrency`` at a time (what the embedded worker does after a
    request: meter evaluation, webhook fan-out); the jobs claimed."""
    settings = Settings(worker_concurrency=concurrency)
    return run_jobs(Worker(db, settings, load_handlers(), account_id=account_id))
