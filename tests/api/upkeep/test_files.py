from __future__ import annotations

import io
import re
import stat
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from premises.api.app import create_app
from premises.config import Settings
from premises.db.engine import Database
from premises.file import service
from premises.file.commands import FileUpload
from premises.file.links import LINK_TTL_SECONDS, links_for
from premises.file.names import clean_filename, display_name
from premises.file.storage import FileTooLarge, LocalFileStore
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.kit.time import now_ms
from premises.models import Event, StoredFile, WorkRequest
from tests.support.client import Tenant, UpKeep

ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4


def upload(
    client: UpKeep,
    content: bytes = PNG,
    name: str = "photo.png",
    filename: str | None = "custom_file_name",
    content_type: str = "image/png",
    path: str = "/files",
) -> Any:
    files: dict[str, Any] = {"file": (name, content, content_type)}
    if filename is not None:
        files["filename"] = (None, filename)
    return client.post(path, files=files)


def uploaded(client: UpKeep, **kwargs: Any) -> dict[str, Any]:
    response = upload(client, **kwargs)
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


def fetch(http: TestClient, url: str, method: str = "GET") -> Any:
    """Follow a file link the way a browser would: no session, just the URL."""
    parts = urlsplit(url)
    return http.request(method, f"{parts.path}?{parts.query}")


def error_of(response: Any, status: int = 400) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is False
    message: str = body["message"]
    return message


class TestUpload:
    def test_documented_shape(self, tenant: Tenant, settings: Settings, db: Database) -> None:
        response = upload(tenant.admin)
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["success"] is True
        data = body["data"]
        assert body["result"] == data  # also in `result`, like every other create
        assert set(data) == {"id", "filename", "url", "mimeType", "createdAt"}
        assert re.fullmatch(r"[A-Za-z0-9]{10}", data["id"])
        assert data["filename"] == "custom_file_name.png"  # the upload's extension is added
        assert data["mimeType"] == "image/png"
        assert ISO.fullmatch(data["createdAt"])
        assert data["url"].startswith(
            f"http://127.0.0.1:8000/files/{tenant.account_id}/{data['id']}/custom_file_name.png?expires="
        )
        assert (settings.files_dir / tenant.account_id / data["id"]).read_bytes() == PNG
        with db.unit_of_work() as session:
            types = session.scalars(
                select(Event.type).where(Event.account_id == tenant.account_id, Event.resource_id == data["id"])
            ).all()
        assert types == ["FILE_CREATED"]

    def test_get_and_list_return_the_same_object(self, tenant: Tenant) -> None:
        data = uploaded(tenant.admin, path="/files/")
        got = tenant.admin.get(f"/files/{data['id']}")
        assert got.status_code == 200
        assert got.json() == {"success": True, "result": data}
        listed = tenant.admin.get("/files/").json()
        assert listed == {"success": True, "results": [data]}

    @pytest.mark.parametrize(
        ("filename", "name", "expected"),
        [
            ("custom_file_name", "photo.png", "custom_file_name.png"),
            ("report.PDF", "scan.png", "report.PDF"),
            (None, "Boiler room.jpg", "Boiler room.jpg"),
            ("", "Boiler room.jpg", "Boiler room.jpg"),
            ("../../etc/passwd", "x.png", "passwd.png"),
            ("..\\..\\boot.ini", "x.png", "boot.ini"),
            ('a"b<c>\r\nd.txt', "x.txt", "a_b_c_ d.txt"),
            ("...", "x.png", "file.png"),
            ("Tom's café & co.jpeg", "x.png", "Tom's café & co.jpeg"),
        ],
    )
    def test_filenames_are_cleaned_and_never_pick_the_path(
        self, tenant: Tenant, settings: Settings, filename: str | None, name: str, expected: str
    ) -> None:
        data = uploaded(tenant.admin, filename=filename, name=name)
        assert data["filename"] == expected
        stored = list((settings.files_dir / tenant.account_id).iterdir())
        assert [p.name for p in stored] == [data["id"]]
        assert fetch(tenant.http, data["url"]).content == PNG

    def test_long_names_keep_their_extension(self) -> None:
        name = clean_filename("x" * 600 + ".pdf")
        assert len(name) == 255 and name.endswith(".pdf")
        assert display_name("y" * 300, "a.png").endswith(".png")

    @pytest.mark.parametrize(
        ("name", "declared", "expected"),
        [
            ("notes.txt", "application/octet-stream", "text/plain"),
            ("scan.pdf", "", "application/pdf"),
            ("blob", "application/octet-stream", "application/octet-stream"),
            ("photo.jpg", "image/jpeg; charset=binary", "image/jpeg"),
            ("x.bin", "not a type", "application/octet-stream"),
        ],
    )
    def test_mime_type(self, tenant: Tenant, name: str, declared: str, expected: str) -> None:
        data = uploaded(tenant.admin, name=name, filename=None, content_type=declared)
        assert data["mimeType"] == expected

    def test_empty_file_is_accepted(self, tenant: Tenant) -> None:
        data = uploaded(tenant.admin, content=b"", name="empty.txt", content_type="text/plain")
        assert fetch(tenant.http, data["url"]).content == b""


