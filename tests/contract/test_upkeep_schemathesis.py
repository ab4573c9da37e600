"""Property-based run of Schemathesis over the /api/v2 OpenAPI document, through the real app.

No generated request may produce a 500, and every response must match the schema the app itself
publishes (status code declared, body valid against the declared schema).
"""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from premises.api.upkeep.app import openapi_document
from premises.db.engine import Database
from tests.support.client import Tenant, new_tenant
from tests.support.factories import make_asset, make_place

schema = schemathesis.openapi.from_dict(openapi_document())
# CI runs a fixed, small sample; a deeper search: PREMISES_FUZZ_EXAMPLES=200 PREMISES_FUZZ_RANDOM=1 make test
EXAMPLES = int(os.environ.get("PREMISES_FUZZ_EXAMPLES", "12"))
DERANDOMIZE = os.environ.get("PREMISES_FUZZ_RANDOM") != "1"
EXCLUDED = {("DELETE", "/auth")}  # would log the fuzzing session out for every later case


@pytest.fixture(scope="module")
def fuzz_tenant(http: TestClient, db: Database) -> Tenant:
    tenant = new_tenant(http, db, name="Fuzzing Co")
    site = make_place(db, tenant.account_id, "Fuzz Site")
    make_asset(db, tenant.account_id, "Fuzz Asset", location_id=site)
    tenant.admin.post("/work-orders", json={"title": "Seed work order", "location": site})
    return tenant


def _multipart_value(part: Any) -> Any:
    filename, value, *rest = part
    if not isinstance(value, str | bytes):
        value = json.dumps(value)
    return (filename, value, *rest)


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=DERANDOMIZE)
def test_no_server_errors_and_schema_conformance(case: Any, http: TestClient, fuzz_tenant: Tenant) -> None:
    if (case.method.upper(), case.path) in EXCLUDED:
        return
    kwargs = case.as_transport_kwargs(base_url="http://testserver/api/v2")
    kwargs["headers"] = {**(kwargs.get("headers") or {}), "Session-Token": fuzz_tenant.admin.token}
    if kwargs.get("files"):  # httpx cannot encode the non-string multipart values negative cases generate
        kwargs["files"] = [(name, _multipart_value(part)) for name, part in kwargs["files"]]
    if isinstance(kwargs.get("data"), bytes | str):  # a raw body is httpx's content=, data= is for forms
        kwargs["content"] = kwargs.pop("data")
    cookies = kwargs.pop("cookies", None)  # httpx deprecates per-request cookies: send them as a header
    if cookies:
        kwargs["headers"]["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    response = http.request(**kwargs)
    response.request.read()  # a multipart body is a stream; the checks below read the request
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance, response_schema_conformance])
