"""The one evaluation of a new meter reading against the meter's notifications (docs/meters.md).

Every way a reading arrives (the API, checklist METER items) goes through
``meter.service.add_reading``, which enqueues a ``meter.evaluate`` job in the reading's transaction
(docs/jobs.md). The job (:func:`evaluate_pending`) evaluates the meter's readings that are not
evaluated yet, in the order they arrived, with the meter row locked: readings of one meter are
evaluated one after the other, each seeing what the previous one wrote, so a threshold crossed by
many readings at once creates one work order. Evaluation is idempotent (``evaluated_at``), so the job
may run twice. Whether a reading is back-dated is judged against the readings that had arrived when
it did, as if it had been evaluated on arrival.

The rules (``condition_met`` is the table, ``tests/domain/meter/test_evaluation.py`` pins it):

- ONE_TIME_IS_GREATER_THAN / ONE_TIME_IS_LESS_THAN: the first reading above / below the trigger
  value fires; the notification then stays quiet until it is edited (which re-arms it).
- EVERY_TIME_IS_GREATER_THAN / _LESS_THAN / _EQUAL_TO: every reading above / below / equal to the
  trigger value is a hit.
- EVERY_TIME_REACHES: an interval. A reading at least ``trigger_value`` units above the baseline
  (``last_value_for_work_order``) is a hit; the work order moves the baseline to the last multiple
  of the interval it passed (100, 200, 300 for "every 100", however late the reading), so the
  schedule never drifts and a jump over several intervals creates one work order.
- At most one open work order per notification (``one_open_work_order``, on by default): while the
  last work order it created is open (not complete, archived or deleted), a hit is recorded
  (``MeterTriggerHit`` with outcome ``open_work_order``) and creates nothing; an interval's baseline
  then stays, so the interval is still due when that work order is done.
- A reading dated before the meter's latest reading is history: it is stored, never evaluated.
- A reset (``is_reset``: the meter was reset or replaced) keeps each interval's progress: the
  baseline moves by the drop, so "every 5,000 km" still comes due 5,000 km after the last service.

The work order is created through ``work_order.service.create_work_order`` as the account (an
admin's authority) in the name of the user whose reading triggered it: the notification's title,
description, assignee and category, the meter's asset and location (those still live).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from premises.account.categories import first_category
from premises.event.service import record_event, snapshot
from premises.event.types import EventType
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.job.worker import JobRun, handler
from premises.kit.ids import new_id
from premises.kit.references import live_id
from premises.kit.time import now_ms
from premises.meter.commands import ONE_TIME, HitOutcome, TriggerFrequency
from premises.models import Asset, Meter, MeterNotification, MeterReading, MeterTriggerHit, Place, User, WorkOrder
from premises.work_order.commands import Status, WorkOrderCreate
from premises.work_order.service import create_work_order

EVALUATE_JOB = "meter.evaluate"  # enqueued with each reading (``meter.service.add_reading``)
DEFAULT_CATEGORY = "Meter"  # an account's default work-order category for meter work (account.service)

# Other rules that watch readings (preventive maintenance's meter triggers): called by ``evaluate`` for
# every reading it takes (not back-dated ones, not twice), in the reading's transaction, with the meter
# locked. Registered at import by the package that owns the rule (``on_reading``), so meter imports none.
ReadingListener = Callable[[Session, Principal, Meter, MeterReading], object]
LISTENERS: list[ReadingListener] = []


def on_reading(listener: ReadingListener) -> ReadingListener:
    """Register ``listener(session, principal, meter, reading)`` for every evaluated reading (decorator)."""
    if listener not in LISTENERS:
        LISTENERS.append(listener)
    return listener


def condition_met(frequency: str, trigger_value: float, baseline: float, value: float, *, fired: bool) -> bool:
    """Whether a reading of ``value`` is a hit of a notification (the semantics table)."""
    match TriggerFrequency(frequency):
        case TriggerFrequency.ONE_TIME_IS_GREATER_THAN:
            return not fired and value > trigger_value
        case TriggerFrequency.ONE_TIME_IS_LESS_THAN:
            return not fired and value < trigger_value
        case TriggerFrequency.EVERY_TIME_IS_GREATER_THAN:
            return value > trigger_value
        case TriggerFrequency.EVERY_TIME_IS_LESS_THAN:
            return value < trigger_value
        case TriggerFrequency.EVERY_TIME_IS_EQUAL_TO:
            return math.isclose(value, trigger_value, rel_tol=1e-9, abs_tol=1e-9)
        case TriggerFrequency.EVERY_TIME_REACHES:
            return trigger_value > 0 and value - baseline >= trigger_value
    return False  # pragma: no cover - every member is matched above


def next_baseline(baseline: float, interval: float, value: float) -> float:
    """The interval's new baseline after a work order at ``value``: the last multiple it passed."""
    return baseline + interval * math.floor((value - baseline) / interval)


