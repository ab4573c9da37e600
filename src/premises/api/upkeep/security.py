"""How UpKeep clients authenticate: the ``Session-Token`` header, declared as a security scheme so
the OpenAPI document says so; routes take the principal as ``PrincipalDep``."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends
from fastapi.security import APIKeyHeader

from premises.api.kit.auth import principal_from
from premises.identity.principal import Principal

session_token_header = APIKeyHeader(name="Session-Token", auto_error=False)
PrincipalDep = Annotated[Principal, Depends(principal_from(session_token_header))]
