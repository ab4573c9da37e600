"""Request rules at the service layer (the UpKeep wire behaviour is in tests/api/upkeep/test_requests.py)."""

from __future__ import annotations

from functools import partial
from typing import Any

import pytest
from sqlalchemy.orm import Session

from premises.errors import DomainValidation, ErrorCode, InvalidState, NotFound, PermissionDenied
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery
from premises.models import WorkRequest
from premises.request import queries, service
from premises.request.commands import RequestApproval, RequestCreate
from tests.domain.conftest import DomainAccount
from tests.domain.reading import read
from tests.support.factories import make_place


def _raise(account: DomainAccount, principal: Principal, **fields: Any) -> WorkRequest:
    command = RequestCreate(**{"title": "Leak", **fields})
    return account.write(lambda s: service.create_request(s, principal, command))


def test_a_new_request_is_open_and_recorded(account: DomainAccount) -> None:
    requester = account.principal(Role.REQUESTER)
    request = _raise(account, requester, priority=2, category="Damage")
    assert (request.status, request.priority, request.requested_by_user_id) == ("open", 2, requester.user_id)
    assert account.event_types(request.id) == ["REQUEST_CREATED"]


@pytest.mark.parametrize(
    ("fields", "code", "field"),
    [
        ({"title": "  "}, ErrorCode.REQUIRED, "title"),
        ({"due_date": 2_000, "end_due_date": 1_000}, ErrorCode.NOT_BEFORE, "end_due_date"),
        ({"category": "Nope"}, ErrorCode.NOT_A_CATEGORY, "category"),
        ({"priority": 4}, ErrorCode.NOT_ONE_OF, "priority"),
    ],
)
def test_bad_requests_are_refused_with_domain_names(
    account: DomainAccount, fields: dict[str, Any], code: ErrorCode, field: str
) -> None:
    with pytest.raises(DomainValidation) as raised:
        _raise(account, account.admin, **fields)
    assert (raised.value.code, raised.value.field) == (code, field)


def test_approving_creates_the_work_order_from_the_request(account: DomainAccount) -> None:
    tech = account.principal(Role.TECH)
    request = _raise(account, account.principal(Role.REQUESTER), description="d", due_date=1_000, end_due_date=2_000)
    approval = RequestApproval(title="Fix the leak", assigned_to_user_id=tech.user_id)
    approved, order = account.write(lambda s: service.approve_request(s, account.admin, request.id, approval))
    assert (approved.status, approved.work_order_id, approved.decided_by_user_id) == (
        "approved",
        order.id,
        account.admin.user_id,
    )
    assert (order.title, order.description, order.assigned_to_user_id) == ("Fix the leak", "d", tech.user_id)
    assert (order.request_id, order.requested_by_user_id) == (request.id, request.requested_by_user_id)
    assert (order.due_date, order.end_due_date) == (1_000, 2_000)
    assert account.event_types(request.id) == ["REQUEST_CREATED", "REQUEST_APPROVED"]
    assert account.event_types(order.id) == ["WORK_ORDER_CREATED"]


def test_a_new_due_date_on_approval_drops_the_requests_window(account: DomainAccount) -> None:
    request = _raise(account, account.admin, due_date=1_000, end_due_date=2_000)
    approval = RequestApproval(due_date=5_000)
    _, order = account.write(lambda s: service.approve_request(s, account.admin, request.id, approval))
    assert (order.due_date, order.end_due_date) == (5_000, None)


def test_a_blank_title_on_approval_is_required(account: DomainAccount) -> None:
    request = _raise(account, account.admin)
    with pytest.raises(DomainValidation) as raised:
        account.write(lambda s: service.approve_request(s, account.admin, request.id, RequestApproval(title=" ")))
    assert (raised.value.code, raised.value.field) == (ErrorCode.REQUIRED, "title")


