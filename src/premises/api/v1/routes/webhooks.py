"""/v1/webhooks: the account's webhook endpoints registered through /v1 (docs/webhooks.md), their delivery
log, ``GET /v1/webhooks/{id}/deliveries`` (newest first, each with its attempts),
``POST /v1/webhooks/{id}/deliveries/{deliveryId}/redeliver`` and ``POST /v1/webhooks/{id}/rotateSecret``.

An endpoint names the events it hears (``events``: any of the domain's event types, ``CASE_*`` and
``RESIDENT_*`` included, or ``"*"`` for all: ``api.v1.webhooks``); the body it receives is the resource
as /v1 renders it. The secret is shown once, in the create answer (a new one: in the rotation's). Only
admins manage webhooks, as on /api/v2 (``identity.permissions``); the SSRF guard refuses the server's own
network.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Field, Spec, read_body
from premises.api.kit.listing import check_keys
from premises.api.kit.representation import Fields, Wire
from premises.api.kit.webhooks import DELIVERY_PROPERTIES, checked_url, event_names, render_delivery
from premises.api.v1.listing import ListSpec, page_body, parse_list
from premises.api.v1.security import PrincipalDep
from premises.api.v1.webhooks import OFFERED, V1_EVENTS, expand_events
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, object_schema, responses
from premises.errors import DomainValidation, ErrorCode
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.commands import build
from premises.models import WebhookEndpoint
from premises.webhook import queries, service
from premises.webhook.commands import WebhookChanges, WebhookCreate
from premises.webhook.fields import DELIVERIES, WEBHOOKS

router = APIRouter(tags=["webhooks"])

DIALECT = "v1"
EVENTS_SCHEMA = {"type": "array", "items": {"type": "string", "enum": [*V1_EVENTS, "*"]}}
V1 = Fields(
    WEBHOOKS.attach(
        "v1",
        {
            "id": Wire("id"),
            "title": Wire("title", sort=True),
            "url": Wire("endpoint"),
            "events": Wire("events", jsonutil.loads, body=False, schema=EVENTS_SCHEMA),
            "enabled": Wire("enabled", bool),
            # why the endpoint was disabled (gone: it answered 410; failing: days of failures), else null
            "disabled_reason": Wire("disabledReason"),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
EVENTS = Field("events", "any", nullable=False)
CREATE = Spec(*V1.body_fields(required=("title", "url")), EVENTS, model=WebhookEndpoint)
UPDATE = Spec(*V1.body_fields(), EVENTS, model=WebhookEndpoint)
LIST = ListSpec.of(V1, site_field=None, sited=False)
SCHEMA = object_schema(V1)
CREATED_SCHEMA = {**SCHEMA, "properties": {**SCHEMA["properties"], "secret": {"type": "string"}}}
DELIVERY_SCHEMA = {"type": "object", "properties": DELIVERY_PROPERTIES}
DELIVERY_LIST = ListSpec(DELIVERIES, None, sortable={"createdAt": "created_at"}, sited=False)
to_v1 = V1.render


def _domain(fields: dict[str, Any]) -> dict[str, Any]:
    if "events" in fields:
        fields["events"] = event_names(fields["events"], OFFERED, expand_events)
    if fields.get("enabled", True) is None:
        raise DomainValidation(ErrorCode.REQUIRED, field="enabled")
    return fields


def _delivery(row: Mapping[str, Any]) -> dict[str, Any]:
    return render_delivery(row, instant)


async def _one(runtime: RuntimeDep, principal: Principal, webhook_id: str) -> dict[str, Any]:
    return to_v1(await queries.get_webhook(runtime.reader, principal, webhook_id, dialect=DIALECT))


@router.get("/webhooks", responses=responses(list_schema(SCHEMA)), openapi_extra=LIST.openapi())
async def list_webhooks(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    query = parse_list(request, LIST, principal)
    rows, count = await queries.page_of_webhooks(runtime.reader, principal, query, dialect=DIALECT)
    return JSON(page_body(query, rows, count, [to_v1(r) for r in rows]))


@router.get("/webhooks/{webhook_id}", responses=responses(SCHEMA))
async def get_webhook(webhook_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset())
    return JSON(await _one(runtime, principal, webhook_id))


@router.post(
    "/webhooks", status_code=201, responses=responses(CREATED_SCHEMA, status=201), openapi_extra=CREATE.openapi()
)
async def create_webhook(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Subscribe an endpoint (``events`` defaults to every event); the answer's ``secret`` is shown once."""
    fields = _domain(CREATE.parse(await read_body(request)))
    fields.setdefault("events", V1_EVENTS)
    command = build(WebhookCreate, fields)
    url = await checked_url(runtime, principal, command.url, "create")
    endpoint = await runtime.write(lambda s: service.create_webhook(s, principal, command, url, dialect=DIALECT))
    return JSON({**await _one(runtime, principal, endpoint.id), "secret": endpoint.secret}, status_code=201)


@router.patch("/webhooks/{webhook_id}", responses=responses(SCHEMA), openapi_extra=UPDATE.openapi(partial=True))
async def update_webhook(webhook_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    changes = build(WebhookChanges, _domain(UPDATE.parse(await read_body(request), partial=True)))
    await _one(runtime, principal, webhook_id)
    url = await checked_url(runtime, principal, changes.url, "update") if isinstance(changes.url, str) else None
    await runtime.write(lambda s: service.update_webhook(s, principal, webhook_id, changes, url))
    return JSON(await _one(runtime, principal, webhook_id))


@router.post("/webhooks/{webhook_id}/rotateSecret", responses=responses(CREATED_SCHEMA))
async def rotate_secret(webhook_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """A new signing secret, shown this once in the answer; deliveries sent from now on (retries of
    earlier ones included) are signed with it and no longer verify with the old one."""
    check_keys(request, frozenset())
    await _one(runtime, principal, webhook_id)
    secret = await runtime.write(lambda s: service.rotate_secret(s, principal, webhook_id).secret)
    return JSON({**await _one(runtime, principal, webhook_id), "secret": secret})


@router.delete("/webhooks/{webhook_id}", status_code=204, responses=responses(None, status=204))
async def delete_webhook(webhook_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await _one(runtime, principal, webhook_id)
    await runtime.write(lambda s: service.delete_webhook(s, principal, webhook_id))
    return Response(status_code=204)


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    responses=responses(list_schema(DELIVERY_SCHEMA)),
    openapi_extra=DELIVERY_LIST.openapi(),
)
async def list_deliveries(webhook_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """The endpoint's deliveries, newest first (``sort=createdAt``: oldest first), each with every attempt
    (status, latency, the first 1,000 characters of the answer, or the error); paged by ``page`` and
    ``limit`` or by ``cursor`` (the previous page's ``nextCursor``)."""
    query = parse_list(request, DELIVERY_LIST, principal)
    rows, count = await queries.page_of_deliveries(runtime.reader, principal, webhook_id, query, dialect=DIALECT)
    return JSON(page_body(query, rows, count, [_delivery(r) for r in rows]))


@router.post(
    "/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
    status_code=202,
    responses=responses(DELIVERY_SCHEMA, status=202, extra=(422,)),
)
async def redeliver(webhook_id: str, delivery_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Send a delivery again (same ``webhook-id`` and body); 422 while it is still pending."""
    await runtime.write(lambda s: service.redeliver(s, principal, webhook_id, delivery_id).id)
    (row,) = await queries.list_deliveries(
        runtime.reader, principal, webhook_id, dialect=DIALECT, offset=0, limit=1, delivery_id=delivery_id
    )
    return JSON(_delivery(row), status_code=202)
