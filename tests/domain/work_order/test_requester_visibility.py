"""A requester reads the work orders created from its own requests, and nothing else of work orders
(issue 7; premises.work_order.visibility, docs/permissions.md): the read side's queries and the
write side's check (``visibility.sees``) agree, and the requester changes nothing."""

from __future__ import annotations

from typing import Any

import pytest

from premises.errors import ErrorCode, NotFound, PermissionDenied
from premises.identity.permissions import Grant, Role
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery
from premises.request import service as requests
from premises.request.commands import RequestApproval, RequestCreate
from premises.work_order import queries, service, visibility
from premises.work_order.commands import WorkOrderChanges, WorkOrderCreate
from tests.domain.conftest import DomainAccount
from tests.domain.reading import read
from tests.support.factories import make_place


def _from_request(account: DomainAccount, requester: Principal, **fields: Any) -> str:
    """A request ``requester`` raises, approved by the admin: the id of its work order."""
    request = account.write(lambda s: requests.create_request(s, requester, RequestCreate(title="Leak", **fields)))
    request_id = request.id
    _, work_order = account.write(lambda s: requests.approve_request(s, account.admin, request_id))
    work_order_id: str = work_order.id
    return work_order_id


def _direct(account: DomainAccount, **fields: Any) -> str:
    work_order = account.write(
        lambda s: service.create_work_order(s, account.admin, WorkOrderCreate(title="Direct", **fields))
    )
    work_order_id: str = work_order.id
    return work_order_id


def _seen(database_url: str, account: DomainAccount, principal: Principal, ids: list[str]) -> tuple[set[str], set[str]]:
    """What the read side lists for ``principal``, and what the write side's check lets it read."""
    listed = read(database_url, lambda reader: queries.list_work_orders(reader, principal, ListQuery(limit=100)))
    grant = principal.require("work_order", "read")
    checked = {i for i in ids if account.write(lambda s, i=i: visibility.sees(s, principal, grant, "read", i))}
    return {row["id"] for row in listed}, checked


def test_a_requester_sees_the_work_orders_of_its_own_requests_only(database_url: str, account: DomainAccount) -> None:
    me, someone = account.principal(Role.REQUESTER), account.principal(Role.REQUESTER)
    mine = _from_request(account, me)
    theirs = _from_request(account, someone)
    direct = _direct(account, assigned_to_user_id=me.user_id)  # not from a request: not the requester's
    assert me.require("work_order", "read") is Grant.OWN
    listed, checked = _seen(database_url, account, me, [mine, theirs, direct])
    assert listed == checked == {mine}
    assert read(database_url, lambda r: queries.get_work_order(r, me, mine))["id"] == mine
    with pytest.raises(NotFound):
        read(database_url, lambda r: queries.get_work_order(r, me, theirs))
    assert set(read(database_url, lambda r: queries.work_orders_by_ids(r, me, [mine, theirs, direct]))) == {mine}


def test_a_requester_reads_only(account: DomainAccount) -> None:
    me = account.principal(Role.REQUESTER)
    mine = _from_request(account, me)
    with pytest.raises(PermissionDenied) as raised:
        account.write(lambda s: service.update_work_order(s, me, mine, WorkOrderChanges(title="Mine")))
    assert raised.value.code is ErrorCode.ROLE_MAY_NOT
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.add_update_message(s, me, mine, "Any news?"))


def test_the_rule_is_the_requesters_a_limited_tech_keeps_its_own(database_url: str, account: DomainAccount) -> None:
    limited = account.principal(Role.LIMITED_TECH)
    raised_by_it = _from_request(account, limited)
    assigned = _direct(account, assigned_to_user_id=limited.user_id)
    listed, checked = _seen(database_url, account, limited, [raised_by_it, assigned])
    assert listed == checked == {assigned}


def test_a_location_based_requester_sees_its_own_at_its_places(database_url: str, account: DomainAccount) -> None:
    site = make_place(account.db, account.account_id, "Site")
    me = account.principal(Role.REQUESTER, location_ids=frozenset({site}))
    neighbour = account.principal(Role.REQUESTER, location_ids=frozenset({site}))
    mine = _from_request(account, me, location_id=site)
    theirs = _from_request(account, neighbour, location_id=site)
    at_site = _direct(account, location_id=site)
    # The approver may move the work order to a place the requester does not see: still its own.
    elsewhere = make_place(account.db, account.account_id, "Elsewhere")
    request = account.write(lambda s: requests.create_request(s, me, RequestCreate(title="Gate", location_id=site)))
    request_id = request.id
    _, moved = account.write(
        lambda s: requests.approve_request(s, account.admin, request_id, RequestApproval(location_id=elsewhere))
    )
    listed, checked = _seen(database_url, account, me, [mine, theirs, at_site, moved.id])
    assert listed == checked == {mine, moved.id}
