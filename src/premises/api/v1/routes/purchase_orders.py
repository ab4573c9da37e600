"""/v1/purchaseOrders: the account's purchase orders (the purchase orders of /api/v2, with the same ids),
each with its part lines embedded (``parts``: ``[{"id", "quantity", "received", "unitCost"}]``, ``id``
being the part's) and their totals.

The workflow is a set of actions, not a writable ``status``: ``POST /v1/purchaseOrders/{id}/approve``,
``/decline``, ``/reopen`` (back to awaiting) and ``/fulfil`` (everything still pending arrives; with
``{"receipt": {partId: count}}`` only those counts, the order ``partially-fulfilled`` until nothing is
pending), each ``purchase_order.service.update_purchase_order`` with a status or a receipt; a move the
workflow does not allow is a 422. Purchase orders have no place: every caller that may read them sees
all of the account's, and a part line must be a part the caller sees.

Custom fields are /api/v2's ``customFieldsPO`` (the same rows: free fields ``{name, value, unit}``, owner
``purchase_order``): an order shows them (``customFields``, oldest first, the items of
``GET /v1/assets/{id}/customFields``' shape with ``definition`` null), POST and PATCH take ``customFields``
as an asset's body takes its free fields (``api.v1.custom_fields.CustomFields``; a typed ``definition`` is a 400,
purchase orders have none; a PATCH adds or changes, never removes), ``GET /v1/purchaseOrders/{id}/customFields``
lists them, ``PATCH`` and ``DELETE .../customFields/{fieldId}`` change or remove one.
``GET /v1/purchaseOrders/{id}/updates`` pages the order's update messages (/api/v2's ``arrayOfUpdateItems``),
oldest first, and ``POST`` adds one (``{"text"}``; 201, the message): ``service.add_update_message``.
``GET /v1/purchaseOrders/{id}/receipts`` pages what was received on the order, oldest first: the inventory
ledger's rows whose source is the order (one a part and receipt, partial or the fulfilment of the rest:
who, when, which part, how many), ``queries.page_of_receipts``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Field, Spec, read_body
from premises.api.kit.errors import WireInputError
from premises.api.kit.listing import check_keys
from premises.api.kit.order_lines import order_lines, receipt
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.v1 import custom_fields
from premises.api.v1.listing import ListSpec, each, get_route, list_route
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import (
    INSTANT_SCHEMA,
    JSON,
    camel,
    instant,
    list_schema,
    nullable_instant,
    object_schema,
    responses,
)
from premises.db.reader import Reader
from premises.errors import ErrorCode
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models import PurchaseOrder
from premises.purchase_order import queries, service
from premises.purchase_order.commands import PurchaseOrderChanges, PurchaseOrderCreate
from premises.purchase_order.fields import PURCHASE_ORDERS, RECEIPTS, UPDATE_MESSAGES

router = APIRouter(tags=["purchaseOrders"])

NUMBER = {"type": "number"}
LINES_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "quantity", "received", "unitCost"],
        "properties": {
            "id": {"type": "string"},
            "quantity": NUMBER,
            "received": NUMBER,
            "unitCost": {"type": ["number", "null"]},
        },
    },
}


# Fields /v1 shows as they are, under their camelCase names (numbers as numbers), in this order.
PLAIN = (
    "tax",
    "shipping_cost",
    "other_cost",
    "requisitioner",
    "shipping_method",
    "fob_point",
    "terms",
    "notes",
    *(f"company_{part}" for part in ("name", "slogan", "street", "city", "state", "zip", "phone", "fax")),
    *(f"shipping_{part}" for part in ("name", "company", "street", "city", "state", "zip", "phone", "fax")),
)


V1 = Fields(
    PURCHASE_ORDERS.attach(
        "v1",
        {
            "id": Wire("id"),
            "purchase_order_number": Wire("number", sort=True),
            "title": Wire("title", filter="The title (a comma list: any of)", sort=True),
            "description": Wire("description"),
            "status": Wire(
                "status",
                filter="awaiting, approved, declined, partially-fulfilled, fulfilled (a comma list: any of)",
                body=False,
            ),
            "category": Wire("category", filter="The purchase-order category's name (a comma list: any of)"),
            "vendor_id": Wire(
                "vendor",
                filter="The vendor's contact id (a comma list: any of)",
                then=("totalQuantity", "totalCost", "parts"),
            ),
            "po_date": nullable_instant("poDate", sort=True),
            "due_date": nullable_instant("dueDate", sort=True),
            **{name: Wire(camel(name)) for name in PLAIN},
            "created_by_user_id": Wire("createdBy"),
            "approved_at": nullable_instant("approvedAt"),
            "approved_by_user_id": Wire("approvedBy"),
            "declined_at": nullable_instant("declinedAt"),
            "declined_by_user_id": Wire("declinedBy"),
            "fulfilled_at": nullable_instant("fulfilledAt"),
            "fulfilled_by_user_id": Wire("fulfilledBy"),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA, then=("customFields",)),
        },
    )
)
PARTS = Field("parts", "object_list", to="parts")  # [{"id": part id, "quantity": n}]; PATCH replaces every line
# Free custom fields, as an asset's body takes them; a PATCH adds or changes, never removes (/api/v2's rule).
CUSTOM_FIELDS = Field("customFields", "object_list", to="custom_fields")
CREATE = Spec(*V1.body_fields(required=required_of(PurchaseOrderCreate)), PARTS, CUSTOM_FIELDS, model=PurchaseOrder)
UPDATE = Spec(*V1.body_fields(not_null=("title", "purchase_order_number")), PARTS, CUSTOM_FIELDS, model=PurchaseOrder)
FULFIL = Spec(Field("receipt", "object", to="receipt"))
LIST = ListSpec.of(V1, site_field=None, sited=False)
CUSTOM_FIELDS_SCHEMA = {"type": "array", "items": custom_fields.SCHEMA}
SCHEMA = object_schema(
    V1, {"totalQuantity": NUMBER, "totalCost": NUMBER, "parts": LINES_SCHEMA, "customFields": CUSTOM_FIELDS_SCHEMA}
)
SCHEMA["required"] = [*SCHEMA["required"], "customFields"]
ACTIONS = {"approve": service.APPROVED, "decline": service.DECLINED, "reopen": service.AWAITING}


def _with_lines(fields: dict[str, Any]) -> dict[str, Any]:
    """The parsed body's ``parts`` as order lines and ``customFields`` as the command's free fields (an
    item's index is the domain's, so a refused one is named ``customFields[i].<part>``)."""
    if fields.get("parts") is not None:
        fields["parts"] = order_lines(fields["parts"])
    if "custom_fields" in fields:
        custom = custom_fields.CustomFields(fields["custom_fields"] or [])
        if custom.typed:
            index = custom.at["custom_fields"][0]
            where = f"customFields[{index}].definition"
            raise WireInputError(ErrorCode.NOT_FOUND, field=where, id=custom.typed[0].definition_id[:100])
        fields["custom_fields"] = custom.free
    return fields


def _render(
    row: Mapping[str, Any], lines: Sequence[Mapping[str, Any]], fields: Sequence[Mapping[str, Any]]
) -> dict[str, Any]:
    out = V1.render(row)
    out["totalQuantity"] = sum(line["quantity"] for line in lines)
    out["totalCost"] = round(sum(line["quantity"] * (line["unit_cost"] or 0) for line in lines), 6)
    out["parts"] = [
        {
            "id": line["part_id"],
            "quantity": line["quantity"],
            "received": line["received"],
            "unitCost": line["unit_cost"],
        }
        for line in lines
    ]
    out["customFields"] = [custom_fields.free_to_v1(f) for f in fields]
    return out


async def _render_all(runtime: RuntimeDep, principal: Principal, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    ids = [r["id"] for r in rows]
    lines = await queries.lines(runtime.reader, principal, ids)
    fields = await queries.custom_fields(runtime.reader, principal, ids, newest_first=False)
    return [_render(row, lines[row["id"]], fields.get(row["id"], [])) for row in rows]


async def _order(runtime: RuntimeDep, principal: Principal, order_id: str, status_code: int = 200) -> Response:
    row = await queries.get_purchase_order(runtime.reader, principal, order_id)
    return JSON((await _render_all(runtime, principal, [row]))[0], status_code=status_code)


async def _change(runtime: RuntimeDep, principal: Principal, order_id: str, changes: PurchaseOrderChanges) -> Response:
    await runtime.write(lambda s: service.update_purchase_order(s, principal, order_id, changes).id)
    return await _order(runtime, principal, order_id)


@router.get("/purchaseOrders", responses=responses(list_schema(SCHEMA)), openapi_extra=LIST.openapi())
async def list_purchase_orders(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    render = lambda rows: _render_all(runtime, principal, rows)  # noqa: E731
    return await list_route(request, runtime.reader, principal, LIST, queries.page_of_purchase_orders, render)


@router.get("/purchaseOrders/{purchase_order_id}", responses=responses(SCHEMA))
async def get_purchase_order(
    purchase_order_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    return await get_route(request, lambda: _order(runtime, principal, purchase_order_id))


@router.post(
    "/purchaseOrders", status_code=201, responses=responses(SCHEMA, status=201), openapi_extra=CREATE.openapi()
)
async def create_purchase_order(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields = _with_lines(CREATE.parse(await read_body(request)))
    fields["parts"] = fields.get("parts") or ()
    fields["custom_fields"] = fields.get("custom_fields") or ()
    command = build(PurchaseOrderCreate, fields)
    order_id = await runtime.write(lambda s: service.create_purchase_order(s, principal, command).id)
    return await _order(runtime, principal, order_id, 201)


@router.patch(
    "/purchaseOrders/{purchase_order_id}", responses=responses(SCHEMA), openapi_extra=UPDATE.openapi(partial=True)
)
async def update_purchase_order(
    purchase_order_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    changes = build(PurchaseOrderChanges, _with_lines(UPDATE.parse(await read_body(request), partial=True)))
    return await _change(runtime, principal, purchase_order_id, changes)


@router.delete("/purchaseOrders/{purchase_order_id}", status_code=204, responses=responses(None, status=204))
async def delete_purchase_order(purchase_order_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_purchase_order(s, principal, purchase_order_id))
    return Response(status_code=204)


def _decide(status: str) -> Any:
    async def decide(
        purchase_order_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
    ) -> Response:
        check_keys(request, frozenset())
        return await _change(runtime, principal, purchase_order_id, PurchaseOrderChanges(status=status))

    return decide


for _action, _status in ACTIONS.items():
    router.add_api_route(
        f"/purchaseOrders/{{purchase_order_id}}/{_action}",
        _decide(_status),
        methods=["POST"],
        name=f"{_action}_purchase_order",
        responses=responses(SCHEMA, extra=(422,)),
    )


@router.post(
    "/purchaseOrders/{purchase_order_id}/fulfil",
    responses=responses(SCHEMA, extra=(422,)),
    openapi_extra=FULFIL.openapi(partial=True),
)
async def fulfil_purchase_order(
    purchase_order_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    """Without a body every pending part arrives (status ``fulfilled``); ``{"receipt": {partId: count}}``
    receives those counts only."""
    received = FULFIL.parse(await read_body(request), partial=True).get("receipt")
    if received is None:
        return await _change(runtime, principal, purchase_order_id, PurchaseOrderChanges(status=service.FULFILLED))
    return await _change(
        runtime, principal, purchase_order_id, PurchaseOrderChanges(receipt=receipt(received, "receipt"))
    )


# ------------------------------------------------------------------------------------------ custom fields


async def _custom_fields(reader: Reader, principal: Principal, purchase_order_id: str) -> list[dict[str, Any]]:
    """The order's free custom fields, oldest first."""
    await queries.get_purchase_order(reader, principal, purchase_order_id)
    return (await queries.custom_fields(reader, principal, [purchase_order_id], newest_first=False))[purchase_order_id]


