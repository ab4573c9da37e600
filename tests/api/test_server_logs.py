"""Issue 7, logs: what a real ``premises serve`` writes. uvicorn's lines and Premises' in one format
(JSON with ``PREMISES_LOG_FORMAT=json``, text by default), one access line per request carrying its
request id and account, a 431 refused before the app naming its id, and never a session token or a
password."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from premises.config import Settings
from tests.support.client import PASSWORD, Tenant
from tests.support.server import running_server

pytestmark = pytest.mark.slow


def _lines_when(log_path: Path, wanted: str, timeout: float = 10) -> list[str]:
    """The log's lines, once one of them contains ``wanted`` (the server writes asynchronously to us)."""
    deadline = time.monotonic() + timeout
    while True:
        lines = log_path.read_text(errors="replace").splitlines()
        if any(wanted in line for line in lines) or time.monotonic() > deadline:
            return lines


def _exercise(base_url: str, tenant: Tenant, request_id: str) -> dict[str, Any]:
    """Log in (password in a form body), list with the token and a credential in the query, then get
    a 431: what each answered."""
    login = httpx.post(f"{base_url}/api/v2/auth", data={"email": tenant.admin.email, "password": PASSWORD})
    assert login.status_code == 200, login.text
    token = login.json()["result"]["sessionToken"]
    listed = httpx.get(
        f"{base_url}/api/v2/work-orders",
        params={"limit": 3, "password": "in-the-query"},
        headers={"Session-Token": token, "X-Request-Id": request_id},
    )
    refused = httpx.get(f"{base_url}/healthz", headers={"X-Filler": "x" * 70_000})
    return {"token": token, "login": login, "listed": listed, "refused": refused}


def test_json_logs(settings: Settings, tenant: Tenant, tmp_path: Path) -> None:
    log_path = tmp_path / "server.log"
    env = {"PREMISES_LOG_FORMAT": "json", "PREMISES_LOG_LEVEL": "info"}
    with running_server(settings.resolved_database_url, tmp_path / "data", env=env, log_path=log_path) as base_url:
        answers = _exercise(base_url, tenant, "json-trace-1")
        lines = _lines_when(log_path, "json-trace-1")
    assert answers["listed"].status_code == 400  # password is no filter of the list
    assert answers["listed"].headers["x-request-id"] == "json-trace-1"
    records = [json.loads(line) for line in lines if line.startswith("{")]
    assert all(isinstance(r, dict) for r in records)
    assert any(r["logger"] == "uvicorn.error" and "startup complete" in r["message"] for r in records)

    access = [r for r in records if r["logger"] == "premises.access"]
    login = next(r for r in access if r["path"] == "/api/v2/auth")
    assert login["method"] == "POST"
    assert login["status"] == 200
    assert login["request_id"] == answers["login"].headers["x-request-id"]
    listed = next(r for r in access if r["request_id"] == "json-trace-1")
    assert listed["path"] == "/api/v2/work-orders"
    assert listed["query"] == "limit=3&password=[redacted]"
    assert listed["status"] == 400
    assert listed["account_id"] == tenant.account_id
    assert listed["user_id"] == tenant.admin.user_id
    assert isinstance(listed["duration_ms"], float)

    assert answers["refused"].status_code == 431
    refused_id = answers["refused"].headers["x-request-id"]
    assert any(r.get("request_id") == refused_id and r.get("status") == 431 for r in records)

    everything = log_path.read_text(errors="replace")
    for secret in (answers["token"], tenant.admin.token, PASSWORD, "in-the-query"):
        assert secret not in everything


def test_text_logs_by_default(settings: Settings, tenant: Tenant, tmp_path: Path) -> None:
    log_path = tmp_path / "server.log"
    env = {"PREMISES_LOG_FORMAT": None, "PREMISES_LOG_LEVEL": None}
    with running_server(settings.resolved_database_url, tmp_path / "data", env=env, log_path=log_path) as base_url:
        answers = _exercise(base_url, tenant, "text-trace-1")
        lines = _lines_when(log_path, "text-trace-1")
    (line,) = [line for line in lines if "[text-trace-1]" in line]
    assert " INFO premises.access [text-trace-1] GET /api/v2/work-orders?limit=3&password=[redacted] 400 " in line
    assert f"account={tenant.account_id}" in line
    assert any("INFO uvicorn.error" in line and "startup complete" in line for line in lines)
    assert not any(line.startswith("{") for line in lines)
    everything = "\n".join(lines)
    for secret in (answers["token"], tenant.admin.token, PASSWORD, "in-the-query"):
        assert secret not in everything
