"""Issue 7: a requester follows its requests as UpKeep's request portal shows them.

- ``GET /work-orders`` lists the work orders created from its own requests (it used to be a 403
  worded with an internal table name, ``REQUESTER users may not read work_orders``);
- ``GET /requests/{id}?includes=workOrder`` expands the work order (status, dates, completion);
- any other work order is a 404; it changes nothing (403, in the API's words).
"""

from __future__ import annotations

from typing import Any

import pytest

from premises.api.upkeep.messages import RESOURCE_NAMES
from premises.identity.permissions import PERMISSIONS
from tests.support.client import Tenant, UpKeep


def _ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def _approved(tenant: Tenant, requester: UpKeep, title: str) -> tuple[str, str]:
    """A request ``requester`` raises, approved: (request id, work order id)."""
    request_id = _ok(requester.post("/requests", json={"title": title}))["result"]["id"]
    approved = _ok(tenant.admin.patch(f"/requests/{request_id}/approve"))["result"]
    return request_id, approved["workOrder"]["id"]


def test_a_requester_lists_and_reads_the_work_orders_of_its_requests(tenant: Tenant) -> None:
    me, someone = tenant.as_role("REQUESTER"), tenant.as_role("REQUESTER")
    _, mine = _approved(tenant, me, "Leaking tap")
    _, theirs = _approved(tenant, someone, "Broken window")
    direct = _ok(tenant.admin.post("/work-orders", json={"title": "Inspection"}))["result"]["id"]
    assert [w["id"] for w in _ok(me.get("/work-orders"))["results"]] == [mine]
    assert _ok(me.get(f"/work-orders/{mine}"))["result"]["title"] == "Leaking tap"
    for other in (theirs, direct):
        response = me.get(f"/work-orders/{other}")
        assert (response.status_code, response.json()) == (404, {"success": False, "message": "work order not found"})


def test_includes_work_order_expands_it_on_the_requesters_own_request(tenant: Tenant) -> None:
    me = tenant.as_role("REQUESTER")
    request_id, work_order_id = _approved(tenant, me, "No heating")
    _ok(tenant.admin.patch(f"/work-orders/{work_order_id}", json={"status": "complete"}))
    request = _ok(me.get(f"/requests/{request_id}", params={"includes": "workOrder"}))["result"]
    work_order = request["workOrder"]
    assert isinstance(work_order, dict) and work_order["id"] == work_order_id
    assert work_order["status"] == "complete" and work_order["dateCompleted"] is not None
    listed = _ok(me.get("/requests", params={"includes": "workOrder"}))["results"]
    assert [r["workOrder"]["id"] for r in listed] == [work_order_id]


def test_a_requester_changes_no_work_order_and_is_told_in_the_apis_words(tenant: Tenant) -> None:
    me = tenant.as_role("REQUESTER")
    _, mine = _approved(tenant, me, "Door sticks")
    response = me.patch(f"/work-orders/{mine}", json={"title": "Door sticks badly"})
    assert (response.status_code, response.json()) == (
        403,
        {"success": False, "message": "REQUESTER users may not update work orders"},
    )
    costs = me.get("/work-order-cost-categories")
    assert costs.json() == {"success": False, "message": "REQUESTER users may not read work order cost categories"}


@pytest.mark.parametrize("resource", sorted({resource for resource, _ in PERMISSIONS}))
def test_every_resource_of_the_permission_table_has_an_api_name(resource: str) -> None:
    assert resource in RESOURCE_NAMES
    assert "_" not in RESOURCE_NAMES[resource]
