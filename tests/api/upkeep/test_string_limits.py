"""Every string the API stores fits its column, on every engine (issue 5, item 10).

Driven by the published OpenAPI document: for every JSON body field with a ``maxLength`` (the limit
the server enforces, taken from the column by ``body.bounded``), one character more is a 400 and
exactly the maximum is never refused as too long (and, where the field comes back, is stored whole).
Over-long ids in bodies name nothing (400 "x not found"); over-long ids in paths are 404s.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.kit.ids import ID_COLUMN_LENGTH
from tests.support.client import Tenant
from tests.support.surface import Operation, World, body_object, body_properties, new_world, operations, unwrap


@pytest.fixture(scope="module")
def world(http: TestClient, db: Database) -> World:
    return new_world(http, db, "String Limits Co")


def _cases() -> list[tuple[Operation, str, str, int]]:
    cases = []
    for operation, name, field_schema in body_properties():
        field_schema = unwrap(field_schema)
        if field_schema.get("type") == "string" and "maxLength" in field_schema:
            cases.append((operation, name, "string", field_schema["maxLength"]))
        elif field_schema.get("type") == "array" and "maxLength" in (field_schema.get("items") or {}):
            cases.append((operation, name, "id_list", field_schema["items"]["maxLength"]))
    return cases


CASES = _cases()


def _send(world: World, operation: Operation, name: str, value: Any) -> Any:
    body = world.base_body(operation)
    target = body[0] if isinstance(body, list) else body
    target[name] = value
    client = world.tenant.admin
    return client.http.request(
        operation.method,
        "/api/v2" + world.fill_path(operation.path),
        content=json.dumps(body).encode(),
        headers={"Session-Token": client.token, "Content-Type": "application/json"},
    )


def test_every_string_field_is_bounded() -> None:
    """No JSON body field is a string without a maxLength (an enum bounds itself)."""
    for operation in operations():
        schema = operation.body_schema
        if schema is None or operation.path == "/assets/downtime":  # a batch with its own item checks
            continue
        item, _ = body_object(schema)
        for name, field_schema in (item.get("properties") or {}).items():
            field_schema = unwrap(field_schema)
            if field_schema.get("type") == "string":
                assert "maxLength" in field_schema, f"{operation} {name}"
    assert len(CASES) > 80


@pytest.mark.parametrize(("operation", "name", "kind", "limit"), CASES, ids=[f"{o} {n}" for o, n, _, _ in CASES])
def test_one_character_more_is_refused(world: World, operation: Operation, name: str, kind: str, limit: int) -> None:
    is_id = kind == "id_list" or limit == ID_COLUMN_LENGTH
    value: Any = "x" * (limit + 1)
    response = _send(world, operation, name, [value] if kind == "id_list" else value)
    assert response.status_code == 400, f"{operation} {name}: {response.status_code} {response.text[:200]}"
    message = response.json()["message"]
    if is_id:
        assert message.endswith("not found") and name in message, message
    else:
        assert message == f"{name} is too long", message


@pytest.mark.parametrize(("operation", "name", "kind", "limit"), CASES, ids=[f"{o} {n}" for o, n, _, _ in CASES])
def test_the_maximum_fits(world: World, operation: Operation, name: str, kind: str, limit: int) -> None:
    value: Any = "m" * limit
    if name == "email":
        value = "m" * (limit - len("@example.test") - 5) + "@example.test"  # may be refused as an email
    response = _send(world, operation, name, [value] if kind == "id_list" else value)
    assert response.status_code < 500, f"{operation} {name}: {response.status_code} {response.text[:200]}"
    if response.status_code != 200:
        assert "too long" not in response.json()["message"], response.text[:200]
        return
    result = response.json().get("result")
    if isinstance(result, dict) and isinstance(result.get(name), str) and kind == "string" and name != "email":
        assert result[name] == value, f"{operation} {name} was not stored whole"


def test_form_template_names_nothing(tenant: Tenant) -> None:
    """A formTemplate id that names no template of the account is a missing reference, never stored."""
    client = tenant.admin
    for value in ("abc123", "x" * 24):
        response = client.post("/work-orders", json={"title": "W", "formTemplate": value})
        assert response.status_code == 400
        assert response.json() == {"success": False, "message": f"formTemplate {value} not found"}
    long = "x" * 1_000_000
    response = client.post("/work-orders", json={"title": "W", "formTemplate": long})
    assert response.status_code == 400
    assert re.fullmatch(r"formTemplate x{48}\.\.\. not found", response.json()["message"])
    created = client.post("/work-orders", json={"title": "W", "formTemplate": None})
    assert created.status_code == 200 and created.json()["result"]["formTemplate"] is None
    wo = created.json()["result"]["id"]
    response = client.patch(f"/work-orders/{wo}", json={"formTemplate": "abc123"})
    assert response.status_code == 400 and response.json()["message"] == "formTemplate abc123 not found"
    assert client.get("/work-orders").json()["results"][0]["formTemplate"] is None


PATH_OPERATIONS = [op for op in operations() if "{" in op.path]


@pytest.mark.parametrize("operation", PATH_OPERATIONS, ids=[str(o) for o in PATH_OPERATIONS])
def test_over_long_path_ids(world: World, operation: Operation) -> None:
    """Each path id in turn too long for the id column: 404 (or 400), never a 500 (PostgreSQL)."""
    params = re.findall(r"\{(\w+)\}", operation.path)
    client = world.tenant.admin
    for param in params:
        for length in (ID_COLUMN_LENGTH + 1, 5000):
            path = world.fill_path(operation.path.replace("{" + param + "}", "__LONG__")).replace(
                "__LONG__", "y" * length
            )
            body = world.base_body(operation)
            response = client.http.request(
                operation.method,
                "/api/v2" + path,
                content=None if body is None else json.dumps(body).encode(),
                headers={"Session-Token": client.token, "Content-Type": "application/json"},
            )
            assert response.status_code in (400, 404), (
                f"{operation} {param}: {response.status_code} {response.text[:200]}"
            )
            assert response.json()["success"] is False
