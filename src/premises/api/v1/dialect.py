"""The native /v1 dialect as the root app mounts it (``premises.api.dialects_installed``)."""

from __future__ import annotations

from premises.api.kit.dialects import Dialect
from premises.api.v1 import errors, oauth
from premises.api.v1.app import create_v1_app

V1 = Dialect(
    name="v1",
    prefix="/v1",
    summary="native, Onsite style (OAuth 2.0 client credentials)",
    create_app=create_v1_app,
    render_http_error=errors.http_error,
    install_root=oauth.install,  # POST /oauth/token, outside the prefix (where Onsite's clients expect it)
)
