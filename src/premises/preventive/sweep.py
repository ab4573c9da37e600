"""The scheduler sweep: due preventive-maintenance triggers make their work orders, exactly once each.

``sweep(session, now)`` runs in the caller's transaction (one unit of work, ADR 5). Per account it
first moves completion-based triggers whose last work order is done to their next occurrence, then
claims the due triggers (``FOR UPDATE SKIP LOCKED`` on PostgreSQL: parallel sweeps take different
triggers; SQLite has one writer at a time) and makes their work orders: set-based for the batch
(``bulk.generate_many``), one at a time (``service.generate``) for templates with parts and for a batch
the set-based path could not make.

Exactly once: a trigger row is locked while its occurrence is made and moved past; the unique key
(account, trigger, occurrence) of ``pm_work_orders`` refuses a second work order for an occurrence
whatever happens; a sweep that dies rolls back entirely, so the next one makes what it did not. A
late sweep (a worker down for days) makes one work order, for the latest occurrence that is due:
missed occurrences before it are skipped (docs/preventive-maintenance.md).

The ``pm.sweep`` job runs it every minute (a periodic job, ``job.worker.handler(every_s=...)``), in
batches of ``BATCH`` triggers per transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from premises.errors import PremisesError
from premises.job.worker import JobRun, handler
from premises.kit.time import now_ms
from premises.models import Account, PmTrigger, WorkOrder
from premises.preventive import bulk, recurrence, service
from premises.work_order.commands import Status

log = logging.getLogger("premises.preventive")

BATCH = 200  # triggers per transaction: one set-based chunk (bulk.py)
EVERY_S = 60


@dataclass(frozen=True, slots=True)
class Swept:
    triggers: int  # due triggers claimed
    created: int  # work orders made


def _running(account_id: str) -> tuple[ColumnElement[bool], ...]:
    return (
        PmTrigger.account_id == account_id,
        PmTrigger.deleted_at.is_(None),
        PmTrigger.is_paused.is_(False),
        PmTrigger.is_archived.is_(False),
    )


def sweep(session: Session, now: int, *, limit: int = BATCH, account_id: str | None = None) -> Swept:
    """Make the work orders of up to ``limit`` due triggers (of ``account_id``'s, else every account)."""
    accounts = [account_id] if account_id else list(session.scalars(select(Account.id).order_by(Account.id)))
    triggers = created = 0
    for account in accounts:
        if triggers >= limit:
            break
        _completed(session, account, now)
        due = session.scalars(
            select(PmTrigger)
            .where(*_running(account), PmTrigger.next_due_at <= now)
            .order_by(PmTrigger.next_due_at, PmTrigger.id)
            .limit(limit - triggers)
            .with_for_update(skip_locked=True)
        ).all()
        triggers += len(due)
        created += _make_chunk(session, account, due, now)
    return Swept(triggers, created)


def _due_at(trigger: PmTrigger, schedule: recurrence.Schedule, now: int) -> int:
    """The occurrence a sweep at ``now`` makes: the latest one due (a late sweep skips the missed ones)."""
    assert trigger.next_due_at is not None  # selected as due
    latest = recurrence.latest_until(schedule, now)
    return max(trigger.next_due_at, latest or trigger.next_due_at)


def _make_chunk(session: Session, account_id: str, triggers: Sequence[PmTrigger], now: int) -> int:
    """The set-based path for the triggers it takes (``bulk``), in a savepoint; if it fails (a bad template,
    a bug, another sweep's link), the chunk is made one trigger at a time instead."""
    schedules = {t.id: service.schedule_of(t) for t in triggers}
    due = [(t, _due_at(t, schedules[t.id], now)) for t in triggers]
    ready = [(t, d) for t, d in due if bulk.bulk_ready(t)]
    created = 0
    if ready:
        try:
            with session.begin_nested():
                created = bulk.generate_many(session, account_id, ready, now, schedules)
        except Exception as error:
            log.warning("pm sweep of %s: one trigger at a time after %r", account_id, error, exc_info=True)
            ready = []
    taken = {t.id for t, _ in ready}
    return created + sum(_make(session, t, d, now) for t, d in due if t.id not in taken)


def _make(session: Session, trigger: PmTrigger, due_at: int, now: int) -> int:
    try:  # one trigger that fails (a bad template, a bug) never stops the others: its savepoint undoes it
        with session.begin_nested():
            made = service.generate(session, trigger, due_at, now)
    except Exception as error:
        level = logging.WARNING if isinstance(error, PremisesError) else logging.ERROR
        log.log(level, "pm trigger %s/%s made no work order: %r", trigger.account_id, trigger.id, error, exc_info=True)
        return 0
    return 0 if made is None else 1


def _completed(session: Session, account_id: str, now: int) -> None:
    """Completion-based triggers waiting on a work order that is now complete (or gone): their next occurrence."""
    rows = session.execute(
        select(PmTrigger, WorkOrder)
        .join(
            WorkOrder,
            (WorkOrder.account_id == PmTrigger.account_id) & (WorkOrder.id == PmTrigger.last_work_order_id),
        )
        .where(
            *_running(account_id),
            PmTrigger.next_on_completion.is_(True),
            PmTrigger.next_due_at.is_(None),
            PmTrigger.schedule_has_ended.is_(False),
            (WorkOrder.status == Status.COMPLETE.value) | WorkOrder.deleted_at.is_not(None) | WorkOrder.archived,
        )
        .with_for_update(of=PmTrigger, skip_locked=True)
    ).all()
    for trigger, work_order in rows:
        done_at = work_order.date_completed if work_order.status == Status.COMPLETE.value else None
        trigger.next_due_at = recurrence.after_completion(service.schedule_of(trigger), done_at or now)
        trigger.schedule_has_ended = trigger.next_due_at is None
        trigger.updated_at = max(now, trigger.updated_at)


@handler("pm.sweep", every_s=EVERY_S)
def run_sweep(run: JobRun) -> None:
    """The periodic job: sweep in batches until nothing more is due now."""
    now = now_ms()
    while run.db.run(lambda session: sweep(session, now)).triggers >= BATCH:
        pass
