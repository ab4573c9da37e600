"""/v1/assets: the account's assets (the assets of /api/v2, with the same ids) and their downtime.

An asset is at a place (``location``, a site or a place below one): a location-based caller sees the
assets at its places (``asset.visibility``), and ``sites`` lists the assets at or below those sites.
``downtimeStatus`` is ``available``, ``not-available`` or the id of one of the account's downtime
statuses; ``POST /v1/assets/{id}/downtime`` records a change of it (``asset.downtime``), which moves
``downtimeStatus`` when it is the asset's newest. ``GET /v1/assets/{id}/customFields`` lists the
asset's custom field values (a typed field's is named by its definition's id), ``PATCH`` and
``DELETE /v1/assets/{id}/customFields/{fieldId}`` change or remove one (``asset.service``).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Field, Spec, read_body
from premises.api.kit.listing import check_keys
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.runtime import Runtime
from premises.api.v1.embedded import MAYBE_INSTANT
from premises.api.v1.listing import ListSpec, page_body, parse_list, requested_sites
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, object_schema, responses
from premises.asset import downtime, queries, service
from premises.asset.commands import AssetChanges, AssetCreate, DowntimeEvent, ValueChanges
from premises.asset.fields import ASSETS
from premises.errors import DomainValidation
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models import Asset, CustomFieldValue

router = APIRouter(tags=["assets"])

V1 = Fields(
    ASSETS.attach(
        "v1",
        {
            "id": Wire("id"),
            "name": Wire("name", filter="The asset's name (a comma list: any of)", sort=True),
            "description": Wire("description"),
            "model": Wire("model"),
            "serial": Wire("barcode", filter="The barcode (a comma list: any of)"),
            "serial_number": Wire("serialNumber", filter="The serial number (a comma list: any of)"),
            "additional_information": Wire("additionalInformation"),
            "notes": Wire("notes"),
            "area": Wire("area"),
            "status": Wire("status", filter="active, inactive (a comma list: any of)"),
            "category": Wire("category", filter="The asset category (a comma list: any of)", sort=True),
            "location_id": Wire("location", filter="The asset's place (a comma list: any of)"),
            "parent_asset_id": Wire("parentAsset"),
            "manufacturer_vendor_id": Wire("manufacturer"),
            "assigned_to_user_id": Wire("assignee", filter="The assigned user's id (a comma list: any of)"),
            "created_by_user_id": Wire("createdBy"),
            "image_file_id": Wire("image"),
            "purchase_date": Wire("purchaseDate", instant, schema=MAYBE_INSTANT, sort=True),
            "placed_in_service_date": Wire("placedInServiceDate", instant, schema=MAYBE_INSTANT),
            "warranty_expiration": Wire("warrantyExpiration", instant, schema=MAYBE_INSTANT, sort=True),
            "purchase_price": Wire("purchasePrice", sort=True),
            "residual_value": Wire("residualValue"),
            "downtime_status": Wire(
                "downtimeStatus", filter="available, not-available or a downtime status id (a comma list: any of)"
            ),
            "availability_tracking_on": Wire("availabilityTracking", bool),
            "incomplete_work_orders": Wire("incompleteWorkOrders"),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
CREATE = Spec(*V1.body_fields(required=required_of(AssetCreate)), model=Asset)
UPDATE = Spec(*V1.body_fields(not_null=("name", "status", "downtimeStatus")), model=Asset)
LIST = ListSpec.of(V1, site_field=None)
SCHEMA = object_schema(V1)
to_v1 = V1.render
# One downtime record: the new availability, when it changed, and (not available) the reason's status id.
DOWNTIME = Spec(
    Field("status", required=True, choices=("available", "not-available")),
    Field("recordedAt", required=True),
    Field("statusCategory", max_length=40),
)
# The v1 names of the domain fields a refused downtime record names.
_DOWNTIME_NAMES = {"status": "status", "recorded_on": "recordedAt", "status_category_id": "statusCategory"}


# One custom field value of an asset: a typed field's (``definition`` set; its value as text) or a free one.
_TEXT = {"type": ["string", "null"]}
CUSTOM_FIELD_SCHEMA = {
    "type": "object",
    "required": ["id", "definition", "name", "value", "unit", "createdAt", "updatedAt"],
    "properties": {
        "id": {"type": "string"},
        "definition": _TEXT,
        "name": _TEXT,
        "value": _TEXT,
        "unit": _TEXT,
        "createdAt": INSTANT_SCHEMA,
        "updatedAt": INSTANT_SCHEMA,
    },
}
CUSTOM_FIELD = Spec(
    Field("name", max_length=200, nullable=False),
    Field("value", max_length=5000),
    Field("unit", max_length=100),
    model=CustomFieldValue,
)


def custom_field_to_v1(value: dict[str, Any]) -> dict[str, Any]:
    """A custom field value as /v1 shows it: a typed field is named by its definition's id and name."""
    typed = value["definition_id"] is not None
    return {
        "id": value["definition_id"] if typed else value["id"],
        "definition": value["definition_id"],
        "name": value["definition_name"] if typed else value["name"],
        "value": value["value"],
        "unit": None if typed else value["unit"],
        "createdAt": instant(value["created_at"]),
        "updatedAt": instant(value["updated_at"]),
    }


