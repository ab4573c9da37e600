from __future__ import annotations

import asyncio
import re
import time
from typing import Any

import pytest
from sqlalchemy import select

from premises.api.upkeep.expanders import EXPANDERS
from premises.db.engine import Database
from premises.db.reader import open_reader
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.models import Event, Team, TeamMember
from tests.support.client import Tenant, UpKeep

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
DESCRIPTION = "Marty! I need you to go back with me! Back to the future!"


def pause() -> None:
    """Keep creation instants distinct so that createdAt ordering is unambiguous."""
    time.sleep(0.003)


def create(client: UpKeep, **fields: Any) -> dict[str, Any]:
    response = client.post("/teams", json={"name": "Team Doc", **fields})
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()["result"]
    return result


def listed(client: UpKeep, path: str, params: dict[str, Any] | None = None) -> list[str]:
    """The ids a list endpoint returns."""
    response = client.get(path, params=params)
    assert response.status_code == 200, response.text
    return [r["id"] for r in response.json()["results"]]


def events_of(db: Database, account_id: str, resource_id: str) -> list[str]:
    with db.unit_of_work() as session:
        rows = session.scalars(
            select(Event.type)
            .where(Event.account_id == account_id, Event.resource_id == resource_id)
            .order_by(Event.id)
        )
        return list(rows)


def user_ids(response: Any) -> list[str]:
    assert response.status_code == 200, response.text
    return [u["id"] for u in response.json()["results"]]


