"""Webhook <-> UpKeep wire shape: ``{id, endpoint, events, title, enabled}`` (and Premises' extras)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from premises.api.kit.body import Field, Spec
from premises.api.kit.representation import Fields, Wire
from premises.api.upkeep.mappers.common import iso, obj
from premises.api.upkeep.webhooks import OFFERED, UPKEEP_EVENTS, expand_events
from premises.errors import DomainValidation, ErrorCode
from premises.kit import jsonutil
from premises.kit.commands import build
from premises.models import WebhookEndpoint
from premises.webhook.commands import WebhookChanges, WebhookCreate
from premises.webhook.fields import WEBHOOKS

UPKEEP = Fields(
    WEBHOOKS.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "url": Wire("endpoint"),
            "events": Wire("events", jsonutil.loads, body=False, schema={"type": "array", "items": {"type": "string"}}),
            "title": Wire("title"),
            "enabled": Wire("enabled", bool),
            # Premises: why the endpoint was disabled (gone: it answered 410; failing: days of failures).
            "disabled_reason": Wire("disabledReason"),
            "created_at": Wire("createdAt", iso, ordered=True),
            "updated_at": Wire("updatedAt", iso, ordered=True),
        },
    )
)
EVENTS = Field("events", "any", nullable=False)
CREATE = Spec(*UPKEEP.body_fields(required=("title", "url")), EVENTS, model=WebhookEndpoint)
UPDATE = Spec(*UPKEEP.body_fields(), EVENTS, model=WebhookEndpoint)
EVENT_CHOICES = sorted(OFFERED | {"*"})


def _events(value: Any) -> tuple[str, ...]:
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise DomainValidation(ErrorCode.WRONG_TYPE, field="events", expected="an array of event names")
    for name in names:
        if name != "*" and name not in OFFERED:
            raise DomainValidation(ErrorCode.UNKNOWN_EVENT, field="events", value=name[:100])
    return expand_events(names)


def _domain(fields: dict[str, Any]) -> dict[str, Any]:
    if "events" in fields:
        fields["events"] = _events(fields["events"])
    if fields.get("enabled", True) is None:
        raise DomainValidation(ErrorCode.REQUIRED, field="enabled")
    return fields


def parse_create(body: Mapping[str, Any]) -> WebhookCreate:
    fields = _domain(CREATE.parse(body))
    fields.setdefault("events", UPKEEP_EVENTS)
    return build(WebhookCreate, fields)


def parse_update(body: Mapping[str, Any]) -> WebhookChanges:
    return build(WebhookChanges, _domain(UPDATE.parse(body, partial=True)))


SCHEMA = obj(UPKEEP.schema_properties({}), UPKEEP.required())
CREATED_SCHEMA = {
    "type": "object",
    "required": ["success", "webhookId", "result"],
    "properties": {
        "success": {"type": "boolean", "enum": [True]},
        "webhookId": {"type": "string"},
        "result": {**SCHEMA, "properties": {**SCHEMA["properties"], "secret": {"type": "string"}}},
    },
}
to_upkeep = UPKEEP.render


def delivery_to_upkeep(row: Mapping[str, Any]) -> dict[str, Any]:
    """A delivery and its attempts (Premises' delivery log; no UpKeep counterpart)."""
    return {
        "id": row["id"],
        "webhookId": row["endpoint_id"],
        "eventId": row["event_id"],
        "event": row["event_name"],
        "status": row["status"],
        "attempts": row["attempts"],
        "nextAttemptAt": iso(row["next_attempt_at"]),
        "deliveredAt": iso(row["delivered_at"]),
        "createdAt": iso(row["created_at"]),
        "updatedAt": iso(row["updated_at"]),
        "attemptsLog": [
            {
                "attempt": a["attempt"],
                "attemptedAt": iso(a["attempted_at"]),
                "statusCode": a["status_code"],
                "latencyMs": a["latency_ms"],
                "response": a["response_body"],
                "error": a["error"],
            }
            for a in row["attempts_log"]
        ],
    }


DELIVERY_SCHEMA = obj(
    {
        "id": {"type": "string"},
        "webhookId": {"type": "string"},
        "eventId": {"type": "string"},
        "event": {"type": "string"},
        "status": {"enum": ["pending", "delivered", "failed", "cancelled"]},
        "attempts": {"type": "integer"},
        "nextAttemptAt": {"type": ["string", "null"], "format": "date-time"},
        "deliveredAt": {"type": ["string", "null"], "format": "date-time"},
        "createdAt": {"type": "string", "format": "date-time"},
        "updatedAt": {"type": "string", "format": "date-time"},
        "attemptsLog": {"type": "array", "items": {"type": "object"}},
    }
)
