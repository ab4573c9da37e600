"""/v1/documents: files' metadata with a signed download url, and multipart uploads; the files of
/api/v2 with the same ids."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient

from premises.api.app import create_app
from premises.config import Settings
from premises.db.engine import Database
from premises.identity.permissions import Role
from tests.api.upkeep.test_files import PNG, fetch
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, admin_of, error_details, site_client

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")


def _upload(api: V1, filename: str = "photo.png", content: bytes = PNG, **data: str) -> Any:
    return api.upload("/documents", files={"file": (filename, content, "image/png")}, data=data or None)


def _uploaded(api: V1, filename: str = "photo.png", **data: str) -> dict[str, Any]:
    response = _upload(api, filename, PNG, **data)
    assert response.status_code == 201, response.text
    document: dict[str, Any] = response.json()
    return document


def test_upload_read_back_download_and_the_same_file_on_api_v2(admin: V1, tenant: Tenant) -> None:
    document = _uploaded(admin, "meter.png")
    assert set(document) == {"id", "name", "url", "mimeType", "size", "createdAt", "updatedAt"}
    assert (document["name"], document["mimeType"], document["size"]) == ("meter.png", "image/png", len(PNG))
    assert ISO_MS.match(document["createdAt"])
    again = admin.get(f"/documents/{document['id']}").json()
    assert {k: v for k, v in again.items() if k != "url"} == {k: v for k, v in document.items() if k != "url"}
    assert fetch(admin.http, document["url"]).content == PNG
    v2 = tenant.admin.get(f"/files/{document['id']}").json()["result"]
    assert (v2["filename"], v2["mimeType"]) == ("meter.png", "image/png")
    renamed = _uploaded(admin, "IMG_0001.png", name="Boiler plate")
    assert renamed["name"] == "Boiler plate.png"  # its extension is added


def test_list_sorts_filters_and_searches(admin: V1, tenant: Tenant) -> None:
    for name in ("b.png", "a.png", "c.png"):
        _uploaded(admin, name)
    tenant.admin.post("/files", files={"file": ("notes.txt", b"hello", "text/plain")})
    listed = admin.get("/documents", params={"sort": "name"}).json()
    assert listed["count"] == 4 and [d["name"] for d in listed["items"]] == ["a.png", "b.png", "c.png", "notes.txt"]
    assert admin.get("/documents", params={"mimeType": "text/plain"}).json()["items"][0]["name"] == "notes.txt"
    assert admin.get("/documents", params={"search": "notes"}).json()["count"] == 1
    page = admin.get("/documents", params={"limit": 3, "sort": "-name"}).json()
    rest = admin.get("/documents", params={"limit": 3, "sort": "-name", "cursor": page["nextCursor"]}).json()
    assert [d["name"] for d in rest["items"]] == ["a.png"]


def test_bad_uploads_name_the_field(admin: V1) -> None:
    assert error_details(admin.post("/documents", json={"name": "x"}), 400, "invalid_request")["field"] == "file"
    no_file = admin.upload("/documents", files={"other": ("a.png", PNG, "image/png")})
    assert error_details(no_file, 400, "invalid_request") == {"code": "unknown_field", "field": "other"}
    as_text = admin.upload("/documents", files={"name": (None, "x")}, data={"file": "text"})
    assert error_details(as_text, 400, "invalid_request")["field"] == "file"
    assert error_details(admin.upload("/documents", files={"name": (None, "x")}), 400, "invalid_request") == {
        "code": "required",
        "field": "file",
    }
    assert error_details(admin.get("/documents", params={"sites": "x"}), 400, "invalid_request")["field"] == "sites"
    assert error_details(admin.get("/documents", params={"sort": "url"}), 400, "invalid_request")["field"] == "sort"
    assert admin.get("/documents").json()["count"] == 0  # nothing was stored


def test_too_large_is_413(tenant: Tenant, settings: Settings, db: Database, tmp_path: Path) -> None:
    small = Settings(database_url=settings.database_url, data_dir=tmp_path, max_upload_bytes=1024)
    with TestClient(create_app(small)) as client:
        api = admin_of(client, db, tenant.account_id, tenant.admin.user_id)
        assert _upload(api, content=b"x" * 1024).status_code == 201
        assert _upload(api, content=b"x" * 5000).status_code == 413
        assert api.get("/documents").json()["count"] == 1


def test_another_accounts_document_is_404(admin: V1, other_tenant: Tenant) -> None:
    theirs = other_tenant.admin.post("/files", files={"file": ("a.png", PNG, "image/png")}).json()["data"]["id"]
    error_details(admin.get(f"/documents/{theirs}"), 404, "not_found")
    assert admin.get("/documents").json()["count"] == 0


def test_a_site_scoped_account_sees_only_its_own_uploads(
    admin: V1, http: TestClient, db: Database, tenant: Tenant
) -> None:
    accounts = _uploaded(admin, "account.png")
    site = make_place(db, tenant.account_id, "Lux")
    for role in (Role.STAFF, Role.MANAGER, Role.ADMIN):
        api = site_client(http, db, tenant.account_id, site, role=role)
        own = _uploaded(api, f"{role}.png")
        listed = api.get("/documents").json()
        assert [d["id"] for d in listed["items"]] == [own["id"]] and listed["count"] == 1
        error_details(api.get(f"/documents/{accounts['id']}"), 404, "not_found")
        assert api.get(f"/documents/{own['id']}").status_code == 200
    assert admin.get("/documents").json()["count"] == 4  # an account-wide caller sees them all


def test_a_requester_reads_its_own_and_every_staff_role_reads_all(
    admin: V1, http: TestClient, db: Database, tenant: Tenant
) -> None:
    accounts = _uploaded(admin, "account.png")
    requester = admin_of(http, db, tenant.account_id, tenant.as_role("REQUESTER").user_id)
    own = _uploaded(requester, "mine.png")
    assert [d["id"] for d in requester.get("/documents").json()["items"]] == [own["id"]]
    error_details(requester.get(f"/documents/{accounts['id']}"), 404, "not_found")
    staff = admin_of(http, db, tenant.account_id, tenant.as_role("STAFF").user_id)
    assert staff.get("/documents").json()["count"] == 2
