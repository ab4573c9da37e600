"""The PM sweep makes each due occurrence's work order exactly once: two real processes sweeping the
same account at once, a sweeping process killed with SIGKILL before it commits, and two transactions
that both try to make one occurrence without the trigger's lock (the unique key alone decides).
SQLite and PostgreSQL (PREMISES_TEST_DATABASE_URL)."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from premises.account.service import create_account
from premises.config import Settings
from premises.db.engine import Database
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.kit.ids import new_id
from premises.kit.time import parse_instant
from premises.models import Event, PmTrigger, PmWorkOrder, WorkOrder
from premises.preventive import service
from premises.preventive.commands import TriggerCreate
from tests.support.factories import new_password

TRIGGERS = 24
DUE = parse_instant("2031-01-01T08:00:00Z")
NOW = DUE + 5_000
NEXT = parse_instant("2031-01-02T08:00:00Z")

# A sweeping process: waits for the start signal, then sweeps in small batches until nothing is due.
# With "hold", it sweeps one batch, says so, and sleeps inside the transaction (to be killed there).
SWEEPER = textwrap.dedent(
    """
    import sys, time
    from premises.db.engine import Database, make_engine
    from premises.preventive.sweep import sweep
    url, account_id, now, start, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
    db = Database(make_engine(url))
    print("ready", flush=True)
    time.sleep(max(0.0, start - time.time()))
    if mode == "hold":
        with db.unit_of_work() as session:
            swept = sweep(session, now, account_id=account_id, limit=TRIGGERS)
            print("swept", swept.created, flush=True)
            time.sleep(120)
    else:
        made = 0
        while True:
            swept = db.run(lambda s: sweep(s, now, account_id=account_id, limit=3))
            made += swept.created
            if swept.triggers == 0:
                break
        print("made", made, flush=True)
    """
).replace("TRIGGERS", str(TRIGGERS))


@pytest.fixture
def account_id(db: Database) -> str:
    email = f"admin-{new_id().lower()}@example.test"
    with db.unit_of_work() as session:
        created = create_account(session, name="Sweep Co", admin_email=email, admin_password=new_password(email))
    admin = Principal(created.account_id, created.user_id, Role.ADMIN)
    for n in range(TRIGGERS):
        command = TriggerCreate(
            name=f"Daily round {n}",
            schedule_type="EVERY_N_DAYS",
            rrdtstart="2031-01-01T08:00:00",
            rrtzid="UTC",
            wo_title=f"Round {n}",
        )
        with db.unit_of_work() as session:
            service.create_trigger(session, admin, command)
    return created.account_id


def _start(settings: Settings, account_id: str, start: float, mode: str = "sweep") -> subprocess.Popen[str]:
    args = [settings.resolved_database_url, account_id, str(NOW), str(start), mode]
    process = subprocess.Popen(
        [sys.executable, "-c", SWEEPER, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "ready", process.stderr
    return process


def _made(process: subprocess.Popen[str]) -> int:
    out, err = process.communicate(timeout=120)
    assert process.returncode == 0, err
    return int(out.split()[-1])


def _assert_exactly_once(db: Database, account_id: str) -> None:
    with db.unit_of_work() as session:
        links = session.scalars(select(PmWorkOrder).where(PmWorkOrder.account_id == account_id)).all()
        assert len(links) == TRIGGERS and {link.due_at for link in links} == {DUE}
        assert len({link.trigger_id for link in links}) == TRIGGERS
        work_orders = session.scalar(
            select(func.count()).select_from(WorkOrder).where(WorkOrder.account_id == account_id)
        )
        assert work_orders == TRIGGERS
        events = session.scalar(
            select(func.count())
            .select_from(Event)
            .where(Event.account_id == account_id, Event.type == "PM_WORK_ORDER_CREATED")
        )
        assert events == TRIGGERS
        due = session.scalars(select(PmTrigger.next_due_at).where(PmTrigger.account_id == account_id)).all()
        assert set(due) == {NEXT}


def test_two_processes_sweeping_at_once_make_each_work_order_once(
    settings: Settings, db: Database, account_id: str
) -> None:
    start = time.time() + 1.0
    processes = [_start(settings, account_id, start) for _ in range(2)]
    made = [_made(p) for p in processes]
    assert sum(made) == TRIGGERS
    _assert_exactly_once(db, account_id)


def test_a_sweeper_killed_before_it_commits_leaves_nothing_half_done(
    settings: Settings, db: Database, account_id: str
) -> None:
    holder = _start(settings, account_id, time.time(), "hold")
    assert holder.stdout is not None
    assert holder.stdout.readline().split() == ["swept", str(TRIGGERS)]  # made them all, not committed
    holder.send_signal(signal.SIGKILL)
    holder.wait(timeout=30)
    with db.unit_of_work() as session:
        assert (
            session.scalar(select(func.count()).select_from(PmWorkOrder).where(PmWorkOrder.account_id == account_id))
            == 0
        )
    start = time.time() + 0.5
    processes = [_start(settings, account_id, start) for _ in range(2)]
    assert sum(_made(p) for p in processes) == TRIGGERS
    _assert_exactly_once(db, account_id)


@pytest.fixture
def one_trigger(db: Database) -> Iterator[tuple[str, str]]:
    email = f"admin-{new_id().lower()}@example.test"
    with db.unit_of_work() as session:
        created = create_account(session, name="Key Co", admin_email=email, admin_password=new_password(email))
    admin = Principal(created.account_id, created.user_id, Role.ADMIN)
    command = TriggerCreate(
        name="Once", schedule_type="EVERY_N_DAYS", rrdtstart="2031-01-01T08:00:00", rrtzid="UTC", wo_title="Once"
    )
    with db.unit_of_work() as session:
        trigger_id = service.create_trigger(session, admin, command).id
    yield created.account_id, trigger_id


def test_without_the_lock_the_unique_key_keeps_one_work_order(db: Database, one_trigger: tuple[str, str]) -> None:
    """Both transactions read the trigger without locking it and make the same occurrence; on PostgreSQL
    the second insert waits for the first transaction and then violates the key; on SQLite the second
    waits for the writer lock and then finds the occurrence made. Either way: one work order."""
    account_id, trigger_id = one_trigger
    barrier = threading.Barrier(2)
    results: list[str | None] = []

    def make() -> None:
        barrier.wait()
        with db.unit_of_work() as session:
            trigger = session.get(PmTrigger, (account_id, trigger_id))
            assert trigger is not None
            made = service.generate(session, trigger, DUE, NOW)
            results.append(None if made is None else made.id)
            time.sleep(0.3)  # hold the transaction open while the other one tries

    threads = [threading.Thread(target=make) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(results) == 2 and results.count(None) == 1
    with db.unit_of_work() as session:
        links = session.scalars(select(PmWorkOrder).where(PmWorkOrder.account_id == account_id)).all()
        assert [link.due_at for link in links] == [DUE]
        count = session.scalar(select(func.count()).select_from(WorkOrder).where(WorkOrder.account_id == account_id))
        assert count == 1
