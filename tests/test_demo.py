"""`premises demo` loads an account an UpKeep client can log in to and use."""

from __future__ import annotations

from fastapi.testclient import TestClient

from premises.db.engine import Database
from premises.demo.loader import ADMIN_EMAIL, DEMO_PASSWORD, USERS, load_demo
from tests.support.client import UpKeep, login


def test_demo_account_is_complete_and_idempotent(http: TestClient, db: Database) -> None:
    first = load_demo(db, work_orders=60)
    assert "Loaded the demo account" in first
    assert "already loaded" in load_demo(db, work_orders=60)
    for handle, _role, *_ in USERS:
        assert login(http, f"{handle}@demo.premises.test", DEMO_PASSWORD).startswith("r:")
    admin = UpKeep(http, login(http, ADMIN_EMAIL, DEMO_PASSWORD), "", "", ADMIN_EMAIL)
    work_orders = admin.get("/work-orders", params={"limit": 500}).json()["results"]
    assert len(work_orders) >= 60
    assert {w["status"] for w in work_orders} == {"open", "onHold", "inProgress", "complete"}
    requests = admin.get("/requests", params={"limit": 500}).json()["results"]
    assert {r["status"] for r in requests} == {"open", "approved", "rejected", "cancelled"}
    locations = admin.get("/locations", params={"limit": 500}).json()["results"]
    assert len([loc for loc in locations if loc.get("parentLocation") in (None, "")]) == 3
    assert len(admin.get("/assets").json()["results"]) == 30
    assert len(admin.get("/teams").json()["results"]) == 3
    assert len(admin.get("/vendors").json()["results"]) == 5
    assert len(admin.get("/customers").json()["results"]) == 8
    stock = admin.get("/parts").json()["results"]
    assert len(stock) == 4 and any(w["parts"] for w in work_orders)
    used = sum(q for w in work_orders for q in w["respectivePartQuantityUsed"])
    assert sum(float(p["quantity"]) for p in stock) == 80 + 60 + 200 + 40 - used  # auto: every use came from stock
    [rounds] = admin.get("/form-templates").json()["results"]
    assert rounds["Name"] == "Daily Rounds" and len(rounds["formItems"]) == 5
    assert any(w["formTemplate"] == rounds["id"] and len(w["formItems"]) == 5 for w in work_orders)
    roles = {u["accountType"] for u in admin.get("/users").json()["results"]}
    assert roles == {"ADMIN", "TECH", "LIMITED_TECH", "VIEW_ONLY", "REQUESTER"}
    site_tech = UpKeep(http, login(http, "site.tech.kim@demo.premises.test", DEMO_PASSWORD), "", "", "")
    visible = site_tech.get("/locations", params={"limit": 500}).json()["results"]
    assert 0 < len(visible) < len(locations)