class TestCreate:
    def test_documented_form_body(self, tenant: Tenant, db: Database) -> None:
        response = tenant.admin.post("/teams/", data={"name": "Team Doc", "description": DESCRIPTION})
        assert response.status_code == 200, response.text
        result = response.json()["result"]
        assert set(result) == {"id", "name", "description", "createdAt", "updatedAt"}
        assert re.fullmatch(r"[A-Za-z0-9]{10}", result["id"])
        assert result["name"] == "Team Doc" and result["description"] == DESCRIPTION
        assert ISO.fullmatch(result["createdAt"]) and result["createdAt"] == result["updatedAt"]
        assert events_of(db, tenant.account_id, result["id"]) == ["TEAM_CREATED"]
        with db.unit_of_work() as session:
            team = session.get(Team, (tenant.account_id, result["id"]))
            assert team is not None and team.created_by_user_id == tenant.admin.user_id

    def test_name_only(self, tenant: Tenant) -> None:
        assert create(tenant.admin, name="Maintenance Team")["description"] is None

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({}, "name cannot be null"),
            ({"description": "x"}, "name cannot be null"),
            ({"name": None}, "name cannot be null"),
            ({"name": " "}, "name cannot be null"),
            ({"name": "A", "users": ["x"]}, "users not in schema"),
            ({"name": "A" * 201}, "name is too long"),
            ({"name": {"first": "A"}}, "name must be a string"),
        ],
    )
    def test_bad_input_is_400(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        response = tenant.admin.post("/teams", json=body)
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": message}


class TestRead:
    def test_get_and_list(self, tenant: Tenant) -> None:
        created = create(tenant.admin, description=DESCRIPTION)
        assert tenant.admin.get(f"/teams/{created['id']}").json() == {"success": True, "result": created}
        assert tenant.admin.get("/teams/").json() == {"success": True, "results": [created]}

    def test_name_filter_order_and_paging(self, tenant: Tenant) -> None:
        a = create(tenant.admin, name="Plumbers")
        pause()
        b = create(tenant.admin, name="Electricians")
        pause()
        c = create(tenant.admin, name="Plumbers")
        assert listed(tenant.admin, "/teams", {}) == [c["id"], b["id"], a["id"]]
        assert listed(tenant.admin, "/teams", {"orderBy": "createdAt ASC"}) == [a["id"], b["id"], c["id"]]
        assert listed(tenant.admin, "/teams", {"name": "Plumbers"}) == [c["id"], a["id"]]
        assert listed(tenant.admin, "/teams", {"limit": 2}) == [c["id"], b["id"]]
        assert listed(tenant.admin, "/teams", {"createdAtGreaterThan": "9999999999999"}) == []
        assert listed(
            tenant.admin, "/teams", {"updatedAtLessThanOrEqualTo": "9999999999999", "orderBy": "updatedAt ASC"}
        ) == [
            a["id"],
            b["id"],
            c["id"],
        ]

    def test_unknown_filter_is_400(self, tenant: Tenant) -> None:
        response = tenant.admin.get("/teams", params={"colour": "red"})
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": "invalid filter key: colour"}

    def test_unknown_and_foreign_ids_are_404(self, tenant: Tenant, other_tenant: Tenant) -> None:
        foreign = create(other_tenant.admin)
        for team_id in ("doesNotExist", foreign["id"]):
            response = tenant.admin.get(f"/teams/{team_id}")
            assert response.status_code == 404
            assert response.json() == {"success": False, "message": "team not found"}
        assert tenant.admin.get("/teams").json()["results"] == []


class TestUpdate:
    def test_documented_update(self, tenant: Tenant, db: Database) -> None:
        created = create(tenant.admin, description=DESCRIPTION)
        response = tenant.admin.patch(f"/teams/{created['id']}", data={"name": "Team Marty"})
        assert response.status_code == 200, response.text
        result = response.json()["result"]
        assert result == {**created, "name": "Team Marty", "updatedAt": result["updatedAt"]}
        assert tenant.admin.get(f"/teams/{created['id']}").json()["result"] == result
        assert events_of(db, tenant.account_id, created["id"]) == ["TEAM_CREATED", "TEAM_UPDATED"]

    def test_null_erases_the_description(self, tenant: Tenant) -> None:
        created = create(tenant.admin, description=DESCRIPTION)
        result = tenant.admin.patch(f"/teams/{created['id']}", json={"description": None}).json()["result"]
        assert result["description"] is None and result["name"] == "Team Doc"

    @pytest.mark.parametrize(
        ("body", "message"),
        [
            ({"name": None}, "name cannot be null"),
            ({"name": ""}, "name cannot be null"),
            ({"id": "x"}, "id not in schema"),
        ],
    )
    def test_bad_input_is_400(self, tenant: Tenant, body: dict[str, Any], message: str) -> None:
        created = create(tenant.admin)
        response = tenant.admin.patch(f"/teams/{created['id']}", json=body)
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": message}

    def test_unknown_and_foreign_ids_are_404(self, tenant: Tenant, other_tenant: Tenant) -> None:
        foreign = create(other_tenant.admin)
        for team_id in ("doesNotExist", foreign["id"]):
            response = tenant.admin.patch(f"/teams/{team_id}", json={"name": "Hijack"})
            assert response.status_code == 404
            assert response.json() == {"success": False, "message": "team not found"}
        assert other_tenant.admin.get(f"/teams/{foreign['id']}").json()["result"]["name"] == "Team Doc"


class TestDelete:
    def test_documented_delete(self, tenant: Tenant, db: Database) -> None:
        created = create(tenant.admin)
        tenant.admin.post(f"/teams/{created['id']}/users/{tenant.admin.user_id}")
        response = tenant.admin.delete(f"/teams/{created['id']}")
        assert response.status_code == 200
        assert response.json() == {"success": True, "message": "1 team deleted"}
        assert tenant.admin.get(f"/teams/{created['id']}").status_code == 404
        assert tenant.admin.get("/teams").json()["results"] == []
        assert tenant.admin.get(f"/teams/{created['id']}/users").status_code == 404
        again = tenant.admin.delete(f"/teams/{created['id']}")
        assert again.status_code == 404 and again.json() == {"success": False, "message": "team not found"}
        assert tenant.admin.patch(f"/teams/{created['id']}", json={"name": "x"}).status_code == 404
        assert events_of(db, tenant.account_id, created["id"]) == ["TEAM_CREATED", "TEAM_UPDATED", "TEAM_DELETED"]
        with db.unit_of_work() as session:
            team = session.get(Team, (tenant.account_id, created["id"]))
            assert team is not None and team.deleted_at is not None  # soft delete
            members = session.scalars(
                select(TeamMember).where(TeamMember.account_id == tenant.account_id, TeamMember.team_id == team.id)
            ).all()
            assert members == []

    def test_foreign_team_is_404(self, tenant: Tenant, other_tenant: Tenant) -> None:
        foreign = create(other_tenant.admin)
        assert tenant.admin.delete(f"/teams/{foreign['id']}").status_code == 404
        assert other_tenant.admin.get(f"/teams/{foreign['id']}").status_code == 200


class TestMembership:
    def test_add_list_remove(self, tenant: Tenant, db: Database) -> None:
        team = create(tenant.admin)
        tech = tenant.as_role("TECH")
        assert user_ids(tenant.admin.get(f"/teams/{team['id']}/users")) == []
        response = tenant.admin.post(f"/teams/{team['id']}/users/{tech.user_id}")
        assert response.status_code == 200
        assert response.json() == {"success": True, "message": f"1 user added to team {team['id']}"}
        tenant.admin.post(f"/teams/{team['id']}/users/{tenant.admin.user_id}/")
        listed = tenant.admin.get(f"/teams/{team['id']}/users/").json()
        assert listed["success"] is True
        by_id = {u["id"]: u for u in listed["results"]}
        assert set(by_id) == {tech.user_id, tenant.admin.user_id}
        assert by_id[tech.user_id] == tenant.admin.get(f"/users/{tech.user_id}").json()["result"]
        assert {"id", "accountType", "email", "firstName", "lastName", "phoneNumber", "createdAt", "updatedAt"} <= set(
            by_id[tech.user_id]
        )
        response = tenant.admin.delete(f"/teams/{team['id']}/users/{tech.user_id}")
        assert response.json() == {"success": True, "message": f"1 user removed from team {team['id']}"}
        assert user_ids(tenant.admin.get(f"/teams/{team['id']}/users")) == [tenant.admin.user_id]
        assert events_of(db, tenant.account_id, team["id"]) == ["TEAM_CREATED"] + ["TEAM_UPDATED"] * 3

    def test_team_users_paging_and_filters(self, tenant: Tenant) -> None:
        team = create(tenant.admin)
        first = tenant.as_role("TECH")
        pause()
        second = tenant.as_role("TECH")
        for user in (first, second):
            tenant.admin.post(f"/teams/{team['id']}/users/{user.user_id}")
        path = f"/teams/{team['id']}/users"
        assert user_ids(tenant.admin.get(path, params={"orderBy": "createdAt ASC"})) == [first.user_id, second.user_id]
        assert user_ids(tenant.admin.get(path, params={"orderBy": "createdAt ASC", "offset": 1})) == [second.user_id]
        response = tenant.admin.get(path, params={"email": first.email})
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": "invalid filter key: email"}

    def test_adding_twice_keeps_one_membership(self, tenant: Tenant, db: Database) -> None:
        team = create(tenant.admin)
        for _ in range(2):
            response = tenant.admin.post(f"/teams/{team['id']}/users/{tenant.admin.user_id}")
            assert response.status_code == 200
        assert user_ids(tenant.admin.get(f"/teams/{team['id']}/users")) == [tenant.admin.user_id]
        assert events_of(db, tenant.account_id, team["id"]) == ["TEAM_CREATED", "TEAM_UPDATED"]

    def test_removing_a_non_member_is_404(self, tenant: Tenant) -> None:
        team = create(tenant.admin)
        response = tenant.admin.delete(f"/teams/{team['id']}/users/{tenant.admin.user_id}")
        assert response.status_code == 404
        assert response.json() == {"success": False, "message": "user is not a member of this team"}

    def test_unknown_and_foreign_ids_are_404(self, tenant: Tenant, other_tenant: Tenant) -> None:
        team = create(tenant.admin)
        foreign_team = create(other_tenant.admin)
        foreign_user = other_tenant.admin.user_id
        me = tenant.admin.user_id
        cases = [
            ("post", f"/teams/{team['id']}/users/doesNotExist", "user not found"),
            ("post", f"/teams/{team['id']}/users/{foreign_user}", "user not found"),
            ("post", f"/teams/doesNotExist/users/{me}", "team not found"),
            ("post", f"/teams/{foreign_team['id']}/users/{me}", "team not found"),
            ("delete", f"/teams/{team['id']}/users/{foreign_user}", "user not found"),
            ("delete", f"/teams/{foreign_team['id']}/users/{foreign_user}", "team not found"),
            ("get", f"/teams/{foreign_team['id']}/users", "team not found"),
        ]
        for method, path, message in cases:
            response = getattr(tenant.admin, method)(path)
            assert response.status_code == 404, (method, path)
            assert response.json() == {"success": False, "message": message}, (method, path)
        other_tenant.admin.post(f"/teams/{foreign_team['id']}/users/{foreign_user}")
        assert user_ids(other_tenant.admin.get(f"/teams/{foreign_team['id']}/users")) == [foreign_user]

    def test_nul_in_ids_is_404(self, tenant: Tenant) -> None:
        team = create(tenant.admin)
        assert tenant.admin.post(f"/teams/{team['id']}/users/a%00b").status_code == 404
        assert tenant.admin.delete(f"/teams/a%00b/users/{tenant.admin.user_id}").status_code == 404
        assert tenant.admin.get("/teams/%00/users").status_code == 404

    def test_membership_changes_what_a_limited_tech_sees_at_once(self, tenant: Tenant) -> None:
        """Principals cache team ids; adding and removing members must take effect on the next request."""
        team = create(tenant.admin)
        limited = tenant.as_role("LIMITED_TECH")
        work_order = tenant.admin.post("/work-orders", json={"title": "Fix boiler", "team": team["id"]}).json()
        work_order_id = work_order["result"]["id"]
        assert listed(limited, "/work-orders") == []
        tenant.admin.post(f"/teams/{team['id']}/users/{limited.user_id}")
        assert listed(limited, "/work-orders") == [work_order_id]
        tenant.admin.delete(f"/teams/{team['id']}/users/{limited.user_id}")
        assert listed(limited, "/work-orders") == []
        tenant.admin.post(f"/teams/{team['id']}/users/{limited.user_id}")
        assert listed(limited, "/work-orders") == [work_order_id]
        tenant.admin.delete(f"/teams/{team['id']}")
        assert listed(limited, "/work-orders") == []


class TestPermissions:
    @pytest.mark.parametrize("role", ["TECH", "LIMITED_TECH", "VIEW_ONLY"])
    def test_staff_roles_read_teams_and_members(self, tenant: Tenant, role: str) -> None:
        team = create(tenant.admin)
        tenant.admin.post(f"/teams/{team['id']}/users/{tenant.admin.user_id}")
        client = tenant.as_role(role)
        assert [t["id"] for t in client.get("/teams").json()["results"]] == [team["id"]]
        assert client.get(f"/teams/{team['id']}").status_code == 200
        assert user_ids(client.get(f"/teams/{team['id']}/users")) == [tenant.admin.user_id]

    @pytest.mark.parametrize("role", ["TECH", "LIMITED_TECH", "VIEW_ONLY", "REQUESTER"])
    def test_only_admins_write(self, tenant: Tenant, role: str) -> None:
        team = create(tenant.admin)
        client = tenant.as_role(role)
        calls = [
            client.post("/teams", json={"name": "X"}),
            client.patch(f"/teams/{team['id']}", json={"name": "X"}),
            client.delete(f"/teams/{team['id']}"),
            client.post(f"/teams/{team['id']}/users/{client.user_id}"),
            client.delete(f"/teams/{team['id']}/users/{client.user_id}"),
        ]
        for response in calls:
            assert response.status_code == 403
            assert response.json()["success"] is False
        assert tenant.admin.get(f"/teams/{team['id']}").json()["result"] == team
        assert user_ids(tenant.admin.get(f"/teams/{team['id']}/users")) == []

    def test_requester_may_not_read(self, tenant: Tenant) -> None:
        team = create(tenant.admin)
        requester = tenant.as_role("REQUESTER")
        assert requester.get("/teams").status_code == 403
        assert requester.get(f"/teams/{team['id']}").status_code == 403
        assert requester.get(f"/teams/{team['id']}/users").status_code == 403

    def test_location_based_users_see_every_team(self, tenant: Tenant) -> None:
        team = create(tenant.admin)
        tech = tenant.as_role("TECH", location_based=True)
        assert [t["id"] for t in tech.get("/teams").json()["results"]] == [team["id"]]


class TestExpansion:
    def test_work_order_includes_team(self, tenant: Tenant) -> None:
        team = create(tenant.admin, description=DESCRIPTION)
        work_order = tenant.admin.post("/work-orders", json={"title": "Fix", "team": team["id"]}).json()["result"]
        assert work_order["team"] == team["id"]
        expanded = tenant.admin.get(f"/work-orders/{work_order['id']}", params={"includes": "team"}).json()["result"]
        assert expanded["team"] == team
        [listed] = tenant.admin.get("/work-orders", params={"includes": "team"}).json()["results"]
        assert listed["team"] == team

    def test_team_expander_skips_deleted_and_foreign_teams(
        self, tenant: Tenant, other_tenant: Tenant, database_url: str
    ) -> None:
        live = create(tenant.admin)
        deleted = create(tenant.admin, name="Gone")
        tenant.admin.delete(f"/teams/{deleted['id']}")
        foreign = create(other_tenant.admin)
        ids = {live["id"], deleted["id"], foreign["id"]}

        async def run(role: Role) -> Any:
            reader = await open_reader(database_url)
            try:
                principal = Principal(tenant.account_id, tenant.admin.user_id, role)
                return await EXPANDERS["team"](reader, principal, ids)
            finally:
                await reader.close()

        assert asyncio.run(run(Role.LIMITED_TECH)) == {live["id"]: live}
        assert asyncio.run(run(Role.REQUESTER)) == {}
