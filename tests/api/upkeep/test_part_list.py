"""``GET /parts`` on the lean read path (a LeanRoute, ADR 6): the same objects as ``GET /parts/{id}``,
and a cached principal's session confirmed in the page's own statement (as ``GET /meters``)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import text

from premises.db import observe
from tests.api.upkeep.test_assets import make_file
from tests.api.upkeep.test_parts import create_part, error, ok
from tests.support.client import Tenant
from tests.support.factories import make_place

INCLUDES = "location,createdByUser,files,partId"


def fill(tenant: Tenant) -> list[dict[str, Any]]:
    """Parts with and without every optional thing a list row renders."""
    location = make_place(tenant.db, tenant.account_id)
    image, attachment = make_file(tenant.db, tenant.account_id), make_file(tenant.db, tenant.account_id, "spec.pdf")
    parent = create_part(tenant.admin, name="Capacitor family")
    return [
        parent,
        create_part(
            tenant.admin,
            partId=parent["id"],
            partNumber="FC-88",
            category="Filter",
            location=location,
            image=image,
            files=[attachment],
            cost=12.5,
            quantity=2.5,
            minimumQuantity=1,
            area="Center console",
            details="Needs 1.21 gigawatts.",
            serial="40161502",
            customFieldsPart=[{"name": "inventor", "value": "Dr. Emmett Brown", "unit": "cm"}, {"name": "b"}],
        ),
        create_part(tenant.admin, name="Plain", quantity=0, description=""),
    ]


def as_listed(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key != "assignedTeams"}  # GET /parts/{id} only


def detail(tenant: Tenant, part_id: str, **params: str) -> dict[str, Any]:
    return as_listed(ok(tenant.admin.get(f"/parts/{part_id}", params=params)))


@pytest.mark.parametrize("params", [{}, {"includes": INCLUDES}], ids=["ids", "includes"])
def test_the_list_renders_each_part_as_its_get_does(tenant: Tenant, params: dict[str, str]) -> None:
    created = fill(tenant)
    listed = ok(tenant.admin.get("/parts", params={**params, "limit": 50}))
    assert sorted(p["id"] for p in listed) == sorted(p["id"] for p in created)
    for item in listed:
        assert item == detail(tenant, item["id"], **params)
    assert any(item["image"] and item["files"] and item["customFieldsPart"] for item in listed)


class TestSession:
    @staticmethod
    def _sessions(tenant: Tenant, assignments: str) -> None:
        with tenant.db.unit_of_work() as session:
            session.execute(
                text(f"UPDATE auth_sessions SET {assignments} WHERE account_id = :a"), {"a": tenant.account_id}
            )

    def test_a_cached_principal_is_confirmed_by_the_page_statement(self, tenant: Tenant) -> None:
        created = as_listed(create_part(tenant.admin))
        assert ok(tenant.admin.get("/parts")) == [created]  # the principal is now cached
        seen: list[str] = []
        observe.statement_observers.append(seen.append)
        try:
            assert ok(tenant.admin.get("/parts", params={"limit": 50})) == [created]
        finally:
            observe.statement_observers.remove(seen.append)
        # the page (confirming the session), then on SQLite its files and its custom fields (on PostgreSQL
        # they come with the page's rows); no image to read
        assert len(seen) == (3 if tenant.db.engine.dialect.name == "sqlite" else 1) and "auth_sessions" in seen[0]
        assert not any("auth_sessions" in statement for statement in seen[1:])

    @pytest.mark.parametrize("change", ["revoked_at = 1", "expires_at = 1"])
    def test_an_ended_session_is_refused_although_its_principal_is_cached(self, tenant: Tenant, change: str) -> None:
        create_part(tenant.admin)
        assert tenant.admin.get("/parts").status_code == 200
        self._sessions(tenant, change)
        assert error(tenant.admin.get("/parts"), 401)
        assert error(tenant.admin.get("/parts", params={"includes": "location"}), 401)
        assert error(tenant.admin.get("/parts", params={"nonsense": 1}), 401)

    def test_empty_pages_bad_input_and_includes(self, tenant: Tenant) -> None:
        assert ok(tenant.admin.get("/parts")) == []
        assert ok(tenant.admin.get("/parts", params={"name": "none"})) == []
        created = as_listed(create_part(tenant.admin))
        assert ok(tenant.admin.get("/parts")) == [created]
        assert ok(tenant.admin.get("/parts", params={"name": "none"})) == []
        assert "nonsense" in error(tenant.admin.get("/parts", params={"nonsense": 1}))
        [item] = ok(tenant.admin.get("/parts", params={"includes": "createdByUser"}))
        assert item["id"] == created["id"] and item["createdByUser"]["id"] == tenant.admin.user_id
