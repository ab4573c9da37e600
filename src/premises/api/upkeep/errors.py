"""Domain error categories rendered the UpKeep way: a status code and ``{"success": false, "message"}``."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from premises.api.kit.errors import ErrorHooks, install_error_hooks, retry_after
from premises.api.upkeep.messages import message_for
from premises.api.upkeep.wire import error
from premises.errors import (
    Conflict,
    DomainValidation,
    InvalidState,
    NotFound,
    PermissionDenied,
    PremisesError,
    RateLimited,
    TooLarge,
    Unauthenticated,
    Unavailable,
)

log = logging.getLogger("premises.api.upkeep")

STATUS_BY_CATEGORY: tuple[tuple[type[PremisesError], int], ...] = (
    (Unauthenticated, 401),
    (PermissionDenied, 403),
    (NotFound, 404),
    (DomainValidation, 400),
    (Conflict, 400),
    (InvalidState, 400),
    (RateLimited, 429),
    (TooLarge, 413),
    (Unavailable, 503),
)


def status_for(exc: PremisesError) -> int:
    for category, status in STATUS_BY_CATEGORY:
        if isinstance(exc, category):
            return status
    return 400


async def _premises_error(_request: Request, exc: PremisesError) -> Response:
    response = error(status_for(exc), message_for(exc))
    seconds = retry_after(exc)  # from the limiter (identity.throttle) or db.unavailable
    if seconds is not None:
        response.headers["Retry-After"] = seconds
    return response


async def _validation_error(_request: Request, exc: RequestValidationError) -> Response:
    first = exc.errors()[0] if exc.errors() else {}
    location = [str(p) for p in first.get("loc", ()) if p not in ("query", "path", "body", "header")]
    field = ".".join(location) or "request"
    return error(400, f"{field}: {first.get('msg', 'invalid value')}")


async def http_error(_request: Request, exc: StarletteHTTPException) -> Response:
    message = {404: "not found", 405: "method not allowed"}.get(exc.status_code, str(exc.detail))
    return error(exc.status_code, message)


def _unexpected(_request: Request, error_id: str) -> Response:
    return error(500, "internal server error", errorId=error_id)


HOOKS = ErrorHooks(
    premises_error=_premises_error, validation_error=_validation_error, http_error=http_error, unexpected=_unexpected
)


def install(app: FastAPI) -> None:
    install_error_hooks(app, HOOKS, log)
