"""The OAuth scopes of users, teams, contractors, cost categories, documents, parts, purchase
orders, preventive maintenance, meters and form templates: ``<resource>:read`` reads and nothing more;
``<resource>:write`` also writes."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import Role
from tests.support.client import Tenant
from tests.support.v1 import error_details, service_client, v1_client

# scope prefix, list path, a create body the write scope allows
RESOURCES = [
    ("users", "/users", {"email": "scoped@scopes.example.test", "password": "correct horse battery staple"}),
    ("teams", "/teams", {"name": "Plumbers"}),
    ("contractors", "/contractors", {"name": "Acme"}),
    ("parts", "/parts", {"name": "Filter"}),
    ("assets", "/assets", {"name": "Boiler"}),
    ("purchaseOrders", "/purchaseOrders", {"title": "Filters"}),
    (
        "preventiveMaintenance",
        "/preventiveMaintenance",
        {
            "name": "Gutters",
            "scheduleType": "EVERY_N_DAYS",
            "start": "2031-01-01T08:00:00",
            "timeZone": "UTC",
            "title": "Clear",
        },
    ),
    ("meters", "/meters", {"name": "Hours", "units": "h", "frequency": 1}),
    ("formTemplates", "/formTemplates", {"name": "Rounds"}),
    ("requests", "/requests", {"title": "Leaking tap"}),
]


@pytest.mark.parametrize(("resource", "path", "body"), RESOURCES)
def test_read_scope_reads_and_write_scope_writes(
    resource: str, path: str, body: dict[str, object], http: TestClient, db: Database, tenant: Tenant
) -> None:
    scopes = (f"{resource}:read", f"{resource}:write")
    client = service_client(db, tenant.account_id, role=Role.ADMIN, scopes=scopes)
    reader = v1_client(http, tenant.account_id, client, scope=f"{resource}:read")
    assert reader.get(path).status_code == 200
    refused = error_details(reader.post(path, json=body), 403, "insufficient_scope")
    assert f"{resource}:write" in refused["scope"].split()  # (contacts:write makes contractors too)
    assert error_details(reader.get("/sites"), 403, "insufficient_scope")["scope"].split() == [
        "sites:read",
        "sites:write",
    ]
    writer = v1_client(http, tenant.account_id, client, scope=f"{resource}:write")
    created = writer.post(path, json=body)
    assert created.status_code == 201, created.text


def test_cost_categories_and_documents_scopes(http: TestClient, db: Database, tenant: Tenant) -> None:
    client = service_client(db, tenant.account_id, role=Role.ADMIN, scopes=("costCategories:read", "documents:read"))
    api = v1_client(http, tenant.account_id, client)
    assert api.get("/costCategories").status_code == 200
    assert api.get("/documents").status_code == 200
    upload = api.upload("/documents", files={"file": ("a.txt", b"hello", "text/plain")})
    assert error_details(upload, 403, "insufficient_scope")["scope"].split() == ["documents:write"]
    error_details(api.get("/parts"), 403, "insufficient_scope")
