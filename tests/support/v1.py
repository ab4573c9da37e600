"""A /v1 test client over the real ASGI stack: OAuth 2.0 clients made through the identity services,
tokens from the real ``POST /oauth/token``; and the fixtures the /v1 tests share (``admin``,
``loopback_http``; tests/api/v1/conftest.py offers them)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from premises.api.app import create_app
from premises.config import Settings
from premises.db.engine import Database
from premises.identity.clients import DEFAULT_SCOPES, NewSecret, create_personal_client, create_service_client
from premises.identity.permissions import Role
from premises.user.commands import SiteRole
from premises.user.operator import operator_of
from tests.support.client import Tenant


@dataclass
class V1:
    """Calls /v1 with one access token."""

    http: TestClient
    token: str
    account_id: str
    user_id: str
    client_id: str

    def _h(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def get(self, path: str, params: Any = None) -> Any:
        return self.http.get("/v1" + path, params=params, headers=self._h())

    def post(self, path: str, json: Any = None) -> Any:
        return self.http.post("/v1" + path, json=json, headers=self._h())

    def patch(self, path: str, json: Any = None) -> Any:
        return self.http.patch("/v1" + path, json=json, headers=self._h())

    def upload(self, path: str, files: Any, data: Any = None) -> Any:
        """A multipart/form-data POST."""
        return self.http.post("/v1" + path, files=files, data=data, headers=self._h())

    def put(self, path: str, json: Any = None) -> Any:
        return self.http.put("/v1" + path, json=json, headers=self._h())

    def delete(self, path: str) -> Any:
        return self.http.delete("/v1" + path, headers=self._h())


def service_client(
    db: Database,
    account_id: str,
    *,
    sites: Sequence[SiteRole] = (),
    role: Role = Role.STAFF,
    scopes: Sequence[str] = DEFAULT_SCOPES,
    name: str = "Integration",
) -> NewSecret:
    with db.unit_of_work() as session:
        return create_service_client(session, operator_of(account_id), name=name, sites=sites, role=role, scopes=scopes)


def personal_client(
    db: Database, account_id: str, user_id: str, *, scopes: Sequence[str] = DEFAULT_SCOPES
) -> NewSecret:
    with db.unit_of_work() as session:
        return create_personal_client(session, operator_of(account_id), name="Script", user_id=user_id, scopes=scopes)


def get_token(http: TestClient, client: NewSecret, scope: str | None = None) -> str:
    data = {"grant_type": "client_credentials", "client_id": client.client_id, "client_secret": client.client_secret}
    if scope is not None:
        data["scope"] = scope
    response = http.post("/oauth/token", data=data)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def v1_client(http: TestClient, account_id: str, client: NewSecret, scope: str | None = None) -> V1:
    return V1(http, get_token(http, client, scope), account_id, client.user_id, client.client_id)


def admin_of(http: TestClient, db: Database, account_id: str, admin_user_id: str) -> V1:
    """A personal client of the account's admin: every site, account-wide ADMIN."""
    return v1_client(http, account_id, personal_client(db, account_id, admin_user_id))


@pytest.fixture
def admin(http: TestClient, db: Database, tenant: Tenant) -> V1:
    """The tenant's admin on /v1 (``admin_of``)."""
    return admin_of(http, db, tenant.account_id, tenant.admin.user_id)


@pytest.fixture(scope="module")
def loopback_http(settings: Settings, tenant_guard: None) -> Iterator[TestClient]:
    """The app that accepts webhook endpoints on loopback addresses (a local receiver)."""
    with TestClient(create_app(settings.model_copy(update={"webhook_allow_private": True}))) as client:
        yield client


def site_client(http: TestClient, db: Database, account_id: str, *sites: str, role: Role = Role.STAFF) -> V1:
    """A service account added to ``sites``, with ``role`` on each and as its account-wide role."""
    client = service_client(db, account_id, sites=[SiteRole(s, role) for s in sites], role=role)
    return v1_client(http, account_id, client)


def error_details(response: Any, status: int, error: str) -> dict[str, Any]:
    """The ``details`` of a /v1 error answer, after checking its status, ``error`` and shape."""
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error", "message", "details"} and body["error"] == error, body
    assert isinstance(body["message"], str) and body["message"]
    details: dict[str, Any] = body["details"]
    return details
