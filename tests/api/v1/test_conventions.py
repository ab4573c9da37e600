"""/v1 conventions that no single resource shows yet: kebab-case path aliases and the error body of
the kit's own refusals."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from premises.api.v1.app import KebabAliases, kebab_to_camel
from tests.support.client import Tenant
from tests.support.v1 import V1, personal_client, v1_client


def test_kebab_case_names_the_camel_case_resource() -> None:
    assert kebab_to_camel("work-orders") == "workOrders"
    assert kebab_to_camel("sites") == "sites"
    app = FastAPI()

    @app.get("/workOrders/{item}")
    async def item(item: str) -> dict[str, str]:
        return {"item": item}

    app.add_middleware(KebabAliases)
    client = TestClient(app)
    assert client.get("/work-orders/a-b").json() == {"item": "a-b"}  # only the resource segment is renamed
    assert client.get("/workOrders/x").json() == {"item": "x"}


def _admin(http: TestClient, tenant: Tenant) -> V1:
    return v1_client(http, tenant.account_id, personal_client(tenant.db, tenant.account_id, tenant.admin.user_id))


def test_kit_refusals_use_the_v1_error_body(http: TestClient, tenant: Tenant) -> None:
    api = _admin(http, tenant)
    refused = http.post(
        "/v1/sites",
        content=b"{not json",
        headers={"Authorization": f"Bearer {api.token}", "Content-Type": "application/json"},
    )
    assert refused.status_code == 400
    assert refused.json() == {
        "error": "invalid_request",
        "message": "request body is not valid JSON",
        "details": {"code": "body_not_json"},
    }
    nul = api.get("/sites", params={"search": "a\x00b"})
    assert nul.status_code == 400 and nul.json()["error"] == "invalid_request"
