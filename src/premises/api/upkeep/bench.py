"""Benchmark-only endpoints, mounted when ``PREMISES_BENCH_ENDPOINTS=1`` (see docs/benchmarks.md).

``GET /_bench/bare`` answers a fixed, pre-serialized body shaped like a 50-item page of
``GET /api/v2/work-orders`` (same envelope, same mapper, about the same size), without
authentication or any database access: it is the framework's floor, the ratio's denominator.
"""

from __future__ import annotations

import os
from typing import Any

import orjson
from fastapi import FastAPI
from starlette.responses import Response

from premises.api.upkeep.mappers.work_orders import to_upkeep
from premises.work_order.queries import ALL_COLUMNS

ENV_FLAG = "PREMISES_BENCH_ENDPOINTS"
ITEMS = 50
_DESCRIPTION = "vibration is above the usual level; check mounts and alignment before the weekend"


def _row(n: int) -> dict[str, Any]:
    """A work-order row as the read path returns it, with values the size of generated data."""
    row: dict[str, Any] = dict.fromkeys(ALL_COLUMNS)
    created = 1_700_000_000_000 + n * 3_600_000
    row.update(
        id=f"Wo{n:08d}",
        work_order_no=100_000 + n,
        title=f"Replace filter on Rooftop Unit {n}",
        description=_DESCRIPTION if n % 10 < 7 else None,
        status="open",
        priority=n % 4,
        category="Preventative" if n % 5 else None,
        due_date=created + 86_400_000 * 7 if n % 2 else None,
        location_id=f"Loc{n:07d}",
        asset_id=f"Ast{n:07d}" if n % 4 else None,
        assigned_to_user_id=f"Usr{n % 10:07d}" if n % 5 < 3 else None,
        assigned_to_email=f"tech{n % 10}-0a1b2c3d@example.com" if n % 5 < 3 else None,
        assigned_by_user_id="AdminUser0" if n % 5 < 3 else None,
        assigned_by_email="bench-0a1b2c3d@example.com" if n % 5 < 3 else None,
        created_by_user_id="AdminUser0",
        estimated_duration_hours=2.0 if n % 3 else None,
        archived=False,
        requires_signature=False,
        decrease_inventory="auto",
        additional_user_ids=[],
        file_ids=[],
        form_items=[],
        created_at=created,
        updated_at=created,
    )
    return row


BARE_BODY = orjson.dumps({"success": True, "results": [to_upkeep(_row(n)) for n in range(ITEMS)]})


async def bare() -> Response:
    return Response(BARE_BODY, media_type="application/json")


def install(app: FastAPI) -> None:
    """Add the benchmark routes to ``app`` when the environment asks for them (never in the OpenAPI document)."""
    if os.environ.get(ENV_FLAG) == "1":
        app.add_api_route("/_bench/bare", bare, methods=["GET"], include_in_schema=False)
