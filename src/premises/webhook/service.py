"""Webhook endpoints, write side: create (with its secret), update, secret rotation, delete, and redelivery.

A URL reaches a command only as a ``CheckedUrl``, made by ``check_endpoint_url`` outside the
transaction (it resolves the host name: slow work never runs under a lock), which refuses what the
SSRF guard refuses (``webhook.addresses``). Only admins manage webhooks (``identity.permissions``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from premises.errors import DomainValidation, ErrorCode, InvalidState, NotFound
from premises.identity.principal import Principal
from premises.job.service import enqueue
from premises.kit import jsonutil
from premises.kit.commands import given
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import WebhookDelivery, WebhookEndpoint
from premises.user.operator import OPERATOR_USER_ID
from premises.webhook import addresses, signing
from premises.webhook.commands import WebhookChanges, WebhookCreate

DELIVER_JOB = "webhook.deliver"
DELIVERY_MAX_JOB_ATTEMPTS = 1_000  # the delivery's own schedule decides when it gives up (webhook.delivery)
PENDING, DELIVERED, FAILED, CANCELLED = "pending", "delivered", "failed", "cancelled"


@dataclass(frozen=True, slots=True)
class CheckedUrl:
    """An endpoint URL the SSRF guard accepted when it was checked (``check_endpoint_url``)."""

    url: str


def check_endpoint_url(url: str, *, allow_private: bool, field: str = "url") -> CheckedUrl:
    """Resolve and check ``url`` (blocking: call it off the event loop, before the transaction)."""
    text = url.strip()
    if not text:
        raise DomainValidation(ErrorCode.REQUIRED, field=field)
    try:
        addresses.check_url(text, allow_private=allow_private)
    except addresses.RefusedAddress as refused:
        raise DomainValidation(ErrorCode.WEBHOOK_URL_REFUSED, field=field, reason=refused.reason) from refused
    return CheckedUrl(text)


def _title(value: str) -> str:
    title = value.strip()
    if not title:
        raise DomainValidation(ErrorCode.REQUIRED, field="title")
    return title


def create_webhook(
    session: Session, principal: Principal, command: WebhookCreate, url: CheckedUrl, *, dialect: str
) -> WebhookEndpoint:
    """The new endpoint; its ``secret`` is for the caller to show once."""
    principal.require("webhook", "create")
    now = now_ms()
    endpoint = WebhookEndpoint(
        account_id=principal.account_id,
        id=new_id(),
        dialect=dialect,
        title=_title(command.title),
        url=url.url,
        events=jsonutil.dumps(list(command.events)),
        enabled=command.enabled,
        secret=signing.new_secret(),
        created_by_user_id=None if principal.user_id == OPERATOR_USER_ID else principal.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(endpoint)
    return endpoint


def get_webhook_for_write(session: Session, principal: Principal, webhook_id: str) -> WebhookEndpoint:
    endpoint = session.get(WebhookEndpoint, (principal.account_id, webhook_id), with_for_update=True)
    if endpoint is None or endpoint.deleted_at is not None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="webhook")
    return endpoint


def update_webhook(
    session: Session, principal: Principal, webhook_id: str, changes: WebhookChanges, url: CheckedUrl | None = None
) -> WebhookEndpoint:
    """Change the endpoint; ``url`` is the checked form of ``changes.url`` when it is given. Enabling
    an endpoint forgets why it was disabled and its run of failures."""
    principal.require("webhook", "update")
    endpoint = get_webhook_for_write(session, principal, webhook_id)
    fields = given(changes)
    if "title" in fields:
        endpoint.title = _title(fields["title"])
    if "url" in fields:
        if url is None or url.url != fields["url"].strip():
            raise DomainValidation(ErrorCode.WEBHOOK_URL_REFUSED, field="url", reason="not checked")
        endpoint.url = url.url
    if "events" in fields:
        endpoint.events = jsonutil.dumps(list(fields["events"]))
    if "enabled" in fields:
        endpoint.enabled = bool(fields["enabled"])
        if endpoint.enabled:
            endpoint.disabled_reason = None
            endpoint.failing_since = None
    endpoint.updated_at = max(now_ms(), endpoint.updated_at)
    return endpoint


def rotate_secret(session: Session, principal: Principal, webhook_id: str) -> WebhookEndpoint:
    """A new secret for the endpoint (for the caller to show once); deliveries sent from now on are signed
    with it, the old one no longer verifies them."""
    principal.require("webhook", "update")
    endpoint = get_webhook_for_write(session, principal, webhook_id)
    endpoint.secret = signing.new_secret()
    endpoint.updated_at = max(now_ms(), endpoint.updated_at)
    return endpoint


def delete_webhook(session: Session, principal: Principal, webhook_id: str) -> None:
    """Soft-delete: pending deliveries are cancelled when their turn comes."""
    principal.require("webhook", "delete")
    endpoint = get_webhook_for_write(session, principal, webhook_id)
    now = now_ms()
    endpoint.deleted_at = now
    endpoint.enabled = False
    endpoint.updated_at = max(now, endpoint.updated_at)


def redeliver(session: Session, principal: Principal, webhook_id: str, delivery_id: str) -> WebhookDelivery:
    """Send a delivery again (same ``webhook-id`` and body), now, whatever its status; its attempts
    so far stay in the log. Refused while it is still pending."""
    principal.require("webhook", "update")
    endpoint = get_webhook_for_write(session, principal, webhook_id)
    delivery = session.get(WebhookDelivery, (principal.account_id, delivery_id), with_for_update=True)
    if delivery is None or delivery.endpoint_id != endpoint.id:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="webhook delivery")
    if delivery.status == PENDING:
        raise InvalidState(ErrorCode.DELIVERY_PENDING, record="webhook delivery")
    now = now_ms()
    delivery.status = PENDING
    delivery.next_attempt_at = now
    delivery.updated_at = now
    enqueue_delivery(session, delivery)
    return delivery


def enqueue_delivery(session: Session, delivery: WebhookDelivery, *, delay_ms: int = 0) -> None:
    enqueue(
        session,
        DELIVER_JOB,
        {"delivery_id": delivery.id},
        account_id=delivery.account_id,
        delay_ms=delay_ms,
        max_attempts=DELIVERY_MAX_JOB_ATTEMPTS,
    )
