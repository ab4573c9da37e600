"""/purchase-orders: create, list, get, update (the workflow and partial fulfilment too), delete; update
messages; single custom fields. /purchase-order-categories (and UpKeep's misspelled PATCH
/purchase-order-categoriess/{id})."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import read_body
from premises.api.kit.listing import check_keys
from premises.api.upkeep.expanders import expand
from premises.api.upkeep.listing import ListSpec, include_values, includes_openapi, parse_includes, parse_list
from premises.api.upkeep.mappers import purchase_orders as wire
from premises.api.upkeep.routes.custom_fields import add_custom_field_routes, custom_field_filters
from premises.api.upkeep.security import PrincipalDep
from premises.api.upkeep.wire import (
    MESSAGE_SCHEMA,
    ok_message,
    ok_result,
    ok_results,
    responses,
    result_schema,
    results_schema,
)
from premises.db.reader import Reader
from premises.identity.principal import Principal
from premises.purchase_order import queries, service

router = APIRouter(tags=["purchase-orders"])

LIST_INCLUDES = ("vendor", "createdByUser", "approvedByUser", "fulfilledByUser", "declinedByUser")
LIST = ListSpec(
    filters=(*wire.UPKEEP.filters(), *custom_field_filters(wire.CUSTOM_FIELDS, "purchase orders")),
    ranges=wire.UPKEEP.ordered(),
    order_fields=wire.UPKEEP.ordered(),
    includes=LIST_INCLUDES,
)
GET_INCLUDES = (*LIST_INCLUDES, "parts", "arrayOfUpdateItems")
KINDS = {
    "vendor": "vendor",
    "createdByUser": "user",
    "approvedByUser": "user",
    "fulfilledByUser": "user",
    "declinedByUser": "user",
    "parts": "part",
}
ITEM = responses(result_schema(wire.SCHEMA))
GET_PARAMS = includes_openapi(GET_INCLUDES)
CATEGORY_LIST = ListSpec(
    filters=wire.CATEGORIES.filters(),
    ranges=wire.CATEGORIES.ordered(),
    order_fields=wire.CATEGORIES.ordered(),
)
CATEGORY_ITEM = responses(result_schema(wire.CATEGORY_SCHEMA))


async def _detail(reader: Reader, principal: Principal, purchase_order_id: str, includes: set[str]) -> dict[str, Any]:
    detail = await queries.purchase_order_detail(reader, principal, purchase_order_id)
    item = wire.render_detail(detail, "arrayOfUpdateItems" in includes)
    if includes:
        await expand(reader, principal, [item], KINDS, includes)
    return item


# ------------------------------------------------------------------------------------------ purchase orders


@router.post("/purchase-orders", responses=ITEM, openapi_extra=wire.CREATE.openapi())
async def create_purchase_order(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = wire.parse_create(await read_body(request))
    order_id = await runtime.write(lambda s: service.create_purchase_order(s, principal, command).id)
    return ok_result(await _detail(runtime.reader, principal, order_id, set()))


@router.get("/purchase-orders", responses=responses(results_schema(wire.SCHEMA)), openapi_extra=LIST.openapi())
async def list_purchase_orders(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, LIST, default_limit=runtime.settings.list_default_limit)
    rows = await queries.list_purchase_orders(runtime.reader, principal, parsed.query)
    items = await wire.render(runtime.reader, principal, rows)
    if parsed.includes:
        await expand(runtime.reader, principal, items, KINDS, parsed.includes)
    return ok_results(items)


@router.get("/purchase-orders/{purchase_order_id}", responses=ITEM, openapi_extra=GET_PARAMS)
async def get_purchase_order(
    purchase_order_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    check_keys(request, frozenset({"includes", "includes[]"}))
    includes = parse_includes(include_values(request), GET_INCLUDES)
    return ok_result(await _detail(runtime.reader, principal, purchase_order_id, includes))


@router.patch("/purchase-orders/{purchase_order_id}", responses=ITEM, openapi_extra=wire.UPDATE.openapi(partial=True))
async def update_purchase_order(
    purchase_order_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    changes = wire.parse_update(await read_body(request))
    await runtime.write(lambda s: service.update_purchase_order(s, principal, purchase_order_id, changes).id)
    return ok_result(await _detail(runtime.reader, principal, purchase_order_id, set()))


@router.delete("/purchase-orders/{purchase_order_id}", responses=responses(MESSAGE_SCHEMA))
async def delete_purchase_order(purchase_order_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_purchase_order(s, principal, purchase_order_id))
    return ok_message("1 Purchase Order deleted")


@router.post(
    "/purchase-orders/{purchase_order_id}/update-messages",
    responses=responses(MESSAGE_SCHEMA),
    openapi_extra=wire.UPDATE_MESSAGE.openapi(),
)
async def add_update_message(
    purchase_order_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    fields = wire.UPDATE_MESSAGE.parse(await read_body(request))
    await runtime.write(lambda s: service.add_update_message(s, principal, purchase_order_id, fields["text"]).id)
    return ok_message("update message added")


add_custom_field_routes(
    router,
    "purchase_order",
    collection="purchase-orders",
    schema=wire.CUSTOM_FIELD_SCHEMA,
    update_spec=wire.UPDATE_CUSTOM_FIELD,
    parse_update=wire.parse_custom_field_update,
    read=queries.get_custom_field,
    render=wire.custom_field_to_upkeep,
    update=service.update_custom_field,
    delete=service.delete_custom_field,
)


# ------------------------------------------------------------------------------------------ categories


@router.post("/purchase-order-categories", responses=CATEGORY_ITEM, openapi_extra=wire.CREATE_CATEGORY.openapi())
async def create_category(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = wire.parse_category(await read_body(request))
    category_id = await runtime.write(lambda s: service.create_category(s, principal, command).id)
    return ok_result(await _category(runtime.reader, principal, category_id))


@router.get(
    "/purchase-order-categories",
    responses=responses(results_schema(wire.CATEGORY_SCHEMA)),
    openapi_extra=CATEGORY_LIST.openapi(),
)
async def list_categories(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    parsed = parse_list(request, CATEGORY_LIST, default_limit=runtime.settings.list_default_limit)
    rows = await queries.purchase_order_categories(runtime.reader, principal, parsed.query)
    return ok_results([wire.CATEGORIES.render(r) for r in rows])


async def _category(reader: Reader, principal: Principal, category_id: str) -> dict[str, Any]:
    return wire.CATEGORIES.render(await queries.get_purchase_order_category(reader, principal, category_id))


@router.get("/purchase-order-categories/{purchase_order_category_id}", responses=CATEGORY_ITEM)
async def get_category(
    purchase_order_category_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    check_keys(request, frozenset())
    return ok_result(await _category(runtime.reader, principal, purchase_order_category_id))


async def update_category(
    purchase_order_category_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    changes = wire.parse_category_update(await read_body(request))
    await runtime.write(lambda s: service.rename_category(s, principal, purchase_order_category_id, changes).id)
    return ok_result(await _category(runtime.reader, principal, purchase_order_category_id))


# UpKeep documents the PATCH under its misspelled path; both spellings are served.
for _path in (
    "/purchase-order-categories/{purchase_order_category_id}",
    "/purchase-order-categoriess/{purchase_order_category_id}",
):
    router.add_api_route(
        _path,
        update_category,
        methods=["PATCH"],
        responses=CATEGORY_ITEM,
        openapi_extra=wire.UPDATE_CATEGORY.openapi(partial=True),
    )


@router.delete("/purchase-order-categories/{purchase_order_category_id}", responses=responses(MESSAGE_SCHEMA))
async def delete_category(purchase_order_category_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_category(s, principal, purchase_order_category_id))
    return ok_message("1 Purchase Order Category deleted")
