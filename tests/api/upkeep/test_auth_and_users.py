from __future__ import annotations

import re

from fastapi.testclient import TestClient

from tests.support.client import PASSWORD, Tenant


class TestLogin:
    def test_json_login_returns_documented_shape(self, tenant: Tenant, http: TestClient) -> None:
        response = http.post("/api/v2/auth", json={"email": tenant.admin.email, "password": PASSWORD})
        assert response.status_code == 200
        body = response.json()
        assert body["success"] is True
        assert re.fullmatch(r"r:[a-z0-9]{32}", body["result"]["sessionToken"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", body["result"]["expiresAt"])

    def test_form_login_with_trailing_slash(self, tenant: Tenant, http: TestClient) -> None:
        response = http.post("/api/v2/auth/", data={"email": tenant.admin.email, "password": PASSWORD})
        assert response.status_code == 200
        assert response.json()["result"]["sessionToken"].startswith("r:")

    def test_wrong_password_is_401(self, tenant: Tenant, http: TestClient) -> None:
        response = http.post("/api/v2/auth", json={"email": tenant.admin.email, "password": "nope"})
        assert response.status_code == 401
        assert response.json() == {"success": False, "message": "invalid email or password"}

    def test_missing_password_is_documented_message(self, http: TestClient) -> None:
        response = http.post("/api/v2/auth", json={"email": "x@example.test"})
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": "password cannot be null"}

    def test_logout_revokes_the_token(self, tenant: Tenant, http: TestClient) -> None:
        response = tenant.admin.delete("/auth")
        assert response.json() == {"success": True, "message": "session deleted"}
        assert tenant.admin.get("/users").status_code == 401

    def test_missing_token_is_401(self, http: TestClient) -> None:
        response = http.get("/api/v2/users")
        assert response.status_code == 401
        assert response.json()["success"] is False


class TestUsers:
    def test_create_get_list_update(self, tenant: Tenant) -> None:
        created = tenant.admin.post(
            "/users/",
            data={
                "email": "Marty@Example.test",
                "password": PASSWORD,
                "accountType": "TECH",
                "firstName": "Marty",
                "lastName": "McFly",
                "phoneNumber": "800-123-4567",
                "jobTitle": "Plant Manager",
            },
        )
        assert created.status_code == 200, created.text
        user = created.json()["result"]
        assert user["email"] == "marty@example.test"
        assert user["accountType"] == "TECH"
        assert user["isLocationBased"] is False
        fetched = tenant.admin.get(f"/users/{user['id']}").json()["result"]
        assert fetched == user
        listed = tenant.admin.get("/users", params={"accountType": "TECH"}).json()
        assert [u["id"] for u in listed["results"]] == [user["id"]]
        patched = tenant.admin.patch(f"/users/{user['id']}", json={"firstName": "Doc"}).json()["result"]
        assert patched["firstName"] == "Doc"

    def test_unknown_field_and_filter(self, tenant: Tenant) -> None:
        response = tenant.admin.post(
            "/users", json={"email": "a@b.test", "accountType": "TECH", "password": PASSWORD, "x": 1}
        )
        assert response.json() == {"success": False, "message": "x not in schema"}
        response = tenant.admin.get("/users", params={"colour": "red"})
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": "invalid filter key: colour"}

    def test_password_not_patchable(self, tenant: Tenant) -> None:
        response = tenant.admin.patch(f"/users/{tenant.admin.user_id}", json={"password": "new"})
        assert response.json() == {"success": False, "message": "password is not allowed to be set!"}

    def test_other_account_user_is_404(self, tenant: Tenant, other_tenant: Tenant) -> None:
        assert tenant.admin.get(f"/users/{other_tenant.admin.user_id}").status_code == 404
        response = tenant.admin.patch(f"/users/{other_tenant.admin.user_id}", json={"firstName": "X"})
        assert response.status_code == 404

    def test_tech_may_read_but_not_create(self, tenant: Tenant) -> None:
        tech = tenant.as_role("TECH")
        assert tech.get("/users").status_code == 200
        response = tech.post("/users", json={"email": "n@b.test", "accountType": "TECH", "password": PASSWORD})
        assert response.status_code == 403

    def test_requester_sees_only_self(self, tenant: Tenant) -> None:
        requester = tenant.as_role("REQUESTER")
        results = requester.get("/users").json()["results"]
        assert [u["id"] for u in results] == [requester.user_id]
        assert requester.get(f"/users/{tenant.admin.user_id}").status_code == 404


class TestSharedBehaviour:
    def test_upkeep_version_header_is_accepted(self, tenant: Tenant) -> None:
        for version in ("2022-09-14", "'2021-11-23'"):
            response = tenant.admin.get("/users", headers={"upkeep-version": version})
            assert response.status_code == 200

    def test_unknown_route_is_upkeep_shaped_404(self, tenant: Tenant) -> None:
        response = tenant.admin.get("/no-such-thing")
        assert response.status_code == 404
        assert response.json() == {"success": False, "message": "not found"}

    def test_wrong_method_is_405(self, tenant: Tenant) -> None:
        response = tenant.admin.put("/work-order-cost-categories")
        assert response.status_code == 405
        assert response.json()["success"] is False

    def test_put_locations_form_body_with_json_array(self, tenant: Tenant) -> None:
        response = tenant.admin.put(f"/users/{tenant.admin.user_id}/locations", data={"locationIds": '["nope"]'})
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": "location nope not found"}
