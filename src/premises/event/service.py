"""Business events, recorded in the transaction of the change they describe (the outbox).

Event types are the members of ``event.types.EventType`` (UpKeep's webhook names). The
payload is a snapshot of the resource in domain field names. Each event enqueues an
``event.fanout`` job in the same transaction (``premises.job``): its handler
(``premises.webhook.delivery``) turns the committed event into webhook deliveries, each dialect
rendering it in its own names (ADR 7).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from premises.event.types import EventType
from premises.job.service import enqueue, enqueue_many
from premises.kit import jsonutil
from premises.kit.bulk import insert_rows
from premises.kit.ids import new_sortable_id
from premises.kit.time import now_ms
from premises.models import Event

if TYPE_CHECKING:
    from premises.identity.principal import Principal

FANOUT_JOB = "event.fanout"


def record_event(
    session: Session,
    *,
    account_id: str,
    type: EventType,
    resource_type: str,
    resource_id: str,
    payload: Mapping[str, Any],
    actor_user_id: str | None = None,
) -> Event:
    event = Event(
        account_id=account_id,
        id=new_sortable_id(),
        type=EventType(type).value,  # a ValueError for a type nobody registered
        resource_type=resource_type,
        resource_id=resource_id,
        actor_user_id=actor_user_id,
        payload=jsonutil.dumps(dict(payload)),
        occurred_at=now_ms(),
    )
    session.add(event)
    enqueue(session, FANOUT_JOB, {"event_id": event.id}, account_id=account_id)
    return event


@dataclass(frozen=True, slots=True)
class NewEvent:
    """One event of ``record_events`` (the arguments of ``record_event``)."""

    type: EventType
    resource_type: str
    resource_id: str
    payload: Mapping[str, Any]
    actor_user_id: str | None = None


def record_events(session: Session, account_id: str, events: Sequence[NewEvent]) -> None:
    """``record_event`` for many events of one account, in their order: one multi-row insert of the
    events and one of their fan-out jobs (a set-based writer, e.g. the PM sweep)."""
    rows = [
        {
            "account_id": account_id,
            "id": new_sortable_id(),
            "type": EventType(e.type).value,
            "resource_type": e.resource_type,
            "resource_id": e.resource_id,
            "actor_user_id": e.actor_user_id,
            "payload": jsonutil.dumps(dict(e.payload)),
            "occurred_at": now_ms(),
        }
        for e in events
    ]
    if rows:
        insert_rows(session, Event, rows)
        enqueue_many(session, FANOUT_JOB, [{"event_id": row["id"]} for row in rows], account_id=account_id)


def record_change(
    session: Session, principal: Principal, type: EventType, resource_type: str, record: Any, **extra: Any
) -> Event:
    """The event of a change ``principal`` made to ``record`` (an ORM object): its column values as they
    stand after the flush are the payload, with ``extra`` members."""
    session.flush()
    return record_event(
        session,
        account_id=principal.account_id,
        type=type,
        resource_type=resource_type,
        resource_id=record.id,
        payload={**snapshot(record), **extra},
        actor_user_id=principal.user_id,
    )


def snapshot(model: Any) -> dict[str, Any]:
    """The column values of an ORM object, for an event payload."""
    return {c.key: getattr(model, c.key) for c in model.__table__.columns}
