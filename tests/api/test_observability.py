"""Issue 7, operations: request ids, the access log, /readyz, Prometheus metrics, CORS and gzip, through
the real ASGI stack (a real ``premises serve`` for the logs a process writes: tests/api/test_server_logs.py)."""

from __future__ import annotations

import json
import logging
import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from premises.api.app import create_app
from premises.api.dialects_installed import DIALECTS
from premises.api.kit.dialects import Dialect
from premises.api.runtime import Runtime
from premises.api.upkeep import errors as upkeep_errors
from premises.config import Settings
from premises.logging_setup import JsonFormatter, TextFormatter
from tests.api.upkeep.test_files import PNG, fetch, uploaded
from tests.support.client import Tenant

GENERATED_ID = re.compile(r"[0-9a-f]{32}")


@contextmanager
def app_with(settings: Settings, tmp_path: Path, **overrides: Any) -> Iterator[TestClient]:
    """A second app on the test database, with some settings changed."""
    overrides.setdefault("worker_embedded", False)  # no job worker claiming other tests' jobs meanwhile
    changed = Settings(database_url=settings.database_url, data_dir=tmp_path, **overrides)
    with TestClient(create_app(changed)) as client:
        yield client


# A dialect of the test's own: a route that fails (a bug, as the 500 handler sees one) and one that logs.
test_log = logging.getLogger("premises.tests.observability")


def _probe_app(_runtime: Runtime | None) -> FastAPI:
    app = FastAPI()
    upkeep_errors.install(app)

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError("a bug")

    @app.get("/talk")
    async def talk() -> dict[str, bool]:
        test_log.warning("something worth a line")
        return {"ok": True}

    return app


def _probe_root(app: FastAPI) -> None:
    @app.get("/probe-root-boom")
    async def root_boom() -> None:  # a route of the root app, which has no 500 handler of its own
        raise RuntimeError("a bug outside any dialect")


PROBE = Dialect("probe", "/probe", "test probe", _probe_app, upkeep_errors.http_error, install_root=_probe_root)


