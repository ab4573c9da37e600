"""Every integer-like input of the API, sent hostile values: never a 500, always an UpKeep error.

The parameters come from the published OpenAPI document (every list route's ``limit``, ``offset``,
``...GreaterThan``-style ranges and integer filters; every integer, number and instant field of every
JSON body), so a new route or field is covered without touching this file. Numbers inside objects
that the document does not spell out (``usefulLife.quantity``, ``additionalCosts[].amount``, custom
field values, checklist values, custom-field filters) and the file download's ``expires`` are listed
below by hand.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from fastapi.testclient import TestClient

from premises.db.engine import Database
from tests.support.surface import Operation, World, body_properties, new_world, numeric_kind, operations

DIGITS_5000 = "9" * 5000
# Refused wherever a number is expected (sent as JSON strings, as query strings, and where the
# JSON encoder allows it as the JSON value itself).
REFUSED: list[Any] = [
    "²",
    "--5",
    "-",
    "+",
    "٣",
    "\uff11",
    DIGITS_5000,
    str(2**63),
    str(-(2**63) - 1),
    " ",
    "NaN",
    "Infinity",
]
REFUSED_JSON_VALUES: list[Any] = [2**63, -(2**63) - 1, 10**30]
RAW_TOKENS = [b"NaN", b"Infinity", b"-Infinity", b"1e400", DIGITS_5000.encode()]
# Not numbers for an integer or an instant; a number ("1e3" = 1000) for a number field; nothing for "".
SOMETIMES = ["1e3", ""]


@pytest.fixture(scope="module")
def world(http: TestClient, db: Database) -> World:
    return new_world(http, db, "Hostile Numbers Co")


def assert_upkeep_error(response: Any, where: str, *, refused: bool) -> None:
    assert response.status_code < 500, f"{where}: {response.status_code} {response.text[:300]}"
    if refused:
        assert 400 <= response.status_code < 500, f"{where}: accepted ({response.status_code})"
    if response.status_code >= 400:
        body = response.json()
        assert body["success"] is False and isinstance(body["message"], str), f"{where}: {body}"


# ------------------------------------------------------------------------------------------ query


def _query_cases() -> list[tuple[str, str]]:
    cases = []
    for operation in operations():
        for parameter in operation.query_parameters:
            if numeric_kind(parameter.get("schema", {})) is not None:
                cases.append((operation.path, parameter["name"]))
    return cases


QUERY_CASES = _query_cases()


def test_the_document_lists_integer_query_parameters() -> None:
    names = {name for _, name in QUERY_CASES}
    assert {"limit", "offset", "createdAtGreaterThan", "updatedAtLessThanOrEqualTo", "priority"} <= names
    assert len({path for path, _ in QUERY_CASES}) >= 12


@pytest.mark.parametrize(("path", "name"), QUERY_CASES, ids=[f"{p} {n}" for p, n in QUERY_CASES])
def test_query_parameter(world: World, path: str, name: str) -> None:
    client = world.tenant.admin
    url = world.fill_path(path)
    for value in [*REFUSED, *SOMETIMES]:
        response = client.get(url, params={name: value})
        assert_upkeep_error(response, f"GET {path}?{name}={value[:20]!r}", refused=value in REFUSED)


# ------------------------------------------------------------------------------------------ bodies


def _body_cases() -> list[tuple[Operation, str, str]]:
    cases = []
    for operation, name, field_schema in body_properties():
        kind = numeric_kind(field_schema)
        if kind is not None:
            cases.append((operation, name, kind))
    return cases


BODY_CASES = _body_cases()


def test_the_document_lists_numeric_body_fields() -> None:
    fields = {(str(op), name) for op, name, _ in BODY_CASES}
    assert ("POST /work-orders", "priority") in fields
    assert ("PATCH /requests/{request_id}/approve", "dueDate") in fields
    assert ("POST /custom-fields/assets", "decimalPrecision") in fields
    assert ("POST /assets/downtime", "recordedOn") in fields
    assert ("POST /locations", "latitude") in fields


def _send(world: World, operation: Operation, body: Any = None, raw: bytes | None = None) -> Any:
    client = world.tenant.admin
    url = "/api/v2" + world.fill_path(operation.path)
    headers = {"Session-Token": client.token, "Content-Type": "application/json"}
    content = raw if raw is not None else json.dumps(body).encode()
    return client.http.request(operation.method, url, content=content, headers=headers)


def _with(world: World, operation: Operation, name: str, value: Any) -> Any:
    body = world.base_body(operation)
    if isinstance(body, list):
        body[0][name] = value
    else:
        body[name] = value
    return body


@pytest.mark.parametrize(("operation", "name", "kind"), BODY_CASES, ids=[f"{op} {name}" for op, name, _ in BODY_CASES])
def test_body_field(world: World, operation: Operation, name: str, kind: str) -> None:
    where = f"{operation} {name}"
    for value in [*REFUSED, *REFUSED_JSON_VALUES, *SOMETIMES, None]:
        response = _send(world, operation, _with(world, operation, name, value))
        refused = value in REFUSED or value in REFUSED_JSON_VALUES or (value == "1e3" and kind != "number")
        if operation.path == "/assets/downtime":  # a batch: answers 200 with per-item errors
            assert response.status_code < 500, f"{where}={str(value)[:20]!r}: {response.text[:300]}"
            continue
        assert_upkeep_error(response, f"{where}={str(value)[:20]!r}", refused=refused)
    for token in RAW_TOKENS:  # not JSON at all (NaN, Infinity) or beyond a double
        marker = "__HOSTILE__"
        raw = json.dumps(_with(world, operation, name, marker)).encode().replace(b'"' + marker.encode() + b'"', token)
        response = _send(world, operation, raw=raw)
        if operation.path != "/assets/downtime":
            assert_upkeep_error(response, f"{where}={token[:20]!r}", refused=True)
        assert response.status_code < 500


# ------------------------------------------------------------------------------------------ nested numbers


def _nested_cases(world: World) -> dict[str, tuple[str, str, Callable[[Any], Any]]]:
    ids = world.ids
    return {
        "usefulLife.quantity": (
            "POST",
            "/assets",
            lambda v: {"name": "A", "usefulLife": {"quantity": v, "units": "years"}},
        ),
        "additionalCosts.amount": (
            "PATCH",
            f"/work-orders/{ids['work_order']}",
            lambda v: {"additionalCosts": [{"amount": v, "info": "x", "category": "Other"}]},
        ),
        "additionalCosts.date": (
            "PATCH",
            f"/work-orders/{ids['work_order']}",
            lambda v: {"additionalCosts": [{"amount": 1, "info": "x", "category": "Other", "date": v}]},
        ),
        "customFields.numberValue": (
            "PATCH",
            f"/assets/{ids['asset']}",
            lambda v: {"customFields": [{"id": ids["definition"], "fieldValue": {"numberValue": v}}]},
        ),
        "formItems.value": (
            "POST",
            "/work-orders",
            lambda v: {"title": "W", "formItems": [{"name": "Reading", "type": "NUMBER", "value": v}]},
        ),
    }


NESTED = [
    "usefulLife.quantity",
    "additionalCosts.amount",
    "additionalCosts.date",
    "customFields.numberValue",
    "formItems.value",
]


@pytest.mark.parametrize("case", NESTED)
def test_nested_number(world: World, case: str) -> None:
    method, path, make = _nested_cases(world)[case]
    client = world.tenant.admin
    for value in [*REFUSED, *REFUSED_JSON_VALUES]:
        response = client.http.request(
            method, "/api/v2" + path, json=make(value), headers={"Session-Token": client.token}
        )
        assert_upkeep_error(response, f"{case}={str(value)[:20]!r}", refused=True)


@pytest.mark.parametrize("kind", ["number", "date"])
@pytest.mark.parametrize("bound", ["minValue", "maxValue"])
def test_custom_field_filters(world: World, kind: str, bound: str) -> None:
    client = world.tenant.admin
    for value in [*REFUSED, str(10**20), "99999999999999999"]:
        params = {
            "customFields[0][id]": world.ids["definition"],
            "customFields[0][type]": kind,
            f"customFields[0][{bound}]": value,
        }
        assert_upkeep_error(client.get("/assets", params=params), f"{kind} {bound}={value[:20]!r}", refused=True)
    for key in ("customFields[²][id]", "customFields[٣][id]", "customFields[1234][id]"):
        assert_upkeep_error(client.get("/assets", params={key: "x"}), key, refused=True)


# ------------------------------------------------------------------------------------------ file links


def test_file_download_expires(world: World, http: TestClient) -> None:
    """Unauthenticated: a bad ``expires`` is a 403 like any bad link, never a (plain-text) 500."""
    parts = urlsplit(world.ids["file_url"])
    for value in [*REFUSED, *SOMETIMES, "-5", "+5"]:
        response = http.get(parts.path, params={"expires": value, "signature": "a"})
        assert response.status_code == 403, f"expires={value[:20]!r}: {response.status_code} {response.text[:200]}"
        assert response.headers["content-type"].startswith("application/json")
    response = http.get("/files/x/y/z", params={"expires": "²", "signature": "a"})
    assert response.status_code == 403
