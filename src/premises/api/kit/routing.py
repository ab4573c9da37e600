"""Route classes any dialect may use on its hottest endpoints."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.routing import APIRoute
from starlette.requests import Request
from starlette.responses import Response


class LeanRoute(APIRoute):
    """A route whose endpoint is called with the request and returns the response: no dependency
    solving, no response serialisation. Its OpenAPI operation comes from its declaration as any
    route's (declare the security scheme in ``openapi_extra``); errors reach the app's handlers as
    any route's.

    FastAPI's request handling (solving the runtime and principal dependencies and the security
    scheme's, then the endpoint's wrapper) cost a sixth of a list page (docs/benchmarks.md); an
    endpoint on a LeanRoute resolves the same things itself (``api.kit.auth.get_runtime``,
    ``get_principal``), in the same order. Use it only where a benchmark shows the difference.
    """

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        endpoint: Callable[[Request], Coroutine[Any, Any, Response]] = self.endpoint
        return endpoint


def include_routers(app: FastAPI, routers: Sequence[APIRouter]) -> None:
    """Include ``routers`` in order, and register each of their ``LeanRoute``s on the app itself first.

    FastAPI matches a route of an included router twice (once to pick the router, again inside it,
    behind every route of the routers before it); a lean route registered directly is matched once,
    first (~15 µs of a small list's ~300, docs/benchmarks.md). The direct copy is left out of the
    OpenAPI document, which keeps the router's own declaration, in the router's order.
    """
    for router in routers:
        for route in router.routes:
            if isinstance(route, LeanRoute):
                app.router.add_api_route(
                    route.path,
                    route.endpoint,
                    methods=route.methods,
                    include_in_schema=False,
                    route_class_override=LeanRoute,
                )
    for router in routers:
        app.include_router(router)