class TestUploadBadInput:
    def test_json_body(self, tenant: Tenant) -> None:
        message = error_of(tenant.admin.post("/files", json={"filename": "x.png"}))
        assert message == "file cannot be null: send the file as multipart/form-data"

    def test_missing_file(self, tenant: Tenant) -> None:
        response = tenant.admin.post("/files", files={"filename": (None, "x.png")})
        assert error_of(response) == "file cannot be null"

    def test_file_as_text_field(self, tenant: Tenant) -> None:
        response = tenant.admin.post("/files", files={"file": (None, "not a file"), "filename": (None, "x")})
        assert error_of(response) == "file must be a file (multipart/form-data upload)"

    def test_unknown_field(self, tenant: Tenant) -> None:
        response = tenant.admin.post("/files", files={"file": ("a.png", PNG, "image/png"), "colour": (None, "red")})
        assert error_of(response) == "colour not in schema"

    def test_two_files(self, tenant: Tenant) -> None:
        response = tenant.admin.post(
            "/files", files=[("file", ("a.png", PNG, "image/png")), ("file", ("b.png", PNG, "image/png"))]
        )
        assert error_of(response) == "file must be given once"

    def test_filename_as_a_file(self, tenant: Tenant) -> None:
        response = tenant.admin.post(
            "/files", files={"file": ("a.png", PNG, "image/png"), "filename": ("b.png", b"x", "image/png")}
        )
        assert error_of(response) == "filename must be a string"

    def test_many_parts(self, tenant: Tenant) -> None:
        response = tenant.admin.post("/files", files=[("file", ("a.png", PNG, "image/png"))] * 5)
        assert "Too many files" in error_of(response)

    def test_part_without_a_filename_is_not_a_file(self, tenant: Tenant) -> None:
        response = tenant.admin.post("/files", files={"file": ("", PNG, "image/png")})
        assert error_of(response) == "file must be a file (multipart/form-data upload)"
        response = tenant.admin.post("/files", files={"file": ("", b"", "image/png")})
        assert error_of(response) == "file cannot be null"

    def test_nothing_is_stored_on_bad_input(self, tenant: Tenant, settings: Settings) -> None:
        tenant.admin.post("/files", files={"file": ("a.png", PNG, "image/png"), "colour": (None, "red")})
        assert not (settings.files_dir / tenant.account_id).exists()
        assert tenant.admin.get("/files").json()["results"] == []

    def test_without_session(self, http: TestClient) -> None:
        response = http.post("/api/v2/files", files={"file": ("a.png", PNG, "image/png")})
        assert response.status_code == 401


@contextmanager
def small_limit_app(settings: Settings, tmp_path: Path, limit: int) -> Iterator[TestClient]:
    small = Settings(database_url=settings.database_url, data_dir=tmp_path, max_upload_bytes=limit)
    with TestClient(create_app(small)) as client:
        yield client


