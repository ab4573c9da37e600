"""POST /oauth/token and bearer tokens on /v1: the conformance list of the reference (§6.6), one test
each, then the lifecycle (expiry, rotation, revocation, throttling) and the resolver's principal."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import quote_plus

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from premises.db.engine import Database
from premises.identity.clients import NewSecret
from premises.identity.permissions import Role
from premises.models import AccessToken, ApiClient, User
from premises.user.commands import SiteRole
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import get_token, personal_client, service_client, v1_client

TOKEN = "/oauth/token"


@pytest.fixture
def client(tenant: Tenant, db: Database) -> NewSecret:
    return service_client(db, tenant.account_id)


def _form(client: NewSecret, **extra: str) -> dict[str, str]:
    return {
        "grant_type": "client_credentials",
        "client_id": client.client_id,
        "client_secret": client.client_secret,
        **extra,
    }


def _basic(client_id: str, secret: str) -> dict[str, str]:
    return {"Authorization": "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()}


def _assert_error(response: object, status: int, error: str) -> None:
    assert response.status_code == status, response.text  # type: ignore[attr-defined]
    assert response.json()["error"] == error  # type: ignore[attr-defined]
    assert response.headers["cache-control"] == "no-store"  # type: ignore[attr-defined]
    description = response.json().get("error_description", "")  # type: ignore[attr-defined]
    assert all(0x20 <= ord(c) <= 0x7E and c not in '"\\' for c in description)


# 1. Form body with client_id and client_secret
def test_form_body_credentials_give_a_bearer_token(http: TestClient, client: NewSecret) -> None:
    response = http.post(TOKEN, data=_form(client))
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"] == "api"
    assert len(body["access_token"]) >= 40
    assert "refresh_token" not in body
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["pragma"] == "no-cache"
    assert response.headers["content-type"].startswith("application/json")


# 2. HTTP Basic, raw and form-urlencoded
def test_basic_authentication_with_a_raw_secret(http: TestClient, client: NewSecret) -> None:
    response = http.post(
        TOKEN, data={"grant_type": "client_credentials"}, headers=_basic(client.client_id, client.client_secret)
    )
    assert response.status_code == 200, response.text


def test_basic_authentication_with_a_secret_needing_form_encoding(
    http: TestClient, db: Database, client: NewSecret
) -> None:
    secret = "a+b/c=d:e f"  # what some other server issued; ours never contain these, but clients encode
    with db.unit_of_work() as session:
        session.execute(
            update(ApiClient)
            .where(ApiClient.client_id == client.client_id)
            .values(secret_hash=hashlib.sha256(secret.encode()).hexdigest())
        )
    encoded = _basic(quote_plus(client.client_id), quote_plus(secret))
    assert http.post(TOKEN, data={"grant_type": "client_credentials"}, headers=encoded).status_code == 200
    raw = _basic(client.client_id, secret)  # split at the first colon; "+" kept as sent
    assert http.post(TOKEN, data={"grant_type": "client_credentials"}, headers=raw).status_code == 200


# 3. Basic and body credentials together
def test_basic_and_body_credentials_together_are_an_invalid_request(http: TestClient, client: NewSecret) -> None:
    response = http.post(TOKEN, data=_form(client), headers=_basic(client.client_id, client.client_secret))
    _assert_error(response, 400, "invalid_request")


# 4. Wrong secrets
def test_a_wrong_secret_by_basic_is_401_with_www_authenticate(http: TestClient, client: NewSecret) -> None:
    response = http.post(TOKEN, data={"grant_type": "client_credentials"}, headers=_basic(client.client_id, "nope"))
    _assert_error(response, 401, "invalid_client")
    assert response.headers["www-authenticate"].startswith("Basic realm=")


def test_a_wrong_secret_in_the_body_is_401(http: TestClient, client: NewSecret) -> None:
    response = http.post(TOKEN, data=_form(client, client_secret="nope"))
    _assert_error(response, 401, "invalid_client")


def test_no_client_authentication_and_an_unknown_client_are_401(http: TestClient, client: NewSecret) -> None:
    _assert_error(http.post(TOKEN, data={"grant_type": "client_credentials"}), 401, "invalid_client")
    _assert_error(http.post(TOKEN, data=_form(client, client_id="pc_unknown")), 401, "invalid_client")
    _assert_error(
        http.post(TOKEN, data={"grant_type": "client_credentials"}, headers={"Authorization": "Basic !!!"}),
        401,
        "invalid_client",
    )


# 5. Grants
def test_the_password_grant_is_unsupported(http: TestClient, client: NewSecret) -> None:
    response = http.post(TOKEN, data=_form(client, grant_type="password", username="a", password="b"))
    _assert_error(response, 400, "unsupported_grant_type")


def test_a_missing_grant_type_is_an_invalid_request(http: TestClient, client: NewSecret) -> None:
    data = _form(client)
    del data["grant_type"]
    _assert_error(http.post(TOKEN, data=data), 400, "invalid_request")
    _assert_error(http.post(TOKEN, data={**data, "grant_type": ""}), 400, "invalid_request")  # empty = omitted


# 6. Scopes and unknown parameters
def test_an_unknown_scope_is_invalid_scope(http: TestClient, client: NewSecret) -> None:
    _assert_error(http.post(TOKEN, data=_form(client, scope="unknown")), 400, "invalid_scope")


def test_unknown_parameters_are_ignored(http: TestClient, client: NewSecret) -> None:
    response = http.post(TOKEN, data=_form(client, audience="https://api.example", resource="x"))
    assert response.status_code == 200, response.text


def test_a_repeated_parameter_is_an_invalid_request(http: TestClient, client: NewSecret) -> None:
    credentials = f"client_id={client.client_id}&client_secret={client.client_secret}"
    body = f"grant_type=client_credentials&{credentials}&scope=api&scope=api"
    response = http.post(TOKEN, content=body, headers={"Content-Type": "application/x-www-form-urlencoded"})
    _assert_error(response, 400, "invalid_request")


def test_a_secret_in_the_query_string_is_refused(http: TestClient, client: NewSecret) -> None:
    response = http.post(TOKEN + f"?client_secret={client.client_secret}", data=_form(client))
    _assert_error(response, 400, "invalid_request")


def test_a_scope_narrower_than_the_clients_is_granted(http: TestClient, db: Database, tenant: Tenant) -> None:
    narrow = service_client(db, tenant.account_id, scopes=("sites:read", "sites:write"))
    response = http.post(TOKEN, data=_form(narrow, scope="sites:read"))
    assert response.status_code == 200 and response.json()["scope"] == "sites:read"
    assert http.post(TOKEN, data=_form(narrow)).json()["scope"] == "sites:read sites:write"
    _assert_error(http.post(TOKEN, data=_form(narrow, scope="api")), 400, "invalid_scope")  # not granted to it


# 7. Methods
def test_get_is_405_with_allow_post(http: TestClient) -> None:
    response = http.get(TOKEN)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.json()["error"] == "invalid_request"


# 8. JSON body
def test_a_json_body_works_too(http: TestClient, client: NewSecret) -> None:
    response = http.post(TOKEN, json=_form(client))
    assert response.status_code == 200, response.text
    _assert_error(http.post(TOKEN, content=b"{", headers={"Content-Type": "application/json"}), 400, "invalid_request")
    _assert_error(http.post(TOKEN, content=b"x", headers={"Content-Type": "text/plain"}), 400, "invalid_request")


# 9. The resource server
def test_v1_without_a_token_is_401_with_a_bare_bearer_challenge(http: TestClient) -> None:
    response = http.get("/v1/sites")
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="premises"'
    assert response.json()["error"] == "unauthorized"


def test_an_expired_token_is_401_invalid_token(
    http: TestClient, db: Database, tenant: Tenant, client: NewSecret
) -> None:
    api = v1_client(http, tenant.account_id, client)
    assert api.get("/sites").status_code == 200
    with db.unit_of_work() as session:
        session.execute(update(AccessToken).where(AccessToken.client_id == client.client_id).values(expires_at=1))
    response = api.get("/sites")
    assert response.status_code == 401
    assert 'error="invalid_token"' in response.headers["www-authenticate"]
    assert response.json()["error"] == "invalid_token"
    garbage = http.get("/v1/sites", headers={"Authorization": "Bearer not-a-token"})
    assert garbage.status_code == 401 and 'error="invalid_token"' in garbage.headers["www-authenticate"]
    empty = http.get("/v1/sites", headers={"Authorization": "Bearer"})
    assert empty.status_code == 401 and 'error="invalid_token"' in empty.headers["www-authenticate"]


def test_the_bearer_scheme_is_case_insensitive(http: TestClient, tenant: Tenant, client: NewSecret) -> None:
    token = get_token(http, client)
    assert http.get("/v1/sites", headers={"Authorization": f"bearer {token}"}).status_code == 200
    assert http.get("/v1/sites", headers={"Authorization": f"BEARER {token}"}).status_code == 200


def test_a_session_token_is_not_a_v1_credential(http: TestClient, tenant: Tenant) -> None:
    response = http.get("/v1/sites", headers={"Session-Token": tenant.admin.token})
    assert response.status_code == 401


# 10. Sites the service account was not added to
def test_a_sites_filter_outside_membership_is_403_and_a_member_site_200(
    http: TestClient, db: Database, tenant: Tenant
) -> None:
    mine = make_place(db, tenant.account_id, "Lux Apartments")
    other = make_place(db, tenant.account_id, "Harbour View")
    api = v1_client(http, tenant.account_id, service_client(db, tenant.account_id, sites=[SiteRole(mine)]))
    refused = api.get("/sites", params={"sites": other})
    assert refused.status_code == 403
    assert refused.json()["error"] == "forbidden"
    assert refused.json()["details"] == {"code": "not_a_site_member", "field": "sites", "id": other}
    allowed = api.get("/sites", params={"sites": mine})
    assert allowed.status_code == 200
    assert allowed.json()["count"] == 1 and [s["id"] for s in allowed.json()["items"]] == [mine]


# Lifecycle
def test_a_rotated_secret_replaces_the_old_one(
    http: TestClient, db: Database, tenant: Tenant, client: NewSecret
) -> None:
    from premises.identity.clients import rotate_secret
    from premises.user.operator import operator_of

    token = get_token(http, client)
    with db.unit_of_work() as session:
        rotated = rotate_secret(session, operator_of(tenant.account_id), client.client_id)
    assert rotated.client_secret != client.client_secret and rotated.client_id == client.client_id
    _assert_error(http.post(TOKEN, data=_form(client)), 401, "invalid_client")
    assert http.post(TOKEN, data=_form(rotated)).status_code == 200
    assert http.get("/v1/sites", headers={"Authorization": f"Bearer {token}"}).status_code == 200  # until it expires


def test_a_revoked_client_loses_its_secret_and_its_tokens_at_once(
    http: TestClient, db: Database, tenant: Tenant, client: NewSecret
) -> None:
    from premises.identity.clients import revoke_client
    from premises.user.operator import operator_of

    api = v1_client(http, tenant.account_id, client)
    with db.unit_of_work() as session:
        revoke_client(session, operator_of(tenant.account_id), client.client_id)
    assert api.get("/sites").status_code == 401
    _assert_error(http.post(TOKEN, data=_form(client)), 401, "invalid_client")


def test_a_deactivated_service_account_gets_no_token_and_its_tokens_stop(
    http: TestClient, db: Database, tenant: Tenant, client: NewSecret
) -> None:
    api = v1_client(http, tenant.account_id, client)
    with db.unit_of_work() as session:
        session.execute(
            update(User).where(User.account_id == tenant.account_id, User.id == client.user_id).values(deleted_at=1)
        )
    assert api.get("/sites").status_code == 401
    _assert_error(http.post(TOKEN, data=_form(client)), 400, "unauthorized_client")


def test_secrets_and_tokens_are_stored_hashed(http: TestClient, db: Database, client: NewSecret) -> None:
    token = get_token(http, client)
    with db.unit_of_work() as session:
        row = session.get(ApiClient, client.client_id)
        assert row is not None
        assert row.secret_hash == hashlib.sha256(client.client_secret.encode()).hexdigest()
        assert client.client_secret.startswith(row.secret_prefix) and len(row.secret_prefix) == 10
        assert session.get(AccessToken, token) is None
        assert session.get(AccessToken, hashlib.sha256(token.encode()).hexdigest()) is not None


def test_failed_client_authentications_are_throttled(http: TestClient, client: NewSecret) -> None:
    for _ in range(5):  # PREMISES_LOGIN_FAILURES_PER_EMAIL's default: failures per client id
        _assert_error(http.post(TOKEN, data=_form(client, client_secret="wrong")), 401, "invalid_client")
    refused = http.post(TOKEN, data=_form(client))  # even with the right secret
    _assert_error(refused, 429, "too_many_requests")
    assert int(refused.headers["retry-after"]) > 0


def test_a_success_forgets_the_clients_failures(http: TestClient, client: NewSecret) -> None:
    for _ in range(4):
        http.post(TOKEN, data=_form(client, client_secret="wrong"))
    assert http.post(TOKEN, data=_form(client)).status_code == 200
    for _ in range(4):
        http.post(TOKEN, data=_form(client, client_secret="wrong"))
    assert http.post(TOKEN, data=_form(client)).status_code == 200


# Scopes on /v1
def test_a_read_scope_refuses_writes_with_insufficient_scope(http: TestClient, db: Database, tenant: Tenant) -> None:
    narrow = service_client(db, tenant.account_id, role=Role.ADMIN, scopes=("sites:read", "sites:write"))
    reader = v1_client(http, tenant.account_id, narrow, scope="sites:read")
    assert reader.get("/sites").status_code == 200
    refused = reader.post("/sites", json={"label": "Lux Apartments"})
    assert refused.status_code == 403
    assert refused.json()["error"] == "insufficient_scope"
    assert refused.json()["details"]["scope"] == "sites:write"
    challenge = refused.headers["www-authenticate"]
    assert 'error="insufficient_scope"' in challenge and 'scope="sites:write"' in challenge
    writer = v1_client(http, tenant.account_id, narrow, scope="sites:write")
    assert writer.post("/sites", json={"label": "Lux Apartments"}).status_code == 201


def test_a_personal_client_acts_with_its_owners_rights(http: TestClient, db: Database, tenant: Tenant) -> None:
    viewer = tenant.as_role("VIEW_ONLY")
    api = v1_client(http, tenant.account_id, personal_client(db, tenant.account_id, viewer.user_id))
    assert api.get("/sites").status_code == 200
    refused = api.post("/sites", json={"label": "Lux Apartments"})
    assert refused.status_code == 403 and refused.json()["error"] == "forbidden"
    assert refused.json()["details"]["code"] == "role_may_not"


def test_a_multipart_token_request_is_an_oauth_invalid_request(http: TestClient, client: NewSecret) -> None:
    response = http.post(
        TOKEN, files={"grant_type": (None, "client_credentials")}, data={"client_id": client.client_id}
    )
    _assert_error(response, 400, "invalid_request")
    assert "Content-Type" in response.json()["error_description"]


def test_a_token_request_over_the_body_limit_is_413_in_oauths_format(http: TestClient, client: NewSecret) -> None:
    response = http.post(TOKEN, data=_form(client, padding="x" * 2_000_000))
    _assert_error(response, 413, "invalid_request")
