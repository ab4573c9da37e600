"""Inventory is exact under concurrency: parallel work orders on one part, against a real two-process server.

50 work orders created at once, each using 1 of a part with 50 on hand, leave exactly 0, 50 ledger
rows of -1 whose resulting counts are 49 .. 0 (each move saw the count the previous one left), and
one PART_LOW_STOCK event; one more use is refused with a 400 and changes nothing. Parallel stock
takes (PATCH quantity) and uses mixed leave a count the ledger adds up to; parallel changes of one
work order's parts leave the count, the line and the list page's copy in step.
"""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import select

from premises.models import AssetPart, Part, PartInventoryMove, PartTeam
from tests.support.client import Tenant
from tests.support.factories import make_asset, make_team
from tests.support.races import Call, RaceServer, messages, statuses

pytestmark = pytest.mark.slow


def _part(tenant: Tenant, quantity: int, minimum: int | None = None) -> str:
    body = {"name": "Air filter", "quantity": quantity, "minimumQuantity": minimum}
    response = tenant.admin.post("/parts", json=body)
    assert response.status_code == 200, response.text
    part_id: str = response.json()["result"]["id"]
    return part_id


def _moves(server: RaceServer, tenant: Tenant, part_id: str) -> list[PartInventoryMove]:
    with server.db.unit_of_work() as session:
        rows = session.scalars(
            select(PartInventoryMove).where(
                PartInventoryMove.account_id == tenant.account_id, PartInventoryMove.part_id == part_id
            )
        ).all()
        session.expunge_all()
        return sorted(rows, key=lambda r: r.quantity_after, reverse=True)


def _quantity(server: RaceServer, tenant: Tenant, part_id: str) -> float:
    with server.db.unit_of_work() as session:
        part = session.get(Part, (tenant.account_id, part_id))
        assert part is not None
        return part.quantity


def test_fifty_parallel_work_orders_use_exactly_the_fifty_on_hand(server: RaceServer, tenant: Tenant) -> None:
    part_id = _part(tenant, 50, minimum=5)

    def use_one(client: httpx.Client) -> httpx.Response:
        return client.post("/work-orders", json={"title": "Filter swap", "parts": [part_id]})

    responses = server.same(tenant.admin.token, use_one, times=50)
    assert statuses(responses) == {200: 50}, [r.text for r in responses if r.status_code != 200][:3]
    assert _quantity(server, tenant, part_id) == 0
    moves = [m for m in _moves(server, tenant, part_id) if m.reason == "work_order"]
    assert [m.delta for m in moves] == [-1] * 50
    assert sorted(m.quantity_after for m in moves) == list(range(50))  # no two moves saw the same count
    assert server.events(tenant.account_id, "PART_LOW_STOCK", part_id) == 1

    refused = tenant.admin.post("/work-orders", json={"title": "One too many", "parts": [part_id]})
    assert refused.status_code == 400, refused.text
    assert "not enough Air filter" in refused.json()["message"]
    assert _quantity(server, tenant, part_id) == 0


def test_more_uses_than_stock_refuse_the_excess(server: RaceServer, tenant: Tenant) -> None:
    part_id = _part(tenant, 10)

    def use_one(client: httpx.Client) -> httpx.Response:
        return client.post("/work-orders", json={"title": "Belt swap", "parts": [part_id]})

    responses = server.same(tenant.admin.token, use_one, times=20)
    assert statuses(responses) == {200: 10, 400: 10}
    assert len(messages(responses, 400)) == 1  # "parts[0]: not enough Air filter (...) in stock: 0 on hand, 1 wanted"
    assert _quantity(server, tenant, part_id) == 0
    assert len([m for m in _moves(server, tenant, part_id) if m.reason == "work_order"]) == 10


def test_stock_takes_and_uses_mixed_agree_with_the_ledger(server: RaceServer, tenant: Tenant) -> None:
    part_id = _part(tenant, 100)

    def use_two(client: httpx.Client) -> httpx.Response:
        return client.post(
            "/work-orders", json={"title": "Pump", "parts": [part_id], "respectivePartQuantityUsed": [2]}
        )

    def stock_take(client: httpx.Client) -> httpx.Response:
        return client.patch(f"/parts/{part_id}", json={"quantity": 60})

    responses = server.race(tenant.admin.token, [use_two] * 10 + [stock_take] * 10)
    assert statuses(responses) == {200: 20}
    moves = _moves(server, tenant, part_id)
    final = _quantity(server, tenant, part_id)
    # Every change is in the ledger: the changes add up to the count, and the last one left it.
    assert sum(m.delta for m in moves) == final
    assert final in {m.quantity_after for m in moves}
    assert len([m for m in moves if m.reason == "work_order"]) == 10


def test_parallel_links_link_once(server: RaceServer, tenant: Tenant) -> None:
    """20 assigns of one team to a part, and of the part to one asset: one row and one event each."""
    part_id = _part(tenant, 1)
    team_id = make_team(tenant.db, tenant.account_id, "Stores")
    asset_id = make_asset(tenant.db, tenant.account_id, "Compressor")
    responses = server.same(tenant.admin.token, lambda c: c.post(f"/parts/{part_id}/teams/{team_id}"))
    assert statuses(responses) == {200: 20}
    responses = server.same(tenant.admin.token, lambda c: c.post(f"/assets/{asset_id}/parts/{part_id}"))
    assert statuses(responses) == {200: 20}
    with server.db.unit_of_work() as session:
        teams = session.scalars(select(PartTeam).where(PartTeam.account_id == tenant.account_id)).all()
        assets = session.scalars(select(AssetPart).where(AssetPart.account_id == tenant.account_id)).all()
        assert (len(teams), len(assets)) == (1, 1)
    assert server.events(tenant.account_id, "PART_UPDATED", part_id) == 1
    assert server.events(tenant.account_id, "ASSET_UPDATED", asset_id) == 1


def test_parallel_changes_of_one_work_orders_parts_keep_stock_and_lines_in_step(
    server: RaceServer, tenant: Tenant
) -> None:
    """20 PATCHes of one work order, each with another quantity: the count on hand is what the last
    one left the line with, and the list page's copy equals the line."""
    part_id = _part(tenant, 100)
    created = tenant.admin.post("/work-orders", json={"title": "Pump", "parts": [part_id]})
    assert created.status_code == 200, created.text
    work_order_id = created.json()["result"]["id"]

    def use(quantity: int) -> Call:
        body = {"parts": [part_id], "respectivePartQuantityUsed": [quantity]}
        return lambda c: c.patch(f"/work-orders/{work_order_id}", json=body)

    responses = server.race(tenant.admin.token, [use(q) for q in range(1, 21)])
    assert statuses(responses) == {200: 20}
    [line] = tenant.admin.get(f"/work-orders/{work_order_id}").json()["result"]["respectivePartQuantityUsed"]
    assert _quantity(server, tenant, part_id) == 100 - line
    listed = tenant.admin.get("/work-orders", params={"limit": 500}).json()["results"]
    assert next(w for w in listed if w["id"] == work_order_id)["respectivePartQuantityUsed"] == [line]
    assert sum(m.delta for m in _moves(server, tenant, part_id)) == 100 - line
