"""/v1/assets: the downtime history, custom fields in the asset's body and the asset's files."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from premises.asset.fields import DOWNTIMES
from premises.db.engine import Database
from premises.identity.permissions import Role
from premises.models import AssetDowntime
from tests.support.catalogues import assert_agrees_with_table
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, error_details, service_client, site_client, v1_client

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
DOWNTIME_KEYS = {"id", "status", "statusCategory", "user", "recordedAt", "createdAt"}
FILE_KEYS = {"id", "name", "url", "mimeType", "size", "createdAt", "updatedAt"}


def test_the_history_catalogue_is_the_table() -> None:
    assert set(DOWNTIMES.columns) == {c.name for c in AssetDowntime.__table__.columns} - {"account_id"}
    assert_agrees_with_table(DOWNTIMES, AssetDowntime.__table__)


def _record(api: V1, asset_id: str, status: str, at: str, category: str | None = None) -> None:
    body = {"status": status, "recordedAt": at, **({"statusCategory": category} if category else {})}
    recorded = api.post(f"/assets/{asset_id}/downtime", json=body)
    assert recorded.status_code == 200, recorded.text


def test_downtime_history_pages_newest_first(admin: V1, tenant: Tenant) -> None:
    broken = tenant.admin.post("/asset-downtime-statuses", json={"name": "Broken"})
    assert broken.status_code in (200, 201), broken.text
    broken_id = broken.json()["result"]["id"]
    asset = admin.post("/assets", json={"name": "Boiler"}).json()
    first = admin.get(f"/assets/{asset['id']}/downtime").json()
    assert first == {"count": 0, "items": [], "nextCursor": None}
    _record(admin, asset["id"], "not-available", "2026-02-01T10:00:00Z", broken_id)
    _record(admin, asset["id"], "available", "2026-03-01T10:00:00Z")
    _record(admin, asset["id"], "not-available", "2026-01-01T10:00:00Z")
    # Changing downtimeStatus on the asset itself is history too (now: the newest).
    assert admin.patch(f"/assets/{asset['id']}", json={"downtimeStatus": broken_id}).status_code == 200
    listed = admin.get(f"/assets/{asset['id']}/downtime", params={"limit": 2}).json()
    assert listed["count"] == 4 and listed["nextCursor"]
    newest, second = listed["items"]
    assert set(newest) == DOWNTIME_KEYS
    assert (newest["status"], newest["statusCategory"], newest["user"]) == ("not-available", broken_id, admin.user_id)
    assert (second["status"], second["statusCategory"], second["recordedAt"]) == (
        "available",
        None,
        "2026-03-01T10:00:00.000Z",
    )
    assert ISO_MS.match(newest["createdAt"]) and ISO_MS.match(newest["recordedAt"])
    rest = admin.get(f"/assets/{asset['id']}/downtime", params={"limit": 2, "cursor": listed["nextCursor"]}).json()
    paged = admin.get(f"/assets/{asset['id']}/downtime", params={"limit": 2, "page": 2}).json()
    assert [d["id"] for d in rest["items"]] == [d["id"] for d in paged["items"]]
    third, oldest = rest["items"]
    assert (third["statusCategory"], oldest["recordedAt"]) == (broken_id, "2026-01-01T10:00:00.000Z")
    oldest_first = admin.get(f"/assets/{asset['id']}/downtime", params={"sort": "recordedAt"}).json()["items"]
    assert [d["id"] for d in oldest_first] == [d["id"] for d in reversed(listed["items"] + rest["items"])]
    down = admin.get(f"/assets/{asset['id']}/downtime", params={"status": "not-available"}).json()
    assert down["count"] == 3
    by_reason = admin.get(f"/assets/{asset['id']}/downtime", params={"statusCategory": broken_id}).json()
    assert [d["id"] for d in by_reason["items"]] == [newest["id"], third["id"]]


def test_downtime_history_validation_and_other_accounts(admin: V1, other_tenant: Tenant) -> None:
    asset = admin.post("/assets", json={"name": "Boiler"}).json()
    path = f"/assets/{asset['id']}/downtime"
    assert error_details(admin.get(path, params={"limit": "x"}), 400, "invalid_request")["field"] == "limit"
    assert error_details(admin.get(path, params={"sort": "name"}), 400, "invalid_request")["field"] == "sort"
    assert error_details(admin.get(path, params={"sites": "x"}), 400, "invalid_request")["field"] == "sites"
    assert error_details(admin.get(path, params={"colour": "x"}), 400, "invalid_request")["field"] == "colour"
    error_details(admin.get(path, params={"cursor": "garbage"}), 400, "invalid_request")
    theirs = other_tenant.admin.post("/assets", json={"name": "Theirs"}).json()["result"]["id"]
    error_details(admin.get(f"/assets/{theirs}/downtime"), 404, "not_found")
    error_details(admin.get(f"/assets/{theirs}/files"), 404, "not_found")
    error_details(admin.get("/assets/nope/downtime"), 404, "not_found")


def test_custom_fields_in_the_assets_body(admin: V1, tenant: Tenant) -> None:
    colour = tenant.admin.post("/custom-fields/assets", json={"name": "Colour", "type": "singleLineText"})
    colour_id = colour.json()["result"]["id"]
    size = tenant.admin.post(
        "/custom-fields/assets", json={"name": "Size", "type": "number", "decimalPrecision": 2}
    ).json()["result"]["id"]
    created = admin.post(
        "/assets",
        json={
            "name": "Boiler",
            "customFields": [
                {"definition": colour_id, "value": "Red"},
                {"name": "width", "value": "10", "unit": "cm"},
                {"definition": size, "value": 2.5},
            ],
        },
    )
    assert created.status_code == 201, created.text
    asset_id = created.json()["id"]
    values = admin.get(f"/assets/{asset_id}/customFields").json()["items"]
    # The asset answers its custom field values as its customFields list does, in the list too.
    assert created.json()["customFields"] == values and len(values) == 3
    listed = admin.get("/assets").json()["items"]
    assert [a["customFields"] for a in listed if a["id"] == asset_id] == [values]
    by_name = {v["name"]: v for v in values}
    assert (by_name["Colour"]["value"], by_name["Size"]["value"]) == ("Red", "2.5")
    assert (by_name["width"]["value"], by_name["width"]["unit"], by_name["width"]["definition"]) == ("10", "cm", None)
    # PATCH changes only the fields it names; items read from GET are taken back as they are.
    width = by_name["width"]
    changed = admin.patch(
        f"/assets/{asset_id}",
        json={"customFields": [{**by_name["Colour"], "value": "Blue"}, {"id": width["id"], "value": "12"}]},
    )
    assert changed.status_code == 200, changed.text
    after = {v["name"]: v for v in changed.json()["customFields"]}
    assert (after["Colour"]["value"], after["width"]["value"], after["width"]["unit"], after["Size"]["value"]) == (
        "Blue",
        "12",
        "cm",
        "2.5",
    )
    # The same values on /api/v2.
    v2 = tenant.admin.get(f"/assets/{asset_id}").json()["result"]
    assert {f["name"] for f in v2["customFieldsAsset"]} == {"width"}
    cleared = admin.patch(f"/assets/{asset_id}", json={"customFields": [{"definition": size, "value": None}]})
    assert cleared.status_code == 200, cleared.text
    assert admin.patch(f"/assets/{asset_id}", json={"customFields": None}).status_code == 200


def test_custom_field_errors_name_the_item(admin: V1, tenant: Tenant) -> None:
    size = tenant.admin.post(
        "/custom-fields/assets", json={"name": "Size", "type": "number", "decimalPrecision": 2}
    ).json()["result"]["id"]
    when = tenant.admin.post("/custom-fields/assets", json={"name": "Due", "type": "date"}).json()["result"]["id"]
    asset_id = admin.post("/assets", json={"name": "Boiler"}).json()["id"]

    def field_of(items: object, *, create: bool = False) -> str:
        if create:
            response = admin.post("/assets", json={"name": "A", "customFields": items})
        else:
            response = admin.patch(f"/assets/{asset_id}", json={"customFields": items})
        field: str = error_details(response, 400, "invalid_request")["field"]
        return field

    free = {"name": "width", "value": "1"}
    assert field_of([free, {"definition": size, "value": "lots"}]) == "customFields[1].value"
    assert field_of([{"definition": size, "value": 1}, free, {"definition": "nope", "value": 1}]) == (
        "customFields[2].definition"
    )
    assert field_of([{"definition": size, "value": 1}, {"value": "x"}], create=True) == "customFields[1].name"
    assert field_of([free, {"id": "nope", "value": "x"}]) == "customFields[1].id"
    assert field_of([{"definition": when, "value": ["x"]}]) == "customFields[0].value"
    assert field_of([{"definition": when, "value": {"x": 1}}]) == "customFields[0].value"
    assert field_of([{"definition": size, "value": 1, "unit": "kg"}]) == "customFields[0].unit"
    assert field_of([free, {"name": "x", "colour": "red"}]) == "customFields[1].colour"
    assert field_of([{"name": "x" * 201}]) == "customFields[0].name"
    assert field_of([{"name": ["x"]}]) == "customFields[0].name"
    assert field_of([{"definition": {"id": 1}, "value": 1}]) == "customFields[0].definition"
    assert field_of("nope") == "customFields"
    assert field_of([1]) == "customFields"
    # Nothing of a refused body was kept.
    assert admin.get(f"/assets/{asset_id}/customFields").json()["count"] == 0


def _upload(tenant: Tenant, name: str) -> str:
    uploaded = tenant.admin.post("/files", files={"file": (name, b"hello", "text/plain")})
    assert uploaded.status_code in (200, 201), uploaded.text
    file_id: str = uploaded.json()["data"]["id"]
    return file_id


def test_files_in_the_body_and_listed(admin: V1, tenant: Tenant, other_tenant: Tenant) -> None:
    manual, photo = _upload(tenant, "manual.txt"), _upload(tenant, "photo.txt")
    created = admin.post("/assets", json={"name": "Boiler", "files": [photo, manual]})
    assert created.status_code == 201, created.text
    asset_id = created.json()["id"]
    listed = admin.get(f"/assets/{asset_id}/files").json()
    assert listed["count"] == 2 and listed["nextCursor"] is None
    assert [f["id"] for f in listed["items"]] == [photo, manual]
    assert set(listed["items"][0]) == FILE_KEYS and listed["items"][0]["name"] == "photo.txt"
    assert listed["items"][0]["url"].startswith("http")
    assert admin.patch(f"/assets/{asset_id}", json={"files": [manual]}).status_code == 200
    assert [f["id"] for f in admin.get(f"/assets/{asset_id}/files").json()["items"]] == [manual]
    assert tenant.admin.get(f"/assets/{asset_id}").json()["result"]["files"] == [manual]
    theirs = other_tenant.admin.post("/files", files={"file": ("a.txt", b"x", "text/plain")}).json()["data"]["id"]
    refused = admin.patch(f"/assets/{asset_id}", json={"files": [theirs]})
    assert error_details(refused, 400, "invalid_request")["field"] == "files"
    assert error_details(admin.patch(f"/assets/{asset_id}", json={"files": "x"}), 400, "invalid_request")["field"] == (
        "files"
    )
    assert error_details(admin.get(f"/assets/{asset_id}/files", params={"page": 2}), 400, "invalid_request")[
        "field"
    ] == ("page")
    assert admin.patch(f"/assets/{asset_id}", json={"files": None}).status_code == 200
    assert admin.get(f"/assets/{asset_id}/files").json()["count"] == 0


def test_a_view_only_user_reads_but_cannot_write(admin: V1, http: TestClient, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux")
    size = tenant.admin.post(
        "/custom-fields/assets", json={"name": "Size", "type": "number", "decimalPrecision": 2}
    ).json()["result"]["id"]
    asset = admin.post("/assets", json={"name": "Boiler", "location": site, "files": [_upload(tenant, "a.txt")]})
    asset_id = asset.json()["id"]
    _record(admin, asset_id, "not-available", "2026-01-01T10:00:00Z")
    viewer = site_client(http, db, tenant.account_id, site, role=Role.VIEW_ONLY)
    assert viewer.get(f"/assets/{asset_id}/downtime").json()["count"] == 1
    assert viewer.get(f"/assets/{asset_id}/files").json()["count"] == 1
    body = {"customFields": [{"definition": size, "value": 3}]}
    error_details(viewer.patch(f"/assets/{asset_id}", json=body), 403, "forbidden")
    error_details(viewer.post("/assets", json={"name": "X", "location": site, **body}), 403, "forbidden")
    staff = site_client(http, db, tenant.account_id, site, role=Role.STAFF)
    assert staff.patch(f"/assets/{asset_id}", json=body).status_code == 200


def test_a_service_account_is_kept_to_its_sites(admin: V1, http: TestClient, db: Database, tenant: Tenant) -> None:
    mine, other = make_place(db, tenant.account_id, "Lux"), make_place(db, tenant.account_id, "Bay")
    file_id = _upload(tenant, "a.txt")
    here = admin.post("/assets", json={"name": "Here", "location": mine, "files": [file_id]}).json()["id"]
    there = admin.post("/assets", json={"name": "There", "location": other, "files": [file_id]}).json()["id"]
    _record(admin, here, "not-available", "2026-01-01T10:00:00Z")
    api = site_client(http, db, tenant.account_id, mine, role=Role.STAFF)
    assert api.get(f"/assets/{here}/downtime").json()["count"] == 1
    # The files of an asset it sees show, though it did not upload them.
    assert [f["id"] for f in api.get(f"/assets/{here}/files").json()["items"]] == [file_id]
    error_details(api.get(f"/assets/{there}/downtime"), 404, "not_found")
    error_details(api.get(f"/assets/{there}/files"), 404, "not_found")
    error_details(api.patch(f"/assets/{there}", json={"customFields": [{"name": "x"}]}), 404, "not_found")


def test_scopes(http: TestClient, db: Database, tenant: Tenant, admin: V1) -> None:
    asset_id = admin.post("/assets", json={"name": "Boiler", "files": [_upload(tenant, "a.txt")]}).json()["id"]
    scopes = ("assets:read", "assets:write", "documents:read")
    client = service_client(db, tenant.account_id, role=Role.ADMIN, scopes=scopes, sites=[])
    reader = v1_client(http, tenant.account_id, client, scope="assets:read")
    assert reader.get(f"/assets/{asset_id}/downtime").json()["count"] == 0
    refused = reader.patch(f"/assets/{asset_id}", json={"customFields": [{"name": "x"}]})
    assert "assets:write" in error_details(refused, 403, "insufficient_scope")["scope"].split()
    # The files are documents too: reading them needs documents:read.
    no_files = error_details(reader.get(f"/assets/{asset_id}/files"), 403, "insufficient_scope")
    assert "documents:read" in no_files["scope"].split()
    both = v1_client(http, tenant.account_id, client, scope="assets:read documents:read")
    assert both.get(f"/assets/{asset_id}/files").json()["count"] == 1
    documents_only = v1_client(http, tenant.account_id, client, scope="documents:read")
    error_details(documents_only.get(f"/assets/{asset_id}/downtime"), 403, "insufficient_scope")
    writer = v1_client(http, tenant.account_id, client, scope="assets:write")
    assert writer.patch(f"/assets/{asset_id}", json={"customFields": [{"name": "x"}]}).status_code == 200


def _v2_files(tenant: Tenant, asset_id: str) -> list[str]:
    files: list[str] = tenant.admin.get(f"/assets/{asset_id}").json()["result"]["files"]
    return files


def test_attach_an_upload_or_a_document_and_detach_one(admin: V1, tenant: Tenant) -> None:
    manual = _upload(tenant, "manual.txt")
    asset_id = admin.post("/assets", json={"name": "Boiler", "files": [manual]}).json()["id"]
    uploaded = admin.upload(f"/assets/{asset_id}/files", files={"file": ("photo.txt", b"hi", "text/plain")})
    assert uploaded.status_code == 201, uploaded.text
    photo = uploaded.json()
    assert set(photo) == FILE_KEYS and (photo["name"], photo["size"]) == ("photo.txt", 2)
    assert photo["url"].startswith("http")
    listed = admin.get(f"/assets/{asset_id}/files").json()["items"]
    assert [f["id"] for f in listed] == [manual, photo["id"]] and listed[1] == photo
    assert admin.get(f"/documents/{photo['id']}").json()["name"] == "photo.txt"
    named = admin.upload(
        f"/assets/{asset_id}/files", files={"file": ("x.txt", b"x", "text/plain")}, data={"name": "Plan"}
    )
    assert named.status_code == 201 and named.json()["name"] == "Plan.txt"
    # an existing document by id, after the others; attaching it again changes nothing
    spare = _upload(tenant, "spare.txt")
    attached = admin.post(f"/assets/{asset_id}/files", json={"file": spare})
    assert attached.status_code == 201, attached.text
    assert attached.json()["id"] == spare and set(attached.json()) == FILE_KEYS
    assert admin.post(f"/assets/{asset_id}/files", json={"file": manual}).status_code == 201
    order = [manual, photo["id"], named.json()["id"], spare]
    assert [f["id"] for f in admin.get(f"/assets/{asset_id}/files").json()["items"]] == order
    assert _v2_files(tenant, asset_id) == order
    # taking one off keeps the others in their order, and the document
    assert admin.delete(f"/assets/{asset_id}/files/{photo['id']}").status_code == 204
    assert _v2_files(tenant, asset_id) == [manual, named.json()["id"], spare]
    assert admin.get(f"/documents/{photo['id']}").status_code == 200
    error_details(admin.delete(f"/assets/{asset_id}/files/{photo['id']}"), 404, "not_found")
    error_details(admin.delete(f"/assets/{asset_id}/files/nope"), 404, "not_found")
    other = admin.post("/assets", json={"name": "Pump", "files": [photo["id"]]}).json()["id"]
    error_details(admin.delete(f"/assets/{other}/files/{spare}"), 404, "not_found")
    assert _v2_files(tenant, other) == [photo["id"]]


def test_attaching_names_the_field(admin: V1, tenant: Tenant, other_tenant: Tenant) -> None:
    asset_id = admin.post("/assets", json={"name": "Boiler"}).json()["id"]
    path = f"/assets/{asset_id}/files"
    theirs = other_tenant.admin.post("/files", files={"file": ("a.txt", b"x", "text/plain")}).json()["data"]["id"]
    for body, field in (
        ({}, "file"),
        ({"file": None}, "file"),
        ({"file": 5}, "file"),
        ({"file": "nope"}, "file"),
        ({"file": theirs}, "file"),
        ({"file": _upload(tenant, "a.txt"), "colour": "red"}, "colour"),
    ):
        assert error_details(admin.post(path, json=body), 400, "invalid_request")["field"] == field, body
    assert error_details(admin.post(path, json=[1]), 400, "invalid_request")
    no_file = admin.upload(path, files={"name": (None, "x")})
    assert error_details(no_file, 400, "invalid_request")["field"] == "file"
    unknown = admin.upload(path, files={"file": ("a.txt", b"x", "text/plain"), "colour": (None, "red")})
    assert error_details(unknown, 400, "invalid_request")["field"] == "colour"
    assert admin.get(path).json()["count"] == 0
    assert _v2_files(tenant, asset_id) == []


def test_another_accounts_asset_files_are_404(admin: V1, tenant: Tenant, other_tenant: Tenant) -> None:
    theirs = other_tenant.admin.post("/assets", json={"name": "Theirs"}).json()["result"]["id"]
    mine = _upload(tenant, "a.txt")
    error_details(admin.post(f"/assets/{theirs}/files", json={"file": mine}), 404, "not_found")
    upload = admin.upload(f"/assets/{theirs}/files", files={"file": ("a.txt", b"x", "text/plain")})
    error_details(upload, 404, "not_found")
    error_details(admin.delete(f"/assets/{theirs}/files/{mine}"), 404, "not_found")
    error_details(admin.post("/assets/nope/files", json={"file": mine}), 404, "not_found")


def test_attaching_needs_the_right_to_update_the_asset(
    admin: V1, http: TestClient, db: Database, tenant: Tenant
) -> None:
    site, other = make_place(db, tenant.account_id, "Lux"), make_place(db, tenant.account_id, "Bay")
    kept = _upload(tenant, "kept.txt")
    asset_id = admin.post("/assets", json={"name": "Boiler", "location": site, "files": [kept]}).json()["id"]
    path = f"/assets/{asset_id}/files"
    viewer = site_client(http, db, tenant.account_id, site, role=Role.VIEW_ONLY)
    error_details(viewer.post(path, json={"file": _upload(tenant, "b.txt")}), 403, "forbidden")
    error_details(viewer.upload(path, files={"file": ("a.txt", b"x", "text/plain")}), 403, "forbidden")
    error_details(viewer.delete(f"{path}/{kept}"), 403, "forbidden")
    elsewhere = site_client(http, db, tenant.account_id, other, role=Role.STAFF)
    error_details(elsewhere.post(path, json={"file": kept}), 404, "not_found")
    error_details(elsewhere.delete(f"{path}/{kept}"), 404, "not_found")
    assert _v2_files(tenant, asset_id) == [kept]
    staff = site_client(http, db, tenant.account_id, site, role=Role.STAFF)
    added = staff.upload(path, files={"file": ("a.txt", b"x", "text/plain")})
    assert added.status_code == 201, added.text
    assert staff.delete(f"{path}/{kept}").status_code == 204
    assert _v2_files(tenant, asset_id) == [added.json()["id"]]
    # documents left by a refused upload: none (the viewer's upload was refused before any was stored)
    assert [d["name"] for d in admin.get("/documents", params={"sort": "name"}).json()["items"]] == [
        "a.txt",
        "b.txt",
        "kept.txt",
    ]


def test_attaching_scopes(http: TestClient, db: Database, tenant: Tenant, admin: V1) -> None:
    asset_id = admin.post("/assets", json={"name": "Boiler"}).json()["id"]
    path, document = f"/assets/{asset_id}/files", _upload(tenant, "a.txt")
    scopes = ("assets:read", "assets:write", "documents:read", "documents:write")
    client = service_client(db, tenant.account_id, role=Role.ADMIN, scopes=scopes, sites=[])
    reader = v1_client(http, tenant.account_id, client, scope="assets:read documents:read")
    refused = error_details(reader.post(path, json={"file": document}), 403, "insufficient_scope")
    assert "assets:write" in refused["scope"].split()
    assets_only = v1_client(http, tenant.account_id, client, scope="assets:write")
    refused = error_details(assets_only.post(path, json={"file": document}), 403, "insufficient_scope")
    assert "documents:read" in refused["scope"].split()
    upload = assets_only.upload(path, files={"file": ("b.txt", b"x", "text/plain")})
    assert "documents:write" in error_details(upload, 403, "insufficient_scope")["scope"].split()
    writer = v1_client(http, tenant.account_id, client, scope="assets:write documents:write")
    assert writer.post(path, json={"file": document}).status_code == 201
    assert writer.upload(path, files={"file": ("b.txt", b"x", "text/plain")}).status_code == 201
    assert assets_only.delete(f"{path}/{document}").status_code == 204
    assert len(_v2_files(tenant, asset_id)) == 1