def acting_principal(principal: Principal) -> Principal:
    """Who creates a triggered work order: the account, with an admin's authority (the notification was
    allowed when it was set up), in the name of the user whose reading triggered it."""
    return Principal(principal.account_id, principal.user_id, Role.ADMIN)


def evaluate(session: Session, principal: Principal, meter_id: str, reading: MeterReading) -> list[MeterTriggerHit]:
    """Evaluate a new reading against the meter's live notifications; the hits it made, in order.

    Runs in the reading's transaction and takes the meter's row lock (already held when called from
    ``meter.service.add_reading``). A reading is evaluated once (``evaluated_at``): evaluating it again
    changes nothing, so a job that runs it at least once may retry it.
    """
    account_id = principal.account_id
    meter = session.get(Meter, (account_id, meter_id), with_for_update=True)
    if meter is None or meter.deleted_at is not None or reading.deleted_at is not None:
        return []
    if reading.evaluated_at is not None:
        return []  # evaluated already (a retried job): once per reading
    reading.evaluated_at = now_ms()
    live = (
        MeterReading.account_id == account_id,
        MeterReading.meter_id == meter.id,
        MeterReading.deleted_at.is_(None),
        MeterReading.id != reading.id,
        # What had arrived before it (its job may run later): readings of the same millisecond count if
        # evaluated already (``evaluate_pending`` takes them in date order).
        (MeterReading.created_at < reading.created_at)
        | ((MeterReading.created_at == reading.created_at) & MeterReading.evaluated_at.is_not(None)),
    )
    if session.scalar(select(MeterReading.id).where(*live, MeterReading.date > reading.date).limit(1)) is not None:
        return []  # back-dated: history
    notifications = session.scalars(
        select(MeterNotification)
        .where(
            MeterNotification.account_id == account_id,
            MeterNotification.meter_id == meter.id,
            MeterNotification.deleted_at.is_(None),
        )
        .order_by(MeterNotification.created_at, MeterNotification.id)
    ).all()
    if reading.is_reset:
        previous = session.scalars(
            select(MeterReading)
            .where(*live, MeterReading.date <= reading.date)
            .order_by(MeterReading.date.desc(), MeterReading.created_at.desc())
            .limit(1)
        ).first()
        if previous is not None:
            _rebase(notifications, previous.value, reading.value)
    hits = []
    for notification in notifications:
        if condition_met(
            notification.trigger_frequency,
            notification.trigger_value,
            notification.last_value_for_work_order,
            reading.value,
            fired=notification.fired_at is not None,
        ):
            hits.append(_hit(session, principal, meter, notification, reading))
    for listener in LISTENERS:
        listener(session, principal, meter, reading)
    return hits


