"""/webhooks: create (with its secret, shown once), list, get (also ``/webhook/{id}``), update (both
spellings), delete; and Premises' delivery log and redelivery (docs/webhooks.md)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import read_body
from premises.api.kit.listing import check_keys
from premises.api.kit.webhooks import checked_url
from premises.api.upkeep.listing import ListSpec, parse_list
from premises.api.upkeep.mappers import webhooks as wire
from premises.api.upkeep.security import PrincipalDep
from premises.api.upkeep.wire import (
    JSON,
    MESSAGE_SCHEMA,
    ok_message,
    ok_result,
    ok_results,
    responses,
    result_schema,
    results_schema,
)
from premises.identity.principal import Principal
from premises.webhook import queries, service

router = APIRouter(tags=["webhooks"])

DIALECT = "upkeep"
LIST = ListSpec(ranges=wire.UPKEEP.ordered(), order_fields=wire.UPKEEP.ordered())
DELIVERIES = ListSpec()
ITEM = responses(result_schema(wire.SCHEMA))


async def _one(runtime: RuntimeDep, principal: Principal, webhook_id: str) -> Response:
    return ok_result(wire.to_upkeep(await queries.get_webhook(runtime.reader, principal, webhook_id, dialect=DIALECT)))


@router.post(
    "/webhooks",
    responses=responses(wire.CREATED_SCHEMA),
    openapi_extra=wire.CREATE.openapi(),
)
async def create_webhook(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = wire.parse_create(await read_body(request))
    url = await checked_url(runtime, principal, command.url, "create")
    endpoint = await runtime.write(lambda s: service.create_webhook(s, principal, command, url, dialect=DIALECT))
    row = await queries.get_webhook(runtime.reader, principal, endpoint.id, dialect=DIALECT)
    # Pipedream reads webhookId at the top level (../shared/reference/upkeep-behaviour.md §3.10).
    result = {**wire.to_upkeep(row), "secret": endpoint.secret}
    return JSON({"success": True, "webhookId": endpoint.id, "result": result})


@router.get("/webhooks", responses=responses(results_schema(wire.SCHEMA)), openapi_extra=LIST.openapi())
async def list_webhooks(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, LIST, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_webhooks(runtime.reader, principal, parsed.query, dialect=DIALECT)
    return ok_results([wire.to_upkeep(r) for r in rows])


@router.get("/webhooks/{webhook_id}", responses=ITEM)
@router.get("/webhook/{webhook_id}", responses=ITEM)
async def get_webhook(webhook_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset())
    return await _one(runtime, principal, webhook_id)


@router.patch("/webhooks/{webhook_id}", responses=ITEM, openapi_extra=wire.UPDATE.openapi(partial=True))
@router.patch("/webhook/{webhook_id}", responses=ITEM, openapi_extra=wire.UPDATE.openapi(partial=True))
async def update_webhook(webhook_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    changes = wire.parse_update(await read_body(request))
    url = await checked_url(runtime, principal, changes.url, "update") if isinstance(changes.url, str) else None
    await runtime.write(lambda s: service.update_webhook(s, principal, webhook_id, changes, url))
    return await _one(runtime, principal, webhook_id)


@router.delete("/webhooks/{webhook_id}", responses=responses(MESSAGE_SCHEMA))
async def delete_webhook(webhook_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_webhook(s, principal, webhook_id))
    return ok_message("1 webhook deleted")


@router.get(
    "/webhooks/{webhook_id}/deliveries",
    responses=responses(results_schema(wire.DELIVERY_SCHEMA)),
    openapi_extra=DELIVERIES.openapi(),
)
async def list_deliveries(webhook_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Premises: the endpoint's deliveries, newest first, each with every attempt (status, latency,
    the first 1,000 characters of the answer, or the error)."""
    parsed = parse_list(request, DELIVERIES, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_deliveries(
        runtime.reader, principal, webhook_id, dialect=DIALECT, offset=parsed.query.offset, limit=parsed.query.limit
    )
    return ok_results([wire.delivery_to_upkeep(r) for r in rows])


@router.post(
    "/webhooks/{webhook_id}/deliveries/{delivery_id}/redeliver",
    responses=responses(MESSAGE_SCHEMA),
)
async def redeliver(webhook_id: str, delivery_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Premises: send a delivery again (same ``webhook-id`` and body)."""
    await runtime.write(lambda s: service.redeliver(s, principal, webhook_id, delivery_id).id)
    return ok_message(f"delivery {delivery_id} queued")
