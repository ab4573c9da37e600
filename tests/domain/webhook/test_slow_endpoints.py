"""A slow or dead endpoint does not hold up other endpoints' deliveries (webhook.delivery.deliver_many):
real receivers on 127.0.0.1, a real worker claiming one batch of delivery jobs.

In that one batch run the fast endpoint gets every delivery, oldest first; the stalled endpoint gets
one attempt (recorded as any), and its other jobs are back in the queue unattempted, due later. The
POSTs take turns across endpoints; an HTTP error answer is an ordinary attempt and puts nothing off.
"""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from sqlalchemy import select

from premises.config import Settings
from premises.event.service import record_event
from premises.event.types import EventType
from premises.job.worker import Worker
from premises.kit import jsonutil
from premises.models import Job, WebhookAttempt, WebhookDelivery
from premises.webhook import dialects
from premises.webhook.commands import WebhookCreate
from premises.webhook.service import DELIVER_JOB, check_endpoint_url, create_webhook
from tests.domain.conftest import DomainAccount
from tests.domain.webhook.test_webhook_domain import PlainDialect
from tests.support.jobs import worker
from tests.support.receiver import Receiver, Reply, running_receiver

EVENTS = 4
RETRY_S = 5  # the schedule's first delay: how long a stalled endpoint's other jobs wait
QUICK = {
    "webhook_allow_private": True,
    "webhook_timeout_seconds": 1,
    "webhook_slow_seconds": 0.5,
    "webhook_retry_schedule": f"{RETRY_S},{RETRY_S}",
    "job_lease_seconds": 10,
    "worker_concurrency": 1,
    "worker_claim_per_thread": 64,
}
dialects.register("plain", PlainDialect())  # every event under its own name, the snapshot as the body


def _endpoint(account: DomainAccount, url: str, event: str = "WORK_ORDER_CREATED") -> str:
    checked = check_endpoint_url(url, allow_private=True)
    command = WebhookCreate(title="Hook", url=checked.url, events=(event,))
    return account.write(lambda s: create_webhook(s, account.admin, command, checked, dialect="plain").id)


def _events(account: DomainAccount, type: EventType = EventType.WORK_ORDER_CREATED) -> list[str]:
    titles = [f"Tap {n}" for n in range(EVENTS)]
    for n, title in enumerate(titles):
        account.write(
            lambda s, n=n, title=title: record_event(  # type: ignore[misc]
                s,
                account_id=account.account_id,
                type=type,
                resource_type="work_order",
                resource_id=f"wo{n}",
                payload={"id": f"wo{n}", "title": title},
            )
        )
    return titles


def _fanned_out(account: DomainAccount, settings: Settings, *, events: int = EVENTS) -> Worker:
    """A worker of the account (one thread) that has fanned the events out: the next step claims every
    delivery job, one batch."""
    w = worker(account.db, settings, account.account_id, **QUICK)
    assert w.step() == events  # the fan-out jobs
    return w


def _deliveries(account: DomainAccount, endpoint_id: str) -> list[dict[str, Any]]:
    """The endpoint's deliveries, oldest first, each with its job ((status, attempts, run_at), None once
    ended) and its attempts' (status code, error)."""
    with account.db.unit_of_work() as session:
        deliveries = session.scalars(
            select(WebhookDelivery)
            .where(WebhookDelivery.account_id == account.account_id, WebhookDelivery.endpoint_id == endpoint_id)
            .order_by(WebhookDelivery.created_at, WebhookDelivery.id)
        ).all()
        jobs = {
            jsonutil.loads(job.payload)["delivery_id"]: (job.status, job.attempts, job.run_at)
            for job in session.scalars(select(Job).where(Job.account_id == account.account_id, Job.kind == DELIVER_JOB))
        }
        attempts = session.scalars(select(WebhookAttempt).where(WebhookAttempt.account_id == account.account_id)).all()
        return [
            {
                "status": d.status,
                "attempts": d.attempts,
                "next_attempt_at": d.next_attempt_at,
                "job": jobs.get(d.id),
                "log": [(a.status_code, a.error) for a in attempts if a.delivery_id == d.id],
            }
            for d in deliveries
        ]