class TestSizeLimit:
    def test_too_large_is_413_and_leaves_nothing(self, tenant: Tenant, settings: Settings, tmp_path: Path) -> None:
        with small_limit_app(settings, tmp_path, 1024) as client:
            admin = UpKeep(client, tenant.admin.token, tenant.admin.user_id, tenant.account_id, tenant.admin.email)
            # Exactly at the limit works; one byte over is 413.
            assert uploaded(admin, content=b"x" * 1024, name="ok.txt")["filename"] == "custom_file_name.txt"
            response = upload(admin, content=b"x" * 1025, name="big.txt")
            assert error_of(response, 413) == "file is too large: the maximum size is 1 KB"
            # Far past the limit: refused from Content-Length before the body is read.
            response = upload(admin, content=b"x" * 200_000, name="huge.txt")
            assert error_of(response, 413) == "file is too large: the maximum size is 1 KB"
            assert response.headers["connection"] == "close"
            assert len(admin.get("/files").json()["results"]) == 1
        account_dir = tmp_path / "files" / tenant.account_id
        assert len(list(account_dir.iterdir())) == 1  # no partial files

    def test_streamed_body_without_length_is_limited(self, tenant: Tenant, settings: Settings, tmp_path: Path) -> None:
        boundary = "premisesboundary"
        payload = (
            (
                f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n'
                "Content-Type: application/octet-stream\r\n\r\n"
            ).encode()
            + b"x" * 200_000
            + f"\r\n--{boundary}--\r\n".encode()
        )

        def chunks() -> Iterator[bytes]:
            for i in range(0, len(payload), 8192):
                yield payload[i : i + 8192]

        with small_limit_app(settings, tmp_path, 1024) as client:
            response = client.post(
                "/api/v2/files",
                content=chunks(),
                headers={
                    "Session-Token": tenant.admin.token,
                    "Content-Type": f"multipart/form-data; boundary={boundary}",
                },
            )
        assert error_of(response, 413) == "file is too large: the maximum size is 1 KB"

    def test_file_objects_use_the_serving_apps_links(self, tenant: Tenant, settings: Settings, tmp_path: Path) -> None:
        with small_limit_app(settings, tmp_path, 1024) as client:
            admin = UpKeep(client, tenant.admin.token, tenant.admin.user_id, tenant.account_id, tenant.admin.email)
            data = uploaded(admin, content=b"x", name="a.png")
            created = admin.post("/work-orders", json={"title": "Fix", "image": data["id"]}).json()["result"]
            assert created["image"]["url"] == data["url"]  # signed with this app's key (tmp_path/secret_key)
            assert fetch(client, data["url"]).content == b"x"
        assert fetch(tenant.http, data["url"]).status_code == 403  # another key

    def test_default_limit_is_25_mb(self) -> None:
        assert Settings().max_upload_bytes == 25 * 1024 * 1024


class TestList:
    def test_sort_limit_offset(self, tenant: Tenant, db: Database) -> None:
        ids = [uploaded(tenant.admin, name=f"{i}.png", filename=None)["id"] for i in range(3)]
        with db.unit_of_work() as session:  # distinct creation instants
            for n, file_id in enumerate(ids):
                session.execute(
                    update(StoredFile)
                    .where(StoredFile.account_id == tenant.account_id, StoredFile.id == file_id)
                    .values(created_at=1_000 + n, updated_at=5_000 - n)
                )
        listed = [f["id"] for f in tenant.admin.get("/files").json()["results"]]
        assert listed == ids[::-1]  # createdAt DESC by default
        asc = tenant.admin.get("/files", params={"sort": "createdAt ASC"}).json()["results"]
        assert [f["id"] for f in asc] == ids
        by_update = tenant.admin.get("/files", params={"sort": "updatedAt ASC"}).json()["results"]
        assert [f["id"] for f in by_update] == ids[::-1]
        page = tenant.admin.get("/files", params={"sort": "createdAt ASC", "limit": 1, "offset": 1}).json()
        assert [f["id"] for f in page["results"]] == [ids[1]]
        since = tenant.admin.get("/files", params={"createdAtGreaterThan": 1_000}).json()["results"]
        assert {f["id"] for f in since} == set(ids[1:])

    @pytest.mark.parametrize(
        ("params", "message"),
        [
            ({"orderBy": "createdAt ASC"}, "invalid filter key: orderBy"),
            ({"sort": "filename ASC"}, "sort must be 'field ASC|DESC' with field one of createdAt, updatedAt"),
            ({"sort": "createdAt UP"}, "sort direction must be ASC or DESC"),
            ({"limit": "x"}, "limit must be an integer between 1 and 5000"),
            ({"colour": "red"}, "invalid filter key: colour"),
        ],
    )
    def test_bad_params(self, tenant: Tenant, params: dict[str, str], message: str) -> None:
        assert error_of(tenant.admin.get("/files", params=params)) == message

    def test_get_rejects_query_keys(self, tenant: Tenant) -> None:
        data = uploaded(tenant.admin)
        assert error_of(tenant.admin.get(f"/files/{data['id']}", params={"x": "1"})) == "invalid filter key: x"


