"""Purchase orders under concurrency, against a real two-process server.

20 parallel creations get 20 distinct consecutive numbers; 20 parallel fulfilments of one order receive
its parts once (inventory increased exactly once, one ledger row); 20 parallel partial receipts of 1
from 5 pending take exactly 5 (the rest are the documented 400: the order is fulfilled); parallel approvals
and declines leave one decision whose stamps agree with the status.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from premises.models import Part, PartInventoryMove, PurchaseOrder
from tests.support.client import Tenant
from tests.support.races import RaceServer, messages, statuses

pytestmark = pytest.mark.slow

NOT_RECEIVING = "Can partially-fulfill only if status is approved or partially-fulfilled."


def _ok(response: httpx.Response) -> dict[str, object]:
    assert response.status_code == 200, response.text
    result: dict[str, object] = response.json()["result"]
    return result


def _part(tenant: Tenant) -> str:
    return str(_ok(tenant.admin.post("/parts", json={"name": "Air filter"}))["id"])


def _order(tenant: Tenant, part_id: str, quantity: int, status: str | None = "approved") -> str:
    body = {"title": "Filters", "parts": [{"id": part_id, "quantity": quantity}]}
    order_id = str(_ok(tenant.admin.post("/purchase-orders", json=body))["id"])
    if status is not None:
        _ok(tenant.admin.patch(f"/purchase-orders/{order_id}", json={"status": status}))
    return order_id


def _stock(server: RaceServer, tenant: Tenant, part_id: str) -> tuple[float, list[float]]:
    """The part's count and the deltas of its purchase-order ledger rows."""
    with server.db.unit_of_work() as session:
        part = session.get(Part, (tenant.account_id, part_id))
        assert part is not None
        moves = session.scalars(
            select(PartInventoryMove.delta).where(
                PartInventoryMove.account_id == tenant.account_id,
                PartInventoryMove.part_id == part_id,
                PartInventoryMove.reason == "purchase_order",
            )
        ).all()
        return part.quantity, sorted(moves)


def test_parallel_creations_get_consecutive_numbers(server: RaceServer, tenant: Tenant) -> None:
    responses = server.same(tenant.admin.token, lambda c: c.post("/purchase-orders", json={"title": "Parallel"}))
    assert statuses(responses) == {200: 20}, [r.text for r in responses if r.status_code != 200][:3]
    numbers = sorted(int(r.json()["result"]["purchaseOrderNumber"]) for r in responses)
    assert numbers == list(range(1, 21))


def test_parallel_fulfilments_receive_once(server: RaceServer, tenant: Tenant) -> None:
    part_id = _part(tenant)
    order_id = _order(tenant, part_id, 5)
    responses = server.same(
        tenant.admin.token, lambda c: c.patch(f"/purchase-orders/{order_id}", json={"status": "fulfilled"})
    )
    assert statuses(responses) == {200: 20}
    assert {r.json()["result"]["status"] for r in responses} == {"fulfilled"}
    assert _stock(server, tenant, part_id) == (5, [5])
    assert server.events(tenant.account_id, "PURCHASE_ORDER_UPDATED", order_id) == 1


def test_parallel_partial_receipts_take_exactly_what_is_pending(server: RaceServer, tenant: Tenant) -> None:
    part_id = _part(tenant)
    order_id = _order(tenant, part_id, 5)
    body = {"partsReceived": {part_id: 1}, "statusAction": "partially-fulfilled"}
    responses = server.same(tenant.admin.token, lambda c: c.patch(f"/purchase-orders/{order_id}", json=body))
    assert statuses(responses) == {200: 5, 400: 15}
    assert messages(responses, 400) == {NOT_RECEIVING}  # the fifth receipt fulfilled the order
    assert _stock(server, tenant, part_id) == (5, [1, 1, 1, 1, 1])
    with server.db.unit_of_work() as session:
        order = session.get(PurchaseOrder, (tenant.account_id, order_id))
        assert order is not None
        assert (order.status, order.fulfilled_by_user_id) == ("fulfilled", tenant.admin.user_id)
        assert order.fulfill_history.count('"received"') == 5


def test_parallel_decisions_leave_one_consistent_outcome(server: RaceServer, tenant: Tenant) -> None:
    order_id = _order(tenant, _part(tenant), 1, status=None)
    path = f"/purchase-orders/{order_id}"
    calls = [(lambda c, s=status: c.patch(path, json={"status": s})) for status in ("approved", "declined") * 10]
    responses = server.race(tenant.admin.token, calls)
    assert statuses(responses) == {200: 20}
    with server.db.unit_of_work() as session:
        order = session.get(PurchaseOrder, (tenant.account_id, order_id))
        assert order is not None
        assert order.status in ("approved", "declined")
        assert (order.approved_at is not None) == (order.status == "approved")
        assert (order.declined_at is not None) == (order.status == "declined")
    decisions = server.events(tenant.account_id, "PURCHASE_ORDER_APPROVED", order_id) + server.events(
        tenant.account_id, "PURCHASE_ORDER_DECLINED", order_id
    )
    assert 1 <= decisions <= 20
