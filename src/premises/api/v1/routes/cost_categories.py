"""/v1/costCategories: the account's work-order cost categories (Labor Cost, Parts Cost, ...), the
categories of ``/api/v2/work-order-cost-categories`` with the same ids. A short fixed list: read only,
all of it in one page, in the account's order (no parameters)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.listing import check_keys
from premises.api.kit.representation import Fields, Wire
from premises.api.v1.listing import whole_list
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import JSON, list_schema, object_schema, responses
from premises.work_order import queries
from premises.work_order.fields import COST_CATEGORIES

router = APIRouter(tags=["costCategories"])

V1 = Fields(COST_CATEGORIES.attach("v1", {"id": Wire("id"), "name": Wire("name")}))
SCHEMA = object_schema(V1)


@router.get("/costCategories", responses=responses(list_schema(SCHEMA)))
async def list_cost_categories(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset())
    rows = await queries.cost_categories(runtime.reader, principal)
    return JSON(whole_list([V1.render(r) for r in rows]))
