"""Public UpKeep clients, replayed: each test sends what one client sends and checks what it reads back.

The clients and what they do are in ../shared/reference/upkeep-behaviour.md (each test names its
source). The bodies, content types, paths (trailing slashes included) and the fields read are the
client's own; where a client reads a field, the test asserts that field's type and value.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import Category
from tests.support.client import PASSWORD, Tenant
from tests.support.factories import make_asset, make_place, make_team

TOKEN = re.compile(r"r:[a-z0-9]{32}")
ISO = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")
FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def _form_login(http: TestClient, email: str, path: str = "/api/v2/auth") -> dict[str, Any]:
    body = urlencode({"email": email, "password": PASSWORD})  # what curl -d and URLSearchParams send
    response = http.post(path, content=body.encode(), headers=FORM)
    assert response.status_code == 200, response.text
    answer: dict[str, Any] = response.json()
    return answer


def _add_work_order_category(db: Database, account_id: str, name: str) -> None:
    with db.unit_of_work() as session:
        session.add(
            Category(account_id=account_id, id=new_id(), kind="work_order", name=name, position=99, created_at=now_ms())
        )


def test_aquamancer_downloader_pages_everything_and_resolves_references(
    tenant: Tenant, http: TestClient, db: Database
) -> None:
    """aquamancer/upkeep-api-client main.py: form login, reads result.sessionToken and result.expiresAt,
    asks for every work order with limit=5000, then resolves asset, location and users by id."""
    site = make_place(db, tenant.account_id, "Depot")
    asset = make_asset(db, tenant.account_id, "Forklift", location_id=site)
    for n in range(3):
        tenant.admin.post(
            "/work-orders",
            json={"title": f"Service {n}", "asset": asset, "location": site, "assignedToUser": tenant.admin.user_id},
        )
    login = _form_login(http, tenant.admin.email)
    assert login["success"] is True
    assert TOKEN.fullmatch(login["result"]["sessionToken"]) and ISO.fullmatch(login["result"]["expiresAt"])
    headers = {"Session-Token": login["result"]["sessionToken"]}
    page = http.get("/api/v2/work-orders", params={"limit": 5000, "offset": 0}, headers=headers).json()
    assert page["success"] is True and len(page["results"]) == 3
    for work_order in page["results"]:
        assert isinstance(work_order["asset"], str) and isinstance(work_order["location"], str)
        assert http.get(f"/api/v2/assets/{work_order['asset']}", headers=headers).json()["result"]["name"] == "Forklift"
        assert http.get(f"/api/v2/locations/{work_order['location']}", headers=headers).json()["result"]["name"] == (
            "Depot"
        )
        user = http.get(f"/api/v2/users/{work_order['assignedToUser']}", headers=headers).json()["result"]
        assert user["email"] == tenant.admin.email


def test_robzu_manager_creates_form_encoded_work_orders_and_json_assets(
    tenant: Tenant, http: TestClient, db: Database
) -> None:
    """robzu240899/test_repo upkeep/manager.py and api.py: JSON login at /auth/ (trailing slash), then
    form-encoded work orders with a free-text account category, JSON assets with customFieldsAsset,
    single custom fields patched by id, and a 404 with `work order not found` once a work order is gone."""
    _add_work_order_category(db, tenant.account_id, "Administrative - Picture Association")
    site = make_place(db, tenant.account_id, "Building 7")
    login = http.post("/api/v2/auth/", json={"email": tenant.admin.email, "password": PASSWORD}).json()
    headers = {"Session-Token": login["result"]["sessionToken"]}

    asset_body = {
        "model": "X-200",
        "name": "Camera",
        "serial": "SN-1",
        "location": site,
        "category": "Equipment",
        "description": "Lobby camera",
        "customFieldsAsset": [{"name": "Lens", "value": "35", "unit": "mm"}],
    }
    asset = http.post("/api/v2/assets/", json=asset_body, headers=headers).json()["result"]
    got = http.get(f"/api/v2/assets/{asset['id']}", headers=headers).json()["result"]
    [field] = got["customFieldsAsset"]
    assert {key: field[key] for key in ("name", "value")} == {"name": "Lens", "value": "35"} and field["id"]
    patched = http.patch(
        f"/api/v2/assets/{asset['id']}/custom-fields/{field['id']}", json={"value": "50"}, headers=headers
    )
    assert patched.status_code == 200, patched.text
    again = http.get(f"/api/v2/assets/{asset['id']}", headers=headers).json()["result"]
    assert again["customFieldsAsset"][0]["value"] == "50"

    form = (
        f"asset={asset['id']}&location={site}&assignedToUser={tenant.admin.user_id}"
        "&category=Administrative+-+Picture+Association&priority=2"
        "&title=%5B%2AAUTO%2A%5D+Associate+pictures&description=Nightly+job"
    )
    created = http.post("/api/v2/work-orders/", content=form.encode(), headers={**headers, **FORM})
    assert created.status_code == 200, created.text
    work_order = created.json()["result"]
    assert work_order["title"] == "[*AUTO*] Associate pictures" and work_order["priority"] == 2
    assert work_order["category"] == "Administrative - Picture Association"
    assert work_order["asset"] == asset["id"] and work_order["location"] == site

    assert http.delete(f"/api/v2/work-orders/{work_order['id']}", headers=headers).status_code == 200
    gone = http.patch(f"/api/v2/work-orders/{work_order['id']}", json={"title": "x"}, headers=headers)
    assert gone.status_code == 404
    assert gone.json() == {"success": False, "message": "work order not found"}


def test_pipedream_components_send_epoch_and_iso_dates_and_stop_on_an_empty_page(
    tenant: Tenant, http: TestClient
) -> None:
    """PipedreamHQ/pipedream components/upkeep: create-work-order sends dueDate as Date.parse(...)
    (epoch ms), create-request an ISO string; pages with limit=25 until a page is empty; reads
    GET /asset-downtime-statuses; `const { result } = await create...`."""
    headers = {"Session-Token": tenant.admin.token, "Content-Type": "application/json"}
    due = 1_767_225_600_000  # 2026-01-01T00:00:00.000Z
    created = http.post(
        "/api/v2/work-orders", content=f'{{"title": "Check boiler", "priority": 3, "dueDate": {due}}}', headers=headers
    ).json()
    assert created["result"]["dueDate"] == "2026-01-01T00:00:00.000Z"
    request = http.post(
        "/api/v2/requests",
        content=b'{"title": "Door stuck", "dueDate": "2018-01-09T07:20:22.310Z"}',
        headers=headers,
    ).json()
    assert request["result"]["dueDate"] == "2018-01-09T07:20:22.310Z"
    offset, seen = 0, []
    while True:
        page = http.get("/api/v2/work-orders", params={"limit": 25, "offset": offset}, headers=headers).json()
        if not page["results"]:
            break
        seen += [item["id"] for item in page["results"]]
        offset += 25
    assert seen == [created["result"]["id"]]
    statuses = http.get("/api/v2/asset-downtime-statuses", headers=headers).json()
    assert statuses["success"] is True and isinstance(statuses["results"], list)


def test_machina_connector_status_codes(tenant: Tenant, http: TestClient) -> None:
    """LGDiMaggio/machina connectors/cmms/upkeep.py: exactly 401 means an invalid key; 404 on an unknown
    id means None; lists page with limit=100 and stop on a short page; any non-200 list raises."""
    assert http.get("/api/v2/work-orders", headers={"Session-Token": "r:" + "0" * 32}).status_code == 401
    headers = {"Session-Token": tenant.admin.token}
    assert http.get("/api/v2/work-orders/aaaaaaaaaa", headers=headers).status_code == 404
    assert http.get("/api/v2/assets/aaaaaaaaaa", headers=headers).status_code == 404
    empty = http.get("/api/v2/work-orders", params={"limit": 100, "offset": 0, "status": "open"}, headers=headers)
    assert empty.status_code == 200 and empty.json() == {"success": True, "results": []}


def test_upkeep_py_cancels_requests_reads_team_members_and_posts_update_messages(
    tenant: Tenant, http: TestClient, db: Database
) -> None:
    """samuel-chen-consultant/upkeep-py upkeep.py: PATCH /requests/{id}/cancel, GET /teams/{id}/users,
    POST /work-orders/{id}/update-messages/ {text} (trailing slash), logout with the token in a form body."""
    team = make_team(db, tenant.account_id, "Night shift", members=(tenant.admin.user_id,))
    login = _form_login(http, tenant.admin.email)
    token = login["result"]["sessionToken"]
    headers = {"Session-Token": token}
    request = http.post("/api/v2/requests", data={"title": "Broken light"}, headers=headers).json()["result"]
    cancelled = http.patch(f"/api/v2/requests/{request['id']}/cancel", headers=headers)
    assert cancelled.status_code == 200 and cancelled.json()["success"] is True
    assert http.get(f"/api/v2/requests/{request['id']}", headers=headers).json()["result"]["status"] == "cancelled"
    members = http.get(f"/api/v2/teams/{team}/users", headers=headers).json()["results"]
    assert [member["id"] for member in members] == [tenant.admin.user_id]
    work_order = http.post("/api/v2/work-orders", data={"title": "Replace lamp"}, headers=headers).json()["result"]
    message = http.post(
        f"/api/v2/work-orders/{work_order['id']}/update-messages/", data={"text": "Lamp ordered"}, headers=headers
    )
    assert message.status_code == 200 and message.json()["success"] is True
    logout = http.request("DELETE", "/api/v2/auth", content=f"sessionToken={token}".encode(), headers=FORM)
    assert logout.json() == {"success": True, "message": "session deleted"}
    assert http.get("/api/v2/work-orders", headers=headers).status_code == 401


def test_upkeep_challenge_logout_with_a_json_body(tenant: Tenant, http: TestClient) -> None:
    """mmckelvy/upkeep-challenge api/logout.js: DELETE /auth with the header and a JSON body."""
    token = _form_login(http, tenant.admin.email)["result"]["sessionToken"]
    logout = http.request("DELETE", "/api/v2/auth", json={"sessionToken": token}, headers={"Session-Token": token})
    assert logout.status_code == 200 and logout.json() == {"success": True, "message": "session deleted"}


def test_sso_upgrade_probes_users_with_limits_and_offsets(tenant: Tenant, http: TestClient) -> None:
    """soeprbp/upkeep-sso-upgrade diagnose-upkeep-user-coverage.mjs: GET /users with limit in
    {25, 50, 100, 200} and offset in {0, 50, 54}; it expects every user of the account, page by page."""
    extra = [tenant.as_role("TECH") for _ in range(3)]
    everyone = {tenant.admin.user_id, *(user.user_id for user in extra)}
    headers = {"Session-Token": _form_login(http, tenant.admin.email)["result"]["sessionToken"]}
    for limit in (25, 50, 100, 200):
        for offset in (0, 50, 54):
            page = http.get("/api/v2/users", params={"limit": limit, "offset": offset}, headers=headers).json()
            ids = {user["id"] for user in page["results"]}
            assert ids == (everyone if offset == 0 else set())
