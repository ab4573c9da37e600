"""The races found on PostgreSQL with several server processes (issue 5, items 1-5), each as it was
reported: 20 parallel calls, and exactly what they must leave behind."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from premises.kit.ids import new_id
from premises.models import AssetDowntimeStatus, CustomFieldDefinition, User, WorkOrder, WorkOrderUser
from tests.support.client import Tenant
from tests.support.races import RaceServer, messages, statuses

pytestmark = pytest.mark.slow


def _request(tenant: Tenant) -> str:
    request_id: str = tenant.admin.post("/requests", json={"title": "Leaking tap"}).json()["result"]["id"]
    return request_id


def _count(server: RaceServer, statement: object) -> int:
    with server.db.unit_of_work() as session:
        return int(session.scalar(statement) or 0)  # type: ignore[call-overload]


def test_parallel_approvals_approve_once(server: RaceServer, tenant: Tenant) -> None:
    request_id = _request(tenant)
    responses = server.same(tenant.admin.token, lambda c: c.patch(f"/requests/{request_id}/approve"))
    assert statuses(responses) == {200: 1, 400: 19}, statuses(responses)
    assert messages(responses, 400) == {"only open requests can be approved; this request is approved"}
    made = (
        select(func.count())
        .select_from(WorkOrder)
        .where(WorkOrder.account_id == tenant.account_id, WorkOrder.request_id == request_id)
    )
    assert _count(server, made) == 1
    assert server.events(tenant.account_id, "REQUEST_APPROVED", request_id) == 1
    assert server.events(tenant.account_id, "WORK_ORDER_CREATED") == 1


def test_approve_and_cancel_in_parallel_only_one_wins(server: RaceServer, tenant: Tenant) -> None:
    request_id = _request(tenant)
    calls = [lambda c: c.patch(f"/requests/{request_id}/approve")] * 10
    calls += [lambda c: c.patch(f"/requests/{request_id}/cancel")] * 10
    responses = server.race(tenant.admin.token, calls)
    assert statuses(responses) == {200: 1, 400: 19}, statuses(responses)
    decided = server.events(tenant.account_id, "REQUEST_APPROVED", request_id) + server.events(
        tenant.account_id, "REQUEST_UPDATED", request_id
    )
    assert decided == 1


def test_parallel_adds_of_different_workers_keep_all(server: RaceServer, tenant: Tenant) -> None:
    work_order_id = tenant.admin.post("/work-orders", json={"title": "Paint the lobby"}).json()["result"]["id"]
    user_ids = [tenant.as_role("TECH").user_id for _ in range(20)]
    responses = server.race(
        tenant.admin.token, [lambda c, u=u: c.post(f"/work-orders/{work_order_id}/users/{u}") for u in user_ids]
    )
    assert statuses(responses) == {200: 20}, [r.text for r in responses if r.status_code != 200]
    shown = tenant.admin.get(f"/work-orders/{work_order_id}").json()["result"]["additionalUsers"]
    assert sorted(shown) == sorted(user_ids)

    removed = user_ids[::2]
    responses = server.race(
        tenant.admin.token, [lambda c, u=u: c.delete(f"/work-orders/{work_order_id}/users/{u}") for u in removed]
    )
    assert statuses(responses) == {200: len(removed)}
    shown = tenant.admin.get(f"/work-orders/{work_order_id}").json()["result"]["additionalUsers"]
    rows = select(WorkOrderUser.user_id).where(
        WorkOrderUser.account_id == tenant.account_id, WorkOrderUser.work_order_id == work_order_id
    )
    with server.db.unit_of_work() as session:
        stored = set(session.scalars(rows))
    assert set(shown) == stored == set(user_ids[1::2])


def test_removed_limited_tech_loses_access(server: RaceServer, tenant: Tenant) -> None:
    limited = tenant.as_role("LIMITED_TECH")
    others = [tenant.as_role("TECH").user_id for _ in range(9)]
    work_order_id = tenant.admin.post("/work-orders", json={"title": "Fix the gate"}).json()["result"]["id"]
    tenant.admin.post(f"/work-orders/{work_order_id}/users/{limited.user_id}")
    calls = [lambda c: c.delete(f"/work-orders/{work_order_id}/users/{limited.user_id}")]
    calls += [lambda c, u=u: c.post(f"/work-orders/{work_order_id}/users/{u}") for u in others]
    responses = server.race(tenant.admin.token, calls)
    assert statuses(responses) == {200: 10}
    assert limited.user_id not in tenant.admin.get(f"/work-orders/{work_order_id}").json()["result"]["additionalUsers"]
    assert (
        limited.http.get(f"/api/v2/work-orders/{work_order_id}", headers={"Session-Token": limited.token}).status_code
        == 404
    )


def test_parallel_deletes_delete_once(server: RaceServer, tenant: Tenant) -> None:
    work_order_id = tenant.admin.post("/work-orders", json={"title": "Replace filter"}).json()["result"]["id"]
    responses = server.same(tenant.admin.token, lambda c: c.delete(f"/work-orders/{work_order_id}"))
    assert statuses(responses) == {200: 1, 404: 19}, statuses(responses)
    assert server.events(tenant.account_id, "WORK_ORDER_DELETED", work_order_id) == 1


def test_parallel_users_with_one_email_create_one(server: RaceServer, tenant: Tenant) -> None:
    email = f"twin-{new_id().lower()}@example.test"
    body = {"email": email, "password": "a-long-enough-password", "accountType": "TECH"}
    responses = server.same(tenant.admin.token, lambda c: c.post("/users", json=body))
    assert statuses(responses) == {200: 1, 400: 19}, [r.text for r in responses if r.status_code >= 500]
    assert messages(responses, 400) == {"a user with this email already exists"}
    users = select(func.count()).select_from(User).where(User.account_id == tenant.account_id, User.email == email)
    assert _count(server, users) == 1


@pytest.mark.parametrize(
    ("path", "body", "model", "message"),
    [
        (
            "/custom-fields/assets",
            {"name": "cf-x", "type": "singleLineText"},
            CustomFieldDefinition,
            "a custom field with this name already exists",
        ),
        (
            "/asset-downtime-statuses",
            {"name": "Waiting for parts"},
            AssetDowntimeStatus,
            "a downtime status with this name already exists",
        ),
    ],
)
def test_parallel_creates_of_one_name_create_one(
    server: RaceServer, tenant: Tenant, path: str, body: dict[str, str], model: type, message: str
) -> None:
    # Mixed case: the rule is case-insensitive, and so is the constraint that enforces it.
    calls = [
        lambda c, i=i: c.post(path, json={**body, "name": body["name"].upper() if i % 2 else body["name"]})
        for i in range(20)
    ]
    responses = server.race(tenant.admin.token, calls)
    assert statuses(responses) == {200: 1, 400: 19}, [r.text for r in responses if r.status_code >= 500]
    assert messages(responses, 400) == {message}
    live = (
        select(func.count()).select_from(model).where(model.account_id == tenant.account_id, model.deleted_at.is_(None))
    )
    assert _count(server, live) == 1