class TestTenancyAndRoles:
    def test_other_accounts_file_is_404(self, tenant: Tenant, other_tenant: Tenant) -> None:
        theirs = uploaded(other_tenant.admin)
        assert error_of(tenant.admin.get(f"/files/{theirs['id']}"), 404) == "file not found"
        assert tenant.admin.get("/files").json()["results"] == []
        assert error_of(tenant.admin.get("/files/doesNotExist"), 404) == "file not found"

    @pytest.mark.parametrize("role", [r.value for r in Role if r is not Role.ADMIN])
    def test_every_role_may_upload(self, tenant: Tenant, role: str) -> None:
        client = tenant.as_role(role)
        data = uploaded(client)
        assert client.get(f"/files/{data['id']}").json()["result"] == data

    @pytest.mark.parametrize("role", ["TECH", "LIMITED_TECH", "VIEW_ONLY"])
    def test_staff_see_every_file(self, tenant: Tenant, role: str) -> None:
        client = tenant.as_role(role, location_based=True)  # files have no location: all are visible
        mine = uploaded(tenant.admin)
        assert client.get(f"/files/{mine['id']}").status_code == 200
        assert [f["id"] for f in client.get("/files").json()["results"]] == [mine["id"]]

    def test_requester_sees_only_own_uploads(self, tenant: Tenant) -> None:
        requester = tenant.as_role("REQUESTER")
        admins = uploaded(tenant.admin)
        own = uploaded(requester)
        assert error_of(requester.get(f"/files/{admins['id']}"), 404) == "file not found"
        assert [f["id"] for f in requester.get("/files").json()["results"]] == [own["id"]]
        assert {f["id"] for f in tenant.admin.get("/files").json()["results"]} == {own["id"], admins["id"]}


