"""Every request observed once: its id, its access-log line, its metrics (pure ASGI, one send wrapper).

``Observe`` is the outermost middleware of the root app (inside Starlette's own error middleware):
it takes the client's ``X-Request-Id`` or makes one, puts it in ``premises.logging_setup.REQUEST_ID``
for every line logged while the request runs (and for the 500 handler's error id), adds
``X-Request-Id`` to the response, whatever produced it (a route, a dialect's error handler, the body
limits' 413, CORS' preflight), then logs the request and counts it. ``RouteCapture`` is the innermost
middleware: after routing it records the matched route's template for the metrics' ``route`` label.
Nothing is buffered: bodies, streamed or ranged, pass through untouched.
"""

from __future__ import annotations

import logging
import time

from starlette.routing import Mount
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from premises.api.observability.logs import access_log, log_access
from premises.api.observability.metrics import UNMATCHED, Metrics
from premises.api.observability.request_id import HEADER, request_id_for
from premises.logging_setup import REQUEST_ID

log = logging.getLogger("premises.api")

# Where ``RouteCapture`` leaves the route template, in the request's ``scope["state"]``.
ROUTE_KEY = "premises.route"


class Observe:
    def __init__(self, app: ASGIApp, metrics: Metrics | None = None) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = request_id_for(scope)
        id_header = (HEADER, request_id.encode("ascii"))
        state = scope.get("state")
        if state is None:
            state = scope["state"] = {}
        status = 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message = {**message, "headers": [*message.get("headers", ()), id_header]}
            await send(message)

        token = REQUEST_ID.set(request_id)
        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            if not status:  # nothing answered (a root route failed): a 500 that names the request
                log.exception("unexpected error %s", request_id)
                await send_with_id(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", b"21")],
                    }
                )
                await send_with_id({"type": "http.response.body", "body": b"Internal Server Error"})
            raise
        finally:
            elapsed = time.perf_counter() - started
            if self.metrics is not None:
                self.metrics.observe(scope["method"], state.get(ROUTE_KEY, UNMATCHED), status or 500, elapsed)
            if access_log.isEnabledFor(logging.INFO):
                log_access(scope, status or 500, elapsed * 1000)
            REQUEST_ID.reset(token)


def route_template(scope: Scope) -> str:
    """The matched route's path template under its mount (``/api/v2/work-orders/{id}``), or ``unmatched``."""
    route = scope.get("route")
    if route is None or isinstance(route, Mount):
        return UNMATCHED
    path_format: str | None = getattr(route, "path_format", None)
    if path_format is None:
        return UNMATCHED
    root: str = scope.get("root_path", "")
    return root[len(scope.get("app_root_path", root)) :] + path_format


class RouteCapture:
    """Innermost: routing has updated this scope in place by the time the request is answered."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            await self.app(scope, receive, send)
        finally:
            scope["state"][ROUTE_KEY] = route_template(scope)
