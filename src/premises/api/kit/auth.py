"""Dependencies every dialect's routes share: the runtime and the authenticated principal.

``principal_from(scheme)`` builds a dialect's principal dependency: the principal comes from the
resolvers the dialect's app declares; ``scheme`` (a FastAPI security scheme such as an
``APIKeyHeader``) only documents the dialect's credentials in its OpenAPI document.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from starlette.responses import Response

from premises.api.observability.logs import PRINCIPAL_KEY
from premises.api.runtime import Runtime
from premises.errors import PremisesError
from premises.identity.authentication import SESSION_TOKEN, Credentials, Resolver, authenticate, authenticate_cached
from premises.identity.principal import Principal
from premises.identity.service import Confirmation

# Dependencies are ``async def`` on purpose: FastAPI runs a plain ``def`` dependency in the thread
# pool, and that hop per request costs more than the whole lean read path (docs/benchmarks.md).


async def get_runtime(request: Request) -> Runtime:
    runtime: Runtime = request.app.state.runtime
    return runtime


async def get_principal(request: Request) -> Principal:
    """The principal from the resolvers the dialect's app declares in ``app.state.resolvers``
    (``identity.authentication``; the session token when it declares none)."""
    runtime = await get_runtime(request)
    resolvers: tuple[Resolver, ...] = getattr(request.app.state, "resolvers", (SESSION_TOKEN,))
    credentials = Credentials(request.headers, request.method, request.scope["path"])
    principal = await authenticate(runtime.reader, credentials, resolvers)
    request.scope.setdefault("state", {})[PRINCIPAL_KEY] = principal  # the access log's account and user
    return principal


def cached_principal(request: Request) -> tuple[Principal, Confirmation] | None:
    """The principal from the claiming resolver's per-process cache, unconfirmed, and the condition
    that confirms it in the caller's own statement (``identity.authentication.authenticate_cached``):
    for the hottest reads only. The caller must call ``get_principal`` before it answers anything but
    a non-empty result of a statement carrying the confirmation."""
    resolvers: tuple[Resolver, ...] = getattr(request.app.state, "resolvers", (SESSION_TOKEN,))
    credentials = Credentials(request.headers, request.method, request.scope["path"])
    cached = authenticate_cached(credentials, resolvers)
    if cached is not None:
        request.scope.setdefault("state", {})[PRINCIPAL_KEY] = cached[0]
    return cached


Read = Callable[[Principal, Confirmation | None], Awaitable[Response | None]]


async def read_in_one_round_trip(request: Request, read: Read) -> Response:
    """``read(principal, confirmation)``'s response, with the principal cached in this process when there
    is one (``cached_principal``: the read's own statement confirms it) and ``get_principal``'s
    otherwise. ``read`` answers None when its statement carried a confirmation and found nothing (no
    match, or no longer a live credential): it is then read again after the full check, and an error is
    answered only after it, so an ended session or a revoked token still gets its 401."""
    cached = cached_principal(request)
    if cached is not None:
        try:
            response = await read(*cached)
        except PremisesError:
            await get_principal(request)
            raise
        if response is not None:
            return response
    response = await read(await get_principal(request), None)
    if response is None:
        raise ValueError("a read without a confirmation answers")
    return response


def principal_from(scheme: Callable[..., Awaitable[object]]) -> Callable[..., Awaitable[Principal]]:
    """``get_principal``, documented in the OpenAPI document as authenticated by ``scheme``."""

    async def principal(request: Request, _credentials: object = Depends(scheme)) -> Principal:
        return await get_principal(request)

    return principal


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]
