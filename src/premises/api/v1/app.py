"""The native dialect, mounted at /v1 (docs/dialects/v1.md)."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from premises.api.kit.guards import reject_nul
from premises.api.runtime import Runtime
from premises.api.v1 import errors
from premises.api.v1.routes import api_clients, sites
from premises.api.v1.routes import cases as v1_cases
from premises.identity.authentication import BEARER_TOKEN

VERSION = "1.0.0"
ROUTERS = (sites.router, api_clients.router, v1_cases.router)


def kebab_to_camel(segment: str) -> str:
    """``work-orders`` -> ``workOrders``."""
    head, *rest = segment.split("-")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


class KebabAliases:
    """Route ``/v1/work-orders/...`` as ``/v1/workOrders/...``: the resource segment's kebab-case alias."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            root: str = scope.get("root_path", "")
            path: str = scope["path"]
            rest = path[len(root) :] if root and path.startswith(root) else path
            segments = rest.split("/")
            if len(segments) > 1 and "-" in segments[1]:
                segments[1] = kebab_to_camel(segments[1])
                scope = {**scope, "path": (root if path.startswith(root) else "") + "/".join(segments)}
        await self.app(scope, receive, send)


def create_v1_app(runtime: Runtime | None) -> FastAPI:
    """The dialect's app; ``runtime`` may be None only to render the OpenAPI document."""
    app = FastAPI(
        title="Premises — API v1",
        version=VERSION,
        description=(
            "Premises' native API. Get an access token with the OAuth 2.0 client-credentials grant "
            "(`POST /oauth/token`, client id and secret by HTTP Basic or in the form) and send it as "
            "`Authorization: Bearer <token>`. JSON, camelCase fields, ISO 8601 UTC instants with "
            "milliseconds; lists are `{count, items, nextCursor}`; errors are `{error, message, details}`. "
            "Conventions and the compatibility policy: docs/dialects/v1.md."
        ),
        dependencies=[Depends(reject_nul)],
        docs_url=None,  # the root app serves /v1/docs with packaged assets (premises.api.docs)
        redoc_url=None,
    )
    app.state.runtime = runtime
    app.state.resolvers = (BEARER_TOKEN,)  # premises.api.kit.auth.get_principal
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router)
    app.add_middleware(KebabAliases)
    return app


def openapi_document() -> dict[str, object]:
    return create_v1_app(None).openapi()
