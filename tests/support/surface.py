"""The /api/v2 surface as the published OpenAPI document describes it, for tests that must cover every
operation, parameter or body field (new ones included) without a hand-kept list.

``World`` is one account with one record of every kind a path can name; ``fill_path`` puts their ids
into a path template; ``base_body`` is the smallest body the operation's schema accepts (its required
fields), so that one field at a time can be replaced by a hostile value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from premises.api.upkeep.app import openapi_document
from premises.db.engine import Database
from premises.event.service import record_event, snapshot
from premises.event.types import EventType
from premises.kit.ids import new_id
from premises.models import WorkOrder
from tests.support.client import PASSWORD, Tenant, new_tenant
from tests.support.factories import make_asset, make_place, make_team
from tests.support.jobs import run_fan_out

JSON_BODY = "application/json"


@dataclass(frozen=True)
class Operation:
    method: str
    path: str
    spec: dict[str, Any]

    @property
    def body_schema(self) -> dict[str, Any] | None:
        content = (self.spec.get("requestBody") or {}).get("content") or {}
        schema = (content.get(JSON_BODY) or {}).get("schema")
        return schema if isinstance(schema, dict) else None

    @property
    def query_parameters(self) -> list[dict[str, Any]]:
        return [p for p in self.spec.get("parameters", []) if p.get("in") == "query"]

    def __str__(self) -> str:
        return f"{self.method} {self.path}"


def operations() -> Iterator[Operation]:
    for path, methods in openapi_document()["paths"].items():
        for method, spec in methods.items():
            if method in ("get", "post", "put", "patch", "delete"):
                yield Operation(method.upper(), path, spec)


def unwrap(schema: dict[str, Any]) -> dict[str, Any]:
    """The non-null branch of ``anyOf: [X, null]``."""
    options = schema.get("anyOf")
    if options:
        real = [o for o in options if o.get("type") != "null"]
        if len(real) == 1:
            return unwrap(real[0])
    return schema


def body_object(schema: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """The object schema of a body, and whether the body is an array of such objects."""
    if schema.get("type") == "array" and isinstance(schema.get("items"), dict):
        return schema["items"], True
    return schema, False


def body_properties() -> Iterator[tuple[Operation, str, dict[str, Any]]]:
    """Every top-level field of every documented request body: (operation, field name, its schema)."""
    for operation in operations():
        if operation.body_schema is None:
            continue
        item, _ = body_object(operation.body_schema)
        for name, field_schema in (item.get("properties") or {}).items():
            yield operation, name, field_schema


def numeric_kind(schema: dict[str, Any]) -> str | None:
    """``integer``, ``number`` or ``instant`` (epoch ms or ISO 8601) when the schema takes a number."""
    schema = unwrap(schema)
    if "oneOf" in schema and any(o.get("type") == "integer" for o in schema["oneOf"]):
        return "instant"
    enum = schema.get("enum")
    if enum and all(isinstance(v, int) and not isinstance(v, bool) for v in enum):
        return "integer"
    kind = schema.get("type")
    return kind if kind in ("integer", "number") else None


@dataclass
class World:
    tenant: Tenant
    ids: dict[str, str]

    def fill_path(self, template: str) -> str:
        """The path with every ``{param}`` replaced by the id of a live record of the right kind."""
        parts = template.strip("/").split("/")
        out: list[str] = []
        for index, part in enumerate(parts):
            match = re.fullmatch(r"\{(\w+)\}", part)
            if match is None:
                out.append(part)
                continue
            out.append(self.ids[_kind_of(match[1], parts[:index])])
        return "/" + "/".join(out)

    def base_body(self, operation: Operation) -> Any:
        """The required fields of the operation's JSON body, each with an acceptable value."""
        schema = operation.body_schema
        if schema is None:
            return None
        item_schema, is_array = body_object(schema)
        body = {
            name: self._value(name, unwrap(item_schema["properties"].get(name, {})), operation)
            for name in item_schema.get("required", [])
        }
        return [body] if is_array else body

    def _value(self, name: str, schema: dict[str, Any], operation: Operation) -> Any:
        if name in ("email",):
            return f"surface-{new_id().lower()}@example.test"
        if name == "password":
            return PASSWORD
        if name in ("assetId", "asset"):
            return self.ids["asset"]
        if name in ("locationIds",):
            return [self.ids["location"]]
        enum = schema.get("enum")
        if enum:
            return "number" if "number" in enum else ("not-available" if "not-available" in enum else enum[0])
        kind = numeric_kind(schema)
        if kind == "instant":
            return "2024-01-02T03:04:05.000Z"
        if kind in ("integer", "number"):
            return 1
        if schema.get("type") == "array":
            return []
        # Names must be unique for several resources: every call gets its own.
        return f"Surface {new_id()}"


def _kind_of(param: str, before: list[str]) -> str:
    previous = before[-1] if before else ""
    if param == "field_id":
        return {
            "assets": "asset_custom_field",
            "locations": "location_custom_field",
            "parts": "part_custom_field",
            "purchase-orders": "purchase_order_custom_field",
        }.get(before[-3] if len(before) >= 3 and previous == "custom-fields" else "", "definition")
    if param == "member_id":
        return {"users": "user", "teams": "team", "customers": "customer", "vendors": "vendor"}[previous]
    return param.removesuffix("_id")


