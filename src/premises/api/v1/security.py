"""How /v1 clients authenticate: an OAuth 2.0 access token (client credentials, from ``POST /oauth/token``)
in ``Authorization: Bearer``. The scheme only documents it in the OpenAPI document; the principal comes
from the resolvers the app declares (``identity.authentication.BEARER_TOKEN``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.openapi.models import OAuthFlowClientCredentials, OAuthFlows
from fastapi.security import OAuth2

from premises.api.kit.auth import principal_from
from premises.identity.principal import Principal

TOKEN_URL = "/oauth/token"
SCOPE_DESCRIPTIONS = {
    "api": "Everything the client's roles allow (the default)",
    "sites:read": "Read sites",
    "sites:write": "Create and change sites (and read them)",
    "cases:read": "Read cases, their comments, links and activity, and the sites' case types",
    "cases:write": "Create, change, comment on and link cases, and add case types (and read them)",
    "workOrders:read": "Read work orders",
    "workOrders:write": "Create, change, assign and delete work orders (and read them)",
    "requests:read": "Read work requests",
    "requests:write": "Raise, approve (into a work order), decline, cancel and delete work requests (and read them)",
    "users:read": "Read users and their site roles",
    "users:write": "Create, change and deactivate users and their site roles (and read them)",
    "teams:read": "Read teams and their members",
    "teams:write": "Create, change and delete teams and their members (and read them)",
    "contractors:read": "Read contractors",
    "contractors:write": "Create and change contractors (and read them)",
    "costCategories:read": "Read the cost categories",
    "documents:read": "Read documents (and their download links)",
    "documents:write": "Upload documents (and read them)",
    "assets:read": "Read assets",
    "assets:write": "Create, change and delete assets and record their downtime (and read them)",
    "parts:read": "Read parts and their inventory ledgers",
    "parts:write": "Create, change and delete parts (and read them)",
    "purchaseOrders:read": "Read purchase orders",
    "purchaseOrders:write": "Create, change, approve, decline, fulfil and delete purchase orders (and read them)",
    "preventiveMaintenance:read": "Read preventive-maintenance triggers",
    "preventiveMaintenance:write": (
        "Create, change, pause, archive and delete preventive-maintenance triggers (and read them)"
    ),
    "meters:read": "Read meters and their readings",
    "meters:write": "Create, change and delete meters and readings (and read them)",
    "formTemplates:read": "Read checklist templates",
    "formTemplates:write": "Create, change and delete checklist templates (and read them)",
    "webhooks:read": "Read webhook endpoints and their delivery logs",
    "webhooks:write": "Create, change and delete webhook endpoints and redeliver (and read them)",
}

oauth2 = OAuth2(
    flows=OAuthFlows(clientCredentials=OAuthFlowClientCredentials(tokenUrl=TOKEN_URL, scopes=SCOPE_DESCRIPTIONS)),
    scheme_name="oauth2",
    description="OAuth 2.0 client credentials (RFC 6749 §4.4): POST /oauth/token, then `Authorization: Bearer`.",
    auto_error=False,
)
PrincipalDep = Annotated[Principal, Depends(principal_from(oauth2))]
