"""Webhook <-> UpKeep wire shape: ``{id, endpoint, events, title, enabled}`` (and Premises' extras)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from premises.api.kit.body import Field, Spec
from premises.api.kit.representation import Fields, Wire
from premises.api.kit.webhooks import DELIVERY_PROPERTIES, event_names, render_delivery
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


def _domain(fields: dict[str, Any]) -> dict[str, Any]:
    if "events" in fields:
        fields["events"] = event_names(fields["events"], OFFERED, expand_events)
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
    return render_delivery(row, iso)


DELIVERY_SCHEMA = obj(DELIVERY_PROPERTIES)