class TestDownload:
    def test_link_serves_the_bytes_without_a_session(self, tenant: Tenant) -> None:
        data = uploaded(tenant.admin)
        response = fetch(tenant.http, data["url"])
        assert response.status_code == 200
        assert response.content == PNG
        assert response.headers["content-type"] == "image/png"
        assert response.headers["content-disposition"].startswith("inline")
        assert response.headers["x-content-type-options"] == "nosniff"
        assert "sandbox" in response.headers["content-security-policy"]
        head = fetch(tenant.http, data["url"], "HEAD")
        assert head.status_code == 200 and head.headers["content-length"] == str(len(PNG))

    def test_html_downloads_as_attachment(self, tenant: Tenant) -> None:
        data = uploaded(tenant.admin, content=b"<script>alert(1)</script>", name="x.html", content_type="text/html")
        response = fetch(tenant.http, data["url"])
        assert response.headers["content-disposition"].startswith("attachment")
        assert response.headers["content-type"].startswith("text/html")

    def test_non_ascii_name(self, tenant: Tenant) -> None:
        data = uploaded(tenant.admin, filename="Küche 1", name="k.jpg", content_type="image/jpeg")
        assert "/K%C3%BCche%201.jpg?" in data["url"]
        response = fetch(tenant.http, data["url"])
        assert response.status_code == 200 and response.content == PNG

    def test_links_are_stable_and_expire_in_about_a_week(self, tenant: Tenant) -> None:
        data = uploaded(tenant.admin)
        again = tenant.admin.get(f"/files/{data['id']}").json()["result"]
        assert again["url"] == data["url"]
        expires = int(parse_qs(urlsplit(data["url"]).query)["expires"][0])
        assert LINK_TTL_SECONDS <= expires - time.time() <= LINK_TTL_SECONDS + 3600

    @pytest.mark.parametrize("part", ["signature", "expires", "file", "account", "name", "missing"])
    def test_tampering_is_403(self, tenant: Tenant, part: str) -> None:
        data = uploaded(tenant.admin)
        other = uploaded(tenant.admin)
        parts = urlsplit(data["url"])
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        path = parts.path
        if part == "signature":
            query["signature"] = ("A" if query["signature"][0] != "A" else "B") + query["signature"][1:]
        elif part == "expires":
            query["expires"] = str(int(query["expires"]) + 3600)
        elif part == "file":
            path = path.replace(data["id"], other["id"])
        elif part == "account":
            path = path.replace(tenant.account_id, "AnotherAcc")
        elif part == "name":
            path = path.replace("custom_file_name.png", "other.png")
        else:
            query = {}
        response = tenant.http.get(f"{path}?{urlencode(query)}")
        assert response.status_code == 403
        assert response.json() == {"detail": "invalid signature"}

    def test_expired_link_is_403(self, tenant: Tenant, settings: Settings) -> None:
        data = uploaded(tenant.admin)
        old = links_for(settings).url(
            tenant.account_id, data["id"], data["filename"], now=time.time() - LINK_TTL_SECONDS - 7200
        )
        response = fetch(tenant.http, old)
        assert response.status_code == 403
        assert response.json() == {"detail": "link expired"}

    def test_deleted_or_lost_file_is_404(self, tenant: Tenant, settings: Settings, db: Database) -> None:
        gone, lost = uploaded(tenant.admin), uploaded(tenant.admin)
        with db.unit_of_work() as session:
            session.execute(
                update(StoredFile)
                .where(StoredFile.account_id == tenant.account_id, StoredFile.id == gone["id"])
                .values(deleted_at=now_ms())
            )
        (settings.files_dir / tenant.account_id / lost["id"]).unlink()
        assert fetch(tenant.http, gone["url"]).status_code == 404
        assert fetch(tenant.http, lost["url"]).status_code == 404
        assert error_of(tenant.admin.get(f"/files/{gone['id']}"), 404) == "file not found"

    def test_generated_secret_key_is_private_and_reused(self, tenant: Tenant, settings: Settings) -> None:
        uploaded(tenant.admin)
        key_file = settings.data_dir / "secret_key"
        assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
        assert len(key_file.read_text().strip()) >= 32
        fresh = Settings(database_url=settings.database_url, data_dir=settings.data_dir)
        assert links_for(fresh).key == key_file.read_text().strip().encode()

    def test_configured_key_and_public_url(self, tmp_path: Path) -> None:
        configured = Settings(data_dir=tmp_path, secret_key="k" * 40, public_url="https://files.example.com/")
        url = links_for(configured).url("Acc", "File", "a b.png", now=0)
        assert url.startswith("https://files.example.com/files/Acc/File/a%20b.png?expires=")
        assert not (tmp_path / "secret_key").exists()
        assert Settings(host="0.0.0.0", port=9000).resolved_public_url == "http://localhost:9000"