def evaluate_pending(session: Session, account_id: str, meter_id: str) -> int:
    """Evaluate the meter's readings not evaluated yet, in the order they arrived (the ``meter.evaluate``
    job, enqueued with each reading); each in the name of the user who recorded it. The number evaluated."""
    meter = session.get(Meter, (account_id, meter_id), with_for_update=True)
    if meter is None:
        return 0
    pending = session.scalars(
        select(MeterReading)
        .where(
            MeterReading.account_id == account_id,
            MeterReading.meter_id == meter_id,
            MeterReading.evaluated_at.is_(None),
            MeterReading.deleted_at.is_(None),
        )
        .order_by(MeterReading.created_at, MeterReading.date, MeterReading.id)
    ).all()
    for reading in pending:
        user_id = reading.created_by_user_id or meter.created_by_user_id
        if user_id is None:  # nobody to act for (no such reading is recorded today): history
            reading.evaluated_at = now_ms()
            continue
        evaluate(session, Principal(account_id, user_id, Role.ADMIN), meter_id, reading)
    return len(pending)


@handler(EVALUATE_JOB)
def run_evaluation(run: JobRun) -> None:
    """The ``meter.evaluate`` job: the meter's pending readings, and the job's end, in one transaction."""
    job = run.job
    assert job.account_id is not None  # enqueued with its reading's account

    def work(session: Session) -> None:
        evaluate_pending(session, str(job.account_id), str(job.payload["meter_id"]))
        run.done(session)

    run.db.run(work)


def _rebase(notifications: Sequence[MeterNotification], before: float, after: float) -> None:
    """A reset from ``before`` to ``after``: intervals keep the progress they had made."""
    for notification in notifications:
        if notification.trigger_frequency == TriggerFrequency.EVERY_TIME_REACHES:
            notification.last_value_for_work_order += after - before


def _is_open(session: Session, account_id: str, work_order_id: str | None) -> bool:
    if work_order_id is None:
        return False
    work_order = session.get(WorkOrder, (account_id, work_order_id))
    return (
        work_order is not None
        and work_order.deleted_at is None
        and not work_order.archived
        and work_order.status != Status.COMPLETE
    )


def _hit(
    session: Session, principal: Principal, meter: Meter, notification: MeterNotification, reading: MeterReading
) -> MeterTriggerHit:
    account_id = principal.account_id
    now = now_ms()
    hit = MeterTriggerHit(
        account_id=account_id,
        id=new_id(),
        notification_id=notification.id,
        meter_id=meter.id,
        reading_id=reading.id,
        value=reading.value,
        outcome=HitOutcome.OPEN_WORK_ORDER.value,
        created_at=now,
    )
    if not (notification.one_open_work_order and _is_open(session, account_id, notification.last_work_order_id)):
        work_order = create_work_order(
            session, acting_principal(principal), _work_order_of(session, meter, notification)
        )
        hit.outcome, hit.work_order_id = HitOutcome.CREATED.value, work_order.id
        notification.last_work_order_id = work_order.id
        if notification.trigger_frequency in ONE_TIME:
            notification.fired_at = now
        if notification.trigger_frequency == TriggerFrequency.EVERY_TIME_REACHES:
            notification.last_value_for_work_order = next_baseline(
                notification.last_value_for_work_order, notification.trigger_value, reading.value
            )
        notification.updated_at = max(now, notification.updated_at)
    session.add(hit)
    session.flush()
    record_event(
        session,
        account_id=account_id,
        type=EventType.METER_NOTIFICATION_TRIGGERED,
        resource_type="meter_notification",
        resource_id=notification.id,
        payload={**snapshot(notification), "hit": snapshot(hit)},
        actor_user_id=principal.user_id,
    )
    return hit


def _category(session: Session, account_id: str, notification: MeterNotification) -> str | None:
    """The notification's work-order category, else the account's "Meter" category; None if neither exists."""
    return first_category(session, account_id, "work_order", (notification.category, DEFAULT_CATEGORY))


def _work_order_of(session: Session, meter: Meter, notification: MeterNotification) -> WorkOrderCreate:
    account_id = meter.account_id
    return WorkOrderCreate(
        title=notification.title,
        description=notification.description,
        category=_category(session, account_id, notification),
        asset_id=live_id(session, Asset, account_id, meter.asset_id),
        location_id=live_id(session, Place, account_id, meter.location_id),
        assigned_to_user_id=live_id(session, User, account_id, notification.assigned_to_user_id),
    )
