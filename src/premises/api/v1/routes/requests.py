"""/v1/requests: the work requests of ``/api/v2/requests`` (the same records and ids) in /v1's words.

A request is ``{"id", "title", "description", "status", "priority", "category", "dueDate",
"endDueDate", "team", "requestedBy", "requesterEmail", "image", "files", "workOrder", "decidedBy",
"decidedAt", "decisionReason", "Site", "Location", "Asset", "Assignee", "createdAt", "updatedAt"}``.
``status`` is ``open`` until someone decides it: ``approved`` (``workOrder`` is the work order the
approval created), ``rejected`` or ``cancelled``. A request changes only by its decision
(``request.service``): there is no ``PATCH``; ``POST /v1/requests/{id}/approve``, ``/decline`` and
``/cancel`` decide an open one. Related records are embedded as on ``/v1/workOrders``
(``api.v1.embedded``).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Field, Spec, read_body
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.runtime import Runtime
from premises.api.v1.embedded import EMBEDDED, MAYBE_INSTANT, RELATED_COLUMNS, one_of, renderer
from premises.api.v1.listing import ListSpec, get_route, page_body, parse_list
from premises.api.v1.routes import work_orders
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, object_schema, responses
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models import WorkRequest
from premises.request import queries, service
from premises.request.commands import RequestApproval, RequestCreate
from premises.request.fields import REQUESTS

router = APIRouter(tags=["requests"])

V1 = Fields(
    REQUESTS.attach(
        "v1",
        {
            "id": Wire("id"),
            "title": Wire("title", sort=True),
            "description": Wire("description"),
            "status": Wire("status", filter="open, approved, rejected, cancelled (a comma list: any of)"),
            "priority": Wire(
                "priority", null_default=True, filter="The priority, 0 to 3 (a comma list: any of)", sort=True
            ),
            "category": Wire("category", filter="The category (a comma list: any of)"),
            "due_date": Wire("dueDate", instant, schema=MAYBE_INSTANT, sort=True),
            "end_due_date": Wire("endDueDate", instant, schema=MAYBE_INSTANT),
            "location_id": Wire("location", response=False),
            "asset_id": Wire("asset", response=False),
            "team_id": Wire("team", filter="The team's id (a comma list: any of)"),
            "assigned_to_user_id": Wire("assignee", response=False),
            "requested_by_user_id": Wire("requestedBy", filter="Who raised it: a user id (a comma list: any of)"),
            "public_requester_email": Wire("requesterEmail"),
            "image_file_id": Wire("image"),
            "file_ids": Wire("files", null_default=True),
            "work_order_id": Wire("workOrder"),
            "decided_by_user_id": Wire("decidedBy"),
            "decided_at": Wire("decidedAt", instant, schema=MAYBE_INSTANT),
            "decision_reason": Wire("decisionReason", then=EMBEDDED),
            "created_at": Wire("createdAt", instant, schema=INSTANT_SCHEMA, sort=True),
            "updated_at": Wire("updatedAt", instant, schema=INSTANT_SCHEMA, sort=True),
        },
    )
)
CREATE = Spec(*V1.body_fields(required=required_of(RequestCreate)), model=WorkRequest)
# Approving: the work order's fields that replace the request's values, as /v1/workOrders names them.
APPROVE = work_orders.FROM_RECORD
# Declining and cancelling take an optional reason.
DECISION = Spec(Field("reason", max_length=10_000))
# The related records' ids filter too (body names only, so not ``Fields.filter_names``).
LIST = ListSpec(
    REQUESTS,
    "site_id",
    {**V1.filter_names(), "location": "location_id", "asset": "asset_id", "assignee": "assigned_to_user_id"},
    V1.sort_keys(),
)
SCHEMA = object_schema(V1)
# The page's columns: the request's, then the related records' values its embedded objects show.
COLUMNS = (*queries.ALL_COLUMNS, *RELATED_COLUMNS)
_render_rows = renderer(V1.row_renderer(COLUMNS), COLUMNS)


_request = one_of(REQUESTS, queries.page_of_requests, COLUMNS, _render_rows, "request")


@router.get("/requests", responses=responses(list_schema(SCHEMA)), openapi_extra=LIST.openapi())
async def list_requests(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    query = parse_list(request, LIST, principal)
    rows, count = await queries.page_of_requests(runtime.reader, principal, query, COLUMNS)
    keyed = [dict(zip(COLUMNS, row, strict=True)) for row in rows]  # the cursor reads the last one by name
    return JSON(page_body(query, keyed, count, _render_rows(principal, rows)))


@router.get("/requests/{request_id}", responses=responses(SCHEMA))
async def get_request(request_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    return await get_route(request, lambda: _request(runtime.reader, principal, request_id))


@router.post("/requests", status_code=201, responses=responses(SCHEMA, status=201), openapi_extra=CREATE.openapi())
async def create_request(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = build(RequestCreate, CREATE.parse(await read_body(request)))
    request_id = await runtime.write(lambda s: service.create_request(s, principal, command).id)
    return JSON(await _request(runtime.reader, principal, request_id), status_code=201)


@router.delete("/requests/{request_id}", status_code=204, responses=responses(None, status=204))
async def delete_request(request_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_request(s, principal, request_id))
    return Response(status_code=204)


@router.post("/requests/{request_id}/approve", responses=responses(SCHEMA), openapi_extra=APPROVE.openapi(partial=True))
async def approve_request(request_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Approve an open request: its work order (``workOrder``) is created in the same transaction."""
    approval = build(RequestApproval, APPROVE.parse(await read_body(request), partial=True))
    await runtime.write(lambda s: service.approve_request(s, principal, request_id, approval)[0].id)
    return JSON(await _request(runtime.reader, principal, request_id))


Decide = Callable[[Session, Principal, str, str | None], WorkRequest]


async def _decide(
    decide: Decide, request_id: str, request: Request, runtime: Runtime, principal: Principal
) -> Response:
    """Decline or cancel: ``decide`` with the body's optional ``reason``; the request as it now is."""
    reason = DECISION.parse(await read_body(request)).get("reason")
    await runtime.write(lambda s: decide(s, principal, request_id, reason).id)
    return JSON(await _request(runtime.reader, principal, request_id))


@router.post(
    "/requests/{request_id}/decline", responses=responses(SCHEMA), openapi_extra=DECISION.openapi(partial=True)
)
async def decline_request(request_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Decline (reject) an open request, with an optional ``reason``."""
    return await _decide(service.reject_request, request_id, request, runtime, principal)


@router.post("/requests/{request_id}/cancel", responses=responses(SCHEMA), openapi_extra=DECISION.openapi(partial=True))
async def cancel_request(request_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Cancel an open request, with an optional ``reason``."""
    return await _decide(service.cancel_request, request_id, request, runtime, principal)
