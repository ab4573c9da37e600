"""Route classes any dialect may use on its hottest endpoints."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

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
