"""Webhook delivery across real processes (SQLite and PostgreSQL): a ``premises worker`` killed with
SIGKILL during a delivery, a ``premises serve`` killed and started again, and two workers sharing
the queue. Each test has a database of its own, so that no other test's queued jobs are in the way.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, text

from premises.account.service import create_account
from premises.db import observe
from premises.db.engine import Database, make_engine
from premises.db.migrate import upgrade
from premises.event.service import record_event
from premises.event.types import EventType
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.models import WebhookAttempt, WebhookDelivery
from premises.webhook.commands import WebhookCreate
from premises.webhook.service import check_endpoint_url, create_webhook
from tests.support.factories import PASSWORD, new_password
from tests.support.receiver import Receiver, Reply, running_receiver, verify
from tests.support.server import running_server
from tests.support.tenant_guard import check_statement

TIMEOUT_S = 5
LEASE_S = 10


@contextmanager
def _unguarded() -> Iterator[None]:
    """Migrations create tables: no statement of theirs names an account (the tenant guard, when an
    earlier test of this process started it, would refuse them)."""
    guards = [o for o in observe.statement_observers if o is check_statement]
    for guard in guards:
        observe.statement_observers.remove(guard)
    try:
        yield
    finally:
        observe.statement_observers.extend(guards)


@pytest.fixture
def fresh_url(tmp_path: Path) -> Iterator[str]:
    """A migrated database of this test's own (next to PREMISES_TEST_DATABASE_URL's, or SQLite)."""
    base_url = os.environ.get("PREMISES_TEST_DATABASE_URL")
    if not base_url:
        url = f"sqlite:///{tmp_path / 'jobs.sqlite3'}"
        with _unguarded():
            upgrade(url)
        yield url
        return
    base, _, _name = base_url.rpartition("/")
    name = f"premises_jobs_{uuid.uuid4().hex[:10]}"
    admin = make_engine(base_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        with _unguarded():
            upgrade(f"{base}/{name}")
        yield f"{base}/{name}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def fresh(fresh_url: str) -> Iterator[Database]:
    db = Database(make_engine(fresh_url))
    yield db
    db.dispose()


@dataclass
class Hooked:
    account_id: str
    email: str
    secret: str


def _account_with_webhook(db: Database, receiver: Receiver) -> Hooked:
    email = f"admin-{uuid.uuid4().hex[:8]}@example.test"
    with db.unit_of_work() as session:
        created = create_account(session, name="Jobs Co", admin_email=email, admin_password=new_password(email))
    admin = Principal(created.account_id, created.user_id, Role.ADMIN)
    url = check_endpoint_url(receiver.url, allow_private=True)
    command = WebhookCreate(title="Receiver", url=url.url, events=("WORK_ORDER_CREATED",))
    with db.unit_of_work() as session:
        secret = create_webhook(session, admin, command, url, dialect="upkeep").secret
    return Hooked(created.account_id, email, secret)


def _events(db: Database, account_id: str, count: int) -> list[str]:
    ids = []
    for n in range(count):
        with db.unit_of_work() as session:
            now = int(time.time() * 1000)
            payload = {"id": f"wo{n}", "title": f"Job {n}", "status": "open", "created_at": now, "updated_at": now}
            record_event(
                session,
                account_id=account_id,
                type=EventType.WORK_ORDER_CREATED,
                resource_type="work_order",
                resource_id=f"wo{n}",
                payload=payload,
            )
        ids.append(f"wo{n}")
    return ids


def _env(url: str, data_dir: Path, **extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "PREMISES_DATABASE_URL": url,
        "PREMISES_DATA_DIR": str(data_dir),
        "PREMISES_WEBHOOK_ALLOW_PRIVATE": "1",
        "PREMISES_WEBHOOK_TIMEOUT_SECONDS": str(TIMEOUT_S),
        "PREMISES_JOB_LEASE_SECONDS": str(LEASE_S),
        "PREMISES_WEBHOOK_RETRY_SCHEDULE": "1,1,1,1,1",
        "PREMISES_WORKER_POLL_SECONDS": "0.1",
        **extra,
    }


@contextmanager
def _worker(url: str, data_dir: Path) -> Iterator[subprocess.Popen[bytes]]:
    output = tempfile.TemporaryFile()  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "premises", "worker"], env=_env(url, data_dir), stdout=output, stderr=subprocess.STDOUT
    )
    try:
        yield process
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=TIMEOUT_S + 10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        output.close()


def _deliveries(db: Database, account_id: str) -> list[WebhookDelivery]:
    with db.unit_of_work() as session:
        return list(session.scalars(select(WebhookDelivery).where(WebhookDelivery.account_id == account_id)))


def _attempts(db: Database, account_id: str) -> list[tuple[str, int, int | None]]:
    with db.unit_of_work() as session:
        rows = session.execute(
            select(WebhookAttempt.delivery_id, WebhookAttempt.attempt, WebhookAttempt.status_code).where(
                WebhookAttempt.account_id == account_id
            )
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_a_worker_killed_during_a_delivery_leaves_it_to_another(
    fresh: Database, fresh_url: str, tmp_path: Path
) -> None:
    with running_receiver() as receiver:
        receiver.script = lambda n: Reply(delay_s=30) if n == 0 else Reply()
        hooked = _account_with_webhook(fresh, receiver)
        _events(fresh, hooked.account_id, 1)
        with _worker(fresh_url, tmp_path) as first:
            receiver.wait_for(1, timeout=30)
            first.send_signal(signal.SIGKILL)  # during the delivery: the receiver has not answered
            first.wait()
        killed_at = time.monotonic()
        with _worker(fresh_url, tmp_path):
            hits = receiver.wait_for(2, timeout=LEASE_S + 30)
        assert time.monotonic() - killed_at < LEASE_S + 30
    assert hits[0].headers["webhook-id"] == hits[1].headers["webhook-id"]
    assert hits[0].body == hits[1].body and hits[1].json["event"] == "WORK_ORDER_CREATED"
    assert all(verify(hooked.secret, h.headers, h.body) for h in hits)
    (delivery,) = _deliveries(fresh, hooked.account_id)
    assert (delivery.status, delivery.attempts) == ("delivered", 1)
    assert _attempts(fresh, hooked.account_id) == [(delivery.id, 1, 200)]  # the killed attempt left no row


def test_no_event_is_lost_when_premises_serve_is_killed(fresh: Database, fresh_url: str, tmp_path: Path) -> None:
    with running_receiver() as receiver:
        receiver.script = lambda n: Reply(delay_s=0.05)
        hooked = _account_with_webhook(fresh, receiver)
        env = {k: v for k, v in _env(fresh_url, tmp_path).items() if k.startswith("PREMISES_")}
        env["PREMISES_WORKER_EMBEDDED"] = "1"
        processes: list[subprocess.Popen[bytes]] = []
        created: list[str] = []
        with running_server(fresh_url, tmp_path, env=env, processes=processes) as base_url:
            token = httpx.post(f"{base_url}/api/v2/auth", json={"email": hooked.email, "password": PASSWORD}).json()
            headers = {"Session-Token": token["result"]["sessionToken"]}
            for n in range(20):
                response = httpx.post(f"{base_url}/api/v2/work-orders", json={"title": f"WO {n}"}, headers=headers)
                assert response.status_code == 200, response.text
                created.append(response.json()["result"]["id"])
            processes[0].send_signal(signal.SIGKILL)  # whatever was in flight dies with it
            processes[0].wait()
        with running_server(fresh_url, tmp_path, env=env):

            def done() -> bool:
                deliveries = _deliveries(fresh, hooked.account_id)
                return len(deliveries) == len(created) and {d.status for d in deliveries} == {"delivered"}

            deadline = time.monotonic() + LEASE_S + 60
            while time.monotonic() < deadline and not done():
                time.sleep(0.2)
        arrived = {h.json["id"] for h in receiver.received}
    assert done()
    assert arrived == set(created)
    # At least once: what was in flight at the kill may arrive twice, with the same webhook-id.
    by_id: dict[str, set[str]] = {}
    for hit in receiver.received:
        by_id.setdefault(hit.json["id"], set()).add(hit.headers["webhook-id"])
    assert all(len(ids) == 1 for ids in by_id.values())
    assert all(verify(hooked.secret, h.headers, h.body) for h in receiver.received)


def test_two_workers_never_deliver_one_attempt_twice(fresh: Database, fresh_url: str, tmp_path: Path) -> None:
    count = 150
    with running_receiver() as receiver:
        hooked = _account_with_webhook(fresh, receiver)
        _events(fresh, hooked.account_id, count)
        with _worker(fresh_url, tmp_path), _worker(fresh_url, tmp_path):
            receiver.wait_for(count, timeout=120)
            time.sleep(1)  # a duplicate would arrive now
        ids = [h.headers["webhook-id"] for h in receiver.received]
    assert len(ids) == count and len(set(ids)) == count
    attempts = _attempts(fresh, hooked.account_id)
    assert len(attempts) == count and {a[1] for a in attempts} == {1}
    with fresh.unit_of_work() as session:
        delivered = select(func.count()).where(WebhookDelivery.account_id == hooked.account_id)
        assert session.scalar(delivered.select_from(WebhookDelivery)) == count