def _delivery(db: Database, account_id: str, work_order_id: str) -> str:
    """A webhook delivery of the account's webhook (its job stays queued: no test worker claims it)."""
    with db.unit_of_work() as session:
        event = record_event(
            session,
            account_id=account_id,
            type=EventType.WORK_ORDER_UPDATED,
            resource_type="work_order",
            resource_id=work_order_id,
            payload=snapshot(session.get(WorkOrder, (account_id, work_order_id))),
        )
        event_id = event.id
    (delivery,) = run_fan_out(db, account_id, event_id)
    return delivery


def build_world(tenant: Tenant, db: Database) -> World:
    """One record of every kind a /api/v2 path names, in the tenant's account."""
    admin = tenant.admin
    account = tenant.account_id
    location = make_place(db, account, "Surface Site")
    asset = make_asset(db, account, "Surface Asset", location_id=location)
    tech = tenant.as_role("TECH")
    team = make_team(db, account, "Surface Team")

    def ok(response: Any) -> dict[str, Any]:
        assert response.status_code == 200, response.text
        result: dict[str, Any] = response.json()["result"]
        return result

    work_order = ok(admin.post("/work-orders", json={"title": "Surface work order", "location": location}))
    request = ok(admin.post("/requests", json={"title": "Surface request", "location": location}))
    customer = ok(admin.post("/customers", json={"name": "Surface customer"}))
    vendor = ok(admin.post("/vendors", json={"businessName": "Surface vendor"}))
    status = ok(admin.post("/asset-downtime-statuses", json={"name": "Surface status"}))
    definition = ok(
        admin.post("/custom-fields/assets", json={"name": "Surface number", "type": "number", "decimalPrecision": 2})
    )
    asset_fields = ok(admin.patch(f"/assets/{asset}", json={"customFieldsAsset": [{"name": "width", "value": "1"}]}))
    location_fields = ok(
        admin.post("/locations", json={"name": "Surface B", "customFieldsLocation": [{"name": "floor", "value": "1"}]})
    )
    location = location_fields["id"]
    part = ok(admin.post("/parts", json={"name": "Surface part", "customFieldsPart": [{"name": "size", "value": "M"}]}))
    part_category = ok(admin.post("/part-categories", json={"name": f"Surface {new_id()}"}))
    po_fields = [{"name": "SAP", "value": "1"}]
    purchase_order = ok(admin.post("/purchase-orders", json={"title": "Surface PO", "customFieldsPO": po_fields}))
    po_category = ok(admin.post("/purchase-order-categories", json={"name": f"Surface {new_id()}"}))
    meter = ok(admin.post("/meters", json={"name": "Surface meter", "units": "h", "frequency": 1, "asset": asset}))
    meter_path = f"/meters/{meter['id']}"
    reading = ok(admin.post(f"{meter_path}/readings", json={"value": 1}))
    trigger = {"title": "Surface trigger", "triggerValue": 1e12, "triggerFrequency": "EVERY_TIME_IS_GREATER_THAN"}
    notification = ok(admin.post(f"{meter_path}/notifications", json=trigger))
    hook = admin.post("/webhooks", json={"title": "Surface webhook", "endpoint": "https://93.184.215.14/surface"})
    assert hook.status_code == 200, hook.text
    webhook = hook.json()["webhookId"]
    delivery = _delivery(db, account, work_order["id"])
    template = ok(admin.post("/form-templates", json={"Name": "Surface checklist", "formItems": []}))
    upload = admin.post(
        "/files", files={"file": ("surface.txt", b"surface", "text/plain"), "filename": (None, "surface")}
    )
    assert upload.status_code == 200, upload.text
    file = upload.json()["data"]
    ids = {
        "work_order": work_order["id"],
        "request": request["id"],
        "asset": asset,
        "location": location,
        "user": tech.user_id,
        "team": team,
        "customer": customer["id"],
        "vendor": vendor["id"],
        "status": status["id"],
        "definition": definition["id"],
        "asset_custom_field": asset_fields["customFieldsAsset"][0]["id"],
        "location_custom_field": location_fields["customFieldsLocation"][0]["id"],
        "file": file["id"],
        "part": part["id"],
        "part_custom_field": part["customFieldsPart"][0]["id"],
        "category": part_category["id"],
        "purchase_order": purchase_order["id"],
        "purchase_order_custom_field": purchase_order["customFieldsPO"][0]["id"],
        "purchase_order_category": po_category["id"],
        "meter": meter["id"],
        "reading": reading["id"],
        "notification": notification["id"],
        "webhook": webhook,
        "delivery": delivery,
        "template": template["id"],
        "file_url": file["url"],
    }
    return World(tenant, ids)


def new_world(http: Any, db: Database, name: str) -> World:
    return build_world(new_tenant(http, db, name=name), db)
