"""The UpKeep-compatible dialect, mounted at /api/v2."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from premises.api.kit.dialects import MOUNTED_APP_TELEMETRY
from premises.api.kit.guards import reject_nul
from premises.api.kit.routing import include_routers
from premises.api.runtime import Runtime
from premises.api.upkeep import errors
from premises.api.upkeep.routes import (
    asset_settings,
    assets,
    auth,
    cost_categories,
    customers,
    files,
    form_templates,
    locations,
    meters,
    parts,
    preventive_maintenance,
    purchase_orders,
    requests,
    teams,
    users,
    vendors,
    webhooks,
    work_orders,
)
from premises.identity.authentication import SESSION_TOKEN

CURRENT_VERSION = "2022-09-14"


# Routes are matched in order, one regular expression each, so the busiest resources come first:
# matching the ~100 routes before work orders cost a quarter of a small list's time
# (docs/benchmarks.md). Within a resource the order is the router's own (``/assets/downtime``
# before ``/assets/{asset_id}``); paths of different routers never overlap.
ROUTERS = (
    work_orders.router,
    requests.router,
    assets.router,
    asset_settings.router,
    locations.router,
    files.router,
    users.router,
    teams.router,
    customers.router,
    vendors.router,
    cost_categories.router,
    meters.router,
    parts.router,
    preventive_maintenance.router,
    purchase_orders.router,
    form_templates.router,
    auth.router,
    webhooks.router,
)


def create_upkeep_app(runtime: Runtime | None) -> FastAPI:
    """The dialect's app; ``runtime`` may be None only to render the OpenAPI document."""
    app = FastAPI(
        telemetry=MOUNTED_APP_TELEMETRY,  # type: ignore[arg-type]
        title="Premises — UpKeep-compatible API v2",
        version=CURRENT_VERSION,
        description=(
            "Wire-compatible with UpKeep's REST API v2. Authenticate with POST /auth and send the returned "
            "token in the Session-Token header. The optional upkeep-version header is accepted; "
            f"{CURRENT_VERSION} is the current and default version."
        ),
        dependencies=[Depends(reject_nul)],
        docs_url=None,  # the root app serves /api/v2/docs with packaged assets (premises.api.docs)
        redoc_url=None,
    )
    app.state.runtime = runtime
    app.state.resolvers = (SESSION_TOKEN,)  # how /api/v2 authenticates (premises.api.kit.auth.get_principal)
    errors.install(app)
    include_routers(app, ROUTERS)  # lean routes first (premises.api.kit.routing)
    return app


def openapi_document() -> dict[str, object]:
    return create_upkeep_app(None).openapi()
