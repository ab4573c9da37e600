"""/v1/assets: the account's assets (the assets of /api/v2, with the same ids) and their downtime.

An asset is at a place (``location``, a site or a place below one): a location-based caller sees the
assets at its places (``asset.visibility``), and ``sites`` lists the assets at or below those sites.
``downtimeStatus`` is ``available``, ``not-available`` or the id of one of the account's downtime
statuses; ``POST /v1/assets/{id}/downtime`` records a change of it (``asset.downtime``), which moves
``downtimeStatus`` when it is the asset's newest. ``GET /v1/assets/{id}/customFields`` lists the
asset's custom field values (a typed field's is named by its definition's id), ``PATCH`` and
``DELETE /v1/assets/{id}/customFields/{fieldId}`` change or remove one (``asset.service``); an asset
shows them (``customFields``), and POST and PATCH take ``customFields`` (typed values and free fields in
one list) and ``files`` in the asset's body.
``GET /v1/assets/{id}/downtime`` pages the downtime history, ``GET /v1/assets/{id}/files`` lists the
asset's files as ``/v1/documents`` shows them. ``POST /v1/assets/{id}/files`` attaches one file after the
others (201, the file as the list shows it): a new upload (``multipart/form-data``: ``file`` and ``name``,
as ``POST /v1/documents`` takes it, the document and its attachment in one transaction) or an existing
document (a JSON or form body ``{"file": "<document id>"}``; one already attached stays where it is);
``DELETE /v1/assets/{id}/files/{fileId}`` takes one off (204; the document stays). Both need the right to
update the asset (``asset.service.attach_file``, ``detach_file``); attaching reads the file too.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Field, Spec, read_body
from premises.api.kit.listing import check_keys
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.limits import takes_files
from premises.api.runtime import Runtime
from premises.api.v1 import custom_fields
from premises.api.v1.embedded import MAYBE_INSTANT
from premises.api.v1.listing import ListSpec, each, get_route, list_route, requested_sites, whole_list
from premises.api.v1.routes import documents
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, object_schema, responses
from premises.asset import downtime, queries, service
from premises.asset.commands import AssetChanges, AssetCreate, DowntimeEvent
from premises.asset.fields import ASSETS, DOWNTIMES
from premises.db.reader import Reader
from premises.errors import DomainValidation
from premises.file import queries as file_queries
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models import Asset

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
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA, then=("customFields",)),
        },
    )
)
# The body fields that are no column of the asset: its files (the list replaced) and custom fields.
_OWN = (Field("files", "id_list", to="file_ids"), Field("customFields", "object_list", to="custom_fields"))
CREATE = Spec(*V1.body_fields(required=required_of(AssetCreate)), *_OWN, model=Asset)
UPDATE = Spec(*V1.body_fields(not_null=("name", "status", "downtimeStatus")), *_OWN, model=Asset)
LIST = ListSpec.of(V1, site_field=None)
# One downtime record: the new availability, when it changed, and (not available) the reason's status id.
DOWNTIME = Spec(
    Field("status", required=True, choices=("available", "not-available")),
    Field("recordedAt", required=True),
    Field("statusCategory", max_length=40),
)
# The v1 names of the domain fields a refused downtime record names.
_DOWNTIME_NAMES = {"status": "status", "recorded_on": "recordedAt", "status_category_id": "statusCategory"}


# An asset: its columns, then its custom field values as GET /v1/assets/{id}/customFields lists them.
SCHEMA = object_schema(V1, {"customFields": {"type": "array", "items": custom_fields.SCHEMA}})
SCHEMA["required"] = [*SCHEMA["required"], "customFields"]


def to_v1(row: dict[str, Any], values: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """An asset as /v1 shows it, with its custom field values (``queries.custom_values``)."""
    out = V1.render(row)
    out["customFields"] = [custom_fields.to_v1(v) for v in values]
    return out


def _with_custom_fields(fields: dict[str, Any]) -> tuple[dict[str, Any], custom_fields.CustomFields | None]:
    """The parsed body with ``customFields`` split into the command's ``custom_fields`` and ``free_fields``."""
    if "custom_fields" not in fields:
        return fields, None
    custom = custom_fields.CustomFields(fields.pop("custom_fields") or [])
    return {**fields, "custom_fields": custom.typed, "free_fields": custom.free}, custom


async def _write_asset(runtime: Runtime, custom: custom_fields.CustomFields | None, work: Any) -> str:
    """Run the asset's write; a refused custom field names its place in the body (``customFields[i].<part>``),
    a missing file (``asset.service`` names it ``file``, as UpKeep's message words it) ``files``."""
    try:
        return str(await runtime.write(work))
    except DomainValidation as refused:
        field = refused.field or ""
        name = "files" if field == "file" else custom.name_of(field) if custom is not None else None
        if name is None:
            raise
        raise DomainValidation(refused.sentence or refused.code, field=name, **refused.params) from None


async def _asset(runtime: Runtime, principal: Principal, asset_id: str) -> dict[str, Any]:
    row = await queries.get_asset(runtime.reader, principal, asset_id)
    return to_v1(row, (await queries.custom_values(runtime.reader, principal, [asset_id]))[asset_id])


