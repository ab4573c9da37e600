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
}

oauth2 = OAuth2(
    flows=OAuthFlows(clientCredentials=OAuthFlowClientCredentials(tokenUrl=TOKEN_URL, scopes=SCOPE_DESCRIPTIONS)),
    scheme_name="oauth2",
    description="OAuth 2.0 client credentials (RFC 6749 §4.4): POST /oauth/token, then `Authorization: Bearer`.",
    auto_error=False,
)
PrincipalDep = Annotated[Principal, Depends(principal_from(oauth2))]
