"""Errors the /v1 way: ``{"error": "<code>", "message": "...", "details": {...}}``.

``error`` is one of a few stable codes by status (``invalid_request`` 400, ``invalid_token`` /
``unauthorized`` 401, ``insufficient_scope`` / ``forbidden`` 403, ``not_found`` 404, ``conflict`` 409,
``invalid_transition`` 422, ...); ``details.code`` is the precise reason (``premises.errors.ErrorCode``),
``details.field`` the field at fault in /v1's camelCase name, and the error's other parameters follow
(``*field`` ones renamed too). Messages are the domain's templates (``premises.errors.TEMPLATES``)
rendered with /v1 names. 401s carry ``WWW-Authenticate: Bearer`` (RFC 6750 §3): no error code
when no token was sent, ``error="invalid_token"`` for an unknown, expired or revoked one; a refused
scope is a 403 with ``error="insufficient_scope"`` and the OAuth scope that would allow it.
"""

from __future__ import annotations

import logging
from functools import cache
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from premises.api.kit.body import specs_of
from premises.api.kit.errors import ErrorHooks, WireInputError, install_error_hooks, retry_after
from premises.api.v1.wire import camel, error
from premises.errors import (
    TEMPLATES,
    Conflict,
    DomainValidation,
    ErrorCode,
    InvalidState,
    NotFound,
    PermissionDenied,
    PremisesError,
    RateLimited,
    TooLarge,
    Unauthenticated,
    Unavailable,
    render,
)
from premises.identity.clients import OAUTH_SCOPES

log = logging.getLogger("premises.api.v1")

REALM = "premises"
STATUS_BY_CATEGORY: tuple[tuple[type[PremisesError], int, str], ...] = (
    (Unauthenticated, 401, "unauthorized"),
    (PermissionDenied, 403, "forbidden"),
    (NotFound, 404, "not_found"),
    (Conflict, 409, "conflict"),
    (InvalidState, 422, "invalid_transition"),
    (RateLimited, 429, "too_many_requests"),
    (TooLarge, 413, "payload_too_large"),
    (Unavailable, 503, "temporarily_unavailable"),
    (DomainValidation, 400, "invalid_request"),
)
HTTP_CODES = {
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
}


@cache
def field_names(module: str = "premises.api.v1") -> dict[str, str]:
    """Domain field name -> /v1 name, from the body Specs of ``module`` (a route module: ``label`` for
    a site's ``name``), or of the whole dialect; resources differ, so the route's own module decides."""
    names: dict[str, str] = {}
    for spec in specs_of(module):
        for field in spec.fields.values():
            names.setdefault(field.target, field.name)
    return names


def wire_name(name: str, module: str = "premises.api.v1") -> str:
    """The /v1 name of a domain field: as the route's module's Specs name it, else camelCase."""
    return field_names(module).get(name) or ".".join(camel(part) for part in name.split("."))


def route_module(request: Request | None) -> str:
    """The module of the endpoint that raised (its Specs name the fields), or the dialect's package."""
    endpoint = request.scope.get("endpoint") if request is not None else None
    module = getattr(endpoint, "__module__", "")
    return module if module.startswith("premises.api.v1.") else "premises.api.v1"


def oauth_scopes_for(domain_scope: str) -> list[str]:
    """The OAuth scope names that allow a domain scope (``location:create`` -> ``sites:write``)."""
    return [name for name, allowed in OAUTH_SCOPES.items() if allowed is not None and domain_scope in allowed]


def status_and_code(exc: PremisesError) -> tuple[int, str]:
    if exc.code is ErrorCode.INVALID_CREDENTIALS:
        return 401, "invalid_token"
    if exc.code is ErrorCode.INSUFFICIENT_SCOPE:
        return 403, "insufficient_scope"
    for category, status, code in STATUS_BY_CATEGORY:
        if isinstance(exc, category):
            return status, code
    return 400, "invalid_request"


def details_of(exc: PremisesError, module: str = "premises.api.v1") -> dict[str, Any]:
    """``code``, the field and the parameters in /v1 names (a kit error already names the wire field)."""
    kit = isinstance(exc, WireInputError)
    details: dict[str, Any] = {"code": exc.code.value}
    if exc.field is not None:
        details["field"] = exc.field if kit else wire_name(exc.field, module)
    for key, value in exc.params.items():
        renamed = wire_name(value, module) if key.endswith("field") and isinstance(value, str) and not kit else value
        details[camel(key)] = (
            renamed if isinstance(renamed, str | int | float | bool) or renamed is None else str(renamed)
        )
    if exc.code is ErrorCode.INSUFFICIENT_SCOPE and isinstance(exc.params.get("scope"), str):
        details["scope"] = " ".join(oauth_scopes_for(str(exc.params["scope"])))
    return details


def message_for(exc: PremisesError, details: dict[str, Any]) -> str:
    if exc.sentence is not None:
        return exc.sentence
    params = {key: details.get(camel(key), value) for key, value in exc.params.items()}
    return render(TEMPLATES.get(exc.code, "{field} is not valid"), details.get("field"), params)


def _bearer(**params: str) -> str:
    parts = [f'realm="{REALM}"', *(f'{key}="{value}"' for key, value in params.items() if value)]
    return "Bearer " + ", ".join(parts)


def premises_response(exc: PremisesError, module: str = "premises.api.v1") -> Response:
    status, code = status_and_code(exc)
    details = details_of(exc, module)
    message = message_for(exc, details)
    headers: dict[str, str] = {}
    if status == 401:
        if exc.code is ErrorCode.INVALID_CREDENTIALS:
            headers["WWW-Authenticate"] = _bearer(error="invalid_token", error_description=message)
        else:
            headers["WWW-Authenticate"] = _bearer()
    elif code == "insufficient_scope":
        headers["WWW-Authenticate"] = _bearer(error="insufficient_scope", scope=str(details.get("scope", "")))
    elif (seconds := retry_after(exc)) is not None:
        headers["Retry-After"] = seconds
    return error(status, code, message, details, **headers)


async def _premises_error(request: Request, exc: PremisesError) -> Response:
    return premises_response(exc, route_module(request))


async def _validation_error(_request: Request, exc: RequestValidationError) -> Response:
    first = exc.errors()[0] if exc.errors() else {}
    location = [str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body", "header")]
    field = ".".join(location) or "request"
    message = f"{field}: {first.get('msg', 'invalid value')}"
    return error(400, "invalid_request", message, {"code": ErrorCode.INVALID.value, "field": field})


async def http_error(_request: Request, exc: StarletteHTTPException) -> Response:
    status = exc.status_code
    code = HTTP_CODES.get(status, "invalid_request" if status < 500 else "internal_error")
    message = {404: "not found", 405: "method not allowed"}.get(status, str(exc.detail))
    headers = dict(exc.headers or {})
    return error(status, code, message, {}, **headers)


def _unexpected(_request: Request, error_id: str) -> Response:
    return error(500, "internal_error", "internal server error", {"errorId": error_id})


HOOKS = ErrorHooks(
    premises_error=_premises_error, validation_error=_validation_error, http_error=http_error, unexpected=_unexpected
)


def install(app: FastAPI) -> None:
    install_error_hooks(app, HOOKS, log)
