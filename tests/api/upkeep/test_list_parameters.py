"""Issue 7: list paging and range filters on /api/v2 (docs/dialects/upkeep.md, "lists").

- ``limit`` is 1 to 5000: ``limit=0`` used to return one row; now 0 and negatives are a 400, a larger
  value is taken as 5000 (silently, as real clients expect), and the OpenAPI document says so;
- range filters (``createdAtGreaterThan=2026-12-01``) read ISO 8601 as bodies do, a date alone
  meaning midnight UTC; epoch milliseconds still work.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from premises.kit.time import parse_instant as iso_to_ms
from tests.support.client import Tenant

LIST_PATHS = ["/work-orders", "/requests", "/locations", "/assets", "/customers", "/files", "/users", "/teams"]


def _ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["results"]]


@pytest.mark.parametrize("path", LIST_PATHS)
@pytest.mark.parametrize("limit", ["0", "-1", "-5000"])
def test_a_limit_below_one_is_refused(tenant: Tenant, path: str, limit: str) -> None:
    response = tenant.admin.get(path, params={"limit": limit})
    assert response.status_code == 400, response.text
    assert response.json() == {"success": False, "message": "limit must be between 1 and 5000"}


def test_limit_one_and_a_limit_past_the_cap(tenant: Tenant) -> None:
    for title in ("a", "b", "c"):
        tenant.admin.post("/work-orders", json={"title": title})
    assert len(_ids(tenant.admin.get("/work-orders", params={"limit": "1"}))) == 1
    assert len(_ids(tenant.admin.get("/work-orders", params={"limit": "5001"}))) == 3
    refused = tenant.admin.get("/work-orders", params={"limit": "ten"})
    assert refused.json() == {"success": False, "message": "limit must be an integer between 1 and 5000"}


def test_the_document_states_the_range_of_limit_and_what_ranges_take(http: TestClient) -> None:
    document = http.get("/api/v2/openapi.json").json()
    parameters = {p["name"]: p for p in document["paths"]["/work-orders"]["get"]["parameters"]}
    assert parameters["limit"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 5000}
    assert "5000" in parameters["limit"]["description"]
    created = parameters["createdAtGreaterThan"]["schema"]
    assert {"type": "integer"} in created["oneOf"] and {"type": "string", "format": "date-time"} in created["oneOf"]
    assert parameters["dueDateLessThan"]["schema"] == created


def test_range_filters_take_iso_dates(tenant: Tenant) -> None:
    admin = tenant.admin
    due = {
        "before": iso_to_ms("2026-11-30T23:59:59.999Z"),
        "midnight": iso_to_ms("2026-12-01T00:00:00.000Z"),
        "noon": iso_to_ms("2026-12-01T12:00:00.000Z"),
    }
    made = {
        name: admin.post("/work-orders", json={"title": name, "dueDate": ms}).json()["result"]["id"]
        for name, ms in due.items()
    }

    def due_ids(**params: str) -> set[str]:
        return set(_ids(admin.get("/work-orders", params=params)))

    # A date alone is midnight UTC.
    assert due_ids(dueDateGreaterThanOrEqualTo="2026-12-01") == {made["midnight"], made["noon"]}
    assert due_ids(dueDateLessThan="2026-12-01") == {made["before"]}
    # A time with an offset, one without (UTC), and epoch milliseconds mean the same instants.
    assert due_ids(dueDateGreaterThan="2026-12-01T13:00:00+02:00") == {made["noon"]}
    assert due_ids(dueDateGreaterThan="2026-12-01T11:00:00") == {made["noon"]}
    assert due_ids(dueDateGreaterThan=str(due["midnight"])) == {made["noon"]}
    # The issue's example: createdAt compared with a date.
    assert due_ids(createdAtGreaterThan="2000-01-01") == set(made.values())
    assert due_ids(createdAtGreaterThan="2999-12-31") == set()


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("yesterday", "createdAtGreaterThan must be a date (epoch milliseconds or ISO 8601)"),
        ("2026-13-01", "createdAtGreaterThan must be a date (epoch milliseconds or ISO 8601)"),
        ("99999999999999999", "createdAtGreaterThan is out of range"),
    ],
)
def test_a_range_value_that_is_no_instant_is_refused(tenant: Tenant, value: str, message: str) -> None:
    response = tenant.admin.get("/requests", params={"createdAtGreaterThan": value})
    assert (response.status_code, response.json()) == (400, {"success": False, "message": message})
