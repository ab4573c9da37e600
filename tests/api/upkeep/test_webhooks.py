"""/webhooks as UpKeep documents it, and delivery to a real receiver on 127.0.0.1 (Standard Webhooks).

The suite's app refuses loopback endpoints (PREMISES_WEBHOOK_ALLOW_PRIVATE is off); the tests that
deliver run their own app with it on, and run the job worker themselves (tests/support/jobs.py).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from premises.api.app import create_app
from premises.api.upkeep.webhooks import UPKEEP_EVENTS
from premises.config import Settings
from premises.db.engine import Database
from tests.support.client import Tenant, new_tenant
from tests.support.jobs import run_jobs, run_jobs_until, worker
from tests.support.receiver import Receiver, Reply, running_receiver, verify

FAST = {"webhook_retry_schedule": "1,1,1", "webhook_timeout_seconds": 2, "job_lease_seconds": 10}


@pytest.fixture(scope="module")
def loopback_http(settings: Settings, tenant_guard: None) -> Iterator[TestClient]:
    with TestClient(create_app(settings.model_copy(update={"webhook_allow_private": True}))) as client:
        yield client


@pytest.fixture
def local(loopback_http: TestClient, db: Database) -> Tenant:
    """A tenant on an app that accepts loopback endpoints."""
    return new_tenant(loopback_http, db)


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as r:
        yield r


def _hook(tenant: Tenant, url: str, **extra: Any) -> dict[str, Any]:
    response = tenant.admin.post("/webhooks", json={"title": "Integration", "endpoint": url, **extra})
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def _deliveries(tenant: Tenant, webhook_id: str) -> list[dict[str, Any]]:
    response = tenant.admin.get(f"/webhooks/{webhook_id}/deliveries")
    assert response.status_code == 200, response.text
    results: list[dict[str, Any]] = response.json()["results"]
    return results


def _status(tenant: Tenant, webhook_id: str) -> str | None:
    """The status of the endpoint's newest delivery (None before the fan-out made one)."""
    deliveries = _deliveries(tenant, webhook_id)
    return deliveries[0]["status"] if deliveries else None


# ------------------------------------------------------------------------------------------- the API


def test_create_answers_webhook_id_at_the_top_and_the_secret_once(local: Tenant, receiver: Receiver) -> None:
    body = _hook(local, receiver.url, events=["*"])
    assert body["success"] is True
    result = body["result"]
    assert body["webhookId"] == result["id"]
    assert result["endpoint"] == receiver.url
    assert result["title"] == "Integration"
    assert result["enabled"] is True
    assert result["events"] == list(UPKEEP_EVENTS) and len(result["events"]) == 20
    assert result["secret"].startswith("whsec_")
    for path in (f"/webhooks/{result['id']}", f"/webhook/{result['id']}"):
        one = local.admin.get(path).json()
        assert one["success"] is True and one["result"]["id"] == result["id"]
        assert "secret" not in one["result"]
    listed = local.admin.get("/webhooks").json()["results"]
    assert [w["id"] for w in listed] == [result["id"]] and "secret" not in listed[0]


def test_events_are_optional_and_checked(local: Tenant, receiver: Receiver) -> None:
    assert _hook(local, receiver.url)["result"]["events"] == list(UPKEEP_EVENTS)
    some = _hook(local, receiver.url, events=["REQUEST_CREATED", "PART_LOW_STOCK", "REQUEST_CREATED"])
    assert some["result"]["events"] == ["REQUEST_CREATED", "PART_LOW_STOCK"]
    bad = local.admin.post("/webhooks", json={"title": "x", "endpoint": receiver.url, "events": ["NOPE"]})
    assert bad.status_code == 400 and bad.json() == {"success": False, "message": "events: NOPE is not a webhook event"}
    bad = local.admin.post("/webhooks", json={"title": "x", "endpoint": receiver.url, "events": "WORK_ORDER_CREATED"})
    assert bad.status_code == 200  # one name alone is accepted as a list of one


@pytest.mark.parametrize("spelling", ["webhooks", "webhook"])
def test_update_in_both_spellings(local: Tenant, receiver: Receiver, spelling: str) -> None:
    webhook_id = _hook(local, receiver.url)["webhookId"]
    response = local.admin.patch(
        f"/{spelling}/{webhook_id}", json={"enabled": False, "title": "Zapier", "events": ["REQUEST_APPROVED"]}
    )
    assert response.status_code == 200, response.text
    result = response.json()["result"]
    assert (result["enabled"], result["title"], result["events"]) == (False, "Zapier", ["REQUEST_APPROVED"])
    assert local.admin.patch(f"/{spelling}/{webhook_id}", json={"events": ["*"]}).json()["result"]["events"] == list(
        UPKEEP_EVENTS
    )