async def _assets(runtime: Runtime, principal: Principal, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    values = await queries.custom_values(runtime.reader, principal, [r["id"] for r in rows])
    return [to_v1(r, values[r["id"]]) for r in rows]


@router.get("/assets", responses=responses(list_schema(SCHEMA)), openapi_extra=LIST.openapi())
async def list_assets(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fetch = lambda r, p, q: queries.page_of_assets(r, p, q, requested_sites(request, p))  # noqa: E731
    return await list_route(
        request, runtime.reader, principal, LIST, fetch, lambda rows: _assets(runtime, principal, rows)
    )


@router.get("/assets/{asset_id}", responses=responses(SCHEMA))
async def get_asset(asset_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    return await get_route(request, lambda: _asset(runtime, principal, asset_id))


@router.post("/assets", status_code=201, responses=responses(SCHEMA, status=201), openapi_extra=CREATE.openapi())
async def create_asset(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields, custom = _with_custom_fields(CREATE.parse(await read_body(request)))
    command = build(AssetCreate, fields)
    asset_id = await _write_asset(runtime, custom, lambda s: service.create_asset(s, principal, command).id)
    return JSON(await _asset(runtime, principal, asset_id), status_code=201)


@router.patch("/assets/{asset_id}", responses=responses(SCHEMA), openapi_extra=UPDATE.openapi(partial=True))
async def update_asset(asset_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields, custom = _with_custom_fields(UPDATE.parse(await read_body(request), partial=True))
    changes = build(AssetChanges, fields)
    await queries.get_asset(runtime.reader, principal, asset_id)
    await _write_asset(runtime, custom, lambda s: service.update_asset(s, principal, asset_id, changes).id)
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


async def _custom_values(reader: Reader, principal: Principal, asset_id: str) -> list[dict[str, Any]]:
    """The asset's custom field values as GET /v1/assets/{id}/customFields lists them: a typed field's while
    its definition is not deleted, and every free field."""
    await queries.get_asset(reader, principal, asset_id)
    values = (await queries.custom_values(reader, principal, [asset_id]))[asset_id]
    return [v for v in values if v["definition_id"] is None or v["definition_deleted_at"] is None]


custom_fields.add_custom_field_routes(
    router,
    "asset",
    collection="assets",
    read_all=_custom_values,
    read=queries.get_asset_custom_field,
    update=service.update_custom_field,
    delete=service.delete_custom_field,
    descriptions={
        "update": "Change one custom field: a free field's ``name``, ``value``, ``unit``; a typed field's ``value``."
    },
)


# ------------------------------------------------------------------------------------------ downtime history

DOWNTIME_V1 = Fields(
    DOWNTIMES.attach(
        "v1",
        {
            "id": Wire("id"),
            "status": Wire("status", filter="available, not-available (a comma list: any of)"),
            "status_category_id": Wire("statusCategory", filter="A downtime status id (a comma list: any of)"),
            "user_id": Wire("user"),
            "recorded_on": Wire("recordedAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
DOWNTIMES_LIST = ListSpec.of(DOWNTIME_V1, site_field=None, sited=False)
DOWNTIME_SCHEMA = object_schema(DOWNTIME_V1)


@router.get(
    "/assets/{asset_id}/downtime",
    responses=responses(list_schema(DOWNTIME_SCHEMA)),
    openapi_extra=DOWNTIMES_LIST.openapi(),
)
async def list_downtime(asset_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """The asset's downtime history, newest first."""
    fetch = lambda r, p, q: queries.page_of_downtimes(r, p, asset_id, q)  # noqa: E731
    return await list_route(request, runtime.reader, principal, DOWNTIMES_LIST, fetch, each(DOWNTIME_V1.render))


# ------------------------------------------------------------------------------------------ files


@router.get("/assets/{asset_id}/files", responses=responses(list_schema(documents.SCHEMA)))
async def list_files(asset_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """The asset's files in their order, as /v1/documents shows them (a signed download ``url`` each)."""
    check_keys(request, frozenset())
    rows = await queries.files_of_asset(runtime.reader, principal, asset_id)
    items = [documents.to_v1(r, runtime.settings) for r in rows]
    return JSON(whole_list(items))


# Attach an existing document by id; an upload (``multipart/form-data``) takes documents.UPLOAD_BODY's form.
ATTACH = Spec(Field("file", "id", required=True, nullable=False))
ATTACH_BODY = {
    "requestBody": {
        "required": True,
        "content": {**ATTACH.openapi()["requestBody"]["content"], **documents.UPLOAD_BODY["requestBody"]["content"]},
    }
}


@router.post(
    "/assets/{asset_id}/files",
    status_code=201,
    responses=responses(documents.SCHEMA, status=201),
    openapi_extra=ATTACH_BODY,
)
@takes_files  # an upload may be as large as PREMISES_MAX_UPLOAD_BYTES (premises.api.limits)
async def attach_file(asset_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Attach one file: uploaded with the request, or a document by its id; the file as the list shows it."""
    await queries.get_asset(runtime.reader, principal, asset_id)
    principal.require("asset", "update")

    def attach(session: Session, file_id: str) -> str:
        return service.attach_file(session, principal, asset_id, file_id).id

    if documents.is_upload(request):
        file_id = await documents.receive_upload(request, runtime, principal, then=attach)
    else:
        file_id = ATTACH.parse(await read_body(request))["file"]
        await runtime.write(lambda s: attach(s, file_id))
    row = await file_queries.get_file(runtime.reader, principal, file_id)
    return JSON(documents.to_v1(row, runtime.settings), status_code=201)


@router.delete("/assets/{asset_id}/files/{file_id}", status_code=204, responses=responses(None, status=204))
async def detach_file(asset_id: str, file_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await queries.get_asset(runtime.reader, principal, asset_id)
    await runtime.write(lambda s: service.detach_file(s, principal, asset_id, file_id))
    return Response(status_code=204)
