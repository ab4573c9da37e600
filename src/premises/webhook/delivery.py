"""The two webhook jobs: fan an event out into deliveries, and deliver one (docs/webhooks.md).

``event.fanout`` (enqueued by ``event.service.record_event`` with the event, ADR 7): for every live,
enabled endpoint of the event's account whose dialect names the event and which subscribes to that
name, one ``webhook_deliveries`` row (unique per endpoint and event: a re-run adds nothing) with the
body rendered once, and a ``webhook.deliver`` job; all in one transaction with the job's end. A
rolled-back change has no event and no job; a committed one has both, so nothing is lost when a
worker dies: the job's lease expires and another worker runs it again.

``webhook.deliver``: POST the body with the Standard Webhooks headers (``webhook.signing``), 15 s
timeout, no redirects; record the attempt (``webhook_attempts``, one row per attempt number: the
primary key refuses a second) with the delivery's new state and the job's, in one transaction.
2xx is success; 410 disables the endpoint; otherwise the next attempt follows
``PREMISES_WEBHOOK_RETRY_SCHEDULE`` (±10 % jitter) or, on 429 and 503, the receiver's
``Retry-After``; after the last one the delivery has failed. An endpoint whose deliveries failed
without a success for ``PREMISES_WEBHOOK_DISABLE_AFTER_HOURS`` is disabled.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from sqlalchemy import and_, select, update
from sqlalchemy.orm import Session

from premises.config import Settings
from premises.event.service import FANOUT_JOB
from premises.job.service import relaxed_commit
from premises.job.worker import JobRun, handler
from premises.kit import jsonutil
from premises.kit.ids import new_sortable_id
from premises.kit.time import now_ms
from premises.models import Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from premises.webhook import addresses, signing
from premises.webhook.dialects import WEBHOOK_DIALECTS, EventView
from premises.webhook.service import (
    CANCELLED,
    DELIVER_JOB,
    DELIVERED,
    FAILED,
    PENDING,
    enqueue_delivery,
)

log = logging.getLogger("premises.webhooks")

RESPONSE_KEEP_CHARS = 1000
RESPONSE_KEEP_BYTES = 4 * RESPONSE_KEEP_CHARS  # read at most this much of an answer
MAX_RETRY_AFTER_S = 24 * 3600
USER_AGENT = "Premises-Webhooks/1"


def _view(event: Event) -> EventView:
    return EventView(
        id=event.id,
        account_id=event.account_id,
        type=event.type,
        resource_type=event.resource_type,
        resource_id=event.resource_id,
        payload=jsonutil.loads(event.payload) or {},
        occurred_at=event.occurred_at,
    )


@handler(FANOUT_JOB)
def fan_out(run: JobRun) -> None:
    account_id = run.job.account_id
    event_id = str(run.job.payload.get("event_id", ""))

    def work(session: Session) -> None:
        relaxed_commit(session)  # lost in a crash: the fan-out job runs again (its event committed)
        endpoints = [] if account_id is None else _listening(session, account_id)
        event = session.get(Event, (account_id, event_id)) if endpoints else None
        if event is not None:
            # A first run cannot find deliveries of its own: they commit with the job's end.
            fan_out_event(session, event, endpoints, check_existing=run.job.attempts > 1)
        run.done(session)

    run.db.run(work)


def _listening(session: Session, account_id: str) -> list[WebhookEndpoint]:
    return list(
        session.scalars(
            select(WebhookEndpoint).where(
                WebhookEndpoint.account_id == account_id,
                WebhookEndpoint.deleted_at.is_(None),
                WebhookEndpoint.enabled.is_(True),
            )
        )
    )


def fan_out_event(
    session: Session,
    event: Event,
    endpoints: Sequence[WebhookEndpoint] | None = None,
    *,
    check_existing: bool = True,
) -> list[WebhookDelivery]:
    """The deliveries of ``event`` that do not exist yet, added with their jobs (the unique index on
    endpoint and event refuses a second one; ``check_existing`` reads first)."""
    if endpoints is None:
        endpoints = _listening(session, event.account_id)
    if not endpoints:
        return []
    view = _view(event)
    existing: set[str] = set()
    if check_existing:
        existing = set(
            session.scalars(
                select(WebhookDelivery.endpoint_id).where(
                    WebhookDelivery.account_id == event.account_id, WebhookDelivery.event_id == event.id
                )
            )
        )
    added = []
    now = now_ms()
    for endpoint in endpoints:
        dialect = WEBHOOK_DIALECTS.get(endpoint.dialect)
        if dialect is None or endpoint.id in existing:
            continue
        name = dialect.event_name(view)
        if name is None or name not in (jsonutil.loads(endpoint.events) or ()):
            continue
        delivery = WebhookDelivery(
            account_id=event.account_id,
            id=new_sortable_id(),
            endpoint_id=endpoint.id,
            event_id=event.id,
            event_name=name,
            body=jsonutil.dumps(dialect.body(view, name)),
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            created_at=now,
            updated_at=now,
        )
        session.add(delivery)
        enqueue_delivery(session, delivery)
        added.append(delivery)
    return added


# ------------------------------------------------------------------------------------------ delivery


@dataclass(frozen=True, slots=True)
class Answer:
    status_code: int | None
    latency_ms: int
    body: str | None
    error: str | None
    retry_after_s: int | None

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


_clients: dict[float, httpx.Client] = {}
_clients_lock = threading.Lock()


def _client(timeout_s: float) -> httpx.Client:
    """One pooled client per process (and timeout): keep-alive connections to busy receivers."""
    with _clients_lock:
        client = _clients.get(timeout_s)
        if client is None:
            limits = httpx.Limits(max_connections=64, max_keepalive_connections=32)
            transport = httpx.HTTPTransport(limits=limits)
            # New connections go to the address the SSRF check resolved (DNS rebinding, addresses.py).
            transport._pool._network_backend = addresses.PinnedBackend()  # httpcore's pool: no public hook
            client = httpx.Client(
                transport=transport,
                timeout=timeout_s,
                follow_redirects=False,
                trust_env=False,  # no proxy from the environment: the address check is the one that counts
                headers={"user-agent": USER_AGENT, "accept-encoding": "identity"},  # raw bytes are the text
            )
            _clients[timeout_s] = client
        return client


def _retry_after(response: httpx.Response) -> int | None:
    if response.status_code not in (429, 503):
        return None
    value = response.headers.get("retry-after", "").strip()
    if value.isascii() and value.isdigit():
        return min(int(value), MAX_RETRY_AFTER_S)
    return None


def post(settings: Settings, url: str, msg_id: str, secret: str, body: bytes) -> Answer:
    """One attempt: check the address, sign with this attempt's timestamp, POST, read the answer."""
    started = time.monotonic()

    def elapsed() -> int:
        return int((time.monotonic() - started) * 1000)

    try:
        address = addresses.check_url(url, allow_private=settings.webhook_allow_private)
    except addresses.RefusedAddress as refused:
        return Answer(None, elapsed(), None, f"refused: {refused.reason}", None)
    headers = {
        "content-type": "application/json",
        **signing.headers(secret, msg_id, int(time.time()), body),
    }
    try:
        # Streamed: only the first bytes of the answer are read (a receiver cannot fill our memory).
        # Connected to the checked address (resolved once: a name cannot rebind in between).
        with (
            addresses.pinned(url, address),
            _client(settings.webhook_timeout_seconds).stream("POST", url, content=body, headers=headers) as response,
        ):
            kept = b""
            for chunk in response.iter_raw():
                kept += chunk
                if len(kept) >= RESPONSE_KEEP_BYTES:
                    break
    except httpx.TimeoutException:
        return Answer(None, elapsed(), None, "timeout", None)
    except httpx.HTTPError as error:
        return Answer(None, elapsed(), None, f"{type(error).__name__}: {error}"[:300], None)
    text = kept[:RESPONSE_KEEP_BYTES].decode("utf-8", "replace")[:RESPONSE_KEEP_CHARS]
    return Answer(response.status_code, elapsed(), text, None, _retry_after(response))


