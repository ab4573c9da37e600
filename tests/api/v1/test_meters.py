"""/v1/meters and their readings: the meters of /api/v2 with the same ids."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.identity.permissions import Role
from tests.support.client import Tenant
from tests.support.factories import make_asset, make_place
from tests.support.v1 import V1, error_details, site_client

ISO_MS = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$")
METER_KEYS = {
    "id",
    "name",
    "units",
    "frequency",
    "cumulative",
    "asset",
    "location",
    "lastReading",
    "createdAt",
    "updatedAt",
}
READING_KEYS = {"id", "value", "date", "isReset", "userId", "createdAt", "updatedAt"}


def _meter(api: V1, **body: object) -> dict[str, object]:
    created = api.post("/meters", json={"name": "Boiler hours", "units": "hours", "frequency": 7, **body})
    assert created.status_code == 201, created.text
    meter: dict[str, object] = created.json()
    return meter


def test_meter_and_readings_round_trip(admin: V1, db: Database, tenant: Tenant) -> None:
    site = make_place(db, tenant.account_id, "Lux")
    asset = make_asset(db, tenant.account_id, "Boiler", location_id=site)
    meter = _meter(admin, asset=asset, location=site, cumulative=True)
    assert set(meter) == METER_KEYS
    assert (meter["name"], meter["units"], meter["frequency"], meter["cumulative"]) == (
        "Boiler hours",
        "hours",
        7,
        True,
    )
    assert (meter["asset"], meter["location"], meter["lastReading"]) == (asset, site, None)
    assert ISO_MS.match(str(meter["createdAt"]))
    first = admin.post(f"/meters/{meter['id']}/readings", json={"value": 100, "date": "2026-01-01T08:00:00.000Z"})
    assert first.status_code == 201, first.text
    reading = first.json()
    assert set(reading) == READING_KEYS
    assert (reading["value"], reading["date"], reading["isReset"], reading["userId"]) == (
        100,
        "2026-01-01T08:00:00.000Z",
        False,
        admin.user_id,
    )
    second = admin.post(f"/meters/{meter['id']}/readings", json={"value": 150, "date": "2026-01-02T08:00:00.000Z"})
    seen = admin.get(f"/meters/{meter['id']}").json()
    assert seen["lastReading"] == {"id": second.json()["id"], "value": 150, "date": "2026-01-02T08:00:00.000Z"}
    readings = admin.get(f"/meters/{meter['id']}/readings", params={"sort": "-date"}).json()
    assert readings["count"] == 2 and [r["value"] for r in readings["items"]] == [150, 100]
    changed = admin.patch(f"/meters/{meter['id']}/readings/{reading['id']}", json={"value": 90})
    assert changed.status_code == 200 and changed.json()["value"] == 90
    assert admin.get(f"/meters/{meter['id']}/readings/{reading['id']}").json()["value"] == 90
    assert admin.delete(f"/meters/{meter['id']}/readings/{reading['id']}").status_code == 204
    error_details(admin.get(f"/meters/{meter['id']}/readings/{reading['id']}"), 404, "not_found")
    # The same meter and reading on /api/v2.
    v2 = tenant.admin.get(f"/meters/{meter['id']}").json()["result"]
    assert v2["name"] == "Boiler hours"
    renamed = admin.patch(f"/meters/{meter['id']}", json={"name": "Run hours", "frequency": 1}).json()
    assert (renamed["name"], renamed["frequency"]) == ("Run hours", 1)
    assert admin.delete(f"/meters/{meter['id']}").status_code == 204
    error_details(admin.get(f"/meters/{meter['id']}"), 404, "not_found")


def test_a_cumulative_meter_refuses_a_lower_reading(admin: V1) -> None:
    meter = _meter(admin, cumulative=True)
    admin.post(f"/meters/{meter['id']}/readings", json={"value": 100, "date": "2026-01-01T00:00:00.000Z"})
    lower = admin.post(f"/meters/{meter['id']}/readings", json={"value": 50, "date": "2026-01-02T00:00:00.000Z"})
    assert error_details(lower, 400, "invalid_request")["field"] == "value"
    reset = {"value": 50, "date": "2026-01-02T00:00:00.000Z", "isReset": True}
    assert admin.post(f"/meters/{meter['id']}/readings", json=reset).status_code == 201


def test_list_filters_and_sites(admin: V1, db: Database, tenant: Tenant) -> None:
    lux = make_place(db, tenant.account_id, "Lux")
    plant = make_place(db, tenant.account_id, "Plant room", parent_id=lux)
    bay = make_place(db, tenant.account_id, "Bay")
    _meter(admin, name="Gas", units="m3", location=plant)
    _meter(admin, name="Water", units="m3", location=bay)
    _meter(admin, name="Power", units="kWh")
    assert admin.get("/meters").json()["count"] == 3
    assert [m["name"] for m in admin.get("/meters", params={"units": "m3", "sort": "name"}).json()["items"]] == [
        "Gas",
        "Water",
    ]
    assert [m["name"] for m in admin.get("/meters", params={"sites": lux}).json()["items"]] == ["Gas"]
    assert admin.get("/meters", params={"search": "pow"}).json()["count"] == 1


def test_validation_names_the_field(admin: V1) -> None:
    missing = admin.post("/meters", json={"name": "A", "units": "h"})
    assert error_details(missing, 400, "invalid_request") == {"code": "required", "field": "frequency"}
    assert error_details(admin.post("/meters", json={"units": "h", "frequency": 1}), 400, "invalid_request")[
        "field"
    ] == ("name")
    negative = admin.post("/meters", json={"name": "A", "units": "h", "frequency": -1})
    assert error_details(negative, 400, "invalid_request")["field"] == "frequency"
    nowhere = admin.post("/meters", json={"name": "A", "units": "h", "frequency": 1, "location": "nope"})
    assert error_details(nowhere, 400, "invalid_request")["field"] == "location"
    meter = _meter(admin)
    no_value = admin.post(f"/meters/{meter['id']}/readings", json={"date": "2026-01-01T00:00:00Z"})
    assert error_details(no_value, 400, "invalid_request")["field"] == "value"
    bad_date = admin.post(f"/meters/{meter['id']}/readings", json={"value": 1, "date": "yesterday"})
    assert error_details(bad_date, 400, "invalid_request")["field"] == "date"
    reading = admin.post(f"/meters/{meter['id']}/readings", json={"value": 1}).json()
    reset = admin.patch(f"/meters/{meter['id']}/readings/{reading['id']}", json={"isReset": True})
    assert error_details(reset, 400, "invalid_request")["field"] == "isReset"
    assert error_details(admin.get(f"/meters/{meter['id']}/readings", params={"sites": "x"}), 400, "invalid_request")[
        "field"
    ] == ("sites")


def test_another_accounts_meter_is_404(admin: V1, other_tenant: Tenant) -> None:
    theirs = other_tenant.admin.post("/meters", json={"name": "T", "units": "h", "frequency": 1}).json()["result"]["id"]
    error_details(admin.get(f"/meters/{theirs}"), 404, "not_found")
    error_details(admin.patch(f"/meters/{theirs}", json={"name": "Mine"}), 404, "not_found")
    error_details(admin.delete(f"/meters/{theirs}"), 404, "not_found")
    error_details(admin.get(f"/meters/{theirs}/readings"), 404, "not_found")
    error_details(admin.post(f"/meters/{theirs}/readings", json={"value": 1}), 404, "not_found")


def test_a_service_account_reaches_only_the_meters_of_its_sites(
    admin: V1, http: TestClient, db: Database, tenant: Tenant
) -> None:
    mine = make_place(db, tenant.account_id, "Lux")
    other = make_place(db, tenant.account_id, "Bay")
    here = _meter(admin, name="Here", location=mine)
    there = _meter(admin, name="There", location=other)
    _meter(admin, name="Nowhere")
    api = site_client(http, db, tenant.account_id, mine, role=Role.STAFF)
    listed = api.get("/meters").json()
    assert [m["id"] for m in listed["items"]] == [here["id"]] and listed["count"] == 1
    error_details(api.get(f"/meters/{there['id']}"), 404, "not_found")
    error_details(api.post(f"/meters/{there['id']}/readings", json={"value": 1}), 404, "not_found")
    assert error_details(api.get("/meters", params={"sites": other}), 403, "forbidden")["id"] == other
    assert api.get("/meters", params={"search": "There"}).json()["count"] == 0
    assert api.post(f"/meters/{here['id']}/readings", json={"value": 1}).status_code == 201


def test_roles_staff_reads_and_records_managers_delete(
    admin: V1, http: TestClient, db: Database, tenant: Tenant
) -> None:
    site = make_place(db, tenant.account_id, "Lux")
    meter = _meter(admin, location=site)
    staff = site_client(http, db, tenant.account_id, site, role=Role.STAFF)
    assert staff.patch(f"/meters/{meter['id']}", json={"units": "h"}).status_code == 200
    reading = staff.post(f"/meters/{meter['id']}/readings", json={"value": 3})
    assert reading.status_code == 201
    error_details(staff.delete(f"/meters/{meter['id']}"), 403, "forbidden")
    viewer = site_client(http, db, tenant.account_id, site, role=Role.VIEW_ONLY)
    assert viewer.get(f"/meters/{meter['id']}/readings").json()["count"] == 1
    error_details(viewer.post(f"/meters/{meter['id']}/readings", json={"value": 4}), 403, "forbidden")
    manager = site_client(http, db, tenant.account_id, site, role=Role.MANAGER)
    assert manager.delete(f"/meters/{meter['id']}/readings/{reading.json()['id']}").status_code == 204
    assert manager.delete(f"/meters/{meter['id']}").status_code == 204
