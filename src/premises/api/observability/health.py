"""``/healthz`` (the process answers) and ``/readyz`` (it can serve: the database answers and its schema
is the one this version migrates to). A load balancer or an orchestrator routes traffic on ``/readyz``
and restarts on ``/healthz``."""

from __future__ import annotations

import asyncio
import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

from premises.api.runtime import Runtime
from premises.db.schema_state import database_revisions, expected_revisions

log = logging.getLogger("premises.health")

TIMEOUT_SECONDS = 5.0


async def healthz(_request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


def _unavailable(reason: str, **details: object) -> JSONResponse:
    return JSONResponse({"status": "unavailable", "reason": reason, **details}, status_code=503)


async def readyz(request: Request) -> JSONResponse:
    """200 ``{"status": "ready"}``, or 503 with ``reason``: the database is unreachable, has no schema,
    or its schema is not the expected revision (``premises migrate`` brings it there)."""
    runtime: Runtime = request.app.state.runtime
    expected = await asyncio.to_thread(expected_revisions)  # cached after the first call
    try:
        await asyncio.wait_for(runtime.reader.fetchrow("SELECT 1", {}), TIMEOUT_SECONDS)
    except Exception as exc:  # any driver or network error: the details go to the log, not to the caller
        log.warning("readiness: the database is unreachable: %s: %s", type(exc).__name__, exc)
        return _unavailable("database unreachable")
    try:
        current = await asyncio.wait_for(database_revisions(runtime.reader), TIMEOUT_SECONDS)
    except Exception as exc:
        log.warning("readiness: no schema version in the database: %s: %s", type(exc).__name__, exc)
        return _unavailable("database schema missing: run premises migrate", expected=sorted(expected))
    if current != expected:
        return _unavailable(
            "database schema is not current: run premises migrate", current=sorted(current), expected=sorted(expected)
        )
    return JSONResponse({"status": "ready", "schema": sorted(current)})