def test_delete(local: Tenant, receiver: Receiver) -> None:
    webhook_id = _hook(local, receiver.url)["webhookId"]
    assert local.admin.delete(f"/webhooks/{webhook_id}").json() == {"success": True, "message": "1 webhook deleted"}
    assert local.admin.get(f"/webhooks/{webhook_id}").status_code == 404
    assert local.admin.delete(f"/webhooks/{webhook_id}").status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"endpoint": "https://example.com/hook"},
        {"title": "x"},
        {"title": " ", "endpoint": "https://example.com/hook"},
        {"title": "x", "endpoint": "ftp://example.com/hook"},
        {"title": "x", "endpoint": "not a url"},
        {"title": "x", "endpoint": "https://user:pw@example.com/hook"},
        {"title": "x", "endpoint": "https://example.com/hook", "enabled": "maybe"},
        {"title": "x", "endpoint": "https://example.com/hook", "events": [1]},
    ],
)
def test_bad_input_is_400(tenant: Tenant, body: dict[str, Any]) -> None:
    response = tenant.admin.post("/webhooks", json=body)
    assert response.status_code == 400, response.text
    assert response.json()["success"] is False


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:9/hook",
        "http://localhost/hook",
        "http://10.0.0.8/hook",
        "http://192.168.1.1/hook",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/hook",
        "http://0.0.0.0/hook",
        "http://metadata.google.internal/computeMetadata/v1/",
    ],
)
def test_ssrf_guard_refuses_the_servers_own_network(tenant: Tenant, url: str) -> None:
    response = tenant.admin.post("/webhooks", json={"title": "x", "endpoint": url})
    assert response.status_code == 400, response.text
    assert response.json()["message"].startswith("endpoint is not allowed: ")


def test_ssrf_guard_on_update(tenant: Tenant, local: Tenant, receiver: Receiver) -> None:
    created = tenant.admin.post("/webhooks", json={"title": "x", "endpoint": "https://93.184.215.14/hook"})
    assert created.status_code == 200, created.text
    webhook_id = created.json()["webhookId"]
    response = tenant.admin.patch(f"/webhooks/{webhook_id}", json={"endpoint": "http://127.0.0.1/x"})
    assert response.status_code == 400
    assert tenant.admin.get(f"/webhooks/{webhook_id}").json()["result"]["endpoint"] == "https://93.184.215.14/hook"


def test_another_accounts_webhook_is_not_found(local: Tenant, loopback_http: TestClient, db: Database) -> None:
    other = new_tenant(loopback_http, db, name="Another Company")
    webhook_id = _hook(other, "http://127.0.0.1:9/hook")["webhookId"]
    assert local.admin.get(f"/webhooks/{webhook_id}").status_code == 404
    assert local.admin.patch(f"/webhooks/{webhook_id}", json={"enabled": False}).status_code == 404
    assert local.admin.delete(f"/webhooks/{webhook_id}").status_code == 404
    assert local.admin.get(f"/webhooks/{webhook_id}/deliveries").status_code == 404
    assert local.admin.get("/webhooks").json()["results"] == []


@pytest.mark.parametrize("role", ["TECH", "LIMITED_TECH", "VIEW_ONLY", "REQUESTER"])
def test_only_admins_manage_webhooks(local: Tenant, receiver: Receiver, role: str) -> None:
    webhook_id = _hook(local, receiver.url)["webhookId"]
    user = local.as_role(role)
    assert user.post("/webhooks", json={"title": "x", "endpoint": receiver.url}).status_code == 403
    assert user.get("/webhooks").status_code == 403
    assert user.get(f"/webhooks/{webhook_id}").status_code == 403
    assert user.patch(f"/webhooks/{webhook_id}", json={"enabled": False}).status_code == 403
    assert user.delete(f"/webhooks/{webhook_id}").status_code == 403


# -------------------------------------------------------------------------------------------- delivery


