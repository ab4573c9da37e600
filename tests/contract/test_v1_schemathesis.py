"""Property-based run of Schemathesis over the /v1 OpenAPI document, through the real app (the
pattern of ``test_upkeep_schemathesis.py``): no 500, and every response as the document declares it."""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance, status_code_conformance

from premises.api.v1.app import openapi_document
from premises.db.engine import Database
from tests.contract.test_upkeep_schemathesis import _multipart_value
from tests.support.client import new_tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, personal_client, v1_client

schema = schemathesis.openapi.from_dict(openapi_document())
EXAMPLES = int(os.environ.get("PREMISES_FUZZ_EXAMPLES", "12"))
DERANDOMIZE = os.environ.get("PREMISES_FUZZ_RANDOM") != "1"


@pytest.fixture(scope="module")
def fuzz_client(http: TestClient, db: Database) -> V1:
    tenant = new_tenant(http, db, name="Fuzzing Co v1")
    make_place(db, tenant.account_id, "Fuzz Site")
    return v1_client(http, tenant.account_id, personal_client(db, tenant.account_id, tenant.admin.user_id))


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=DERANDOMIZE)
def test_no_server_errors_and_schema_conformance(case: Any, http: TestClient, fuzz_client: V1) -> None:
    kwargs = case.as_transport_kwargs(base_url="http://testserver/v1")
    kwargs["headers"] = {**(kwargs.get("headers") or {}), "Authorization": f"Bearer {fuzz_client.token}"}
    if kwargs.get("files"):  # httpx cannot encode the non-string multipart values negative cases generate
        kwargs["files"] = [(name, _multipart_value(part)) for name, part in kwargs["files"]]
    if isinstance(kwargs.get("data"), bytes | str):  # a raw body is httpx's content=, data= is for forms
        kwargs["content"] = kwargs.pop("data")
    cookies = kwargs.pop("cookies", None)
    if cookies:
        kwargs["headers"]["Cookie"] = "; ".join(f"{name}={value}" for name, value in cookies.items())
    response = http.request(**kwargs)
    response.request.read()
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance, response_schema_conformance])
