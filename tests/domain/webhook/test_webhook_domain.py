"""Webhooks at the domain layer: the signature (against an independent verifier), the SSRF guard's
address rules, and a fan-out that runs twice adds each delivery once."""

from __future__ import annotations

import ipaddress
import time
from typing import Any

import pytest
from sqlalchemy import func, select, update

from premises.config import Settings
from premises.errors import DomainValidation
from premises.event.service import FANOUT_JOB, record_event
from premises.event.types import EventType
from premises.job import service
from premises.job.worker import JobRun
from premises.kit import jsonutil
from premises.models import Job, WebhookDelivery
from premises.webhook import addresses, dialects, signing
from premises.webhook.commands import WebhookCreate
from premises.webhook.delivery import fan_out_many
from premises.webhook.dialects import EventView
from premises.webhook.service import DELIVER_JOB, CheckedUrl, check_endpoint_url, create_webhook
from tests.domain.conftest import DomainAccount
from tests.support.jobs import run_fan_out
from tests.support.receiver import verify


class PlainDialect:
    """A dialect for these tests: every event under its own name, the snapshot as the body."""

    def event_name(self, event: EventView) -> str | None:
        return event.type

    def body(self, event: EventView, name: str) -> dict[str, Any]:
        return {**event.payload, "event": name}


dialects.register("plain", PlainDialect())


def test_signature_follows_standard_webhooks() -> None:
    secret = signing.new_secret()
    assert secret.startswith("whsec_")
    body = b'{"id":"1","event":"WORK_ORDER_CREATED"}'
    now = int(time.time())
    headers = signing.headers(secret, "msg_1", now, body)
    assert headers["webhook-signature"].startswith("v1,")
    assert verify(secret, headers, body)  # tests/support/receiver.py: written from the specification
    assert signing.verify(secret, "msg_1", str(now), headers["webhook-signature"], body, now=now)
    assert not signing.verify(secret, "msg_2", str(now), headers["webhook-signature"], body, now=now)
    assert not signing.verify(secret, "msg_1", str(now), headers["webhook-signature"], body + b"x", now=now)
    assert not signing.verify(secret, "msg_1", str(now), headers["webhook-signature"], body, now=now + 301)
    assert not signing.verify(signing.new_secret(), "msg_1", str(now), headers["webhook-signature"], body, now=now)


