"""/requests: create, list, get, cancel, delete, and the local approve / decline (reject) endpoints.

UpKeep documents no approve or reject endpoint, only the REQUEST_APPROVED / REQUEST_REJECTED
webhooks; Premises serves ``PATCH /requests/{id}/approve`` (creates the work order and returns the
request with ``workOrder`` expanded) and ``PATCH /requests/{id}/decline`` (alias ``/reject``).
``PATCH /requests/{id}/cancel`` is kept for an older client.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import read_body
from premises.api.kit.listing import check_keys
from premises.api.runtime import Runtime
from premises.api.upkeep.expanders import expand
from premises.api.upkeep.listing import ListSpec, include_values, includes_openapi, parse_includes, parse_list
from premises.api.upkeep.mappers import requests as wire
from premises.api.upkeep.security import PrincipalDep
from premises.api.upkeep.wire import (
    MESSAGE_SCHEMA,
    ok_message,
    ok_result,
    ok_results,
    responses,
    result_schema,
    results_schema,
)
from premises.identity.principal import Principal
from premises.request import queries, service

router = APIRouter(tags=["requests"])

LIST = ListSpec(
    filters=wire.UPKEEP.filters(),
    ranges=wire.UPKEEP.ordered(),
    order_fields=wire.UPKEEP.ordered(),
    # requestedByUser and workOrder are Premises extensions.
    includes=(
        "asset",
        "location",
        "team",
        "assignedToUser",
        "assignedByUser",
        "cancelledByUser",
        "requestedByUser",
        "workOrder",
    ),
)
GET_INCLUDES = (*LIST.includes, "files", "formItems", "parts", "arrayOfUpdateItems")
KINDS = {
    "asset": "asset",
    "location": "location",
    "team": "team",
    "assignedToUser": "user",
    "assignedByUser": "user",
    "cancelledByUser": "user",
    "requestedByUser": "user",
    "workOrder": "work_order",
    "files": "file",
}
ITEM = responses(result_schema(wire.SCHEMA))
MESSAGE = responses(MESSAGE_SCHEMA)
GET_PARAMS = includes_openapi(GET_INCLUDES)


async def _detail(runtime: Runtime, principal: Principal, request_id: str, includes: set[str]) -> dict[str, Any]:
    row = await queries.get_request(runtime.reader, principal, request_id)
    [item] = await wire.render(runtime.reader, principal, [row])
    if includes:
        await expand(runtime.reader, principal, [item], KINDS, includes)
    return item


@router.post("/requests", responses=ITEM, openapi_extra=wire.CREATE.openapi())
async def create_request(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = wire.parse_create(await read_body(request))
    request_id = await runtime.write(lambda s: service.create_request(s, principal, command).id)
    return ok_result(await _detail(runtime, principal, request_id, set()))


@router.get("/requests", responses=responses(results_schema(wire.SCHEMA)), openapi_extra=LIST.openapi())
async def list_requests(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, LIST, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_requests(runtime.reader, principal, parsed.query)
    items = await wire.render(runtime.reader, principal, rows)
    if parsed.includes:
        await expand(runtime.reader, principal, items, KINDS, parsed.includes)
    return ok_results(items)


@router.get("/requests/{request_id}", responses=ITEM, openapi_extra=GET_PARAMS)
async def get_request(request_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset({"includes", "includes[]"}))
    includes = parse_includes(include_values(request), GET_INCLUDES)
    return ok_result(await _detail(runtime, principal, request_id, includes))


@router.delete("/requests/{request_id}", responses=MESSAGE)
async def delete_request(request_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_request(s, principal, request_id))
    return ok_message("1 request deleted")


async def _cancel(request_id: str, request: Request, runtime: Runtime, principal: Principal) -> Response:
    reason = wire.DECISION.parse(await read_body(request)).get("reason")
    await runtime.write(lambda s: service.cancel_request(s, principal, request_id, reason).id)
    return ok_message("1 request cancelled")


@router.delete("/requests/{request_id}/cancel", responses=MESSAGE, openapi_extra=wire.DECISION.openapi(partial=True))
async def cancel_request(request_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    return await _cancel(request_id, request, runtime, principal)


@router.patch("/requests/{request_id}/cancel", responses=MESSAGE, openapi_extra=wire.DECISION.openapi(partial=True))
async def cancel_request_patch(
    request_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    """The same as DELETE /requests/{id}/cancel (an older client uses PATCH)."""
    return await _cancel(request_id, request, runtime, principal)


@router.patch("/requests/{request_id}/approve", responses=ITEM, openapi_extra=wire.APPROVE.openapi(partial=True))
async def approve_request(request_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Approve an open request: its work order is created in the same transaction (Premises endpoint)."""
    approval = wire.parse_approval(await read_body(request))
    await runtime.write(lambda s: service.approve_request(s, principal, request_id, approval)[0].id)
    return ok_result(await _detail(runtime, principal, request_id, {"workOrder"}))


async def _decline(request_id: str, request: Request, runtime: Runtime, principal: Principal) -> Response:
    reason = wire.DECISION.parse(await read_body(request)).get("reason")
    await runtime.write(lambda s: service.reject_request(s, principal, request_id, reason).id)
    return ok_result(await _detail(runtime, principal, request_id, set()))


@router.patch("/requests/{request_id}/decline", responses=ITEM, openapi_extra=wire.DECISION.openapi(partial=True))
async def decline_request(request_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Reject an open request, with an optional ``reason`` (Premises endpoint)."""
    return await _decline(request_id, request, runtime, principal)


@router.patch("/requests/{request_id}/reject", responses=ITEM, openapi_extra=wire.DECISION.openapi(partial=True))
async def reject_request(request_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Alias of PATCH /requests/{id}/decline."""
    return await _decline(request_id, request, runtime, principal)
