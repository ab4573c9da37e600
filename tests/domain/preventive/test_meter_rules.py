"""Meter-based PM triggers: readings arrive through meter.service (the one evaluation), and a trigger whose
meter condition a reading meets makes its work order at once; "whichever comes first" restarts the time
schedule from that work order."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from premises.errors import DomainValidation
from premises.kit.time import parse_instant
from premises.meter import service as meters
from premises.meter.commands import MeterCreate, ReadingCreate
from premises.models import PmTrigger, PmWorkOrder, WorkOrder
from premises.preventive import service
from premises.preventive.commands import TriggerCreate
from premises.work_order import service as work_orders
from premises.work_order.commands import Status, WorkOrderChanges
from tests.domain.conftest import DomainAccount
from tests.support.jobs import run_account_jobs

DAY = 86_400_000


def _meter(account: DomainAccount) -> str:
    command = MeterCreate(name="Run hours", units="h", frequency=1)
    return account.write(lambda s: meters.create_meter(s, account.admin, command).id)


def _trigger(account: DomainAccount, **fields: Any) -> PmTrigger:
    command = TriggerCreate(
        **{
            "name": "Service",
            "schedule_type": "EVERY_N_MONTHS",
            "rrdtstart": "2031-01-01T08:00:00",
            "rrtzid": "UTC",
            "wo_title": "Service the pump",
            **fields,
        }
    )
    return account.write(lambda s: service.create_trigger(s, account.admin, command))


def _read(account: DomainAccount, meter_id: str, value: float, date: int) -> None:
    account.write(lambda s: meters.add_reading(s, account.admin, meter_id, ReadingCreate(value=value, date=date)))
    run_account_jobs(account.db, account.account_id)  # its meter.evaluate job


def _made(account: DomainAccount, trigger_id: str) -> list[tuple[int, str]]:
    with account.db.unit_of_work() as session:
        links = session.scalars(
            select(PmWorkOrder)
            .where(PmWorkOrder.account_id == account.account_id, PmWorkOrder.trigger_id == trigger_id)
            .order_by(PmWorkOrder.created_at, PmWorkOrder.due_at)
        ).all()
        return [(link.due_at, link.work_order_id) for link in links]


def _complete(account: DomainAccount, work_order_id: str) -> None:
    changes = WorkOrderChanges(status=Status.COMPLETE)
    account.write(lambda s: work_orders.update_work_order(s, account.admin, work_order_id, changes))


def test_every_n_units_counts_from_the_first_reading_and_keeps_one_open_work_order(account: DomainAccount) -> None:
    meter_id = _meter(account)
    trigger = _trigger(account, meter_id=meter_id, meter_condition="EVERY", meter_condition_value=100)
    start = parse_instant("2030-06-01T00:00:00Z")
    for n, value in enumerate([1000, 1050, 1130, 1190]):
        _read(account, meter_id, value, start + n * DAY)
    made = _made(account, trigger.id)
    assert [due for due, _ in made] == [start + 2 * DAY]  # 1130 passed 1100; 1190: its work order is open
    _complete(account, made[0][1])
    _read(account, meter_id, 1320, start + 4 * DAY)  # 1320 passed 1200 and 1300: one work order, baseline 1300
    assert len(_made(account, trigger.id)) == 2
    with account.db.unit_of_work() as session:
        after = session.get(PmTrigger, (account.account_id, trigger.id))
        assert after is not None and after.meter_baseline == 1300
        # Whichever comes first: the monthly schedule counts again from the reading's day.
        assert after.next_due_at == parse_instant("2030-07-05T08:00:00Z")
        work_order = session.get(WorkOrder, (account.account_id, made[0][1]))
        assert work_order is not None and work_order.category == "Preventative"


def test_a_threshold_with_a_due_interval(account: DomainAccount) -> None:
    meter_id = _meter(account)
    trigger = _trigger(
        account,
        meter_id=meter_id,
        meter_condition="GREATER_THAN",
        meter_condition_value=90,
        meter_due_interval=3,
        meter_due_frequency="DAILY",
    )
    date = parse_instant("2030-06-01T10:00:00Z")
    _read(account, meter_id, 80, date)
    assert _made(account, trigger.id) == []
    _read(account, meter_id, 95, date + 1000)
    assert [due for due, _ in _made(account, trigger.id)] == [date + 1000 + 3 * DAY]


@pytest.mark.parametrize(
    ("with_meter", "fields"),
    [
        (False, {"meter_condition": "EVERY", "meter_condition_value": 100}),
        (True, {"meter_condition": "GREATER_THAN"}),
        (True, {"meter_condition": "EVERY", "meter_condition_value": 0}),
        (True, {"meter_condition": "SOMETIMES", "meter_condition_value": 1}),
    ],
)
def test_refused_meter_rules(account: DomainAccount, with_meter: bool, fields: dict[str, Any]) -> None:
    meter = {"meter_id": _meter(account)} if with_meter else {}
    with pytest.raises(DomainValidation):
        _trigger(account, **meter, **fields)