def test_a_work_order_change_arrives_signed_with_the_resource_at_the_top(
    local: Tenant, receiver: Receiver, settings: Settings
) -> None:
    secret = _hook(local, receiver.url)["result"]["secret"]
    created = local.admin.post("/work-orders", json={"title": "Leaking tap", "priority": 2}).json()["result"]
    run_jobs(worker(local.db, settings, local.account_id, webhook_allow_private=True))
    (hit,) = receiver.wait_for(1)
    assert verify(secret, hit.headers, hit.body)
    assert not verify(secret, hit.headers, hit.body + b" ")
    assert hit.headers["content-type"] == "application/json"
    assert hit.headers["webhook-id"].startswith("msg_")
    body = hit.json
    assert body["event"] == "WORK_ORDER_CREATED"
    for key in ("id", "title", "status", "createdAt", "updatedAt", "priority", "workOrderNo"):
        assert body[key] == created[key], key
    webhook_id = local.admin.get("/webhooks").json()["results"][0]["id"]
    (delivery,) = _deliveries(local, webhook_id)
    assert delivery["status"] == "delivered" and delivery["event"] == "WORK_ORDER_CREATED"
    assert [(a["attempt"], a["statusCode"], a["error"]) for a in delivery["attemptsLog"]] == [(1, 200, None)]
    assert delivery["attemptsLog"][0]["response"] == "ok"
    assert hit.headers["webhook-id"] == f"msg_{delivery['eventId']}"


def test_only_subscribed_events_are_delivered(local: Tenant, receiver: Receiver, settings: Settings) -> None:
    _hook(local, receiver.url, events=["REQUEST_CREATED"])
    local.admin.post("/work-orders", json={"title": "Not subscribed"})
    local.admin.post("/requests", json={"title": "Subscribed"})
    run_jobs(worker(local.db, settings, local.account_id, webhook_allow_private=True))
    (hit,) = receiver.wait_for(1)
    assert (hit.json["event"], hit.json["title"]) == ("REQUEST_CREATED", "Subscribed")
    time.sleep(0.2)
    assert len(receiver.received) == 1


def test_a_rolled_back_change_delivers_nothing(local: Tenant, receiver: Receiver, settings: Settings) -> None:
    _hook(local, receiver.url)
    work_order_id = local.admin.post("/work-orders", json={"title": "Pump"}).json()["result"]["id"]
    run_jobs(worker(local.db, settings, local.account_id, webhook_allow_private=True))
    receiver.wait_for(1)
    failed = local.admin.patch(f"/work-orders/{work_order_id}", json={"title": "Pump 2", "location": "nowhere"})
    assert failed.status_code == 400
    assert run_jobs(worker(local.db, settings, local.account_id, webhook_allow_private=True)) == 0
    assert len(receiver.received) == 1


def test_a_disabled_or_deleted_endpoint_receives_nothing(local: Tenant, receiver: Receiver, settings: Settings) -> None:
    off = _hook(local, receiver.url, enabled=False)
    assert off["result"]["enabled"] is False
    gone = _hook(local, receiver.url)["webhookId"]
    local.admin.delete(f"/webhooks/{gone}")
    local.admin.post("/work-orders", json={"title": "Nobody hears this"})
    run_jobs(worker(local.db, settings, local.account_id, webhook_allow_private=True))
    time.sleep(0.2)
    assert receiver.received == []


def test_failures_are_retried_with_the_same_webhook_id(local: Tenant, receiver: Receiver, settings: Settings) -> None:
    receiver.script = lambda n: Reply(500, body=b"broken") if n < 2 else Reply(204, body=b"")
    secret = _hook(local, receiver.url)["result"]["secret"]
    local.admin.post("/work-orders", json={"title": "Retry me"})
    w = worker(local.db, settings, local.account_id, webhook_allow_private=True, **FAST)
    run_jobs_until(w, lambda: len(receiver.received) >= 3)
    hits = receiver.received
    assert len({h.headers["webhook-id"] for h in hits}) == 1
    assert all(verify(secret, h.headers, h.body) for h in hits)
    assert hits[1].at - hits[0].at >= 0.85 and hits[2].at - hits[1].at >= 0.85  # the schedule, -10 % jitter
    webhook_id = local.admin.get("/webhooks").json()["results"][0]["id"]
    (delivery,) = _deliveries(local, webhook_id)
    assert delivery["status"] == "delivered"
    assert [(a["statusCode"], a["response"]) for a in delivery["attemptsLog"]] == [
        (500, "broken"),
        (500, "broken"),
        (204, ""),
    ]


