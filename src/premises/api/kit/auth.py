"""Dependencies every dialect's routes share: the runtime and the authenticated principal."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader

from premises.api.runtime import Runtime
from premises.identity.authentication import SESSION_TOKEN, Credentials, Resolver, authenticate
from premises.identity.principal import Principal

# Declared as a security scheme so the OpenAPI document tells clients how to authenticate.
session_token_header = APIKeyHeader(name="Session-Token", auto_error=False)


# Dependencies are ``async def`` on purpose: FastAPI runs a plain ``def`` dependency in the thread
# pool, and that hop per request costs more than the whole lean read path (docs/benchmarks.md).


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_principal(request: Request, _token: Annotated[str | None, Depends(session_token_header)]) -> Principal:
    """The principal from the resolvers the dialect's app declares in ``app.state.resolvers``
    (``identity.authentication``; the session token when it declares none). The header parameter
    only declares the security scheme in the OpenAPI document."""
    runtime = await get_runtime(request)
    resolvers: tuple[Resolver, ...] = getattr(request.app.state, "resolvers", (SESSION_TOKEN,))
    credentials = Credentials(request.headers, request.method, request.scope["path"])
    return await authenticate(runtime.reader, credentials, resolvers)


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
PrincipalDep = Annotated[Principal, Depends(get_principal)]
