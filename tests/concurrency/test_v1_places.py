"""A place's site (``places.site_id``) under parallel moves and creations against a real two-process
server: a building moved between sites while units are created under its floor leaves every place on
the site at the top of its branch (a creation holds its parent's lock; a move locks the branch first)."""

from __future__ import annotations

from typing import Any

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import select

from premises.models import Place
from tests.support.client import Tenant
from tests.support.races import Call, RaceServer, statuses
from tests.support.v1 import personal_client, v1_client


def _calls(server: RaceServer, token: str) -> tuple[Any, Any]:
    headers = {"Authorization": f"Bearer {token}"}

    def post(path: str, body: dict[str, str]) -> Call:
        return lambda connection: connection.post(server.base_url + "/v1" + path, json=body, headers=headers)

    def patch(path: str, body: dict[str, str]) -> Call:
        return lambda connection: connection.patch(server.base_url + "/v1" + path, json=body, headers=headers)

    return post, patch


def _sites_by_walk(server: RaceServer, account_id: str) -> list[tuple[str, str | None, str]]:
    """Each live place of the account: (id, stored site_id, the top of its branch walked up)."""
    with server.db.unit_of_work() as session:
        rows = session.execute(
            select(Place.id, Place.parent_id, Place.site_id).where(Place.account_id == account_id)
        ).all()
    parents = {r.id: r.parent_id for r in rows}

    def top(place_id: str) -> str:
        while parents[place_id] is not None:
            place_id = parents[place_id]
        return place_id

    return [(r.id, r.site_id, top(r.id)) for r in rows]


def test_units_created_while_their_building_moves_keep_its_site(
    server: RaceServer, http: TestClient, tenant: Tenant
) -> None:
    admin = v1_client(http, tenant.account_id, personal_client(tenant.db, tenant.account_id, tenant.admin.user_id))
    first = admin.post("/sites", json={"label": "Lux Apartments"}).json()["id"]
    second = admin.post("/sites", json={"label": "Harbour View"}).json()["id"]
    block = admin.post("/places", json={"label": "Block A", "kind": "building", "parent": first}).json()["id"]
    floor = admin.post("/places", json={"label": "Level 1", "kind": "floor", "parent": block}).json()["id"]
    post, patch = _calls(server, admin.token)
    moves = [patch(f"/places/{block}", {"parent": site}) for site in (second, first, second, first, second)]
    units = [post("/units", {"label": f"Unit {i}", "parent": floor}) for i in range(15)]
    responses: list[httpx.Response] = server.race("", [*moves, *units])  # all released at once
    assert statuses(responses) == {200: 5, 201: 15}, [r.text for r in responses if r.status_code >= 300]
    placed = _sites_by_walk(server, tenant.account_id)
    assert len(placed) == 19 and all(stored == walked for _, stored, walked in placed), placed
    final = admin.get(f"/places/{block}").json()["Site"]["id"]
    listed = admin.get("/units", params={"sites": final, "limit": 50}).json()
    assert listed["count"] == 15 and all(u["Site"]["id"] == final for u in listed["items"])
