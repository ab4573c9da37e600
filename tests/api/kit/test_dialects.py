"""The registry of dialects: the root app mounts each at its prefix and renders an HTTP error on a
path under a prefix in that dialect's format (not only UpKeep's)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import pytest
from fastapi import Depends, FastAPI
from fastapi.security import HTTPBearer
from fastapi.testclient import TestClient
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from premises.api.app import create_app
from premises.api.dialects_installed import DIALECTS
from premises.api.kit.auth import principal_from
from premises.api.kit.dialects import Dialect, check_distinct, dialect_for
from premises.api.runtime import Runtime
from premises.api.upkeep.app import create_upkeep_app
from premises.api.upkeep.dialect import UPKEEP
from premises.config import Settings
from premises.identity.principal import Principal
from tests.support.client import Tenant


def _second_app(_runtime: Runtime | None) -> FastAPI:
    app = FastAPI(docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/ping")
    async def ping() -> dict[str, str]:
        return {"pong": "second"}

    @app.get("/me")
    async def me(principal: Annotated[Principal, Depends(principal_from(HTTPBearer(auto_error=False)))]) -> str:
        return principal.user_id

    return app


async def _second_error(_request: Request, exc: HTTPException) -> Response:
    return JSONResponse({"error": {"status": exc.status_code, "dialect": "second"}}, status_code=exc.status_code)


SECOND = Dialect(
    name="second", prefix="/v1", summary="a second dialect", create_app=_second_app, render_http_error=_second_error
)


@pytest.fixture
def two_dialects(settings: Settings, tmp_path: Path) -> Iterator[TestClient]:
    own = Settings(database_url=settings.database_url, data_dir=tmp_path)
    with TestClient(create_app(own, dialects=(UPKEEP, SECOND))) as client:
        yield client


def test_upkeep_and_v1_are_installed() -> None:
    assert [(d.name, d.prefix) for d in DIALECTS] == [("upkeep", "/api/v2"), ("v1", "/v1")]


def test_every_dialect_is_mounted_at_its_prefix(two_dialects: TestClient) -> None:
    assert two_dialects.get("/v1/ping").json() == {"pong": "second"}
    assert two_dialects.get("/api/v2/docs").status_code == 200
    assert two_dialects.get("/api/v2/openapi.json").json()["info"]["title"].startswith("Premises")
    root = two_dialects.app
    assert isinstance(root, FastAPI)
    assert root.summary is not None
    assert root.summary.endswith("Dialects: /api/v2 (UpKeep-compatible), /v1 (a second dialect).")


def test_a_path_the_mount_cannot_route_gets_its_dialects_error_format(two_dialects: TestClient) -> None:
    # A newline in the path matches no mount: the root app answers, in the format of the path's dialect.
    upkeep = two_dialects.get("/api/v2/work-orders/a%0Ab")
    assert (upkeep.status_code, upkeep.json()) == (404, {"success": False, "message": "not found"})
    second = two_dialects.get("/v1/things/a%0Ab")
    assert (second.status_code, second.json()) == (404, {"error": {"status": 404, "dialect": "second"}})
    root = two_dialects.get("/other/a%0Ab")
    assert (root.status_code, root.json()) == (404, {"detail": "Not Found"})


def test_the_longest_prefix_owns_a_path() -> None:
    nested = Dialect(
        name="nested", prefix="/api/v2/x", summary="", create_app=_second_app, render_http_error=_second_error
    )
    assert dialect_for("/api/v2/x/y", (UPKEEP, nested)) is nested
    assert dialect_for("/api/v2/xy", (UPKEEP, nested)) is UPKEEP
    assert dialect_for("/api/v2", (UPKEEP, nested)) is UPKEEP
    assert dialect_for("/api/v20", (UPKEEP, nested)) is None


def test_two_dialects_may_not_share_a_prefix_or_a_name() -> None:
    with pytest.raises(ValueError, match="prefix"):
        check_distinct((UPKEEP, SECOND, Dialect("third", "/v1", "", _second_app, _second_error)))
    with pytest.raises(ValueError, match="name"):
        check_distinct((UPKEEP, Dialect("upkeep", "/v3", "", _second_app, _second_error)))


def test_an_id_with_nul_is_a_404_in_the_dialects_format(tenant: Tenant) -> None:
    # premises.api.kit.guards.reject_nul: a plain HTTP 404, which each dialect renders its own way.
    for path in ("/work-orders/a%00b", "/teams/%00/users", "/customers/a%00b"):
        response = tenant.admin.get(path)
        assert (response.status_code, response.json()) == (404, {"success": False, "message": "not found"}), path


def test_an_unexpected_error_is_logged_with_an_id_the_dialect_renders(caplog: pytest.LogCaptureFixture) -> None:
    # premises.api.kit.errors.install_error_hooks: the kit logs and makes the id, UpKeep renders it.
    app = create_upkeep_app(None)

    async def boom() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/boom", boom)
    with caplog.at_level(logging.ERROR, logger="premises.api.upkeep"):
        response = TestClient(app, raise_server_exceptions=False).get("/boom")
    body = response.json()
    assert response.status_code == 500
    assert body == {"success": False, "message": "internal server error", "errorId": body["errorId"]}
    assert len(body["errorId"]) == 32
    assert [r.getMessage() for r in caplog.records] == [f"unexpected error {body['errorId']}"]
    assert caplog.records[0].exc_info is not None


def test_each_dialect_documents_its_own_credentials() -> None:
    # premises.api.kit.auth.principal_from: the same principal dependency, the dialect's security scheme.
    upkeep = UPKEEP.create_app(None).openapi()["components"]["securitySchemes"]
    second = SECOND.create_app(None).openapi()["components"]["securitySchemes"]
    assert upkeep == {"APIKeyHeader": {"type": "apiKey", "in": "header", "name": "Session-Token"}}
    assert second == {"HTTPBearer": {"type": "http", "scheme": "bearer"}}