def msg_id(delivery: WebhookDelivery) -> str:
    """The ``webhook-id``: the event's, so every endpoint and every attempt of one event share it."""
    return f"msg_{delivery.event_id}"


@handler(DELIVER_JOB)
def deliver(run: JobRun) -> None:
    account_id = run.job.account_id or ""
    delivery_id = str(run.job.payload.get("delivery_id", ""))

    def load(session: Session) -> tuple[WebhookDelivery, WebhookEndpoint] | None:
        found = session.execute(
            select(WebhookDelivery, WebhookEndpoint)
            .join(
                WebhookEndpoint,
                and_(
                    WebhookEndpoint.account_id == WebhookDelivery.account_id,
                    WebhookEndpoint.id == WebhookDelivery.endpoint_id,
                ),
            )
            .where(WebhookDelivery.account_id == account_id, WebhookDelivery.id == delivery_id)
        ).first()
        if found is None or found[0].status != PENDING:
            run.done(session)
            return None
        delivery, endpoint = found
        if endpoint.deleted_at is not None or not endpoint.enabled:
            _lock(session, delivery).status = CANCELLED
            run.done(session)
            return None
        session.expunge_all()
        return delivery, endpoint

    loaded = run.db.run(load)
    if loaded is None:
        return
    delivery, endpoint = loaded
    attempt = delivery.attempts + 1
    answer = post(run.settings, endpoint.url, msg_id(delivery), endpoint.secret, delivery.body.encode())
    if answer.ok:
        run.db.run(lambda session: _record_success(session, run, delivery, endpoint, attempt, answer))
    else:
        run.db.run(lambda session: _record_failure(session, run, delivery.id, endpoint.id, attempt, answer))


