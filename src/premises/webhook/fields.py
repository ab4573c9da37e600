"""The webhook endpoint fields, declared once (``premises.kit.fields``); ``webhook.queries`` selects them.

``events`` holds the names of the dialect that registered the endpoint (a JSON list); the secret is
no field: it is shown once, by the create command's caller, and never read back.
"""

from __future__ import annotations

from premises.kit.fields import Catalogue, Field, FieldType
from premises.models.webhook import URL_MAX_LENGTH

ID, INSTANT = FieldType.ID, FieldType.INSTANT

WEBHOOKS = Catalogue(
    "webhook",
    (
        Field("id", ID, nullable=False),
        Field("title", FieldType.STRING, nullable=False, max_length=200, searchable=True, writable=True),
        Field("url", FieldType.STRING, nullable=False, max_length=URL_MAX_LENGTH, writable=True),
        Field("events", FieldType.JSON, nullable=False, writable=True),
        Field("enabled", FieldType.BOOLEAN, nullable=False, writable=True),
        Field("disabled_reason", FieldType.STRING, max_length=20, sortable=False),
        Field("dialect", FieldType.STRING, nullable=False, max_length=20, sortable=False),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
    ),
    default_sort=(("created_at", True),),
)

# An endpoint's delivery log, newest first (the body is no field: it is sent, never listed).
DELIVERIES = Catalogue(
    "webhook_delivery",
    (
        Field("id", ID, nullable=False),
        Field("endpoint_id", ID, nullable=False, sortable=False),
        Field("event_id", ID, nullable=False, sortable=False),
        Field("event_name", FieldType.STRING, nullable=False, max_length=64),
        Field("status", FieldType.STRING, nullable=False, max_length=16),
        Field("attempts", FieldType.INTEGER, nullable=False),
        Field("next_attempt_at", INSTANT),
        Field("delivered_at", INSTANT),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
    ),
    default_sort=(("created_at", True),),
)
DELIVERY_COLUMNS = DELIVERIES.columns
ATTEMPT_COLUMNS = ("delivery_id", "attempt", "attempted_at", "status_code", "latency_ms", "response_body", "error")