@pytest.fixture
def probe(settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    with TestClient(create_app(settings, (*DIALECTS, PROBE)), raise_server_exceptions=False) as client:
        yield client


class TestRequestId:
    def test_generated_on_every_kind_of_response(self, http: TestClient, tenant: Tenant) -> None:
        responses = [
            http.get("/healthz"),
            tenant.admin.get("/work-orders"),
            http.get("/api/v2/work-orders"),  # 401
            http.get("/api/v2/no-such-thing"),  # 404 from the dialect's router
            http.get("/nowhere"),  # 404 from the root
            http.head("/api/v2/work-orders", headers={"Session-Token": tenant.admin.token}),
            http.post("/api/v2/auth", files={"email": (None, "a"), "password": ("p", b"x", "text/plain")}),  # 415
        ]
        ids = [r.headers.get("x-request-id", "") for r in responses]
        assert all(GENERATED_ID.fullmatch(i) for i in ids), list(
            zip([r.status_code for r in responses], ids, strict=True)
        )
        assert len(set(ids)) == len(ids)

    def test_on_a_body_over_the_limit(self, settings: Settings, tmp_path: Path) -> None:
        with app_with(settings, tmp_path, max_json_bytes=100) as client:
            response = client.post("/api/v2/auth", json={"email": "a@example.com", "password": "x" * 200})
        assert response.status_code == 413
        assert GENERATED_ID.fullmatch(response.headers["x-request-id"])

    def test_a_sane_client_id_is_kept(self, http: TestClient) -> None:
        for given in ("abc-123", "4bf92f3577b34da6a3ce929d0e0e4736", "req:2026/12/02@lb-1.x_y+z=", "a" * 128):
            response = http.get("/healthz", headers={"X-Request-Id": given})
            assert response.headers["x-request-id"] == given

    def test_an_insane_client_id_is_replaced(self, http: TestClient) -> None:
        for given in ("a" * 129, "with space", 'quote"d', "semi;colon", "\xe9".encode("latin-1")):
            response = http.get("/healthz", headers={"X-Request-Id": given})
            assert GENERATED_ID.fullmatch(response.headers["x-request-id"]), given

    def test_the_500_error_id_is_the_request_id(self, probe: TestClient) -> None:
        response = probe.get("/probe/boom", headers={"X-Request-Id": "trace-500"})
        assert response.status_code == 500
        assert response.headers["x-request-id"] == "trace-500"
        assert response.json() == {"success": False, "message": "internal server error", "errorId": "trace-500"}

    def test_a_500_outside_any_dialect_names_the_request(
        self, probe: TestClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        response = probe.get("/probe-root-boom", headers={"X-Request-Id": "trace-root-500"})
        assert response.status_code == 500
        assert response.headers["x-request-id"] == "trace-root-500"
        assert response.text == "Internal Server Error"
        logged = [r for r in caplog.records if r.name == "premises.api" and r.exc_info]
        assert [r.request_id for r in logged] == ["trace-root-500"]  # type: ignore[attr-defined]

    def test_lines_logged_while_the_request_runs_carry_its_id(
        self, probe: TestClient, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.INFO, logger="premises")
        response = probe.get("/probe/talk")
        request_id = response.headers["x-request-id"]
        lines = [json.loads(JsonFormatter().format(r)) for r in caplog.records]
        talk = next(line for line in lines if line["message"] == "something worth a line")
        access = next(line for line in lines if line["logger"] == "premises.access")
        assert talk["request_id"] == access["request_id"] == request_id
        assert f"[{request_id}]" in TextFormatter().format(caplog.records[0])
        # Outside a request, no id.
        caplog.clear()
        test_log.warning("between requests")
        assert "request_id" not in json.loads(JsonFormatter().format(caplog.records[0]))


class TestAccessLog:
    def test_one_line_per_request_with_account_status_and_duration(
        self, http: TestClient, tenant: Tenant, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.INFO, logger="premises.access")
        response = tenant.admin.get("/work-orders", params={"limit": 5, "status": "open"})
        assert response.status_code == 200
        (record,) = [r for r in caplog.records if r.name == "premises.access"]
        line = json.loads(JsonFormatter().format(record))
        assert line["method"] == "GET"
        assert line["path"] == "/api/v2/work-orders"
        assert line["query"] == "limit=5&status=open"
        assert line["status"] == 200
        assert line["duration_ms"] >= 0
        assert line["request_id"] == response.headers["x-request-id"]
        assert line["account_id"] == tenant.account_id
        assert line["user_id"] == tenant.admin.user_id
        assert "GET /api/v2/work-orders?limit=5&status=open 200" in record.getMessage()

    def test_no_account_before_authentication(self, http: TestClient, caplog: pytest.LogCaptureFixture) -> None:
        caplog.set_level(logging.INFO, logger="premises.access")
        http.get("/api/v2/work-orders")
        (record,) = [r for r in caplog.records if r.name == "premises.access"]
        assert record.status == 401  # type: ignore[attr-defined]
        assert record.account_id is None  # type: ignore[attr-defined]

    def test_never_a_token_or_password(
        self, http: TestClient, tenant: Tenant, caplog: pytest.LogCaptureFixture
    ) -> None:
        caplog.set_level(logging.DEBUG, logger="premises")
        password = "correct horse battery staple"
        http.post("/api/v2/auth", json={"email": tenant.admin.email, "password": password})
        http.post("/api/v2/auth", data={"email": tenant.admin.email, "password": password})
        tenant.admin.get("/work-orders", params={"token": "query-token-1", "password": "query-password-1"})
        tenant.admin.get("/users", params={"sessionToken": "query-token-2", "X-Signature": "sig-3", "apiKey": "k-4"})
        texts = [
            f(caplog.records[i])
            for i in range(len(caplog.records))
            for f in (JsonFormatter().format, TextFormatter().format)
        ]
        assert texts
        everything = "\n".join(texts)
        for secret in (
            tenant.admin.token,
            password,
            "query-token-1",
            "query-password-1",
            "query-token-2",
            "sig-3",
            "k-4",
        ):
            assert secret not in everything
        assert "token=[redacted]&password=[redacted]" in everything

    def test_control_characters_cannot_forge_a_line(self, http: TestClient, caplog: pytest.LogCaptureFixture) -> None:
        caplog.set_level(logging.INFO, logger="premises.access")
        http.get("/api/v2/work-orders", params={"q": "x\n2026-12-02T00:00:00.000Z INFO premises.access forged"})
        (record,) = [r for r in caplog.records if r.name == "premises.access"]
        assert "\n" not in TextFormatter().format(record)
        assert "\n" not in JsonFormatter().format(record)


class TestReadiness:
    def test_ready_on_a_migrated_database(self, http: TestClient) -> None:
        response = http.get("/readyz")
        assert response.status_code == 200
        assert response.json()["status"] == "ready"
        assert http.get("/healthz").json() == {"status": "ok"}

    def test_a_database_without_schema_is_not_ready(self, tmp_path: Path) -> None:
        empty = Settings(database_url=f"sqlite:///{tmp_path / 'empty.sqlite3'}", data_dir=tmp_path)
        with TestClient(create_app(empty)) as client:
            response = client.get("/readyz")
            assert client.get("/healthz").status_code == 200  # alive, not ready
        assert response.status_code == 503
        assert response.json()["reason"] == "database schema missing: run premises migrate"

    def test_a_database_at_another_revision_is_not_ready(self, tmp_path: Path) -> None:
        path = tmp_path / "old.sqlite3"
        with sqlite3.connect(path) as connection:  # what readiness reads of a database migrated by another version
            connection.execute("CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)")
            connection.execute("INSERT INTO alembic_version VALUES ('0000_older')")
        with TestClient(create_app(Settings(database_url=f"sqlite:///{path}", data_dir=tmp_path))) as client:
            response = client.get("/readyz")
        assert response.status_code == 503
        body = response.json()
        assert body["reason"] == "database schema is not current: run premises migrate"
        assert body["current"] == ["0000_older"]
        assert body["expected"] and body["expected"] != ["0000_older"]

    def test_an_unreachable_database_is_not_ready(self, settings: Settings, tmp_path: Path) -> None:
        with app_with(settings, tmp_path) as client:
            runtime: Runtime = client.app.state.runtime  # type: ignore[attr-defined]
            reader = runtime.reader_holder[0]
            runtime.reader_holder[0] = _Unreachable()
            try:
                response = client.get("/readyz")
            finally:
                runtime.reader_holder[0] = reader
        assert response.status_code == 503
        assert response.json() == {"status": "unavailable", "reason": "database unreachable"}


class _Unreachable:
    """A reader whose database does not answer (what a stopped PostgreSQL looks like to the app)."""

    dialect = "postgresql"
    version_is_cheap = False

    async def fetch(self, sql: str, params: Any) -> Any:
        raise ConnectionRefusedError("connection refused")

    async def fetchrow(self, sql: str, params: Any) -> Any:
        raise ConnectionRefusedError("connection refused")

    async def data_version(self) -> str:
        raise ConnectionRefusedError("connection refused")

    async def close(self) -> None:
        return None


def _samples(text: str, name: str) -> dict[str, float]:
    """``{'{labels}': value}`` of one metric in the Prometheus text format."""
    found = {}
    for line in text.splitlines():
        if line.startswith(name + "{"):
            labels, _, value = line[len(name) :].rpartition(" ")
            found[labels] = float(value)
    return found


class TestMetrics:
    def test_off_by_default(self, http: TestClient) -> None:
        assert http.get("/metrics").status_code == 404

    def test_requests_by_route_template_and_status(self, settings: Settings, tenant: Tenant, tmp_path: Path) -> None:
        work_order = tenant.admin.post("/work-orders", json={"title": "Leak"}).json()["result"]["id"]
        with app_with(settings, tmp_path, metrics_enabled=True) as client:
            headers = {"Session-Token": tenant.admin.token}
            for _ in range(3):
                assert client.get(f"/api/v2/work-orders/{work_order}", headers=headers).status_code == 200
            assert client.get("/api/v2/work-orders/nope", headers=headers).status_code == 404
            client.get("/api/v2/no/such/route")
            client.get("/random-path-1")
            client.get("/random-path-2")
            text = client.get("/metrics").text
        counts = _samples(text, "premises_http_requests_total")
        assert counts['{method="GET",route="/api/v2/work-orders/{work_order_id}",status="200"}'] == 3
        assert counts['{method="GET",route="/api/v2/work-orders/{work_order_id}",status="404"}'] == 1
        assert counts['{method="GET",route="unmatched",status="404"}'] == 3
        assert not any(work_order in labels or "random" in labels for labels in counts)
        latency = _samples(text, "premises_http_request_duration_seconds_count")
        assert latency['{method="GET",route="/api/v2/work-orders/{work_order_id}",status_class="2xx"}'] == 3
        assert latency['{method="GET",route="/api/v2/work-orders/{work_order_id}",status_class="4xx"}'] == 1
        pool = _samples(text, "premises_db_connections_limit")
        assert set(pool) == {'{side="write"}', '{side="read"}'}
        assert all(value >= 1 for value in pool.values())
        assert set(_samples(text, "premises_db_connections_in_use")) == set(pool)

    def test_a_token_protects_them(self, settings: Settings, tmp_path: Path) -> None:
        with app_with(settings, tmp_path, metrics_enabled=True, metrics_token="s3cret-metrics") as client:
            assert client.get("/metrics").status_code == 401
            assert client.get("/metrics", headers={"Authorization": "Bearer wrong"}).status_code == 401
            assert client.get("/metrics", headers={"Authorization": "s3cret-metrics"}).status_code == 401
            response = client.get("/metrics", headers={"Authorization": "Bearer s3cret-metrics"})
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/plain")
        assert "premises_http_requests_total" in response.text


PREFLIGHT = {
    "Origin": "https://app.example",
    "Access-Control-Request-Method": "POST",
    "Access-Control-Request-Headers": "session-token, content-type",
}


class TestCors:
    def test_nothing_when_unset(self, http: TestClient, tenant: Tenant) -> None:
        preflight = http.options("/api/v2/work-orders", headers=PREFLIGHT)
        assert "access-control-allow-origin" not in preflight.headers
        simple = tenant.admin.get("/work-orders", headers={"Origin": "https://app.example"})
        assert simple.status_code == 200
        assert not any(name.startswith("access-control-") for name in simple.headers)

    def test_preflight_and_simple_requests_of_an_allowed_origin(
        self, settings: Settings, tenant: Tenant, tmp_path: Path
    ) -> None:
        origins = "https://app.example, https://other.example/"
        with app_with(settings, tmp_path, cors_origins=origins) as client:
            for path in ("/api/v2/work-orders", "/api/v2/work-orders/abc", "/api/v2/auth", "/api/v2/files"):
                preflight = client.options(path, headers=PREFLIGHT)
                assert preflight.status_code == 200, path
                assert preflight.headers["access-control-allow-origin"] == "https://app.example"
                allowed = preflight.headers["access-control-allow-headers"].lower()
                assert "session-token" in allowed and "content-type" in allowed
                assert "POST" in preflight.headers["access-control-allow-methods"]
            simple = client.get(
                "/api/v2/work-orders", headers={"Origin": "https://other.example", "Session-Token": tenant.admin.token}
            )
            refused = client.options("/api/v2/work-orders", headers={**PREFLIGHT, "Origin": "https://evil.example"})
            other = client.get("/healthz", headers={"Origin": "https://evil.example"})
        assert simple.status_code == 200
        assert simple.headers["access-control-allow-origin"] == "https://other.example"
        assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()
        assert "access-control-allow-credentials" not in simple.headers
        assert refused.status_code == 400
        assert "access-control-allow-origin" not in refused.headers
        assert "access-control-allow-origin" not in other.headers

    def test_every_route_of_every_dialect_answers_a_preflight(self, settings: Settings, tmp_path: Path) -> None:
        with app_with(settings, tmp_path, cors_origins="https://app.example") as client:
            checked = 0
            for dialect in DIALECTS:
                document = client.get(f"{dialect.prefix}/openapi.json").json()
                for template, operations in document["paths"].items():
                    path = dialect.prefix + re.sub(r"\{[^}]+\}", "x1", template)
                    for method in operations:
                        headers = {**PREFLIGHT, "Access-Control-Request-Method": method.upper()}
                        preflight = client.options(path, headers=headers)
                        assert preflight.status_code == 200, (method, path)
                        assert preflight.headers["access-control-allow-origin"] == "https://app.example"
                        checked += 1
        assert checked > 50

    def test_any_origin(self, settings: Settings, tmp_path: Path) -> None:
        with app_with(settings, tmp_path, cors_origins="*") as client:
            preflight = client.options("/api/v2/users/me", headers={**PREFLIGHT, "Origin": "https://anyone.example"})
            simple = client.get("/healthz", headers={"Origin": "https://anyone.example"})
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "*"
        assert simple.headers["access-control-allow-origin"] == "*"


class TestGzip:
    def test_a_large_list_is_gzipped_when_accepted(self, http: TestClient, tenant: Tenant) -> None:
        for i in range(8):
            assert (
                tenant.admin.post("/work-orders", json={"title": f"Leak {i}", "description": "drip " * 20}).status_code
                == 200
            )
        plain = tenant.admin.get("/work-orders", headers={"Accept-Encoding": "identity"})
        assert "content-encoding" not in plain.headers
        assert len(plain.content) > 1024
        zipped = tenant.admin.get("/work-orders", headers={"Accept-Encoding": "gzip"})
        assert zipped.headers["content-encoding"] == "gzip"
        assert "accept-encoding" in zipped.headers["vary"].lower()
        assert int(zipped.headers["content-length"]) < len(plain.content) / 3  # the bytes on the wire
        assert zipped.json() == plain.json()  # httpx decoded them

    def test_small_responses_are_not(self, http: TestClient, tenant: Tenant) -> None:
        for response in (
            http.get("/healthz", headers={"Accept-Encoding": "gzip"}),
            tenant.admin.get(f"/users/{tenant.admin.user_id}", headers={"Accept-Encoding": "gzip"}),
        ):
            assert response.status_code == 200
            assert len(response.content) < 1024
            assert "content-encoding" not in response.headers

    def test_file_downloads_are_never_gzipped_and_ranges_work(self, http: TestClient, tenant: Tenant) -> None:
        text = b"plain text that compresses well " * 200
        url = uploaded(tenant.admin, content=text, name="notes.txt", content_type="text/plain")["url"]
        parts = urlsplit(url)
        target = f"{parts.path}?{parts.query}"
        whole = http.get(target, headers={"Accept-Encoding": "gzip"})
        assert whole.status_code == 200
        assert "content-encoding" not in whole.headers
        assert whole.content == text
        part = http.get(target, headers={"Accept-Encoding": "gzip", "Range": "bytes=10-19"})
        assert part.status_code == 206
        assert part.content == text[10:20]
        assert "content-encoding" not in part.headers
        assert fetch(http, uploaded(tenant.admin, content=PNG)["url"]).content == PNG
