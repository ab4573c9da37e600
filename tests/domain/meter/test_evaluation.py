"""The meter evaluation rules (meter.evaluation; docs/meters.md): the trigger semantics table, one
open work order per notification, intervals without drift, resets that keep progress, back-dated
readings as history. Service level: real database, no HTTP."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from premises.asset import service as assets
from premises.errors import DomainValidation, ErrorCode
from premises.identity.permissions import Role
from premises.meter import evaluation, service
from premises.meter.commands import (
    MeterCreate,
    NotificationChanges,
    NotificationCreate,
    ReadingChanges,
    ReadingCreate,
    TriggerFrequency,
)
from premises.models import MeterNotification, MeterReading, MeterTriggerHit, WorkOrder
from premises.work_order import service as work_orders
from premises.work_order.commands import Status, WorkOrderChanges
from tests.domain.conftest import DomainAccount
from tests.support.factories import make_asset, make_place
from tests.support.jobs import run_account_jobs

T = TriggerFrequency
DAY = 86_400_000
START = 1_800_000_000_000


# ------------------------------------------------------------------------------------------ the table


@pytest.mark.parametrize(
    ("frequency", "trigger", "baseline", "value", "fired", "met"),
    [
        (T.ONE_TIME_IS_GREATER_THAN, 100, 0, 101, False, True),
        (T.ONE_TIME_IS_GREATER_THAN, 100, 0, 100, False, False),
        (T.ONE_TIME_IS_GREATER_THAN, 100, 0, 150, True, False),
        (T.ONE_TIME_IS_LESS_THAN, 100, 0, 99.5, False, True),
        (T.ONE_TIME_IS_LESS_THAN, 100, 0, 100, False, False),
        (T.ONE_TIME_IS_LESS_THAN, 100, 0, 1, True, False),
        (T.EVERY_TIME_IS_GREATER_THAN, 100, 0, 100.01, True, True),
        (T.EVERY_TIME_IS_GREATER_THAN, 100, 0, 100, False, False),
        (T.EVERY_TIME_IS_LESS_THAN, -5, 0, -6, True, True),
        (T.EVERY_TIME_IS_LESS_THAN, -5, 0, -5, False, False),
        (T.EVERY_TIME_IS_EQUAL_TO, 0.3, 0, 0.1 + 0.2, False, True),
        (T.EVERY_TIME_IS_EQUAL_TO, 7, 0, 7.001, False, False),
        (T.EVERY_TIME_REACHES, 100, 200, 300, False, True),
        (T.EVERY_TIME_REACHES, 100, 200, 299.9, False, False),
        (T.EVERY_TIME_REACHES, 100, 200, 150, False, False),
        (T.EVERY_TIME_REACHES, 100, -50, 50, False, True),
    ],
)
def test_the_semantics_table(
    frequency: TriggerFrequency, trigger: float, baseline: float, value: float, fired: bool, met: bool
) -> None:
    assert evaluation.condition_met(frequency, trigger, baseline, value, fired=fired) is met


@pytest.mark.parametrize(
    ("baseline", "interval", "value", "expected"),
    [(0, 100, 100, 100), (0, 100, 135, 100), (100, 100, 460, 400), (-30, 100, 75, 70)],
)
def test_an_interval_moves_to_the_last_multiple_it_passed(
    baseline: float, interval: float, value: float, expected: float
) -> None:
    assert evaluation.next_baseline(baseline, interval, value) == expected


# ------------------------------------------------------------------------------------------ helpers


def _meter(account: DomainAccount, **fields: object) -> str:
    command = MeterCreate(name="Run hours", units="h", frequency=7, **fields)  # type: ignore[arg-type]
    return account.write(lambda s: service.create_meter(s, account.admin, command).id)


def _notify(account: DomainAccount, meter_id: str, frequency: TriggerFrequency, value: float, **fields: object) -> str:
    command = NotificationCreate(title="Service", trigger_value=value, trigger_frequency=frequency, **fields)  # type: ignore[arg-type]
    return account.write(lambda s: service.create_notification(s, account.admin, meter_id, command).id)


def _read(account: DomainAccount, meter_id: str, value: float, date: int | None = None, **fields: object) -> str:
    command = ReadingCreate(value=value, date=date, **fields)  # type: ignore[arg-type]
    reading = account.write(lambda s: service.add_reading(s, account.admin, meter_id, command).id)
    run_account_jobs(account.db, account.account_id)  # the meter.evaluate job the reading enqueued
    return reading


def _hits(account: DomainAccount, notification_id: str) -> list[tuple[float, str, str | None]]:
    def work(session: object) -> list[tuple[float, str, str | None]]:
        rows = session.scalars(  # type: ignore[attr-defined]
            select(MeterTriggerHit)
            .where(MeterTriggerHit.account_id == account.account_id, MeterTriggerHit.notification_id == notification_id)
            .order_by(MeterTriggerHit.created_at, MeterTriggerHit.value)
        )
        return [(h.value, h.outcome, h.work_order_id) for h in rows]

    return account.write(work)


def _work_orders(account: DomainAccount) -> list[WorkOrder]:
    def work(session: object) -> list[WorkOrder]:
        rows = session.scalars(  # type: ignore[attr-defined]
            select(WorkOrder).where(WorkOrder.account_id == account.account_id).order_by(WorkOrder.work_order_no)
        )
        found = list(rows)
        for row in found:
            session.expunge(row)  # type: ignore[attr-defined]
        return found

    return account.write(work)


def _complete(account: DomainAccount, work_order_id: str) -> None:
    account.write(
        lambda s: work_orders.update_work_order(
            s, account.admin, work_order_id, WorkOrderChanges(status=Status.COMPLETE)
        )
    )


def _notification(account: DomainAccount, notification_id: str) -> MeterNotification:
    def work(session: object) -> MeterNotification:
        found = session.get(MeterNotification, (account.account_id, notification_id))  # type: ignore[attr-defined]
        session.expunge(found)  # type: ignore[attr-defined]
        return found  # type: ignore[no-any-return]

    return account.write(work)


# ------------------------------------------------------------------------------------------ work orders


def test_a_hit_creates_the_work_order_the_notification_describes(account: DomainAccount) -> None:
    place = make_place(account.db, account.account_id)
    asset = make_asset(account.db, account.account_id, location_id=place)
    tech = account.principal(Role.TECH)
    meter = _meter(account, asset_id=asset, location_id=place)
    notification = _notify(
        account,
        meter,
        T.EVERY_TIME_IS_GREATER_THAN,
        80,
        description="Too hot",
        assigned_to_user_id=tech.user_id,
    )
    reading = account.write(lambda s: service.add_reading(s, tech, meter, ReadingCreate(value=81)).id)
    run_account_jobs(account.db, account.account_id)
    [work_order] = _work_orders(account)
    assert (work_order.title, work_order.description, work_order.category) == ("Service", "Too hot", "Meter")
    assert (work_order.asset_id, work_order.location_id) == (asset, place)
    assert work_order.assigned_to_user_id == tech.user_id and work_order.created_by_user_id == tech.user_id
    assert _hits(account, notification) == [(81.0, "created", work_order.id)]
    assert _notification(account, notification).last_work_order_id == work_order.id
    assert account.event_types(notification) == ["METER_NOTIFICATION_CREATED", "METER_NOTIFICATION_TRIGGERED"]
    assert account.event_types(reading) == ["METER_READING_CREATED"]
    assert account.event_types(work_order.id) == ["WORK_ORDER_CREATED"]


def test_the_notification_category_is_used_and_a_removed_one_falls_back(account: DomainAccount) -> None:
    meter = _meter(account)
    _notify(account, meter, T.EVERY_TIME_IS_GREATER_THAN, 0, category="Safety", one_open_work_order=False)
    _read(account, meter, 1)
    assert [w.category for w in _work_orders(account)] == ["Safety"]


def test_one_open_work_order_per_notification_and_hits_are_recorded(account: DomainAccount) -> None:
    meter = _meter(account)
    notification = _notify(account, meter, T.EVERY_TIME_IS_GREATER_THAN, 100)
    _read(account, meter, 101)
    _read(account, meter, 102)
    _read(account, meter, 50)  # no hit
    [first] = _work_orders(account)
    assert _hits(account, notification) == [(101.0, "created", first.id), (102.0, "open_work_order", None)]
    _complete(account, first.id)
    _read(account, meter, 103)
    assert len(_work_orders(account)) == 2


def test_without_the_rule_every_hit_creates_a_work_order(account: DomainAccount) -> None:
    meter = _meter(account)
    _notify(account, meter, T.EVERY_TIME_IS_GREATER_THAN, 100, one_open_work_order=False)
    for value in (101, 102, 103):
        _read(account, meter, value)
    assert len(_work_orders(account)) == 3


def test_a_deleted_work_order_is_not_open(account: DomainAccount) -> None:
    meter = _meter(account)
    _notify(account, meter, T.EVERY_TIME_IS_LESS_THAN, 10)
    _read(account, meter, 5)
    [first] = _work_orders(account)
    account.write(lambda s: work_orders.delete_work_order(s, account.admin, first.id))
    _read(account, meter, 4)
    assert len(_work_orders(account)) == 2


def test_one_time_fires_once_and_an_edit_re_arms_it(account: DomainAccount) -> None:
    meter = _meter(account)
    notification = _notify(account, meter, T.ONE_TIME_IS_GREATER_THAN, 100, one_open_work_order=False)
    _read(account, meter, 150)
    _read(account, meter, 160)
    assert len(_work_orders(account)) == 1 and _notification(account, notification).fired_at is not None
    account.write(
        lambda s: service.update_notification(s, account.admin, meter, notification, NotificationChanges(title="Again"))
    )
    assert _notification(account, notification).fired_at is None
    _read(account, meter, 170)
    _read(account, meter, 180)
    assert [w.title for w in _work_orders(account)] == ["Service", "Again"]


def test_an_interval_fires_every_n_units_without_drift(account: DomainAccount) -> None:
    meter = _meter(account, cumulative=True)
    notification = _notify(account, meter, T.EVERY_TIME_REACHES, 100, one_open_work_order=False)
    for value in (40, 99, 105, 180, 230, 460):
        _read(account, meter, value)
    assert [h[0] for h in _hits(account, notification)] == [105.0, 230.0, 460.0]
    assert _notification(account, notification).last_value_for_work_order == 400
    assert len(_work_orders(account)) == 3


def test_an_interval_with_an_open_work_order_stays_due(account: DomainAccount) -> None:
    meter = _meter(account, cumulative=True)
    notification = _notify(account, meter, T.EVERY_TIME_REACHES, 100, last_value_for_work_order=200)
    _read(account, meter, 310)
    _read(account, meter, 420)  # the 400 service is due, but the 300 one is still open
    assert _notification(account, notification).last_value_for_work_order == 300
    [first] = _work_orders(account)
    _complete(account, first.id)
    _read(account, meter, 425)
    assert _notification(account, notification).last_value_for_work_order == 400
    assert [h[1] for h in _hits(account, notification)] == ["created", "open_work_order", "created"]


def test_a_reset_keeps_the_interval_progress(account: DomainAccount) -> None:
    meter = _meter(account, cumulative=True)
    notification = _notify(account, meter, T.EVERY_TIME_REACHES, 5000, one_open_work_order=False)
    _read(account, meter, 5100)  # service at 5000
    _read(account, meter, 8000)  # 3000 into the next interval
    _read(account, meter, 0, is_reset=True)  # the odometer is replaced
    assert _notification(account, notification).last_value_for_work_order == -3000
    _read(account, meter, 1900)
    assert len(_work_orders(account)) == 1
    _read(account, meter, 2000)  # 5000 since the last service
    assert len(_work_orders(account)) == 2


def test_a_cumulative_meter_refuses_a_lower_reading_unless_reset(account: DomainAccount) -> None:
    meter = _meter(account, cumulative=True)
    _read(account, meter, 100, date=START)
    with pytest.raises(DomainValidation) as raised:
        _read(account, meter, 99, date=START + DAY)
    assert raised.value.code is ErrorCode.READING_BELOW_PREVIOUS and raised.value.field == "value"
    assert raised.value.message == (
        "value 99 is lower than the previous reading 100 of this cumulative meter:"
        " mark the reading as a reset to record it"
    )
    with pytest.raises(DomainValidation) as above:
        _read(account, meter, 101, date=START - DAY)  # back-dated above a later reading
    assert above.value.code is ErrorCode.READING_ABOVE_NEXT
    _read(account, meter, 50, date=START - DAY)
    _read(account, meter, 3, date=START + DAY, is_reset=True)


def test_a_meter_that_is_not_cumulative_may_go_down(account: DomainAccount) -> None:
    meter = _meter(account)
    notification = _notify(account, meter, T.EVERY_TIME_IS_LESS_THAN, 5)
    _read(account, meter, 20)
    _read(account, meter, 4)
    assert len(_hits(account, notification)) == 1


def test_a_back_dated_reading_is_history(account: DomainAccount) -> None:
    meter = _meter(account)
    notification = _notify(account, meter, T.EVERY_TIME_IS_GREATER_THAN, 100)
    _read(account, meter, 10, date=START)
    _read(account, meter, 500, date=START - DAY)
    assert _hits(account, notification) == [] and _work_orders(account) == []


def test_corrections_trigger_nothing(account: DomainAccount) -> None:
    meter = _meter(account)
    notification = _notify(account, meter, T.EVERY_TIME_IS_GREATER_THAN, 100)
    reading = _read(account, meter, 10)
    account.write(lambda s: service.update_reading(s, account.admin, meter, reading, ReadingChanges(value=500)))
    assert _hits(account, notification) == []


def test_stale_links_do_not_fail_the_reading(account: DomainAccount) -> None:
    asset = make_asset(account.db, account.account_id)
    meter = _meter(account, asset_id=asset)
    _notify(account, meter, T.EVERY_TIME_IS_GREATER_THAN, 0)
    account.write(lambda s: assets.delete_asset(s, account.admin, asset))
    _read(account, meter, 1)
    [work_order] = _work_orders(account)
    assert work_order.asset_id is None


def test_each_notification_of_the_meter_is_evaluated(account: DomainAccount) -> None:
    meter = _meter(account)
    high = _notify(account, meter, T.EVERY_TIME_IS_GREATER_THAN, 10)
    equal = _notify(account, meter, T.EVERY_TIME_IS_EQUAL_TO, 20)
    low = _notify(account, meter, T.ONE_TIME_IS_LESS_THAN, 5)
    _read(account, meter, 20)
    assert [len(_hits(account, n)) for n in (high, equal, low)] == [1, 1, 0]


def test_a_reading_is_evaluated_once(account: DomainAccount) -> None:
    """A retried evaluation (a job runs at least once) creates nothing and re-bases nothing again."""
    meter = _meter(account, cumulative=True)
    interval = _notify(account, meter, T.EVERY_TIME_REACHES, 100, one_open_work_order=False)
    every = _notify(account, meter, T.EVERY_TIME_IS_GREATER_THAN, 0, one_open_work_order=False)
    _read(account, meter, 150)
    reset = _read(account, meter, 0, is_reset=True)

    def again(session: Session) -> None:
        reading = session.get(MeterReading, (account.account_id, reset))
        assert reading is not None and reading.evaluated_at is not None
        assert evaluation.evaluate(session, account.admin, meter, reading) == []

    account.write(again)
    assert _notification(account, interval).last_value_for_work_order == -50
    assert len(_hits(account, every)) == 1 and len(_work_orders(account)) == 2


def test_other_rules_see_each_evaluated_reading_once(account: DomainAccount) -> None:
    """Preventive maintenance's meter triggers hook in with ``on_reading`` (meter imports no PM)."""
    seen: list[tuple[str, float]] = []

    def listener(session: Session, principal: object, meter: object, reading: MeterReading) -> None:
        seen.append((reading.meter_id, reading.value))

    evaluation.on_reading(listener)
    try:
        meter = _meter(account)
        _read(account, meter, 5, date=START)
        _read(account, meter, 4, date=START - DAY)  # back-dated: history, not evaluated
        _read(account, meter, 6, date=START + DAY)
    finally:
        evaluation.LISTENERS.remove(listener)
    assert seen == [(meter, 5.0), (meter, 6.0)]


def test_a_reading_is_evaluated_by_a_job_committed_with_it(account: DomainAccount) -> None:
    """The reading's transaction enqueues ``meter.evaluate``; until it runs nothing is evaluated. Readings
    that arrived before it runs are evaluated in their order of arrival, a back-dated one judged
    against what had arrived before it (as if evaluated on arrival)."""
    meter = _meter(account)
    every = _notify(account, meter, T.EVERY_TIME_IS_GREATER_THAN, 0, one_open_work_order=False)
    for value, date in ((5, START), (4, START - DAY), (6, START + DAY)):
        command = ReadingCreate(value=value, date=date)
        account.write(lambda s, c=command: service.add_reading(s, account.admin, meter, c))  # type: ignore[misc]
    assert _hits(account, every) == [] and _work_orders(account) == []
    assert run_account_jobs(account.db, account.account_id) >= 3
    assert [value for value, _, _ in _hits(account, every)] == [5.0, 6.0]
    assert run_account_jobs(account.db, account.account_id) == 0  # nothing left, nothing evaluated twice
    assert len(_work_orders(account)) == 2