custom_fields.add_custom_field_routes(
    router,
    "purchase_order",
    collection="purchaseOrders",
    read_all=_custom_fields,
    read=queries.get_custom_field,
    update=service.update_custom_field,
    delete=service.delete_custom_field,
    render=custom_fields.free_to_v1,
    descriptions={
        "list": "The order's free custom fields, oldest first (all on one page).",
        "update": "Change one custom field's ``name``, ``value``, ``unit``.",
    },
)


# ------------------------------------------------------------------------------------------ update messages

UPDATES_V1 = Fields(
    UPDATE_MESSAGES.attach(
        "v1",
        {
            "id": Wire("id"),
            "text": Wire("text"),
            "created_by_user_id": Wire("createdBy", filter="The author's user id (a comma list: any of)"),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
UPDATES_LIST = ListSpec.of(UPDATES_V1, site_field=None, sited=False)
UPDATE_SCHEMA = object_schema(UPDATES_V1)
ADD_UPDATE = Spec(Field("text", required=True, nullable=False, max_length=UPDATE_MESSAGES.by_name["text"].max_length))


@router.get(
    "/purchaseOrders/{purchase_order_id}/updates",
    responses=responses(list_schema(UPDATE_SCHEMA)),
    openapi_extra=UPDATES_LIST.openapi(),
)
async def list_update_messages(
    purchase_order_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    """The order's update messages, oldest first."""
    fetch = lambda r, p, q: queries.page_of_update_messages(r, p, purchase_order_id, q)  # noqa: E731
    return await list_route(request, runtime.reader, principal, UPDATES_LIST, fetch, each(UPDATES_V1.render))


@router.post(
    "/purchaseOrders/{purchase_order_id}/updates",
    status_code=201,
    responses=responses(UPDATE_SCHEMA, status=201),
    openapi_extra=ADD_UPDATE.openapi(),
)
async def add_update_message(
    purchase_order_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    """Add an update message (``text``, not blank); the message."""
    text = ADD_UPDATE.parse(await read_body(request))["text"]
    message_id = await runtime.write(lambda s: service.add_update_message(s, principal, purchase_order_id, text).id)
    message = await queries.get_update_message(runtime.reader, principal, purchase_order_id, message_id)
    return JSON(UPDATES_V1.render(message), status_code=201)


# ------------------------------------------------------------------------------------------ receipts

RECEIPTS_V1 = Fields(
    RECEIPTS.attach(
        "v1",
        {
            "id": Wire("id"),
            "part_id": Wire("part", filter="The part's id (a comma list: any of)"),
            "delta": Wire("quantity"),
            "user_id": Wire("receivedBy", filter="The receiving user's id (a comma list: any of)"),
            "created_at": Wire("receivedAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
RECEIPTS_LIST = ListSpec.of(RECEIPTS_V1, site_field=None, sited=False)
RECEIPT_SCHEMA = object_schema(RECEIPTS_V1)


@router.get(
    "/purchaseOrders/{purchase_order_id}/receipts",
    responses=responses(list_schema(RECEIPT_SCHEMA)),
    openapi_extra=RECEIPTS_LIST.openapi(),
)
async def list_receipts(
    purchase_order_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    """What was received on the order, oldest first: a part, how many, who and when (the ledger's rows)."""
    fetch = lambda r, p, q: queries.page_of_receipts(r, p, purchase_order_id, q)  # noqa: E731
    return await list_route(request, runtime.reader, principal, RECEIPTS_LIST, fetch, each(RECEIPTS_V1.render))
