"""/v1/apiClients: admins make, list, rotate and revoke OAuth clients through /v1, with the rules of
``premises api-client`` and no way for a site-scoped admin to reach further than its sites."""

from __future__ import annotations

from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.clients import NewSecret
from premises.identity.permissions import Role
from premises.user.commands import SiteRole
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, service_client, v1_client


def _token_status(http: TestClient, client_id: str, secret: str) -> int:
    data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret}
    return http.post("/oauth/token", data=data).status_code


def test_an_admin_makes_lists_rotates_and_revokes_a_client(
    admin: V1, http: TestClient, db: Database, tenant: Tenant
) -> None:
    site = make_place(db, tenant.account_id, "Lux Apartments")
    make_place(db, tenant.account_id, "Harbour View")
    body = {"name": "Strata sync", "sites": [{"site": site, "role": "MANAGER"}], "scopes": ["sites:read"]}
    created = admin.post("/apiClients", json=body)
    assert created.status_code == 201, created.text
    secret = created.json()
    assert set(secret) == {"clientId", "clientSecret", "userId"}
    service = v1_client(
        http, tenant.account_id, NewSecret(secret["clientId"], secret["clientSecret"], secret["userId"])
    )
    assert [s["id"] for s in service.get("/sites").json()["items"]] == [site]
    listed = admin.get("/apiClients").json()
    mine = [c for c in listed["items"] if c["clientId"] == secret["clientId"]]
    assert listed["count"] == len(listed["items"]) == 2  # the admin's own personal client too
    assert mine[0]["kind"] == "service_account" and mine[0]["scopes"] == ["sites:read"]
    assert secret["clientSecret"].startswith(mine[0]["secretPrefix"]) and "clientSecret" not in mine[0]
    rotated = admin.post(f"/apiClients/{secret['clientId']}/rotate")
    assert rotated.status_code == 200
    assert _token_status(http, secret["clientId"], secret["clientSecret"]) == 401
    assert _token_status(http, secret["clientId"], rotated.json()["clientSecret"]) == 200
    assert admin.delete(f"/apiClients/{secret['clientId']}").status_code == 204
    assert service.get("/sites").status_code == 401
    assert admin.get("/apiClients").json()["count"] == 1


def test_validation_names_the_field(admin: V1) -> None:
    def field(body: object) -> object:
        response = admin.post("/apiClients", json=body)
        assert response.status_code == 400, response.text
        return response.json()["details"]["field"]

    assert field({"sites": []}) == "name"
    assert field({"name": "X", "sites": [{"site": "x", "role": "CHIEF"}]}) == "sites[0].role"
    assert field({"name": "X", "sites": [{"role": "STAFF"}]}) == "sites[0].site"
    assert field({"name": "X", "scopes": ["everything"]}) == "scope"
    assert field({"name": "X", "scopes": "api"}) == "scopes"
    assert field({"name": "X", "role": "KING"}) == "role"


def test_a_personal_client_for_a_user(admin: V1, http: TestClient, tenant: Tenant) -> None:
    tech = tenant.as_role("TECH")
    created = admin.post("/apiClients", json={"name": "Tech script", "user": tech.user_id}).json()
    assert created["userId"] == tech.user_id
    assert _token_status(http, created["clientId"], created["clientSecret"]) == 200


def test_only_account_wide_admins_manage_clients(admin: V1, http: TestClient, db: Database, tenant: Tenant) -> None:
    mine, theirs = make_place(db, tenant.account_id, "Mine"), make_place(db, tenant.account_id, "Theirs")
    scoped = v1_client(
        http, tenant.account_id, service_client(db, tenant.account_id, sites=[SiteRole(mine)], role=Role.ADMIN)
    )
    assert scoped.post("/apiClients", json={"name": "Everywhere"}).status_code == 403  # would reach every site
    outside = scoped.post("/apiClients", json={"name": "Theirs", "sites": [{"site": theirs}]})
    assert outside.status_code == 403, outside.text
    assert scoped.post("/apiClients", json={"name": "Mine", "sites": [{"site": mine}]}).status_code == 201
    assert scoped.post(f"/apiClients/{admin.client_id}/rotate").status_code == 403  # the account admin's client
    assert scoped.post("/apiClients", json={"name": "As admin", "user": tenant.admin.user_id}).status_code == 403
    assert scoped.get("/apiClients").status_code == 403
    staff = v1_client(http, tenant.account_id, service_client(db, tenant.account_id))
    refused = staff.post("/apiClients", json={"name": "X"})
    assert refused.status_code == 403 and refused.json()["details"]["code"] == "role_may_not"


def test_another_accounts_client_is_404(admin: V1, db: Database, other_tenant: Tenant) -> None:
    theirs = service_client(db, other_tenant.account_id)
    assert admin.post(f"/apiClients/{theirs.client_id}/rotate").status_code == 404
    assert admin.delete(f"/apiClients/{theirs.client_id}").status_code == 404


def test_the_kebab_case_alias(admin: V1) -> None:
    assert admin.get("/api-clients").json() == admin.get("/apiClients").json()
