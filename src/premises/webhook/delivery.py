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

Both kinds run in batches (``job.worker``: a thread's share of the claimed jobs per call):
``fan_out_many`` fans out many events in one transaction, ``deliver_many`` reads many deliveries in
one, posts them one after another and records the outcomes together; one job is a batch of one.

A slow or dead endpoint does not hold up the others' deliveries in a batch: the POSTs take turns
across endpoints (each endpoint's oldest delivery first, endpoints without failures first in a turn),
and an attempt that gets no answer (a timeout, a refused or broken connection) or one slower than
``PREMISES_WEBHOOK_SLOW_SECONDS`` (2 s) is recorded as usual while the rest of that endpoint's jobs
in the batch are handed back unattempted (their attempt not counted), to run after the first delay of
the retry schedule (5 s, ±10 %). An HTTP answer, whatever its status, is an ordinary attempt.
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
from premises.job.service import enqueue_many, relaxed_commit
from premises.job.worker import JobRun, done_all, handler, settle_together
from premises.kit import jsonutil
from premises.kit.bulk import insert_rows
from premises.kit.ids import new_sortable_id
from premises.kit.time import now_ms
from premises.models import Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from premises.webhook import addresses, signing
from premises.webhook.dialects import WEBHOOK_DIALECTS, EventView
from premises.webhook.service import (
    CANCELLED,
    DELIVER_JOB,
    DELIVERED,
    DELIVERY_MAX_JOB_ATTEMPTS,
    FAILED,
    PENDING,
)

log = logging.getLogger("premises.webhooks")

RESPONSE_KEEP_CHARS = 1000
RESPONSE_KEEP_BYTES = 4 * RESPONSE_KEEP_CHARS  # read at most this much of an answer
MAX_RETRY_AFTER_S = 24 * 3600
USER_AGENT = "Premises-Webhooks/1"


def _view(event: Any) -> EventView:
    """The dialects' view of an event (an ``Event`` or a row of its columns)."""
    return EventView(
        id=event.id,
        account_id=event.account_id,
        type=event.type,
        resource_type=event.resource_type,
        resource_id=event.resource_id,
        payload=jsonutil.loads(event.payload) or {},
        occurred_at=event.occurred_at,
    )


def _by_account(runs: Sequence[JobRun]) -> dict[str, list[JobRun]]:
    """Runs grouped by their job's account (a batch may hold several accounts' jobs)."""
    grouped: dict[str, list[JobRun]] = {}
    for run in runs:
        grouped.setdefault(run.job.account_id or "", []).append(run)
    return grouped


def fan_out_many(runs: Sequence[JobRun]) -> None:
    """``fan_out`` for many claimed jobs in one transaction: each account's endpoints and events read
    once, every delivery and its job written in one multi-row insert each, the jobs ended in one."""
    by_account = _by_account(runs)

    def work(session: Session) -> None:
        relaxed_commit(session)  # lost in a crash: the fan-out jobs run again (their events committed)
        for account_id, account_runs in by_account.items():
            endpoints = _listening(session, account_id) if account_id else []
            if endpoints:
                event_ids = [str(run.job.payload.get("event_id", "")) for run in account_runs]
                retried = [e for e, run in zip(event_ids, account_runs, strict=True) if run.job.attempts > 1]
                _fan_out_rows(session, account_id, event_ids, endpoints, retried)
        done_all(session, runs)

    settle_together(runs[0].db, work, runs)


def _fan_out_rows(
    session: Session,
    account_id: str,
    event_ids: Sequence[str],
    endpoints: Sequence[WebhookEndpoint],
    retried: Sequence[str],
) -> None:
    """The deliveries of the account's events ``event_ids`` and their jobs, as two multi-row inserts;
    for ``retried`` events (a re-run fan-out) only the deliveries that do not exist yet."""
    events = session.execute(
        select(Event.__table__).where(Event.account_id == account_id, Event.id.in_(event_ids)).order_by(Event.id)
    ).all()
    existing: set[tuple[str, str]] = set()
    if retried:
        existing = {
            (endpoint_id, event_id)
            for endpoint_id, event_id in session.execute(
                select(WebhookDelivery.endpoint_id, WebhookDelivery.event_id).where(
                    WebhookDelivery.account_id == account_id, WebhookDelivery.event_id.in_(retried)
                )
            )
        }
    now = now_ms()
    rows = []
    for event in events:
        view = _view(event)
        for endpoint in endpoints:
            if (endpoint.id, event.id) not in existing:
                row = _delivery_row(view, endpoint, now)
                if row is not None:
                    rows.append(row)
    if rows:
        insert_rows(session, WebhookDelivery, rows)
        payloads = [{"delivery_id": row["id"]} for row in rows]
        enqueue_many(session, DELIVER_JOB, payloads, account_id=account_id, max_attempts=DELIVERY_MAX_JOB_ATTEMPTS)


def _delivery_row(view: EventView, endpoint: WebhookEndpoint, now: int) -> dict[str, Any] | None:
    """The pending delivery of the event to ``endpoint`` (columns), or None when its dialect does not
    name the event or the endpoint does not subscribe to that name."""
    dialect = WEBHOOK_DIALECTS.get(endpoint.dialect)
    name = None if dialect is None else dialect.event_name(view)
    if dialect is None or name is None or name not in (jsonutil.loads(endpoint.events) or ()):
        return None
    return {
        "account_id": view.account_id,
        "id": new_sortable_id(),
        "endpoint_id": endpoint.id,
        "event_id": view.id,
        "event_name": name,
        "body": jsonutil.dumps(dialect.body(view, name)),
        "status": PENDING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
        "updated_at": now,
    }


@handler(FANOUT_JOB, batch=fan_out_many)
def fan_out(run: JobRun) -> None:
    """One fan-out job: a batch of one."""
    fan_out_many([run])


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


# ------------------------------------------------------------------------------------------ delivery


@dataclass(frozen=True, slots=True)
class Answer:
    status_code: int | None
    latency_ms: int
    body: str | None
    error: str | None
    retry_after_s: int | None
    unreachable: bool = False  # no answer: a timeout or a connection error (not the address check's refusal)

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300

    def stalls(self, settings: Settings) -> bool:
        """True when the endpoint held the batch up: no answer, or one slower than ``webhook_slow_seconds``."""
        return self.unreachable or self.latency_ms > settings.webhook_slow_seconds * 1000


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
        return Answer(None, elapsed(), None, "timeout", None, unreachable=True)
    except httpx.HTTPError as error:
        return Answer(None, elapsed(), None, f"{type(error).__name__}: {error}"[:300], None, unreachable=True)
    text = kept[:RESPONSE_KEEP_BYTES].decode("utf-8", "replace")[:RESPONSE_KEEP_CHARS]
    return Answer(response.status_code, elapsed(), text, None, _retry_after(response))


def msg_id(delivery: WebhookDelivery) -> str:
    """The ``webhook-id``: the event's, so every endpoint and every attempt of one event share it."""
    return f"msg_{delivery.event_id}"


RECORD_EVERY_S = 1.0  # a batch records its finished attempts at least this often


def deliver_many(runs: Sequence[JobRun]) -> None:
    """``deliver`` for many claimed jobs: their deliveries and endpoints read in one transaction (which
    ends the jobs with nothing left to do), the POSTs one after another, the outcomes recorded together:
    every successful attempt and its job's end in three statements. Outcomes are recorded at least every
    ``RECORD_EVERY_S``, and a job whose lease is half gone is handed back unrun, so that a slow receiver
    never keeps a finished attempt unrecorded until another worker claims its job again.

    One endpoint does not hold up the others: the POSTs go round-robin across endpoints (``_in_turns``),
    and once an attempt to an endpoint stalls (``Answer.stalls``: no answer, or slower than
    ``webhook_slow_seconds``) the rest of that endpoint's jobs in the batch are handed back unattempted,
    to run again after the schedule's first delay (``_put_off``); the stalled attempt is recorded as any."""
    db = runs[0].db
    ready: list[tuple[JobRun, WebhookDelivery, WebhookEndpoint]] = []
    finished: list[JobRun] = []

    def load(session: Session) -> None:
        ready.clear()
        finished.clear()
        _load_many(session, runs, ready, finished)
        done_all(session, finished)

    settle_together(db, load, finished)
    turns = _in_turns(ready)
    outcomes: list[tuple[JobRun, WebhookDelivery, WebhookEndpoint, Answer]] = []
    stalled: set[tuple[str, str]] = set()  # endpoints whose remaining jobs were handed back
    recorded_at = time.monotonic()
    for number, (run, delivery, endpoint) in enumerate(turns):
        if _key(endpoint) in stalled:
            continue
        if time.monotonic() > run.deadline:
            _release_all(db, [late for late, _, e in turns[number:] if _key(e) not in stalled])
            break
        answer = post(run.settings, endpoint.url, msg_id(delivery), endpoint.secret, delivery.body.encode())
        outcomes.append((run, delivery, endpoint, answer))
        if answer.stalls(run.settings):
            stalled.add(_key(endpoint))
            _put_off(db, [(r, d) for r, d, e in turns[number + 1 :] if _key(e) == _key(endpoint)])
        if time.monotonic() - recorded_at >= RECORD_EVERY_S:
            _record_many(db, outcomes)
            outcomes = []
            recorded_at = time.monotonic()
    if outcomes:
        _record_many(db, outcomes)


def _release_all(db: Any, runs: Sequence[JobRun]) -> None:
    def release(session: Session) -> None:
        for run in runs:
            run.release(session)

    settle_together(db, release, runs)


def _in_turns(
    ready: Sequence[tuple[JobRun, WebhookDelivery, WebhookEndpoint]],
) -> list[tuple[JobRun, WebhookDelivery, WebhookEndpoint]]:
    """``ready`` round-robin across endpoints: the oldest delivery of each endpoint, then the second
    oldest of each, ...; in each turn the endpoints that are not failing first, then by oldest delivery."""
    by_endpoint: dict[tuple[str, str], list[tuple[JobRun, WebhookDelivery, WebhookEndpoint]]] = {}
    for item in sorted(ready, key=lambda item: (item[1].created_at, item[1].id)):
        by_endpoint.setdefault(_key(item[2]), []).append(item)
    queues = sorted(by_endpoint.values(), key=lambda queue: queue[0][2].failing_since is not None)  # stable
    return [queue[turn] for turn in range(max(map(len, queues), default=0)) for queue in queues if turn < len(queue)]


def _key(endpoint: WebhookEndpoint) -> tuple[str, str]:
    return endpoint.account_id, endpoint.id


def _put_off(db: Any, later: Sequence[tuple[JobRun, WebhookDelivery]]) -> None:
    """Hand the jobs of ``later`` (the rest of one stalled endpoint's deliveries in the batch) back
    unattempted, to run after the first delay of ``PREMISES_WEBHOOK_RETRY_SCHEDULE`` (±10 %, at least
    1 s), in one transaction; their deliveries' ``next_attempt_at`` says so (only moved later, and only
    while still pending)."""
    if not later:
        return
    runs = [run for run, _ in later]
    first_s = runs[0].settings.webhook_retry_delays[0]
    delay_ms = max(1000, int(first_s * 1000 * random.uniform(0.9, 1.1)))  # jitter, not a secret

    def release(session: Session) -> None:
        at = now_ms() + delay_ms
        for run in runs:
            run.release(session, delay_ms)
        session.execute(
            update(WebhookDelivery)
            .where(
                WebhookDelivery.account_id == later[0][1].account_id,
                WebhookDelivery.id.in_([delivery.id for _, delivery in later]),
                WebhookDelivery.status == PENDING,
                WebhookDelivery.next_attempt_at < at,
            )
            .values(next_attempt_at=at)
            .execution_options(synchronize_session=False)
        )

    settle_together(db, release, runs)


def _load_many(
    session: Session,
    runs: Sequence[JobRun],
    ready: list[tuple[JobRun, WebhookDelivery, WebhookEndpoint]],
    finished: list[JobRun],
) -> None:
    """Sort ``runs`` into ``ready`` (a pending delivery to a live endpoint) and ``finished`` (nothing
    to do: delivered, cancelled or gone; a delivery whose endpoint was deleted or disabled is cancelled)."""
    now = now_ms()
    for account_id, account_runs in _by_account(runs).items():
        ids = [str(run.job.payload.get("delivery_id", "")) for run in account_runs]
        found = {
            delivery.id: (delivery, endpoint)
            for delivery, endpoint in session.execute(
                select(WebhookDelivery, WebhookEndpoint)
                .join(
                    WebhookEndpoint,
                    and_(
                        WebhookEndpoint.account_id == WebhookDelivery.account_id,
                        WebhookEndpoint.id == WebhookDelivery.endpoint_id,
                    ),
                )
                .where(WebhookDelivery.account_id == account_id, WebhookDelivery.id.in_(ids))
            )
        }
        cancelled = []
        for run, delivery_id in zip(account_runs, ids, strict=True):
            pair = found.get(delivery_id)
            if pair is None or pair[0].status != PENDING:
                finished.append(run)
            elif pair[1].deleted_at is not None or not pair[1].enabled:
                cancelled.append(delivery_id)
                finished.append(run)
            else:
                ready.append((run, *pair))
        if cancelled:
            session.execute(
                update(WebhookDelivery)
                .where(
                    WebhookDelivery.account_id == account_id,
                    WebhookDelivery.id.in_(cancelled),
                    WebhookDelivery.status == PENDING,
                )
                .values(status=CANCELLED, next_attempt_at=None, updated_at=now)
                .execution_options(synchronize_session=False)
            )
    session.expunge_all()


def _record_many(db: Any, outcomes: Sequence[tuple[JobRun, WebhookDelivery, WebhookEndpoint, Answer]]) -> None:
    """Record the attempts of ``outcomes`` and settle their jobs, in one transaction: the successes of
    each attempt number in one UPDATE (only deliveries whose attempt this still is), their attempt rows
    in one INSERT, their jobs' ends in one DELETE; a failure as ``deliver`` records it."""
    runs = [run for run, _, _, _ in outcomes]

    def work(session: Session) -> None:
        relaxed_commit(session)  # lost in a crash: the attempts are made again (at least once)
        now = now_ms()
        successes: dict[tuple[str, int], list[tuple[WebhookDelivery, WebhookEndpoint, Answer]]] = {}
        for run, delivery, endpoint, answer in outcomes:
            attempt = delivery.attempts + 1
            if answer.ok:
                successes.setdefault((delivery.account_id, attempt), []).append((delivery, endpoint, answer))
            else:
                _record_failure(session, run, delivery.id, endpoint.id, attempt, answer)
        attempts: list[dict[str, Any]] = []
        recovered: set[tuple[str, str]] = set()
        for (account_id, attempt), group in successes.items():
            advanced = set(
                session.execute(
                    update(WebhookDelivery)
                    .where(
                        WebhookDelivery.account_id == account_id,
                        WebhookDelivery.id.in_([delivery.id for delivery, _, _ in group]),
                        WebhookDelivery.attempts == attempt - 1,
                        WebhookDelivery.status == PENDING,
                    )
                    .values(attempts=attempt, status=DELIVERED, delivered_at=now, next_attempt_at=None, updated_at=now)
                    .returning(WebhookDelivery.id)
                    .execution_options(synchronize_session=False)
                ).scalars()
            )
            for delivery, endpoint, answer in group:
                if delivery.id in advanced:  # else another claim recorded this attempt (its lease had expired)
                    attempts.append(_attempt_values(delivery, endpoint.id, attempt, answer, now))
                    if endpoint.failing_since is not None:
                        recovered.add((endpoint.account_id, endpoint.id))
        insert_rows(session, WebhookAttempt, attempts)
        for account_id, endpoint_id in sorted(recovered):  # the first success after failures ends them
            session.execute(
                update(WebhookEndpoint)
                .where(WebhookEndpoint.account_id == account_id, WebhookEndpoint.id == endpoint_id)
                .values(failing_since=None)
                .execution_options(synchronize_session=False)
            )
        done_all(session, [run for run, _, _, answer in outcomes if answer.ok])

    settle_together(db, work, runs)


@handler(DELIVER_JOB, batch=deliver_many)
def deliver(run: JobRun) -> None:
    """One delivery job: a batch of one."""
    deliver_many([run])


def _attempt_values(
    delivery: WebhookDelivery, endpoint_id: str, attempt: int, answer: Answer, now: int
) -> dict[str, Any]:
    return {
        "account_id": delivery.account_id,
        "delivery_id": delivery.id,
        "attempt": attempt,
        "endpoint_id": endpoint_id,
        "attempted_at": now,
        "status_code": answer.status_code,
        "latency_ms": answer.latency_ms,
        "response_body": answer.body,
        "error": answer.error,
    }


def _attempt(delivery: WebhookDelivery, endpoint_id: str, attempt: int, answer: Answer, now: int) -> WebhookAttempt:
    return WebhookAttempt(**_attempt_values(delivery, endpoint_id, attempt, answer, now))


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