async def _asset(runtime: Runtime, principal: Principal, asset_id: str) -> dict[str, Any]:
    return to_v1(await queries.get_asset(runtime.reader, principal, asset_id))


@router.get("/assets", responses=responses(list_schema(SCHEMA)), openapi_extra=LIST.openapi())
async def list_assets(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    query = parse_list(request, LIST, principal)
    rows, count = await queries.page_of_assets(runtime.reader, principal, query, requested_sites(request, principal))
    return JSON(page_body(query, rows, count, [to_v1(r) for r in rows]))


@router.get("/assets/{asset_id}", responses=responses(SCHEMA))
async def get_asset(asset_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset())
    return JSON(await _asset(runtime, principal, asset_id))


@router.post("/assets", status_code=201, responses=responses(SCHEMA, status=201), openapi_extra=CREATE.openapi())
async def create_asset(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = build(AssetCreate, CREATE.parse(await read_body(request)))
    asset_id = await runtime.write(lambda s: service.create_asset(s, principal, command).id)
    return JSON(await _asset(runtime, principal, asset_id), status_code=201)


@router.patch("/assets/{asset_id}", responses=responses(SCHEMA), openapi_extra=UPDATE.openapi(partial=True))
async def update_asset(asset_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    changes = build(AssetChanges, UPDATE.parse(await read_body(request), partial=True))
    await queries.get_asset(runtime.reader, principal, asset_id)
    await runtime.write(lambda s: service.update_asset(s, principal, asset_id, changes).id)
    return JSON(await _asset(runtime, principal, asset_id))


@router.delete("/assets/{asset_id}", status_code=204, responses=responses(None, status=204))
async def delete_asset(asset_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await queries.get_asset(runtime.reader, principal, asset_id)
    await runtime.write(lambda s: service.delete_asset(s, principal, asset_id))
    return Response(status_code=204)


@router.post("/assets/{asset_id}/downtime", responses=responses(SCHEMA), openapi_extra=DOWNTIME.openapi())
async def record_downtime(asset_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Record a change of the asset's availability; the asset as it now is."""
    body = DOWNTIME.parse(await read_body(request))
    await queries.get_asset(runtime.reader, principal, asset_id)
    event = DowntimeEvent(
        asset_id=asset_id,
        status=body["status"],
        recorded_on=body["recordedAt"],
        status_category_id=body.get("statusCategory"),
    )
    outcome = (await runtime.write(lambda s: downtime.record_downtime(s, principal, [event])))[0]
    if outcome.errors:
        error = outcome.errors[0]
        name = _DOWNTIME_NAMES.get(error.field, error.field)
        raise DomainValidation(f"{name} is not acceptable ({error.code.value})", field=name)
    return JSON(await _asset(runtime, principal, asset_id))


@router.get("/assets/{asset_id}/customFields", responses=responses(list_schema(CUSTOM_FIELD_SCHEMA)))
async def list_custom_fields(asset_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset())
    await queries.get_asset(runtime.reader, principal, asset_id)
    values = (await queries.custom_values(runtime.reader, principal, [asset_id]))[asset_id]
    items = [custom_field_to_v1(v) for v in values if v["definition_id"] is None or v["definition_deleted_at"] is None]
    return JSON({"count": len(items), "items": items, "nextCursor": None})


@router.patch(
    "/assets/{asset_id}/customFields/{field_id}",
    responses=responses(CUSTOM_FIELD_SCHEMA),
    openapi_extra=CUSTOM_FIELD.openapi(partial=True),
)
async def update_custom_field(
    asset_id: str, field_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    """Change one custom field: a free field's ``name``, ``value``, ``unit``; a typed field's ``value``."""
    changes = build(ValueChanges, CUSTOM_FIELD.parse(await read_body(request), partial=True))
    await runtime.write(lambda s: service.update_custom_field(s, principal, asset_id, field_id, changes).id)
    return JSON(custom_field_to_v1(await queries.get_asset_custom_field(runtime.reader, principal, asset_id, field_id)))


@router.delete("/assets/{asset_id}/customFields/{field_id}", status_code=204, responses=responses(None, status=204))
async def delete_custom_field(asset_id: str, field_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_custom_field(s, principal, asset_id, field_id))
    return Response(status_code=204)
