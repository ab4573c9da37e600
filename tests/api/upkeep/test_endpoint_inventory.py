"""Every endpoint of UpKeep's reference that the foundation covers is served.

tests/fixtures/upkeep-endpoints.txt is a copy of ../shared/reference/upkeep-endpoints.txt (kept in
the repository so that CI on a clean clone can read it). The rest of the file — parts, meters,
preventive maintenance, purchase orders, form templates, webhooks — arrives with the maintenance
issue, which extends this test to the whole file.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.support.client import Tenant

INVENTORY = Path(__file__).resolve().parents[2] / "fixtures" / "upkeep-endpoints.txt"
ORIGINAL = Path(__file__).resolve().parents[4] / "shared" / "reference" / "upkeep-endpoints.txt"


def endpoints() -> list[tuple[str, str]]:
    lines = [line.split() for line in INVENTORY.read_text().splitlines() if line and not line.startswith("#")]
    return [(method, path) for method, path in lines]


IN_SCOPE = endpoints()  # every line of the file is served


def test_the_copy_matches_the_reference() -> None:
    if not ORIGINAL.exists():
        pytest.skip("../shared is not next to this clone")
    assert INVENTORY.read_text() == ORIGINAL.read_text()


def test_scope_is_what_the_issue_lists() -> None:
    assert len(IN_SCOPE) == 147
    assert ("GET", "/work-order-cost-categories") in IN_SCOPE and ("GET", "/form-templates/{id}") in IN_SCOPE
    assert ("POST", "/parts") in IN_SCOPE and ("DELETE", "/assets/{assetId}/parts/{partId}") in IN_SCOPE
    assert ("PATCH", "/purchase-order-categoriess/{id}") in IN_SCOPE
    assert ("GET", "/work-order-schedule") in IN_SCOPE and ("DELETE", "/preventative-maintenance/{id}") in IN_SCOPE


@pytest.mark.parametrize(("method", "path"), IN_SCOPE, ids=[f"{m} {p}" for m, p in IN_SCOPE])
def test_endpoint_is_served(tenant: Tenant, method: str, path: str) -> None:
    concrete = re.sub(r"\{[^}]+\}", "doesNotExist", path)
    response = tenant.admin.http.request(
        method, "/api/v2" + concrete, headers={"Session-Token": tenant.admin.token}, json={}
    )
    body = response.json()
    assert response.status_code != 405, body
    # A route that does not exist answers {"message": "not found"}; a missing record names the record.
    assert body != {"success": False, "message": "not found"}, f"{method} {path} is not routed"
    assert response.status_code < 500
