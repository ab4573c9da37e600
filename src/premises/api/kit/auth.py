"""Dependencies every dialect's routes share: the runtime and the authenticated principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from premises.api.runtime import Runtime
from premises.errors import Unauthenticated
from premises.identity.principal import Principal
from premises.identity.service import resolve_principal

# Declared as a security scheme so the OpenAPI document tells clients how to authenticate.
session_token_header = APIKeyHeader(name="Session-Token", auto_error=False)


# Dependencies are ``async def`` on purpose: FastAPI runs a plain ``def`` dependency in the thread
# pool, and that hop per request costs more than the whole lean read path (docs/benchmarks.md).


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_principal(request: Request, token: Annotated[str | None, Depends(session_token_header)]) -> Principal:
    if not token:
        raise Unauthenticated("session token required: send the Session-Token header")
    runtime = await get_runtime(request)
    return await resolve_principal(runtime.reader, token.strip())


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
