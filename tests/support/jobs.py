"""Running the job worker inside a test: ``run_jobs`` steps a real Worker until nothing is due;
``run_fan_out`` runs one event's webhook fan-out as the worker would, without claiming anything else."""

from __future__ import annotations

import time

from sqlalchemy import select

from premises.api.jobs import load_handlers
from premises.config import Settings
from premises.db.engine import Database
from premises.event.service import FANOUT_JOB
from premises.job.service import DEFAULT_MAX_ATTEMPTS, ClaimedJob
from premises.job.worker import JobRun, Worker
from premises.kit.ids import new_sortable_id
from premises.models import WebhookDelivery
from premises.webhook.delivery import fan_out_many


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


def run_fan_out(db: Database, account_id: str, event_id: str, *, attempt: int = 1) -> list[str]:
    """Fan the account's event ``event_id`` out through ``fan_out_many`` (a batch of one, the job a
    worker would have claimed; ``attempt`` > 1 is a re-run after a worker died); the ids of the
    deliveries it added. The event's own queued fan-out job stays queued (no other job is claimed)."""

    def deliveries() -> set[str]:
        with db.unit_of_work() as session:
            return set(
                session.scalars(
                    select(WebhookDelivery.id).where(
                        WebhookDelivery.account_id == account_id, WebhookDelivery.event_id == event_id
                    )
                )
            )

    before = deliveries()
    job = ClaimedJob(
        new_sortable_id(), account_id, FANOUT_JOB, {"event_id": event_id}, attempt, DEFAULT_MAX_ATTEMPTS, "test"
    )
    fan_out_many([JobRun(job, db, Settings())])
    return sorted(deliveries() - before)