def test_a_known_vector() -> None:
    # The Standard Webhooks reference libraries' test vector.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    body = b'{"test": 2432232314}'
    expected = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    assert signing.signature(secret, "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body) == expected


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.215.14", True),
        ("2606:4700:4700::1111", True),
        ("127.0.0.1", False),
        ("10.1.2.3", False),
        ("172.16.0.1", False),
        ("192.168.0.1", False),
        ("169.254.169.254", False),
        ("100.64.0.1", False),
        ("0.0.0.0", False),
        ("224.0.0.1", False),
        ("::1", False),
        ("fd00::1", False),
        ("fe80::1", False),
        ("::ffff:127.0.0.1", False),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert addresses.is_public(ipaddress.ip_address(address)) is public


def test_check_endpoint_url() -> None:
    assert check_endpoint_url(" https://93.184.215.14/x ", allow_private=False) == CheckedUrl("https://93.184.215.14/x")
    assert check_endpoint_url("http://127.0.0.1:8/x", allow_private=True).url == "http://127.0.0.1:8/x"
    for url in (
        "http://127.0.0.1/x",
        "file:///etc/passwd",
        "gopher://93.184.215.14/",
        "http://[::1]/",
        "http://x:99999/",
    ):
        with pytest.raises(DomainValidation):
            check_endpoint_url(url, allow_private=False)


def test_fan_out_twice_adds_each_delivery_once(account: DomainAccount) -> None:
    url = check_endpoint_url("https://93.184.215.14/hook", allow_private=False)
    command = WebhookCreate(title="Hook", url=url.url, events=("WORK_ORDER_CREATED",))
    account.write(lambda s: create_webhook(s, account.admin, command, url, dialect="plain"))

    def event(session: object) -> str:
        return record_event(
            session,  # type: ignore[arg-type]
            account_id=account.account_id,
            type=EventType.WORK_ORDER_CREATED,
            resource_type="work_order",
            resource_id="wo1",
            payload={"id": "wo1", "title": "Tap", "status": "open", "created_at": 1, "updated_at": 2},
        ).id

    event_id = account.write(event)

    assert len(run_fan_out(account.db, account.account_id, event_id)) == 1
    assert len(run_fan_out(account.db, account.account_id, event_id, attempt=2)) == 0  # its job run again
    with account.db.unit_of_work() as session:
        delivery = session.scalars(
            select(WebhookDelivery).where(WebhookDelivery.account_id == account.account_id)
        ).one()
        assert delivery.event_name == "WORK_ORDER_CREATED"
        assert (
            delivery.body
            == '{"id":"wo1","title":"Tap","status":"open","created_at":1,"updated_at":2,"event":"WORK_ORDER_CREATED"}'
        )
        count = session.scalar(
            select(func.count()).select_from(WebhookDelivery).where(WebhookDelivery.account_id == account.account_id)
        )
        assert count == 1


def test_a_fan_out_batch_run_again_adds_nothing(account: DomainAccount, settings: Settings) -> None:
    """Three events' fan-out jobs in one batch make one delivery each (and a job each); the same jobs
    claimed again (their worker died after committing) add nothing."""
    url = check_endpoint_url("https://93.184.215.14/hook", allow_private=False)
    command = WebhookCreate(title="Hook", url=url.url, events=("WORK_ORDER_CREATED",))
    account.write(lambda s: create_webhook(s, account.admin, command, url, dialect="plain"))
    for n in range(3):
        account.write(
            lambda s, n=n: record_event(  # type: ignore[misc]
                s,
                account_id=account.account_id,
                type=EventType.WORK_ORDER_CREATED,
                resource_type="work_order",
                resource_id=f"wo{n}",
                payload={"id": f"wo{n}", "title": f"Tap {n}"},
            )
        )

    def claim_fan_outs() -> list[JobRun]:
        claimed = service.claim(account.db, "test", limit=10, lease_ms=60_000, account_id=account.account_id)
        return [JobRun(job, account.db, settings) for job in claimed if job.kind == FANOUT_JOB]

    def deliveries() -> list[tuple[str, str]]:
        with account.db.unit_of_work() as session:
            rows = session.execute(
                select(WebhookDelivery.event_id, WebhookDelivery.body).where(
                    WebhookDelivery.account_id == account.account_id
                )
            ).all()
            return sorted((row.event_id, row.body) for row in rows)

    runs = claim_fan_outs()
    assert len(runs) == 3
    fan_out_many(runs)
    made = deliveries()
    assert [jsonutil.loads(body)["title"] for _, body in made] == ["Tap 0", "Tap 1", "Tap 2"]
    with account.db.unit_of_work() as session:
        kinds = session.scalars(select(Job.kind).where(Job.account_id == account.account_id)).all()
    assert sorted(kinds) == [DELIVER_JOB] * 3  # the fan-out jobs ended with their deliveries' jobs made

    for n in range(3):  # the same fan-outs again, as a new claim of jobs whose first run committed
        account.write(
            lambda s, n=n: service.enqueue(  # type: ignore[misc]
                s, FANOUT_JOB, {"event_id": made[n][0]}, account_id=account.account_id
            )
        )
    account.write(lambda s: s.execute(update(Job).where(Job.kind == FANOUT_JOB).values(attempts=1)))
    again = claim_fan_outs()
    assert [run.job.attempts for run in again] == [2, 2, 2]
    fan_out_many(again)
    assert deliveries() == made
