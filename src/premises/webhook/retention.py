"""Delivery retention: the ``webhook.prune`` job deletes finished deliveries older than
``PREMISES_WEBHOOK_DELIVERY_RETENTION_DAYS`` (30 by default), with their attempts (docs/webhooks.md).

Finished means delivered, failed or cancelled: a pending delivery (still being retried) stays, whatever
its age. The job is periodic (hourly) and global; every statement it runs names one account and one
endpoint (the ``(account, endpoint, created_at)`` index serves it), in batches of ``BATCH``
deliveries per transaction, so a first run over a long history never holds one long transaction.
"""

from __future__ import annotations

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from premises.job.worker import JobRun, handler
from premises.kit.time import now_ms
from premises.models import Account, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from premises.webhook.service import PENDING

PRUNE_JOB = "webhook.prune"
EVERY_S = 3600
BATCH = 1000
DAY_MS = 86_400_000


def prune(session: Session, before: int, *, limit: int = BATCH) -> int:
    """Delete up to ``limit`` finished deliveries created before ``before`` (epoch ms), and their
    attempts; the number deleted."""
    deleted = 0
    for account_id in session.scalars(select(Account.id).order_by(Account.id)):
        endpoints = session.scalars(select(WebhookEndpoint.id).where(WebhookEndpoint.account_id == account_id))
        for endpoint_id in endpoints.all():
            if deleted >= limit:
                return deleted
            ids = list(
                session.scalars(
                    select(WebhookDelivery.id)
                    .where(
                        WebhookDelivery.account_id == account_id,
                        WebhookDelivery.endpoint_id == endpoint_id,
                        WebhookDelivery.created_at < before,
                        WebhookDelivery.status != PENDING,
                    )
                    .limit(limit - deleted)
                )
            )
            if not ids:
                continue
            for model, column in ((WebhookAttempt, WebhookAttempt.delivery_id), (WebhookDelivery, WebhookDelivery.id)):
                session.execute(
                    delete(model)
                    .where(model.account_id == account_id, column.in_(ids))
                    .execution_options(synchronize_session=False)
                )
            deleted += len(ids)
    return deleted


@handler(PRUNE_JOB, every_s=EVERY_S)
def run_prune(run: JobRun) -> None:
    """The periodic job: prune in batches until a batch comes back short."""
    before = now_ms() - int(run.settings.webhook_delivery_retention_days * DAY_MS)
    while run.db.run(lambda session: prune(session, before)) >= BATCH:
        pass