def test_a_batch_of_events_reaches_each_endpoint_once_with_its_failures_retried(
    local: Tenant, receiver: Receiver, settings: Settings
) -> None:
    """Six work orders to two endpoints, fanned out and delivered in batches (webhook.delivery's
    fan_out_many and deliver_many): the healthy endpoint gets each event once; the other fails every
    first attempt, and each of its deliveries is retried and then delivered, attempt by attempt."""
    with running_receiver() as flaky:
        flaky.script = lambda n: Reply(500, body=b"later") if n < 6 else Reply(204, body=b"")
        healthy = _hook(local, receiver.url)["webhookId"]
        failing = _hook(local, flaky.url)["webhookId"]
        titles = {f"Job {n}" for n in range(6)}
        for title in sorted(titles):
            assert local.admin.post("/work-orders", json={"title": title}).status_code == 200
        w = worker(local.db, settings, local.account_id, webhook_allow_private=True, worker_concurrency=2, **FAST)
        run_jobs_until(w, lambda: len(receiver.received) >= 6 and len(flaky.received) >= 12)
        time.sleep(0.2)
        assert sorted(hit.json["title"] for hit in receiver.received) == sorted(titles)
        assert len(flaky.received) == 12
    for delivery in _deliveries(local, healthy):
        assert delivery["status"] == "delivered"
        assert [(a["attempt"], a["statusCode"]) for a in delivery["attemptsLog"]] == [(1, 200)]
    retried = _deliveries(local, failing)
    assert len(retried) == 6
    for delivery in retried:
        assert delivery["status"] == "delivered"
        assert [(a["attempt"], a["statusCode"]) for a in delivery["attemptsLog"]] == [(1, 500), (2, 204)]


def test_retry_after_is_honoured_on_429(local: Tenant, receiver: Receiver, settings: Settings) -> None:
    receiver.script = lambda n: Reply(429, headers=(("Retry-After", "2"),)) if n == 0 else Reply()
    _hook(local, receiver.url)
    local.admin.post("/work-orders", json={"title": "Slow down"})
    w = worker(local.db, settings, local.account_id, webhook_allow_private=True, **FAST)
    run_jobs_until(w, lambda: len(receiver.received) >= 2)
    assert receiver.received[1].at - receiver.received[0].at >= 1.9  # not the schedule's 1 s


def test_after_the_last_retry_the_delivery_has_failed(local: Tenant, receiver: Receiver, settings: Settings) -> None:
    receiver.script = lambda _n: Reply(503)
    webhook_id = _hook(local, receiver.url)["webhookId"]
    local.admin.post("/work-orders", json={"title": "Never"})
    w = worker(
        local.db, settings, local.account_id, webhook_allow_private=True, **{**FAST, "webhook_retry_schedule": "1"}
    )
    run_jobs_until(w, lambda: _status(local, webhook_id) == "failed")
    assert len(receiver.received) == 2
    assert local.admin.get(f"/webhooks/{webhook_id}").json()["result"]["enabled"] is True  # not failing for days


def test_410_disables_the_endpoint(local: Tenant, receiver: Receiver, settings: Settings) -> None:
    receiver.script = lambda _n: Reply(410)
    webhook_id = _hook(local, receiver.url)["webhookId"]
    local.admin.post("/work-orders", json={"title": "Gone"})
    w = worker(local.db, settings, local.account_id, webhook_allow_private=True, **FAST)
    run_jobs(w)
    result = local.admin.get(f"/webhooks/{webhook_id}").json()["result"]
    assert (result["enabled"], result["disabledReason"]) == (False, "gone")
    assert _deliveries(local, webhook_id)[0]["status"] == "failed"
    local.admin.post("/work-orders", json={"title": "Not sent"})
    time.sleep(1.2)
    run_jobs(w)
    assert len(receiver.received) == 1
    # Enabling it again forgets why it was disabled.
    again = local.admin.patch(f"/webhooks/{webhook_id}", json={"enabled": True}).json()["result"]
    assert (again["enabled"], again["disabledReason"]) == (True, None)


def test_an_endpoint_failing_for_too_long_is_disabled(local: Tenant, receiver: Receiver, settings: Settings) -> None:
    receiver.script = lambda _n: Reply(500)
    webhook_id = _hook(local, receiver.url)["webhookId"]
    local.admin.post("/work-orders", json={"title": "Failing"})
    hours = 1.5 / 3600  # 1.5 s of failures
    w = worker(
        local.db, settings, local.account_id, webhook_allow_private=True, webhook_disable_after_hours=hours, **FAST
    )
    run_jobs_until(w, lambda: not local.admin.get(f"/webhooks/{webhook_id}").json()["result"]["enabled"])
    result = local.admin.get(f"/webhooks/{webhook_id}").json()["result"]
    assert result["disabledReason"] == "failing"
    assert _deliveries(local, webhook_id)[0]["status"] == "failed"


