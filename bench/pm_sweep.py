"""The PM sweep: how long ``sweep`` takes to make the work orders of N due triggers (docs/benchmarks.md).

    python bench/pm_sweep.py --database-url postgresql://postgres@127.0.0.1:5432/premises_bench_pm --triggers 10000

Migrates the database (use one of its own), creates an account and ``--triggers`` daily triggers (the
first made through the service, the rest copied from it in bulk) and ``--history`` past work orders,
analyzes the database (the statistics of an account in use), then runs the sweep as the
``pm.sweep`` job does (batches of ``sweep.BATCH`` per transaction, ``--processes`` processes at once)
at an instant when every trigger is due, and prints the time, the rate and the work orders made.
"""

from __future__ import annotations

import multiprocessing
import time
from typing import Annotated

import typer
from sqlalchemy import func, insert, select, text

from premises.account.service import create_account
from premises.db.engine import Database, make_engine
from premises.db.migrate import upgrade
from premises.identity.passwords import NewPassword
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.kit.bulk import insert_rows
from premises.kit.counters import next_values
from premises.kit.ids import new_id
from premises.kit.time import parse_instant
from premises.models import PmTrigger, PmWorkOrder, WorkOrder
from premises.preventive import service
from premises.preventive.commands import TriggerCreate
from premises.preventive.sweep import sweep
from premises.work_order.commands import WorkOrderCreate
from premises.work_order.service import create_work_order

DUE = parse_instant("2031-01-01T08:00:00Z")
PASSWORD = "pm-sweep-bench-password-1"


def _setup(db: Database, count: int, history: int) -> str:
    email = f"bench-{new_id().lower()}@example.test"
    with db.unit_of_work() as session:
        created = create_account(
            session, name="PM bench", admin_email=email, admin_password=NewPassword.make(PASSWORD, email=email)
        )
    admin = Principal(created.account_id, created.user_id, Role.ADMIN)
    command = TriggerCreate(
        name="Daily round",
        schedule_type="EVERY_N_DAYS",
        rrdtstart="2031-01-01T08:00:00",
        rrtzid="UTC",
        wo_title="Round",
    )
    with db.unit_of_work() as session:
        first = service.create_trigger(session, admin, command)
        row = {c.name: getattr(first, c.name) for c in PmTrigger.__table__.columns}
    for start in range(1, count, 1000):
        rows = [{**row, "id": new_id(), "name": f"Daily round {n}"} for n in range(start, min(count, start + 1000))]
        with db.unit_of_work() as session:
            session.execute(insert(PmTrigger), rows)
    _history(db, admin, history)
    with db.engine.connect() as connection:  # the planner's statistics, as autovacuum keeps them
        connection.execute(text("ANALYZE"))
        connection.commit()
    return created.account_id


def _history(db: Database, admin: Principal, count: int) -> None:
    """``count`` completed work orders made before (copies of one): an account in use, whose statistics
    tell the planner that (account_id, id) is a key. On a database analyzed empty, PostgreSQL looks
    work orders up by the account alone (``ix_work_orders_account_no``) until autovacuum analyzes
    the table again, and each foreign-key check on a new work order scans the account's rows."""
    if count <= 0:
        return
    with db.unit_of_work() as session:
        first = create_work_order(session, admin, WorkOrderCreate(title="Past round"))
        row = {c.key: getattr(first, c.key) for c in WorkOrder.__table__.columns}
        number = next_values(session, admin.account_id, "work_order_no", count)
    for start in range(0, count, 1000):
        rows = [
            {**row, "id": new_id(), "work_order_no": number + n, "status": "complete"}
            for n in range(start, min(count, start + 1000))
        ]
        with db.unit_of_work() as session:
            insert_rows(session, WorkOrder, rows)


def _sweep(url: str, account_id: str, now: int) -> tuple[int, float, float, float]:
    """The work orders one process made, when it started and ended sweeping (after its imports), and
    the CPU time it took (the machine's load changes the wall time, much less the CPU time)."""
    db = Database(make_engine(url))
    made = 0
    started, cpu = time.time(), time.process_time()
    while True:
        swept = db.run(lambda s: sweep(s, now, account_id=account_id))
        made += swept.created
        if swept.triggers == 0:
            db.dispose()
            return made, started, time.time(), time.process_time() - cpu


def main(
    database_url: Annotated[str, typer.Option(help="a database of its own")],
    triggers: Annotated[int, typer.Option(help="due triggers")] = 10_000,
    processes: Annotated[int, typer.Option(help="sweeping processes at once")] = 1,
    history: Annotated[int, typer.Option(help="work orders the account has already (-1: as many as triggers)")] = -1,
) -> None:
    upgrade(database_url)
    history = triggers if history < 0 else history
    db = Database(make_engine(database_url))
    account_id = _setup(db, triggers, history)
    now = DUE + 1000
    with multiprocessing.get_context("spawn").Pool(processes) as pool:
        results = pool.starmap(_sweep, [(database_url, account_id, now)] * processes)
    made = sum(r[0] for r in results)
    elapsed = max(r[2] for r in results) - min(r[1] for r in results)  # sweeping, not the processes' start
    with db.unit_of_work() as session:
        links = session.scalar(
            select(func.count()).select_from(PmWorkOrder).where(PmWorkOrder.account_id == account_id)
        )
    db.dispose()
    cpu = sum(r[3] for r in results)
    print(f"{triggers} due triggers, {processes} process(es): {made} work orders in {elapsed:.1f} s")
    print(f"sweeping processes' CPU: {cpu:.1f} s ({cpu / max(1, made) * 1000:.2f} ms per work order)")
    print(
        f"{made / elapsed:.0f} work orders/s; pm_work_orders rows: {links} (each occurrence once: {links == triggers})"
    )


if __name__ == "__main__":
    typer.run(main)
