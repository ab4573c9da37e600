"""Parallel /v1 case writes against a real two-process server: twenty creations at one site take twenty
consecutive codes (the site's counter), twenty closings of one case make one change (the case's row
lock), twenty first readings of a site's case types give it the seven defaults once (the site's row
lock), and twenty links of one pair make one link."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from premises.models import CaseActivity, CaseLink, CaseType
from tests.support.client import Tenant
from tests.support.races import Call, RaceServer, statuses
from tests.support.v1 import V1, admin_of


def _v1(http: TestClient, tenant: Tenant) -> V1:
    return admin_of(http, tenant.db, tenant.account_id, tenant.admin.user_id)


def _caller(server: RaceServer, api: V1) -> Callable[[str, str, dict[str, Any] | None], Call]:
    def request(method: str, path: str, body: dict[str, Any] | None = None) -> Call:
        def call(connection: httpx.Client) -> httpx.Response:
            headers = {"Authorization": f"Bearer {api.token}"}
            return connection.request(method, server.base_url + "/v1" + path, json=body, headers=headers)

        return call

    return request


def _count(server: RaceServer, statement: Any) -> int:
    with server.db.unit_of_work() as session:
        return int(session.scalar(statement) or 0)


def test_twenty_cases_at_one_site_take_twenty_consecutive_codes(
    server: RaceServer, http: TestClient, tenant: Tenant
) -> None:
    api = _v1(http, tenant)
    site = api.post("/sites", json={"label": "Lux Apartments"}).json()["id"]
    request = _caller(server, api)
    responses = server.race("", [request("POST", "/cases", {"site": site, "title": f"Issue {n}"}) for n in range(20)])
    assert statuses(responses) == {201: 20}, [r.text for r in responses if r.status_code != 201]
    assert sorted(r.json()["code"] for r in responses) == sorted(f"LA-{n}" for n in range(1, 21))
    assert server.events(tenant.account_id, "CASE_CREATED") == 20


def test_twenty_closings_of_one_case_are_one_change(server: RaceServer, http: TestClient, tenant: Tenant) -> None:
    api = _v1(http, tenant)
    site = api.post("/sites", json={"label": "Lux Apartments"}).json()["id"]
    case = api.post("/cases", json={"site": site, "title": "Leak"}).json()["id"]
    responses = server.same("", _caller(server, api)("PATCH", f"/cases/{case}", {"status": "closed"}))
    assert statuses(responses) == {200: 20}, [r.text for r in responses if r.status_code != 200]
    assert server.events(tenant.account_id, "CASE_CLOSED", case) == 1
    closings = select(func.count()).select_from(CaseActivity)
    closings = closings.where(CaseActivity.account_id == tenant.account_id, CaseActivity.case_id == case)
    assert _count(server, closings.where(CaseActivity.field == "status", CaseActivity.action == "updated")) == 1
    # closed -> inProgress is no transition: twenty 422s.
    refused = server.same("", _caller(server, api)("PATCH", f"/cases/{case}", {"status": "inProgress"}))
    assert statuses(refused) == {422: 20}


def test_a_sites_default_case_types_are_made_once(server: RaceServer, http: TestClient, tenant: Tenant) -> None:
    api = _v1(http, tenant)
    site = tenant.admin.post("/locations", json={"name": "Quay Tower"}).json()["result"]["id"]  # no types yet
    responses = server.same("", _caller(server, api)("GET", f"/sites/{site}/caseTypes", None))
    assert statuses(responses) == {200: 20}, [r.text for r in responses if r.status_code != 200]
    assert {r.json()["count"] for r in responses} == {7}
    types = select(func.count()).select_from(CaseType)
    assert _count(server, types.where(CaseType.account_id == tenant.account_id, CaseType.site_id == site)) == 7


def test_twenty_links_of_one_pair_are_one_link(server: RaceServer, http: TestClient, tenant: Tenant) -> None:
    api = _v1(http, tenant)
    site = api.post("/sites", json={"label": "Lux Apartments"}).json()["id"]
    first, second = (api.post("/cases", json={"site": site, "title": t}).json()["id"] for t in ("Unit 1", "Unit 2"))
    request = _caller(server, api)
    calls = [request("POST", f"/cases/{a}/links", {"case": b}) for a, b in [(first, second), (second, first)] * 10]
    responses = server.race("", calls)
    assert statuses(responses) == {201: 20}, [r.text for r in responses if r.status_code != 201]
    links = select(func.count()).select_from(CaseLink).where(CaseLink.account_id == tenant.account_id)
    assert _count(server, links) == 2  # one link, kept both ways
