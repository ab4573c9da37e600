"""Work requests, write side: raise, cancel, delete, and decide (approve into a work order, or reject).

A request is ``open`` until someone decides it; ``approved``, ``rejected`` and ``cancelled`` are
final. Every change records its event in the same transaction: REQUEST_CREATED, REQUEST_UPDATED
(cancel), REQUEST_APPROVED (plus the WORK_ORDER_CREATED of the new work order), REQUEST_REJECTED
and REQUEST_DELETED. Services take typed commands (``request.commands``) and raise coded errors
with domain field names; which requests a principal sees is ``request.visibility``'s rule, shared
with the read side.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from sqlalchemy.orm import Session

from premises.errors import DomainValidation, ErrorCode, InvalidState, NotFound
from premises.event.service import record_change
from premises.event.types import EventType
from premises.file.service import require_readable_files
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.commands import given
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import WorkOrder, WorkRequest
from premises.request import visibility
from premises.request.commands import RequestApproval, RequestCreate, Status
from premises.work_order.commands import WorkOrderCreate
from premises.work_order.service import check_category, check_common_references, check_priority, create_work_order
from premises.work_order.visibility import load_grant

# ------------------------------------------------------------------------------------------ loading


def _load(session: Session, principal: Principal, request_id: str, action: str) -> WorkRequest:
    """The live request, locked, if the principal may ``action`` it (at some of its places:
    ``work_order.visibility.load_grant``) and sees it; else NotFound."""
    grant = load_grant(principal, "request", action)
    request = session.get(WorkRequest, (principal.account_id, request_id), with_for_update=True)
    if (
        request is None
        or request.deleted_at is not None
        or not visibility.sees(session, principal, grant, action, request.id)
    ):
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="request")
    return request


def _require_open(request: WorkRequest, verb: str) -> None:
    if request.status != Status.OPEN:
        raise InvalidState(ErrorCode.NOT_OPEN, records="requests", record="request", verb=verb, status=request.status)


# ------------------------------------------------------------------------------------------ validation


def _check_references(session: Session, principal: Principal, fields: dict[str, Any]) -> None:
    """Requests use the account's work-order categories (they become work orders)."""
    account_id = principal.account_id
    check_common_references(session, principal, fields)
    if fields.get("image_file_id"):
        require_readable_files(session, principal, [fields["image_file_id"]], "image_file_id")
    require_readable_files(session, principal, fields.get("file_ids") or (), "file_ids")
    check_category(session, account_id, fields.get("category"))


def _check_dates(due_date: int | None, end_due_date: int | None) -> None:
    if due_date is not None and end_due_date is not None and end_due_date < due_date:
        raise DomainValidation(ErrorCode.NOT_BEFORE, field="end_due_date", other_field="due_date")


def _event(session: Session, principal: Principal, type_: EventType, request: WorkRequest) -> None:
    record_change(session, principal, type_, "request", request)


# ------------------------------------------------------------------------------------------ commands


def create_request(session: Session, principal: Principal, command: RequestCreate) -> WorkRequest:
    principal.require("request", "create", at=command.location_id)
    fields = given(command)
    title = command.title
    if not title or not str(title).strip():
        raise DomainValidation(ErrorCode.REQUIRED, field="title")
    _check_references(session, principal, fields)
    _check_dates(fields.get("due_date"), fields.get("end_due_date"))
    now = now_ms()
    assignee = fields.get("assigned_to_user_id")
    request = WorkRequest(
        account_id=principal.account_id,
        id=new_id(),
        title=title,
        description=fields.get("description"),
        status=Status.OPEN.value,
        priority=int(check_priority(command.priority)),
        category=fields.get("category"),
        due_date=fields.get("due_date"),
        end_due_date=fields.get("end_due_date"),
        location_id=fields.get("location_id"),
        asset_id=fields.get("asset_id"),
        team_id=fields.get("team_id"),
        assigned_to_user_id=assignee,
        assigned_by_user_id=principal.user_id if assignee else None,
        requested_by_user_id=principal.user_id,
        image_file_id=fields.get("image_file_id"),
        file_ids=jsonutil.dumps(list(dict.fromkeys(fields.get("file_ids") or []))),
        created_at=now,
        updated_at=now,
    )
    session.add(request)
    _event(session, principal, EventType.REQUEST_CREATED, request)
    return request


def cancel_request(session: Session, principal: Principal, request_id: str, reason: str | None = None) -> WorkRequest:
    request = _load(session, principal, request_id, "cancel")
    _require_open(request, "cancelled")
    now = now_ms()
    request.status = Status.CANCELLED.value
    request.decided_by_user_id = principal.user_id
    request.decided_at = now
    request.decision_reason = reason
    request.updated_at = now
    _event(session, principal, EventType.REQUEST_UPDATED, request)
    return request


def delete_request(session: Session, principal: Principal, request_id: str) -> None:
    """Soft delete, whatever the status; a work order made from the request stays."""
    request = _load(session, principal, request_id, "delete")
    now = now_ms()
    request.deleted_at = now
    request.updated_at = now
    _event(session, principal, EventType.REQUEST_DELETED, request)


def reject_request(session: Session, principal: Principal, request_id: str, reason: str | None = None) -> WorkRequest:
    request = _load(session, principal, request_id, "decide")
    _require_open(request, "rejected")
    now = now_ms()
    request.status = Status.REJECTED.value
    request.decided_by_user_id = principal.user_id
    request.decided_at = now
    request.decision_reason = reason
    request.updated_at = now
    _event(session, principal, EventType.REQUEST_REJECTED, request)
    return request


def approve_request(
    session: Session, principal: Principal, request_id: str, approval: RequestApproval | None = None
) -> tuple[WorkRequest, WorkOrder]:
    """Approve an open request: create its work order (linked both ways) in this transaction.

    ``approval`` gives work-order fields that replace the request's values on the new work order.
    The approver needs request/decide, not work_order/create: deciding a request is what entitles
    them to create its work order.
    """
    request = _load(session, principal, request_id, "decide")
    _require_open(request, "approved")
    overrides = given(approval or RequestApproval())
    if "title" in overrides and not (overrides["title"] or "").strip():
        raise DomainValidation(ErrorCode.REQUIRED, field="title")
    fields: dict[str, Any] = {
        "title": request.title,
        "description": request.description,
        "priority": request.priority,
        "category": request.category,
        "due_date": request.due_date,
        "location_id": request.location_id,
        "asset_id": request.asset_id,
        "team_id": request.team_id,
        "assigned_to_user_id": request.assigned_to_user_id,
        "image_file_id": request.image_file_id,
        "file_ids": jsonutil.loads(request.file_ids) or [],
        "requested_by_user_id": request.requested_by_user_id,
        "public_requester_email": request.public_requester_email,
        "request_id": request.id,
        "end_due_date": None if "due_date" in overrides else request.end_due_date,
        **overrides,
    }
    # The same user (actor, location access) with a role that may create work orders, everywhere and
    # whatever its credentials' scopes: request/decide is what entitles it.
    creator = dataclasses.replace(principal, role=Role.ADMIN, site_roles={}, scopes=None)
    work_order = create_work_order(session, creator, WorkOrderCreate(**fields))
    now = now_ms()
    request.status = Status.APPROVED.value
    request.work_order_id = work_order.id
    request.decided_by_user_id = principal.user_id
    request.decided_at = now
    request.updated_at = now
    _event(session, principal, EventType.REQUEST_APPROVED, request)
    return request, work_order
