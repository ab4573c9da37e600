"""What the dialects' webhooks share: the ``events`` a subscription names, checked, and the body.

The body (``premises.webhook.dialects``) is the changed resource rendered from the event's snapshot
(the resource as the change left it) as the dialect renders it, at the top level, plus ``event``: the
event's name.

A snapshot holds the resource's columns only, so joined values that are not columns of the resource
(an assignee's name, a site's label) are null; a resource the dialect has no renderer for is its
snapshot in camelCase.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from premises.api.kit.representation import Fields
from premises.api.runtime import Runtime
from premises.errors import DomainValidation, ErrorCode
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.fields import FieldType
from premises.webhook import service
from premises.webhook.dialects import EventView
from premises.webhook.service import CheckedUrl

log = logging.getLogger("premises.webhooks")

Renderer = Callable[[Mapping[str, Any]], dict[str, Any]]


def snapshot_row(fields: Fields, columns: Sequence[str], payload: Mapping[str, Any]) -> dict[str, Any]:
    """A read-model row from an event's snapshot: the read model's columns, JSON columns parsed."""
    json_fields = {f.name for f in fields.attachment.catalogue if f.type in (FieldType.JSON, FieldType.ID_LIST)}
    row = {column: payload.get(column) for column in columns}
    for name in json_fields & row.keys():
        if isinstance(row[name], str):
            row[name] = jsonutil.loads(row[name])
    return row


def renderer(fields: Fields, columns: Sequence[str], render: Callable[[dict[str, Any]], dict[str, Any]]) -> Renderer:
    """Render a snapshot as a read-model row of ``columns`` would be rendered."""
    return lambda payload: render(snapshot_row(fields, columns, payload))


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def generic(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A snapshot in camelCase (its account left out)."""
    return {_camel(key): value for key, value in payload.items() if key != "account_id"}


def event_body(resources: Mapping[str, Renderer], event: EventView, name: str) -> dict[str, Any]:
    """The resource (by ``event.resource_type``) rendered from the snapshot, with ``event``: ``name``."""
    render = resources.get(event.resource_type, generic)
    try:
        resource = render(event.payload)
    except Exception:  # a snapshot older than the renderer: send what was recorded
        log.warning("event %s: rendering its %s failed", event.id, event.resource_type, exc_info=True)
        resource = generic(event.payload)
    resource.setdefault("id", event.resource_id)
    return {**resource, "event": name}


def event_names(
    value: Any, offered: frozenset[str], expand: Callable[[Sequence[str]], tuple[str, ...]]
) -> tuple[str, ...]:
    """A body's ``events`` (a list of names, or one name alone): each offered or ``*``, expanded by the
    dialect's ``expand``; else DomainValidation naming ``events``."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
        raise DomainValidation(ErrorCode.WRONG_TYPE, field="events", expected="an array of event names")
    for name in names:
        if name != "*" and name not in offered:
            raise DomainValidation(ErrorCode.UNKNOWN_EVENT, field="events", value=name[:100])
    return expand(names)


async def checked_url(runtime: Runtime, principal: Principal, url: str, action: str) -> CheckedUrl:
    """The SSRF guard resolves the host: off the event loop, before the transaction. Only a URL the
    principal may save is resolved (the permission first, as the service would)."""
    principal.require("webhook", action)
    allow = runtime.settings.webhook_allow_private
    return await asyncio.to_thread(service.check_endpoint_url, url, allow_private=allow)


def render_delivery(row: Mapping[str, Any], iso: Callable[[int | None], str | None]) -> dict[str, Any]:
    """A delivery and its attempts (Premises' delivery log, ``webhook.queries.list_deliveries``), its
    instants rendered by ``iso``."""
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


DELIVERY_PROPERTIES: dict[str, Any] = {
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
