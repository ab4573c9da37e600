"""Parallel /v1 site creations against a real two-process server: a code given twenty times makes one
site and nineteen 409s (the unique index decides), and codes derived from one label are all distinct
(a creation that loses the race derives again instead of failing)."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient

from tests.support.client import Tenant
from tests.support.races import Call, RaceServer, statuses
from tests.support.v1 import personal_client, v1_client


def _post_site(server: RaceServer, http: TestClient, tenant: Tenant) -> Any:
    client = personal_client(tenant.db, tenant.account_id, tenant.admin.user_id)
    token = v1_client(http, tenant.account_id, client).token

    def post(body: dict[str, str]) -> Call:
        def call(connection: httpx.Client) -> httpx.Response:
            headers = {"Authorization": f"Bearer {token}"}
            return connection.post(server.base_url + "/v1/sites", json=body, headers=headers)

        return call

    return post


def test_one_code_given_twenty_times_is_one_site(server: RaceServer, http: TestClient, tenant: Tenant) -> None:
    post = _post_site(server, http, tenant)
    responses = server.race("", [post({"label": f"Lux {i}", "code": "LUX"}) for i in range(20)])
    assert statuses(responses) == {201: 1, 409: 19}, [r.text for r in responses if r.status_code >= 500]
    assert all(r.json()["details"]["field"] == "code" for r in responses if r.status_code == 409)


def test_twenty_derived_codes_are_distinct(server: RaceServer, http: TestClient, tenant: Tenant) -> None:
    post = _post_site(server, http, tenant)
    responses = server.same("", post({"label": "Lux Apartments"}))
    assert statuses(responses) == {201: 20}, [r.text for r in responses if r.status_code != 201]
    codes = {r.json()["code"] for r in responses}
    assert codes == {"LA", *(f"LA{n}" for n in range(2, 21))}
