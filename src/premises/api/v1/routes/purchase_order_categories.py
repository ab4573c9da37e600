"""/v1/purchaseOrderCategories: the account's purchase-order categories (the categories of
``/api/v2/purchase-order-categories``, with the same ids). A purchase order names its category by name
(``category``); renaming or deleting a category leaves the orders that have its name as they are.
Everyone who reads purchase orders reads categories; only admins write them (``identity.permissions``).
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Spec, read_body
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.v1.listing import ListSpec, each, get_route, list_route
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, nullable_instant, object_schema, responses
from premises.kit.commands import build
from premises.models import Category
from premises.purchase_order import queries, service
from premises.purchase_order.commands import PurchaseOrderCategoryChanges, PurchaseOrderCategoryCreate
from premises.purchase_order.fields import PURCHASE_ORDER_CATEGORIES

router = APIRouter(tags=["purchaseOrderCategories"])

V1 = Fields(
    PURCHASE_ORDER_CATEGORIES.attach(
        "v1",
        {
            "id": Wire("id"),
            "name": Wire("name", filter="The category's name (a comma list: any of)", sort=True),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": nullable_instant("updatedAt"),
        },
    )
)
CREATE = Spec(*V1.body_fields(required=required_of(PurchaseOrderCategoryCreate)), model=Category)
UPDATE = Spec(*V1.body_fields(not_null=("name",)), model=Category)
LIST = ListSpec.of(V1, site_field=None, sited=False)
SCHEMA = object_schema(V1)
to_v1 = V1.render


async def _category(runtime: RuntimeDep, principal: PrincipalDep, category_id: str, status_code: int = 200) -> Response:
    row = await queries.get_purchase_order_category(runtime.reader, principal, category_id)
    return JSON(to_v1(row), status_code=status_code)


@router.get("/purchaseOrderCategories", responses=responses(list_schema(SCHEMA)), openapi_extra=LIST.openapi())
async def list_purchase_order_categories(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fetch = queries.page_of_purchase_order_categories
    return await list_route(request, runtime.reader, principal, LIST, fetch, each(to_v1))


@router.get("/purchaseOrderCategories/{category_id}", responses=responses(SCHEMA))
async def get_purchase_order_category(
    category_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    return await get_route(request, lambda: _category(runtime, principal, category_id))


@router.post(
    "/purchaseOrderCategories",
    status_code=201,
    responses=responses(SCHEMA, status=201, extra=(409,)),
    openapi_extra=CREATE.openapi(),
)
async def create_purchase_order_category(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = build(PurchaseOrderCategoryCreate, CREATE.parse(await read_body(request)))
    category_id = await runtime.write(lambda s: service.create_category(s, principal, command).id)
    return await _category(runtime, principal, category_id, 201)


@router.patch(
    "/purchaseOrderCategories/{category_id}",
    responses=responses(SCHEMA, extra=(409,)),
    openapi_extra=UPDATE.openapi(partial=True),
)
async def update_purchase_order_category(
    category_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep
) -> Response:
    changes = build(PurchaseOrderCategoryChanges, UPDATE.parse(await read_body(request), partial=True))
    await runtime.write(lambda s: service.rename_category(s, principal, category_id, changes).id)
    return await _category(runtime, principal, category_id)


@router.delete("/purchaseOrderCategories/{category_id}", status_code=204, responses=responses(None, status=204))
async def delete_purchase_order_category(category_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await runtime.write(lambda s: service.delete_category(s, principal, category_id))
    return Response(status_code=204)
