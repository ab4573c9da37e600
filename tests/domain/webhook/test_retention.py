"""Delivery retention: the periodic ``webhook.prune`` job deletes finished deliveries older than
``PREMISES_WEBHOOK_DELIVERY_RETENTION_DAYS`` with their attempts; pending ones and recent ones stay."""

from __future__ import annotations

from sqlalchemy import select, update

from premises.api.jobs import load_handlers
from premises.config import Settings
from premises.event.service import record_event
from premises.event.types import EventType
from premises.job.service import ClaimedJob
from premises.job.worker import JobRun
from premises.kit.time import now_ms
from premises.models import WebhookAttempt, WebhookDelivery
from premises.webhook.commands import WebhookCreate
from premises.webhook.retention import PRUNE_JOB, prune
from premises.webhook.service import check_endpoint_url, create_webhook
from tests.domain.conftest import DomainAccount
from tests.support.jobs import run_fan_out

DAY = 86_400_000


def _deliveries(account: DomainAccount, count: int) -> list[str]:
    url = check_endpoint_url("https://93.184.215.14/hook", allow_private=False)
    command = WebhookCreate(title="Hook", url=url.url, events=("WORK_ORDER_CREATED",))
    account.write(lambda s: create_webhook(s, account.admin, command, url, dialect="upkeep"))
    ids = []
    for n in range(count):
        event = account.write(
            lambda s, n=n: (
                record_event(  # type: ignore[misc]
                    s,
                    account_id=account.account_id,
                    type=EventType.WORK_ORDER_CREATED,
                    resource_type="work_order",
                    resource_id=f"wo{n}",
                    payload={"id": f"wo{n}", "title": "Tap"},
                ).id
            )
        )
        [delivery] = run_fan_out(account.db, account.account_id, event)
        ids.append(delivery)
    return ids


def _age(account: DomainAccount, delivery_id: str, days: int, status: str) -> None:
    created = now_ms() - days * DAY
    account.write(
        lambda s: s.execute(
            update(WebhookDelivery)
            .where(WebhookDelivery.account_id == account.account_id, WebhookDelivery.id == delivery_id)
            .values(created_at=created, status=status)
        )
    )
    if status != "pending":
        attempt = WebhookAttempt(
            account_id=account.account_id,
            delivery_id=delivery_id,
            attempt=1,
            endpoint_id=account.write(lambda s: s.get(WebhookDelivery, (account.account_id, delivery_id)).endpoint_id),  # type: ignore[union-attr]
            attempted_at=created,
            status_code=204,
            latency_ms=3,
        )
        account.write(lambda s: s.add(attempt))


def _left(account: DomainAccount) -> tuple[set[str], set[str]]:
    with account.db.unit_of_work() as session:
        deliveries = set(
            session.scalars(select(WebhookDelivery.id).where(WebhookDelivery.account_id == account.account_id))
        )
        attempts = set(
            session.scalars(select(WebhookAttempt.delivery_id).where(WebhookAttempt.account_id == account.account_id))
        )
    return deliveries, attempts


def test_finished_deliveries_past_the_retention_are_deleted(account: DomainAccount, settings: Settings) -> None:
    old_delivered, old_failed, old_pending, recent = _deliveries(account, 4)
    _age(account, old_delivered, 40, "delivered")
    _age(account, old_failed, 31, "failed")
    _age(account, old_pending, 40, "pending")
    _age(account, recent, 29, "delivered")
    handler = load_handlers()[PRUNE_JOB]
    assert handler.every_ms == 3_600_000  # periodic, hourly
    job = ClaimedJob(f"periodic:{PRUNE_JOB}", None, PRUNE_JOB, {}, 1, 1_000_000, "test")
    handler.run(JobRun(job, account.db, settings.model_copy(update={"webhook_delivery_retention_days": 30})))
    assert _left(account) == ({old_pending, recent}, {recent})


def test_prune_works_in_batches(account: DomainAccount) -> None:
    ids = _deliveries(account, 3)
    for delivery_id in ids:
        _age(account, delivery_id, 1000, "cancelled")
    before = now_ms() - 999 * DAY  # older than any other test's deliveries (the job is global)
    assert account.write(lambda s: prune(s, before, limit=2)) == 2
    assert account.write(lambda s: prune(s, before, limit=2)) == 1
    assert _left(account) == (set(), set())
