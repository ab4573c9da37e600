"""What a dialect tells the webhook system: its name for an event and the body it sends.

The domain records events in its own names (``event.types.EventType``, a snapshot of the resource in
domain field names). Each dialect that offers webhooks registers a ``WebhookDialect`` here (UpKeep's:
``premises.api.upkeep.webhooks``, /v1's: ``premises.api.v1.webhooks``); an endpoint remembers the
dialect it was registered through, and the fan-out asks that dialect whether the endpoint hears the
event, under which name, with which body.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True, slots=True)
class EventView:
    id: str
    account_id: str
    type: str
    resource_type: str
    resource_id: str
    payload: dict[str, Any]
    occurred_at: int


class WebhookDialect(Protocol):
    def event_name(self, event: EventView) -> str | None:
        """The dialect's name for the event, or None if it offers no webhook for it."""

    def body(self, event: EventView, name: str) -> dict[str, Any]:
        """The JSON object a receiver gets."""


WEBHOOK_DIALECTS: dict[str, WebhookDialect] = {}


def register(name: str, dialect: WebhookDialect) -> None:
    WEBHOOK_DIALECTS[name] = dialect