def _lock(session: Session, delivery: WebhookDelivery) -> WebhookDelivery:
    locked = session.get(WebhookDelivery, (delivery.account_id, delivery.id), with_for_update=True)
    assert locked is not None
    return locked


def _attempt(delivery: WebhookDelivery, endpoint_id: str, attempt: int, answer: Answer, now: int) -> WebhookAttempt:
    return WebhookAttempt(
        account_id=delivery.account_id,
        delivery_id=delivery.id,
        attempt=attempt,
        endpoint_id=endpoint_id,
        attempted_at=now,
        status_code=answer.status_code,
        latency_ms=answer.latency_ms,
        response_body=answer.body,
        error=answer.error,
    )


def _record_success(
    session: Session, run: JobRun, delivery: WebhookDelivery, endpoint: WebhookEndpoint, attempt: int, answer: Answer
) -> None:
    """Three statements: the delivery (only if this attempt is still the next one), the attempt, the
    job's end; the endpoint's row only after failures (successes to a busy endpoint never queue on it)."""
    relaxed_commit(session)  # lost in a crash: the attempt is made again (at least once)
    now = now_ms()
    advanced: Any = session.execute(
        update(WebhookDelivery)
        .where(
            WebhookDelivery.account_id == delivery.account_id,
            WebhookDelivery.id == delivery.id,
            WebhookDelivery.attempts == attempt - 1,
            WebhookDelivery.status == PENDING,
        )
        .values(attempts=attempt, status=DELIVERED, delivered_at=now, next_attempt_at=None, updated_at=now)
        .execution_options(synchronize_session=False)
    )
    if advanced.rowcount == 1:
        session.add(_attempt(delivery, endpoint.id, attempt, answer, now))
        if endpoint.failing_since is not None:  # the first success after failures ends the run of failures
            session.execute(
                update(WebhookEndpoint)
                .where(WebhookEndpoint.account_id == endpoint.account_id, WebhookEndpoint.id == endpoint.id)
                .values(failing_since=None)
                .execution_options(synchronize_session=False)
            )
    run.done(session)  # else another claim recorded this attempt (its lease had expired)


def _record_failure(
    session: Session, run: JobRun, delivery_id: str, endpoint_id: str, attempt: int, answer: Answer
) -> None:
    relaxed_commit(session)  # lost in a crash: the attempt is made again (at least once)
    account_id = run.job.account_id or ""
    delivery = session.get(WebhookDelivery, (account_id, delivery_id), with_for_update=True)
    endpoint = session.get(WebhookEndpoint, (account_id, endpoint_id), with_for_update=True)
    if delivery is None or endpoint is None or delivery.attempts >= attempt:
        run.done(session)  # another claim recorded this attempt (its lease had expired)
        return
    now = now_ms()
    session.add(_attempt(delivery, endpoint_id, attempt, answer, now))
    delivery.attempts = attempt
    delivery.updated_at = now
    if endpoint.failing_since is None:
        endpoint.failing_since = now
    settings = run.settings
    gone = answer.status_code == 410
    failing_too_long = now - endpoint.failing_since >= settings.webhook_disable_after_hours * 3_600_000
    if gone or failing_too_long:
        _disable(endpoint, "gone" if gone else "failing", now)
    delay_ms = _next_delay_ms(settings, attempt, answer)
    if not endpoint.enabled or delay_ms is None:
        delivery.status = FAILED
        delivery.next_attempt_at = None
        run.done(session)
        return
    delivery.next_attempt_at = now + delay_ms
    run.again_in(session, delay_ms, answer.error or f"HTTP {answer.status_code}")


def _disable(endpoint: WebhookEndpoint, reason: str, now: int) -> None:
    endpoint.enabled = False
    endpoint.disabled_reason = reason
    endpoint.updated_at = max(now, endpoint.updated_at)
    log.warning("webhook endpoint %s disabled: %s", endpoint.id, reason)


def _next_delay_ms(settings: Settings, attempt: int, answer: Answer) -> int | None:
    """Milliseconds until the next attempt after failed attempt ``attempt``, None after the last."""
    schedule = settings.webhook_retry_delays
    if attempt > len(schedule):
        return None
    if answer.retry_after_s is not None:
        return answer.retry_after_s * 1000
    base = schedule[attempt - 1] * 1000
    return int(base * random.uniform(0.9, 1.1))  # jitter, not a secret