def test_a_timeout_is_a_failed_attempt(local: Tenant, receiver: Receiver, settings: Settings) -> None:
    receiver.script = lambda n: Reply(delay_s=3) if n == 0 else Reply()
    webhook_id = _hook(local, receiver.url)["webhookId"]
    local.admin.post("/work-orders", json={"title": "Slow receiver"})
    w = worker(
        local.db, settings, local.account_id, webhook_allow_private=True, **{**FAST, "webhook_timeout_seconds": 1}
    )
    run_jobs_until(w, lambda: _status(local, webhook_id) == "delivered")
    log = _deliveries(local, webhook_id)[0]["attemptsLog"]
    assert [(a["statusCode"], a["error"]) for a in log] == [(None, "timeout"), (200, None)]


def test_redirects_are_not_followed(local: Tenant, receiver: Receiver, settings: Settings) -> None:
    receiver.script = lambda _n: Reply(302, headers=(("Location", "http://127.0.0.1:9/elsewhere"),))
    webhook_id = _hook(local, receiver.url)["webhookId"]
    local.admin.post("/work-orders", json={"title": "Moved"})
    run_jobs(worker(local.db, settings, local.account_id, webhook_allow_private=True, **FAST))
    (delivery,) = _deliveries(local, webhook_id)
    assert delivery["status"] == "pending" and delivery["attemptsLog"][0]["statusCode"] == 302


def test_redelivery_sends_the_same_message_again(local: Tenant, receiver: Receiver, settings: Settings) -> None:
    webhook_id = _hook(local, receiver.url)["webhookId"]
    local.admin.post("/work-orders", json={"title": "Again"})
    w = worker(local.db, settings, local.account_id, webhook_allow_private=True)
    run_jobs(w)
    (delivery,) = _deliveries(local, webhook_id)
    response = local.admin.post(f"/webhooks/{webhook_id}/deliveries/{delivery['id']}/redeliver")
    assert response.json() == {"success": True, "message": f"delivery {delivery['id']} queued"}
    run_jobs(w)
    first, second = receiver.wait_for(2)
    assert first.headers["webhook-id"] == second.headers["webhook-id"] and first.body == second.body
    assert [a["attempt"] for a in _deliveries(local, webhook_id)[0]["attemptsLog"]] == [1, 2]
    assert local.admin.post(f"/webhooks/{webhook_id}/deliveries/nope/redeliver").status_code == 404


def test_the_ssrf_guard_runs_again_before_each_attempt(local: Tenant, receiver: Receiver, settings: Settings) -> None:
    webhook_id = _hook(local, receiver.url)["webhookId"]
    local.admin.post("/work-orders", json={"title": "Resolved again"})
    run_jobs(worker(local.db, settings, local.account_id, webhook_allow_private=False, **FAST))
    (delivery,) = _deliveries(local, webhook_id)
    assert delivery["attemptsLog"][0]["error"].startswith("refused: ")
    assert receiver.received == []


def test_a_pending_delivery_is_not_redelivered(local: Tenant, receiver: Receiver, settings: Settings) -> None:
    receiver.script = lambda _n: Reply(500)
    webhook_id = _hook(local, receiver.url)["webhookId"]
    local.admin.post("/work-orders", json={"title": "Still trying"})
    run_jobs(worker(local.db, settings, local.account_id, webhook_allow_private=True))
    (delivery,) = _deliveries(local, webhook_id)
    assert delivery["status"] == "pending" and delivery["nextAttemptAt"] is not None
    response = local.admin.post(f"/webhooks/{webhook_id}/deliveries/{delivery['id']}/redeliver")
    assert response.status_code == 400
    assert response.json() == {"success": False, "message": "this webhook delivery is still pending"}


def test_only_the_first_bytes_of_an_answer_are_kept(local: Tenant, receiver: Receiver, settings: Settings) -> None:
    receiver.script = lambda _n: Reply(200, body=b"x" * 5_000_000)
    webhook_id = _hook(local, receiver.url)["webhookId"]
    local.admin.post("/work-orders", json={"title": "Chatty receiver"})
    run_jobs(worker(local.db, settings, local.account_id, webhook_allow_private=True))
    (delivery,) = _deliveries(local, webhook_id)
    assert delivery["status"] == "delivered"
    assert delivery["attemptsLog"][0]["response"] == "x" * 1000
