"""/work-order-cost-categories: the account's cost categories (Labor Cost, Parts Cost, ...)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.listing import check_keys
from premises.api.upkeep.mappers import cost_categories as wire
from premises.api.upkeep.security import PrincipalDep
from premises.api.upkeep.wire import ok_results, responses, results_schema
from premises.work_order import queries

router = APIRouter(tags=["work-order-cost-categories"])


@router.get("/work-order-cost-categories", responses=responses(results_schema(wire.SCHEMA)))
async def list_cost_categories(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset())
    rows = await queries.cost_categories(runtime.reader, principal)
    return ok_results([wire.UPKEEP.render(r) for r in rows])
