"""Sessions end when the user's credentials or role change, when it is deactivated, and on
"sign out everywhere" (issue 5, item 14); emails that could inject mail headers are refused."""

from __future__ import annotations

import pytest

from premises.account.service import create_account
from premises.errors import DomainValidation
from premises.identity.service import principal_for_user
from premises.kit.ids import new_id
from premises.user import service as users
from tests.support.client import PASSWORD, Tenant, UpKeep, login
from tests.support.factories import new_password


def _alive(client: UpKeep) -> bool:
    status: int = client.get(f"/users/{client.user_id}").status_code
    assert status in (200, 401)
    return status == 200


def _second_session(tenant: Tenant, user: UpKeep) -> UpKeep:
    return UpKeep(tenant.http, login(tenant.http, user.email), user.user_id, user.account_id, user.email)


def test_an_email_change_ends_every_session(tenant: Tenant) -> None:
    tech = tenant.as_role("TECH")
    new_email = f"renamed-{new_id().lower()}@example.test"
    assert tenant.admin.patch(f"/users/{tech.user_id}", json={"email": new_email}).status_code == 200
    assert not _alive(tech)
    assert tenant.http.post("/api/v2/auth", json={"email": tech.email, "password": PASSWORD}).status_code == 401
    login(tenant.http, new_email)


def test_a_role_change_ends_every_session_but_other_edits_do_not(tenant: Tenant) -> None:
    tech = tenant.as_role("TECH")
    assert (
        tenant.admin.patch(f"/users/{tech.user_id}", json={"jobTitle": "Plumber", "accountType": "TECH"}).status_code
        == 200
    )
    assert _alive(tech)
    assert tenant.admin.patch(f"/users/{tech.user_id}", json={"accountType": "VIEW_ONLY"}).status_code == 200
    assert not _alive(tech)


def test_a_password_change_ends_the_other_sessions(tenant: Tenant) -> None:
    tech = tenant.as_role("TECH")
    other = _second_session(tenant, tech)
    changed = new_password(tech.email, "a new passphrase")
    with tenant.db.unit_of_work() as session:
        users.set_password(session, tech.account_id, tech.user_id, changed, keep_token=tech.token)
    assert _alive(tech)
    assert not _alive(other)
    assert tenant.http.post("/api/v2/auth", json={"email": tech.email, "password": PASSWORD}).status_code == 401
    login(tenant.http, tech.email, "a new passphrase")


def test_deactivation_ends_every_session(tenant: Tenant) -> None:
    tech = tenant.as_role("TECH")
    with tenant.db.unit_of_work() as session:
        admin = principal_for_user(session, tenant.account_id, tenant.admin.user_id)
        users.deactivate_user(session, admin, tech.user_id)
    assert not _alive(tech)
    assert tenant.http.post("/api/v2/auth", json={"email": tech.email, "password": PASSWORD}).status_code == 401


def test_sign_out_everywhere(tenant: Tenant, other_tenant: Tenant) -> None:
    tech = tenant.as_role("TECH")
    second = _second_session(tenant, tech)
    response = tenant.admin.delete(f"/users/{tech.user_id}/sessions")
    assert response.status_code == 200, response.text
    assert response.json() == {"success": True, "message": "2 sessions deleted"}
    assert not _alive(tech) and not _alive(second)
    assert _alive(tenant.admin)

    # The user itself, from any of its sessions; every one of them ends.
    again = _second_session(tenant, tech)
    third = _second_session(tenant, tech)
    assert again.delete(f"/users/{tech.user_id}/sessions").json() == {"success": True, "message": "2 sessions deleted"}
    assert not _alive(again) and not _alive(third)

    # Nobody else: another role gets 403, another account's admin 404.
    viewer = tenant.as_role("VIEW_ONLY")
    assert viewer.delete(f"/users/{tenant.admin.user_id}/sessions").status_code == 403
    assert other_tenant.admin.delete(f"/users/{viewer.user_id}/sessions").status_code == 404
    assert _alive(viewer) and _alive(tenant.admin)


BAD_EMAILS = [
    "a@b.test\r\nBcc: x@y.test",
    "a@b.test\nBcc: x@y.test",
    "a b@c.test",
    "a@b.test\x1b",
    "a\u2028@b.test",
    "a@b\u200b.test",
    "no-at-sign",
]


@pytest.mark.parametrize("email", BAD_EMAILS)
def test_emails_that_could_inject_headers_are_refused(tenant: Tenant, email: str) -> None:
    expected = {"success": False, "message": "email is not a valid email address"}
    created = tenant.admin.post("/users", json={"email": email, "accountType": "TECH", "password": PASSWORD})
    assert (created.status_code, created.json()) == (400, expected)
    updated = tenant.admin.patch(f"/users/{tenant.admin.user_id}", json={"email": email})
    assert (updated.status_code, updated.json()) == (400, expected)
    for contacts, name in (("/customers", "name"), ("/vendors", "businessName")):
        response = tenant.admin.post(contacts, json={name: "Contact", "email": email})
        assert (response.status_code, response.json()) == (400, expected)
    with pytest.raises(DomainValidation):  # premises account create: the password is made for the email first
        new_password(email)
    with pytest.raises(DomainValidation), tenant.db.unit_of_work() as session:  # and the service checks it again
        create_account(session, name="Injected", admin_email=email, admin_password=new_password(tenant.admin.email))