class TestFileObjects:
    def test_work_order_images_and_includes(self, tenant: Tenant) -> None:
        image, attachment = uploaded(tenant.admin), uploaded(tenant.admin, name="manual.pdf", filename=None)
        response = tenant.admin.post(
            "/work-orders", json={"title": "Fix sink", "image": image["id"], "files": [attachment["id"]]}
        )
        assert response.status_code == 200, response.text
        created = response.json()["result"]
        assert created["image"] == {
            "__type": "File",
            "id": image["id"],
            "name": "custom_file_name.png",
            "url": image["url"],
        }
        assert created["files"] == [attachment["id"]]
        got = tenant.admin.get(f"/work-orders/{created['id']}", params={"includes": "files"}).json()["result"]
        expected = {"__type": "File", "id": attachment["id"], "name": "manual.pdf", "url": attachment["url"]}
        assert got["files"] == [expected]
        assert fetch(tenant.http, got["files"][0]["url"]).status_code == 200

    def test_asset_and_request_images(self, tenant: Tenant) -> None:
        image, receipt = uploaded(tenant.admin), uploaded(tenant.admin, name="receipt.pdf", filename=None)
        asset = tenant.admin.post(
            "/assets", json={"name": "Boiler", "image": image["id"], "purchaseReceipt": receipt["id"]}
        )
        assert asset.status_code == 200, asset.text
        result = asset.json()["result"]
        assert result["image"] == {
            "__type": "File",
            "id": image["id"],
            "name": "custom_file_name.png",
            "url": image["url"],
        }
        assert result["purchaseReceipt"]["name"] == "receipt.pdf" and result["warrantyFile"] is None
        listed = tenant.admin.get("/assets").json()["results"]
        assert listed[0]["image"] == result["image"]
        request = tenant.admin.post("/requests", json={"title": "Leak", "image": image["id"]})
        assert request.status_code == 200, request.text
        assert request.json()["result"]["image"]["url"] == image["url"]

    def test_requesters_get_objects_only_for_own_uploads(self, tenant: Tenant, db: Database) -> None:
        requester = tenant.as_role("REQUESTER")
        own, admins = uploaded(requester), uploaded(tenant.admin)
        response = requester.post("/requests", json={"title": "Leak", "image": own["id"]})
        assert response.status_code == 200, response.text
        created = response.json()["result"]
        # Requesters may not attach files they cannot read (issue 5, item 12); stored data still may name one.
        with db.unit_of_work() as session:
            session.execute(
                update(WorkRequest)
                .where(WorkRequest.account_id == tenant.account_id, WorkRequest.id == created["id"])
                .values(file_ids=f'["{admins["id"]}"]')
            )
        assert created["image"]["url"] == own["url"]
        got = requester.get(f"/requests/{created['id']}", params={"includes": "files"}).json()["result"]
        assert got["files"] == [admins["id"]]  # not readable by this requester: stays an id


def _principal(tenant: Tenant) -> Principal:
    return Principal(account_id=tenant.account_id, user_id=tenant.admin.user_id, role=Role.ADMIN)


class TestNoOrphans:
    def test_failed_transaction_removes_the_bytes(self, tenant: Tenant, db: Database, tmp_path: Path) -> None:
        store = LocalFileStore(tmp_path)

        @contextmanager
        def failing_unit_of_work() -> Iterator[Session]:
            with db.unit_of_work() as session:
                yield session
                raise RuntimeError("commit failed")

        upload_ = FileUpload(io.BytesIO(PNG), "x", "x.png", "image/png")
        with pytest.raises(RuntimeError):
            service.upload_file(failing_unit_of_work, store, _principal(tenant), upload_, max_bytes=10_000)
        assert list((tmp_path / tenant.account_id).iterdir()) == []
        with db.unit_of_work() as session:
            rows = session.scalars(select(StoredFile.id).where(StoredFile.account_id == tenant.account_id)).all()
        assert rows == []

    def test_too_large_stores_nothing(self, tenant: Tenant, db: Database, tmp_path: Path) -> None:
        store = LocalFileStore(tmp_path)
        upload_ = FileUpload(io.BytesIO(PNG), "x", "x.png", "image/png")
        with pytest.raises(FileTooLarge, match="file is too large"):
            service.upload_file(db.unit_of_work, store, _principal(tenant), upload_, max_bytes=100)
        assert list((tmp_path / tenant.account_id).iterdir()) == []

    def test_store_refuses_keys_that_are_not_ids(self, tmp_path: Path) -> None:
        store = LocalFileStore(tmp_path)
        for key in ("../x/y", "a/../../b", "a/b/c", "/etc/passwd", "a/b.png"):
            with pytest.raises(ValueError, match="invalid storage key"):
                store.put(key, io.BytesIO(b"x"), max_bytes=10)

    def test_store_never_overwrites(self, tmp_path: Path) -> None:
        store = LocalFileStore(tmp_path)
        store.put("acc/one", io.BytesIO(b"first"), max_bytes=10)
        with pytest.raises(FileExistsError):
            store.put("acc/one", io.BytesIO(b"second"), max_bytes=10)
        assert (tmp_path / "acc" / "one").read_bytes() == b"first"
        assert [p.name for p in (tmp_path / "acc").iterdir()] == ["one"]
