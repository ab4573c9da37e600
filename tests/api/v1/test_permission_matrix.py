"""The rows of the permission table that only /v1 serves (``V1_CASES``), for every role, through one
representative /v1 call by a service account holding that role on the site (and account-wide).

A role missing from a row gets 403 (``role_may_not``); a role with the row's grant succeeds on a record
the admin made. The /api/v2 matrix (tests/api/upkeep/test_permission_matrix.py) checks every other row.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import PERMISSIONS, Role
from premises.kit.ids import new_id
from tests.support.client import new_tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, admin_of, site_client


@dataclass
class World:
    site: str
    admin: V1
    roles: dict[Role, V1]


Prepare = Callable[[World], Any]


def _nothing(world: World) -> None:
    return None


@dataclass(frozen=True)
class Case:
    call: Callable[[V1, World, Any], Any]
    prepare: Prepare = _nothing


def _resident(world: World) -> str:
    body = {"site": world.site, "first": f"Resident {new_id()}", "type": "tenant"}
    response = world.admin.post("/residents", json=body)
    assert response.status_code == 201, response.text
    value: str = response.json()["id"]
    return value


def _contact(world: World) -> str:
    response = world.admin.post("/contacts", json={"name": f"Contact {new_id()}"})
    assert response.status_code == 201, response.text
    value: str = response.json()["id"]
    return value


def _case(world: World) -> str:
    response = world.admin.post("/cases", json={"site": world.site, "title": f"Case {new_id()}"})
    assert response.status_code == 201, response.text
    value: str = response.json()["id"]
    return value


V1_CASES: dict[tuple[str, str], Case] = {
    ("case", "read"): Case(lambda me, w, i: me.get(f"/cases/{i}"), _case),
    ("case", "create"): Case(lambda me, w, _: me.post("/cases", json={"site": w.site, "title": "New"})),
    ("case", "update"): Case(lambda me, w, i: me.patch(f"/cases/{i}", json={"title": "Changed"}), _case),
    ("case", "comment"): Case(lambda me, w, i: me.post(f"/cases/{i}/comments", json={"body": "On it"}), _case),
    ("case", "delete"): Case(lambda me, w, i: me.delete(f"/cases/{i}"), _case),
    ("case_type", "read"): Case(lambda me, w, _: me.get(f"/sites/{w.site}/caseTypes")),
    ("case_type", "create"): Case(
        lambda me, w, _: me.post(f"/sites/{w.site}/caseTypes", json={"name": f"Type {new_id()}"})
    ),
    ("resident", "read"): Case(lambda me, w, i: me.get(f"/residents/{i}"), _resident),
    ("resident", "create"): Case(
        lambda me, w, _: me.post("/residents", json={"site": w.site, "first": "New", "type": "owner"})
    ),
    ("resident", "update"): Case(lambda me, w, i: me.patch(f"/residents/{i}", json={"phone": "+6100"}), _resident),
    ("resident", "delete"): Case(lambda me, w, i: me.delete(f"/residents/{i}"), _resident),
    ("contact", "read"): Case(lambda me, w, i: me.get(f"/contacts/{i}"), _contact),
}


@pytest.fixture(scope="module")
def world(http: TestClient, db: Database) -> World:
    tenant = new_tenant(http, db, name="v1 Permission Matrix Co")
    site = make_place(db, tenant.account_id, "Matrix Site")
    roles = {role: site_client(http, db, tenant.account_id, site, role=role) for role in Role}
    return World(site, admin_of(http, db, tenant.account_id, tenant.admin.user_id), roles)


def test_every_v1_case_is_a_row_of_the_table() -> None:
    assert set(V1_CASES) <= set(PERMISSIONS)


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
@pytest.mark.parametrize("row", sorted(V1_CASES), ids=lambda row: ".".join(row))
def test_role_gets_what_the_table_says(world: World, row: tuple[str, str], role: Role) -> None:
    case, me = V1_CASES[row], world.roles[role]
    response = case.call(me, world, case.prepare(world))
    if PERMISSIONS[row].get(role) is None:
        assert response.status_code == 403, response.text
        assert response.json()["details"]["code"] == "role_may_not"
    else:
        assert response.status_code in (200, 201, 204), response.text
