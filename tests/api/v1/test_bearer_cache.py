"""The bearer principal cache (``identity.tokens``): a token's principal is kept between requests, and
every change that matters is seen on the very next request — site memberships, a revoked client, a
deactivated user — because the token row (with its ``access_version``, its client and its user) is
read or confirmed on every request."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text, update

from premises.db.engine import Database
from premises.identity.clients import revoke_client
from premises.identity.permissions import Role
from premises.identity.tokens import cached_bearer
from premises.models import User
from premises.user.commands import SiteRole
from premises.user.operator import operator_of
from premises.user.service import set_site_memberships
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, service_client, v1_client


def _site_ids(api: V1) -> set[str]:
    response = api.get("/sites")
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


def _warm(api: V1) -> None:
    """Two requests: the second is served from the cache."""
    assert api.get("/sites").status_code == 200
    assert api.get("/sites").status_code == 200
    assert cached_bearer(api.token) is not None


def test_a_membership_change_is_seen_on_the_next_request(http: TestClient, db: Database, tenant: Tenant) -> None:
    first, second = make_place(db, tenant.account_id, "A"), make_place(db, tenant.account_id, "B")
    client = service_client(db, tenant.account_id, sites=[SiteRole(first)], role=Role.STAFF)
    api = v1_client(http, tenant.account_id, client)
    _warm(api)
    assert _site_ids(api) == {first}
    with db.unit_of_work() as session:
        set_site_memberships(session, operator_of(tenant.account_id), client.user_id, [SiteRole(second)])
    assert _site_ids(api) == {second}


def test_a_revoked_client_is_refused_although_its_principal_is_cached(
    http: TestClient, db: Database, tenant: Tenant
) -> None:
    client = service_client(db, tenant.account_id, sites=[SiteRole(make_place(db, tenant.account_id, "A"))])
    api = v1_client(http, tenant.account_id, client)
    _warm(api)
    with db.unit_of_work() as session:
        revoke_client(session, operator_of(tenant.account_id), client.client_id)
    assert api.get("/sites").status_code == 401


def test_a_deactivated_user_is_refused_although_its_principal_is_cached(
    http: TestClient, db: Database, tenant: Tenant
) -> None:
    client = service_client(db, tenant.account_id, sites=[SiteRole(make_place(db, tenant.account_id, "A"))])
    api = v1_client(http, tenant.account_id, client)
    _warm(api)
    with db.unit_of_work() as session:  # not through a service: the token's read sees the user's state itself
        session.execute(
            update(User).where(User.account_id == tenant.account_id, User.id == client.user_id).values(deleted_at=1)
        )
    assert api.get("/sites").status_code == 401


def test_the_confirmation_holds_for_a_live_token_and_not_after_revocation(
    http: TestClient, db: Database, tenant: Tenant
) -> None:
    """What a one-round-trip read adds to its statement (``cached_bearer``) is true while the token is
    live, so such a read answers from the cache; false once the client is revoked."""
    client = service_client(db, tenant.account_id, sites=[SiteRole(make_place(db, tenant.account_id, "A"))])
    api = v1_client(http, tenant.account_id, client)
    _warm(api)

    def confirmed() -> bool:
        cached = cached_bearer(api.token)
        assert cached is not None
        condition = cached[1]
        sql = condition.condition.format(*(f":v{i}" for i in range(len(condition.values))))
        with db.unit_of_work() as session:
            return bool(
                session.execute(text("SELECT " + sql), {f"v{i}": v for i, v in enumerate(condition.values)}).scalar()
            )

    assert confirmed()
    with db.unit_of_work() as session:
        revoke_client(session, operator_of(tenant.account_id), client.client_id)
    assert not confirmed()
