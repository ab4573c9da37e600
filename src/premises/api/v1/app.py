"""The native dialect, mounted at /v1 (docs/dialects/v1.md)."""

from __future__ import annotations

from fastapi import Depends, FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from premises.api.kit.dialects import MOUNTED_APP_TELEMETRY
from premises.api.kit.guards import reject_nul
from premises.api.kit.routing import include_routers
from premises.api.runtime import Runtime
from premises.api.v1 import errors
from premises.api.v1.routes import api_clients, sites
from premises.api.v1.routes import assets as v1_assets
from premises.api.v1.routes import cases as v1_cases
from premises.api.v1.routes import contacts as v1_contacts
from premises.api.v1.routes import contractors as v1_contractors
from premises.api.v1.routes import cost_categories as v1_cost_categories
from premises.api.v1.routes import documents as v1_documents
from premises.api.v1.routes import form_templates as v1_form_templates
from premises.api.v1.routes import meters as v1_meters
from premises.api.v1.routes import parts as v1_parts
from premises.api.v1.routes import places as v1_places
from premises.api.v1.routes import preventive_maintenance as v1_preventive_maintenance
from premises.api.v1.routes import purchase_order_categories as v1_purchase_order_categories
from premises.api.v1.routes import purchase_orders as v1_purchase_orders
from premises.api.v1.routes import requests as v1_requests
from premises.api.v1.routes import residents as v1_residents
from premises.api.v1.routes import site_members as v1_site_members
from premises.api.v1.routes import teams as v1_teams
from premises.api.v1.routes import users as v1_users
from premises.api.v1.routes import webhooks as v1_webhooks
from premises.api.v1.routes import work_orders as v1_work_orders
from premises.identity.authentication import BEARER_TOKEN

VERSION = "1.0.0"
ROUTERS = (
    sites.router,
    api_clients.router,
    v1_cases.router,
    v1_users.router,
    v1_teams.router,
    v1_contractors.router,
    v1_cost_categories.router,
    v1_documents.router,
    v1_parts.router,
    v1_assets.router,
    v1_purchase_orders.router,
    v1_purchase_order_categories.router,
    v1_preventive_maintenance.router,
    v1_meters.router,
    v1_form_templates.router,
    v1_work_orders.router,
    v1_requests.router,
    v1_residents.router,
    v1_contacts.router,
    v1_site_members.router,
    v1_places.router,
    v1_webhooks.router,
)


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
        telemetry=MOUNTED_APP_TELEMETRY,  # type: ignore[arg-type]
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
    include_routers(app, ROUTERS)  # lean routes first (premises.api.kit.routing)
    app.add_middleware(KebabAliases)
    return app


def openapi_document() -> dict[str, object]:
    return create_v1_app(None).openapi()