def test_decisions_are_final(account: DomainAccount) -> None:
    requester = account.principal(Role.REQUESTER)
    cancelled = _raise(account, requester)
    account.write(lambda s: service.cancel_request(s, requester, cancelled.id, "fixed itself"))
    with pytest.raises(InvalidState) as raised:
        account.write(lambda s: service.approve_request(s, account.admin, cancelled.id))
    assert raised.value.code is ErrorCode.NOT_OPEN
    assert raised.value.message == "only open requests can be approved; this request is cancelled"
    rejected = _raise(account, requester)
    decided = account.write(lambda s: service.reject_request(s, account.admin, rejected.id, "not ours"))
    assert (decided.status, decided.decision_reason) == ("rejected", "not ours")
    with pytest.raises(InvalidState):
        account.write(lambda s: service.cancel_request(s, requester, rejected.id))
    assert account.event_types(rejected.id) == ["REQUEST_CREATED", "REQUEST_REJECTED"]
    assert account.event_types(cancelled.id) == ["REQUEST_CREATED", "REQUEST_UPDATED"]


@pytest.mark.parametrize("role", [Role.REQUESTER, Role.VIEW_ONLY, Role.LIMITED_TECH])
def test_weaker_roles_may_not_decide(account: DomainAccount, role: Role) -> None:
    request = _raise(account, account.admin)
    principal = account.principal(role)
    with pytest.raises((PermissionDenied, NotFound)):
        account.write(lambda s: service.approve_request(s, principal, request.id))
    with pytest.raises((PermissionDenied, NotFound)):
        account.write(lambda s: service.reject_request(s, principal, request.id))


def test_another_accounts_request_is_not_found(account: DomainAccount, other_account: DomainAccount) -> None:
    request = _raise(account, account.admin)
    with pytest.raises(NotFound) as raised:
        other_account.write(lambda s: service.approve_request(s, other_account.admin, request.id))
    assert (raised.value.code, raised.value.params) == (ErrorCode.RECORD_NOT_FOUND, {"record": "request"})
    with pytest.raises(NotFound):
        other_account.write(lambda s: service.delete_request(s, other_account.admin, request.id))


class _Probed(Exception):
    """Raised after a probing write succeeds, so that its unit of work rolls back."""


def _may_cancel(account: DomainAccount, principal: Principal, request_id: str) -> bool:
    """Whether the write side loads the request for ``principal`` (the cancel is rolled back)."""

    def probe(session: Session) -> None:
        service.cancel_request(session, principal, request_id)
        raise _Probed

    try:
        account.write(probe)
    except NotFound:
        return False
    except _Probed:
        return True
    raise AssertionError("unreachable")


def test_the_read_side_and_the_write_side_see_the_same_requests(database_url: str, account: DomainAccount) -> None:
    site_a, site_b = (make_place(account.db, account.account_id, name) for name in ("A", "B"))
    requester = account.principal(Role.REQUESTER)
    scoped = account.principal(Role.TECH, location_ids=frozenset({site_a}))
    requests = {
        "mine": _raise(account, requester, location_id=site_b),
        "at_a": _raise(account, account.admin, location_id=site_a),
        "at_b": _raise(account, account.admin, location_id=site_b),
        "scoped_own": _raise(account, scoped, location_id=site_a),
        "nowhere": _raise(account, account.admin),
    }
    for principal, names in [
        (requester, {"mine"}),
        (scoped, {"at_a", "scoped_own"}),
        (account.admin, set(requests)),
    ]:
        query = partial(queries.list_requests, principal=principal, query=ListQuery(limit=100))
        listed = {row["id"] for row in read(database_url, query)}
        cancellable = {r.id for r in requests.values() if _may_cancel(account, principal, r.id)}
        assert listed == cancellable == {requests[name].id for name in names}


def test_deciding_is_what_entitles_the_approver_to_create_the_work_order(account: DomainAccount) -> None:
    """Credentials scoped to deciding requests approve one; the work order is created as part of it."""
    tech = account.principal(Role.TECH)
    scoped = Principal(account.account_id, tech.user_id, Role.TECH, scopes=frozenset({"request:decide"}))
    request = _raise(account, account.admin)
    _, order = account.write(lambda s: service.approve_request(s, scoped, request.id))
    assert (order.request_id, order.created_by_user_id) == (request.id, tech.user_id)
