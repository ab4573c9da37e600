"""Errors and the API kit: the one error the kit raises, and each dialect's error-rendering hooks.

``WireInputError`` is bad client input, named in the client's (wire) words.

The kit reads bodies and query strings before any domain name applies, so the field it names is
the WIRE name the client sent (``customWOStatusId``, ``additionalCosts[0].amount``, ``limit``).
``WireInputError`` is a ``DomainValidation`` (a 400 in every dialect) carrying a code from the
"Wire input (kit)" section of ``premises.errors.ErrorCode``; a dialect renders it with its own
template for the code and shows ``field`` (and every ``*field`` parameter) as it is, without the
domain -> wire translation it applies to errors raised by the domain.

``ErrorHooks`` are how a dialect renders every error (its format, statuses and words);
``install_error_hooks`` puts them on the dialect's app, logging unexpected errors with an id (the
request id, ``premises.api.observability``). A database that cannot serve the request now (no free
connection, refused, locked: ``premises.db.unavailable``) is not unexpected: it is rendered as the
domain error ``Unavailable``, a 503 with ``Retry-After``.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response

from premises.db.unavailable import as_unavailable
from premises.errors import DomainValidation, PremisesError, RateLimited, Unavailable
from premises.logging_setup import current_request_id


class WireInputError(DomainValidation):
    """Bad input found by the kit; ``field`` is already the client's name for the field."""


def retry_after(exc: PremisesError) -> str | None:
    """The ``Retry-After`` header of an error the client may simply send again later (too many
    requests, the database busy): its ``retry_after`` seconds, at least 1; None for any other error."""
    if not isinstance(exc, RateLimited | Unavailable):
        return None
    seconds = exc.params.get("retry_after")
    return str(seconds if isinstance(seconds, int) and seconds > 0 else 1)


PremisesErrorRenderer = Callable[[Request, PremisesError], Awaitable[Response]]
ValidationErrorRenderer = Callable[[Request, RequestValidationError], Awaitable[Response]]
HttpErrorRenderer = Callable[[Request, HTTPException], Awaitable[Response]]
UnexpectedRenderer = Callable[[Request, str], Response]  # (request, error id)


@dataclass(frozen=True)
class ErrorHooks:
    """How one dialect renders every error: its format, its statuses, its words."""

    premises_error: PremisesErrorRenderer  # a domain or kit error: category -> status, code -> message
    validation_error: ValidationErrorRenderer  # FastAPI's own parameter validation
    http_error: HttpErrorRenderer  # 404/405 from routing, 413/415 from premises.api.limits
    unexpected: UnexpectedRenderer  # a bug: a 500 naming the error id the log has


def install_error_hooks(app: FastAPI, hooks: ErrorHooks, log: logging.Logger) -> None:
    """Install a dialect's hooks on its app; an unexpected exception is logged with a fresh error id
    first, and the dialect renders that id."""

    async def premises_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, PremisesError)
        return await hooks.premises_error(request, exc)

    async def validation_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, RequestValidationError)
        return await hooks.validation_error(request, exc)

    async def http_error(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        return await hooks.http_error(request, exc)

    async def unexpected(request: Request, exc: Exception) -> Response:
        error_id = current_request_id() or uuid.uuid4().hex  # the request id: the access log has it too
        busy = as_unavailable(exc)
        if busy is not None:  # out of connections, not a bug: a 503 the client may retry
            log.warning("database unavailable %s: %s", error_id, exc)
            return await hooks.premises_error(request, busy)
        log.exception("unexpected error %s", error_id, exc_info=exc)
        return hooks.unexpected(request, error_id)

    app.add_exception_handler(PremisesError, premises_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(HTTPException, http_error)
    app.add_exception_handler(Exception, unexpected)
