"""Issue 5 items 6 and 17 through the ASGI stack: per-route body limits (413 / 415 in the dialect's
format), HEAD on GET routes, standard response headers, no root API documents."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from fastapi.testclient import TestClient

from premises.api.app import create_app
from premises.config import Settings
from tests.support.client import Tenant

LIMIT = 2000
TOO_LARGE = {"success": False, "message": f"request body is too large (limit {LIMIT} bytes)"}


@contextmanager
def small_json_app(settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    small = Settings(database_url=settings.database_url, data_dir=tmp_path, max_json_bytes=LIMIT)
    with TestClient(create_app(small)) as client:
        yield client


def _password_body(size: int) -> bytes:
    head = b'{"email": "a@example.com", "password": "'
    tail = b'"}'
    return head + b"x" * (size - len(head) - len(tail)) + tail


class TestBodyLimits:
    def test_default_json_limit_is_1_mib(self) -> None:
        assert Settings().max_json_bytes == 1024 * 1024

    def test_json_body_over_the_limit_with_content_length_is_413(self, settings: Settings, tmp_path: Path) -> None:
        with small_json_app(settings, tmp_path) as client:
            response = client.post(
                "/api/v2/auth", content=_password_body(LIMIT + 1), headers={"Content-Type": "application/json"}
            )
        assert response.status_code == 413
        assert response.json() == TOO_LARGE
        assert response.headers["connection"] == "close"

    def test_json_body_over_the_limit_without_content_length_is_413(self, settings: Settings, tmp_path: Path) -> None:
        body = _password_body(LIMIT * 10)

        def chunks() -> Iterator[bytes]:
            for i in range(0, len(body), 500):
                yield body[i : i + 500]

        with small_json_app(settings, tmp_path) as client:
            response = client.post("/api/v2/auth", content=chunks(), headers={"Content-Type": "application/json"})
        assert response.status_code == 413
        assert response.json() == TOO_LARGE

    def test_json_body_at_the_limit_is_read(self, settings: Settings, tmp_path: Path) -> None:
        with small_json_app(settings, tmp_path) as client:
            response = client.post(
                "/api/v2/auth", content=_password_body(LIMIT), headers={"Content-Type": "application/json"}
            )
        assert response.status_code == 400  # read and validated: the password is longer than 500
        assert response.json() == {"success": False, "message": "password is too long"}

    def test_limit_applies_to_authenticated_writes(self, tenant: Tenant, settings: Settings, tmp_path: Path) -> None:
        with small_json_app(settings, tmp_path) as client:
            response = client.post(
                "/api/v2/work-orders",
                json={"title": "t", "description": "d" * LIMIT},
                headers={"Session-Token": tenant.admin.token},
            )
        assert response.status_code == 413
        assert response.json() == TOO_LARGE

    def test_multipart_is_refused_where_no_file_is_taken(self, http: TestClient, tenant: Tenant) -> None:
        files = {"email": (None, tenant.admin.email), "password": ("p.bin", b"x" * 100_000, "text/plain")}
        response = http.post("/api/v2/auth", files=files)
        assert response.status_code == 415
        assert response.json() == {
            "success": False,
            "message": "multipart/form-data is accepted only by file uploads: send JSON or a form",
        }
        response = http.post(
            "/api/v2/work-orders", files={"title": (None, "x")}, headers={"Session-Token": tenant.admin.token}
        )
        assert response.status_code == 415


class TestHead:
    def _same_as_get(self, http: TestClient, path: str, headers: dict[str, str] | None = None) -> None:
        get = http.get(path, headers=headers)
        head = http.head(path, headers=headers)
        assert get.status_code == 200, get.text
        assert head.status_code == 200
        assert head.content == b""
        for name in ("content-type", "content-length", "cache-control", "x-content-type-options"):
            assert head.headers.get(name) == get.headers.get(name), name

    def test_list_and_detail_routes(self, http: TestClient, tenant: Tenant) -> None:
        created = tenant.admin.post("/work-orders", json={"title": "Head"}).json()["result"]
        token = {"Session-Token": tenant.admin.token}
        self._same_as_get(http, "/api/v2/work-orders", token)
        self._same_as_get(http, f"/api/v2/work-orders/{created['id']}", token)
        self._same_as_get(http, "/healthz")

    def test_file_download(self, http: TestClient, tenant: Tenant) -> None:
        data = tenant.admin.post("/files", files={"file": ("a.txt", b"hello", "text/plain")}).json()["data"]
        parts = urlsplit(data["url"])
        self._same_as_get(http, f"{parts.path}?{parts.query}")

    def test_head_keeps_errors_of_get(self, http: TestClient) -> None:
        assert http.head("/api/v2/work-orders").status_code == 401
        assert http.head("/api/v2/auth").status_code == 405  # POST and DELETE only
        assert http.head("/api/v2/nothing-here").status_code == 404


class TestHeaders:
    def test_credentials_are_not_stored(self, http: TestClient, tenant: Tenant) -> None:
        response = http.post("/api/v2/auth", json={"email": tenant.admin.email, "password": "wrong"})
        assert response.headers["cache-control"] == "no-store"
        response = tenant.admin.get("/users")
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"

    def test_nosniff_everywhere(self, http: TestClient) -> None:
        for path in ("/healthz", "/api/v2/nothing", "/nothing", "/api/v2/docs"):
            assert http.get(path).headers["x-content-type-options"] == "nosniff", path

    def test_root_has_no_document_of_its_own_dialect_documents_stay(self, http: TestClient) -> None:
        # /docs lists each dialect's documents (premises.api.docs, tests/api/test_docs.py).
        for path in ("/redoc", "/openapi.json", "/api/v2/redoc"):
            assert http.get(path).status_code == 404, path
        assert http.get("/api/v2/docs").status_code == 200
        assert http.get("/api/v2/openapi.json").json()["info"]["title"].startswith("Premises")