def _titles(receiver: Receiver) -> list[str]:
    return [hit.json["title"] for hit in receiver.received]


@contextmanager
def _refusing_url() -> Iterator[str]:
    """A loopback URL nothing listens on: every connection is refused."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    yield f"http://127.0.0.1:{port}/hook"


@pytest.mark.parametrize("trouble", ["timeout", "refused", "slow answer"])
def test_a_stalled_endpoint_does_not_hold_up_the_others(
    account: DomainAccount, settings: Settings, trouble: str
) -> None:
    with running_receiver() as fast, running_receiver() as slow, _refusing_url() as refusing:
        slow.script = lambda _n: Reply(delay_s=3 if trouble == "timeout" else 0.7)
        fast_id = _endpoint(account, fast.url)
        slow_id = _endpoint(account, refusing if trouble == "refused" else slow.url)
        titles = _events(account)
        w = _fanned_out(account, settings)
        started_ms = int(time.time() * 1000)
        assert w.step() == 2 * EVENTS  # one batch: every delivery job of both endpoints

        assert _titles(fast) == titles  # all of them in this one run, oldest first
        assert all(d["status"] == "delivered" and d["job"] is None for d in _deliveries(account, fast_id))

        first, *rest = _deliveries(account, slow_id)
        assert first["attempts"] == 1
        if trouble == "timeout":
            assert first["log"] == [(None, "timeout")]
        elif trouble == "refused":
            assert first["log"][0][0] is None and first["log"][0][1].startswith("ConnectError")
        else:  # answered, but slowly: delivered, and the rest still waits
            assert (first["status"], first["log"]) == ("delivered", [(200, None)])
        if trouble != "refused":
            assert _titles(slow) == titles[:1]
        assert len(rest) == EVENTS - 1
        for delivery in rest:  # back in the queue, unattempted, due after the schedule's first delay
            assert (delivery["status"], delivery["attempts"], delivery["log"]) == ("pending", 0, [])
            status, attempts, run_at = delivery["job"]
            assert (status, attempts) == ("queued", 0)
            assert run_at >= started_ms + RETRY_S * 900
            assert delivery["next_attempt_at"] >= started_ms + RETRY_S * 900

        slow.script = lambda _n: Reply()
        assert w.step() == 0  # nothing is due before then


def test_deliveries_take_turns_across_endpoints(account: DomainAccount, settings: Settings) -> None:
    """Endpoint a's deliveries are all older than b's (claimed first): they are posted a, b, a, b, ..."""
    with running_receiver() as receiver:
        a = _endpoint(account, receiver.url + "/a", "WORK_ORDER_CREATED")
        b = _endpoint(account, receiver.url + "/b", "WORK_ORDER_UPDATED")
        titles = _events(account, EventType.WORK_ORDER_CREATED)
        _events(account, EventType.WORK_ORDER_UPDATED)
        w = _fanned_out(account, settings, events=2 * EVENTS)
        assert w.step() == 2 * EVENTS
    hits = [(hit.path.rsplit("/", 1)[1], hit.json["title"]) for hit in receiver.received]
    assert hits == [(path, title) for title in titles for path in ("a", "b")]  # in turns, each oldest first
    for endpoint_id in (a, b):
        assert [d["status"] for d in _deliveries(account, endpoint_id)] == ["delivered"] * EVENTS


def test_an_http_error_is_an_ordinary_attempt(account: DomainAccount, settings: Settings) -> None:
    """A quick 500 is a failed attempt on the schedule; the endpoint's other deliveries are still tried."""
    with running_receiver() as fast, running_receiver() as failing:
        failing.script = lambda _n: Reply(500, body=b"broken")
        _endpoint(account, fast.url)
        failing_id = _endpoint(account, failing.url)
        titles = _events(account)
        w = _fanned_out(account, settings)
        assert w.step() == 2 * EVENTS
        assert _titles(fast) == titles
        assert _titles(failing) == titles
    for delivery in _deliveries(account, failing_id):
        assert (delivery["status"], delivery["attempts"], delivery["log"]) == ("pending", 1, [(500, None)])
        assert delivery["job"][:2] == ("queued", 1)  # its retry, with the attempt counted
