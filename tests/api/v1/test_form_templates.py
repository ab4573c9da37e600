"""/v1/formTemplates: checklist templates, the form templates of /api/v2 with the same ids."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import Role
from tests.support.client import Tenant
from tests.support.factories import make_place
from tests.support.v1 import V1, admin_of, error_details, site_client

ITEMS: list[dict[str, Any]] = [
    {"name": "Check the boiler pressure", "type": "TASK"},
    {"name": "Pump state", "type": "MULTIPLE_CHOICE", "options": ["On", "Off"]},
]


def test_create_read_change_delete_and_the_same_template_on_api_v2(admin: V1, tenant: Tenant) -> None:
    created = admin.post("/formTemplates", json={"name": "Daily rounds", "description": "Morning", "formItems": ITEMS})
    assert created.status_code == 201, created.text
    template = created.json()
    assert set(template) == {"id", "name", "description", "formItems", "createdBy", "createdAt", "updatedAt"}
    assert (template["name"], template["description"], template["createdBy"]) == (
        "Daily rounds",
        "Morning",
        admin.user_id,
    )
    assert [(i["name"], i["type"]) for i in template["formItems"]] == [(i["name"], i["type"]) for i in ITEMS]
    assert template["formItems"][1]["options"] == ["On", "Off"]
    assert admin.get(f"/formTemplates/{template['id']}").json() == template
    assert tenant.admin.get(f"/form-templates/{template['id']}").json()["result"]["Name"] == "Daily rounds"
    changed = admin.patch(f"/formTemplates/{template['id']}", json={"formItems": ITEMS[:1], "description": None}).json()
    assert (len(changed["formItems"]), changed["description"]) == (1, None)
    assert admin.get("/form-templates", params={"name": "Daily rounds"}).json()["count"] == 1  # the kebab alias
    assert admin.delete(f"/formTemplates/{template['id']}").status_code == 204
    error_details(admin.get(f"/formTemplates/{template['id']}"), 404, "not_found")


def test_validation_names_the_field(admin: V1) -> None:
    assert error_details(admin.post("/formTemplates", json={"formItems": ITEMS}), 400, "invalid_request") == {
        "code": "required",
        "field": "name",
    }
    assert error_details(admin.post("/formTemplates", json={"name": " "}), 400, "invalid_request")["field"] == "name"
    bad_key = admin.post("/formTemplates", json={"name": "A", "formItems": [{"name": "x", "type": "TASK", "v": 1}]})
    assert error_details(bad_key, 400, "invalid_request")["field"] == "formItems[0].v"
    bad_type = admin.post("/formTemplates", json={"name": "A", "formItems": [{"name": "x", "type": "ESSAY"}]})
    assert error_details(bad_type, 400, "invalid_request")["field"].startswith("formItems[0]")
    assert error_details(admin.get("/formTemplates", params={"sites": "x"}), 400, "invalid_request")["field"] == "sites"


def test_list_counts_sorts_and_searches(admin: V1) -> None:
    for name in ("Weekly", "Daily", "Monthly"):
        assert admin.post("/formTemplates", json={"name": name}).status_code == 201
    listed = admin.get("/formTemplates", params={"sort": "name"}).json()
    assert listed["count"] == 3 and [t["name"] for t in listed["items"]] == ["Daily", "Monthly", "Weekly"]
    assert admin.get("/formTemplates", params={"search": "week"}).json()["count"] == 1


def test_another_accounts_template_is_404(admin: V1, other_tenant: Tenant) -> None:
    other = admin_of(admin.http, *_other(other_tenant))
    theirs = other.post("/formTemplates", json={"name": "Theirs"}).json()["id"]
    error_details(admin.get(f"/formTemplates/{theirs}"), 404, "not_found")
    error_details(admin.patch(f"/formTemplates/{theirs}", json={"name": "Mine"}), 404, "not_found")
    error_details(admin.delete(f"/formTemplates/{theirs}"), 404, "not_found")


def _other(tenant: Tenant) -> tuple[Database, str, str]:
    return tenant.db, tenant.account_id, tenant.admin.user_id


def test_roles_staff_reads_managers_write_and_meters_of_other_sites_are_refused(
    admin: V1, http: TestClient, db: Database, tenant: Tenant
) -> None:
    mine = make_place(db, tenant.account_id, "Lux")
    other = make_place(db, tenant.account_id, "Bay")
    far = admin.post("/meters", json={"name": "Far", "units": "h", "frequency": 1, "location": other}).json()["id"]
    template = admin.post("/formTemplates", json={"name": "Rounds"}).json()
    staff = site_client(http, db, tenant.account_id, mine, role=Role.STAFF)
    assert staff.get(f"/formTemplates/{template['id']}").status_code == 200
    error_details(staff.post("/formTemplates", json={"name": "X"}), 403, "forbidden")
    error_details(staff.delete(f"/formTemplates/{template['id']}"), 403, "forbidden")
    manager = site_client(http, db, tenant.account_id, mine, role=Role.MANAGER)
    assert manager.post("/formTemplates", json={"name": "Mine"}).status_code == 201
    line = {"name": "Hours", "type": "METER_READING", "meter": far}
    refused = manager.post("/formTemplates", json={"name": "Far", "formItems": [line]})
    assert error_details(refused, 400, "invalid_request")["field"] == "formItems[0].meter"
    assert manager.delete(f"/formTemplates/{template['id']}").status_code == 204
