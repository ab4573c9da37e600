"""Webhook delivery: throughput and commit-to-receipt latency to a local receiver (docs/benchmarks.md).

    python bench/webhooks.py --database-url postgresql://postgres@127.0.0.1:5432/premises_bench_hooks \\
        --events 10000 --workers 2

Migrates the database (use a database of its own: the bench adds an account and many events), creates
an account with one webhook to a receiver on 127.0.0.1, starts ``--workers`` ``premises worker``
processes, then commits ``--events`` events (one transaction each, as a request would: the event and
its fan-out job) from ``--writers`` threads (as many API processes would) at ``--rate`` per second in
all (0: as fast as the writers can). The receiver notes when
each delivery arrives; the report gives the throughput (events over the time from the first commit
to the last receipt) and the commit-to-receipt p50, p90, p99 and maximum.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Annotated, Any

import typer

from premises.account.service import create_account
from premises.db.engine import Database, make_engine
from premises.db.migrate import upgrade
from premises.event.service import record_event, snapshot
from premises.event.types import EventType
from premises.identity.passwords import NewPassword, PasswordPolicy
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.webhook.commands import WebhookCreate
from premises.webhook.service import check_endpoint_url, create_webhook
from premises.work_order.commands import WorkOrderCreate
from premises.work_order.service import create_work_order

app = typer.Typer(add_completion=False, help=__doc__, pretty_exceptions_show_locals=False)


class Receipts:
    def __init__(self) -> None:
        self.at: dict[str, float] = {}
        self.duplicates = 0
        self.lock = threading.Lock()


def _receiver(receipts: Receipts) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("content-length", "0")))
            now = time.time()
            resource = json.loads(body)["id"]
            with receipts.lock:
                if resource in receipts.at:
                    receipts.duplicates += 1
                else:
                    receipts.at[resource] = now
            self.send_response(204)
            self.send_header("content-length", "0")
            self.end_headers()

        def log_message(self, *_args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def _percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


def _work_order_snapshot(db: Database, admin: Principal) -> dict[str, Any]:
    """A real work order's event payload (every column): the template of the bench's events."""
    with db.unit_of_work() as session:
        payload: dict[str, Any] = snapshot(create_work_order(session, admin, WorkOrderCreate(title="Template")))
    return payload


@app.command()
def main(
    database_url: Annotated[str, typer.Option(help="A database of the bench's own (it is migrated).")],
    events: Annotated[int, typer.Option(min=1)] = 10_000,
    workers: Annotated[int, typer.Option(min=1, help="premises worker processes.")] = 2,
    rate: Annotated[float, typer.Option(min=0, help="Events per second to commit (0: as fast as possible).")] = 0,
    concurrency: Annotated[int, typer.Option(min=1, help="PREMISES_WORKER_CONCURRENCY of each worker.")] = 8,
    writers: Annotated[int, typer.Option(min=1, help="Threads committing the events.")] = 1,
    timeout: Annotated[float, typer.Option(help="Give up waiting for receipts after this (s).")] = 600,
    preload: Annotated[
        bool, typer.Option(help="Commit every event first, then start the workers: the drain rate alone.")
    ] = False,
) -> None:
    upgrade(database_url)
    db = Database(make_engine(database_url))
    receipts = Receipts()
    server = _receiver(receipts)
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    email = f"bench-{uuid.uuid4().hex[:8]}@example.test"
    password = NewPassword.make("a bench password 123", email=email, policy=PasswordPolicy(min_length=10))
    with db.unit_of_work() as session:
        created = create_account(session, name="Webhook Bench", admin_email=email, admin_password=password)
    admin = Principal(created.account_id, created.user_id, Role.ADMIN)
    checked = check_endpoint_url(url, allow_private=True)
    with db.unit_of_work() as session:
        create_webhook(
            session, admin, WebhookCreate("Bench", checked.url, ("WORK_ORDER_CREATED",)), checked, dialect="upkeep"
        )

    env = {
        **os.environ,
        "PREMISES_DATABASE_URL": database_url,
        "PREMISES_DATA_DIR": tempfile.mkdtemp(prefix="premises-bench-hooks-"),
        "PREMISES_WEBHOOK_ALLOW_PRIVATE": "1",
        "PREMISES_WORKER_CONCURRENCY": str(concurrency),
        "PREMISES_LOG_LEVEL": "warning",
    }
    logs = Path(tempfile.mkdtemp(prefix="premises-bench-hooks-logs-"))
    processes: list[subprocess.Popen[bytes]] = []

    def start_workers() -> float:
        for n in range(workers):
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "premises", "worker"],
                    env=env,
                    stdout=open(logs / f"worker{n}.log", "wb"),  # noqa: SIM115 - the process holds it
                    stderr=subprocess.STDOUT,
                )
            )
        time.sleep(3)  # the workers start (imports, the schema check)
        return time.time()

    workers_from = 0.0 if preload else start_workers()
    template = _work_order_snapshot(db, admin)
    committed: dict[str, float] = {}
    started = time.time()

    def write(first: int) -> None:
        for n in range(first, events, writers):
            if rate:
                wait = started + n / rate - time.time()
                if wait > 0:
                    time.sleep(wait)
            resource = f"wo{n}"
            with db.unit_of_work() as session:
                now = int(time.time() * 1000)
                record_event(
                    session,
                    account_id=created.account_id,
                    type=EventType.WORK_ORDER_CREATED,
                    resource_type="work_order",
                    resource_id=resource,
                    payload={**template, "id": resource, "title": f"Job {n}", "created_at": now, "updated_at": now},
                )
            committed[resource] = time.time()

    try:
        threads = [threading.Thread(target=write, args=(first,)) for first in range(writers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        commit_s = time.time() - started
        if preload:
            workers_from = start_workers() - 3  # they claim as soon as they are up
        deadline = time.monotonic() + timeout
        while len(receipts.at) < events and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        for process in processes:
            process.send_signal(signal.SIGTERM)
        for process in processes:
            process.wait(timeout=60)
        server.shutdown()
        db.dispose()
    latencies = [receipts.at[r] - committed[r] for r in committed if r in receipts.at]
    first = workers_from if preload else min(committed.values())
    last = max(receipts.at.values(), default=started)
    engine = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    offered = f"{rate if rate else 'max'}/s offered by {writers} writer{'s' if writers > 1 else ''}"
    print(f"{engine}, {workers} workers x {concurrency}, {events} events ({offered})")
    print(f"committed in {commit_s:.1f} s ({events / commit_s:.0f} events/s); received {len(receipts.at)}")
    since = "workers' start" if preload else "first commit"
    print(f"throughput ({since} to last receipt): {len(receipts.at) / (last - first):.0f} events/s")
    if latencies and not preload:
        ms = [v * 1000 for v in latencies]
        print(
            f"commit-to-receipt ms: p50 {_percentile(ms, 50):.0f}  p90 {_percentile(ms, 90):.0f}"
            f"  p99 {_percentile(ms, 99):.0f}  max {max(ms):.0f}"
        )
    print(f"duplicates: {receipts.duplicates}; worker logs in {logs}")


if __name__ == "__main__":
    app()
