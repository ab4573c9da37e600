"""Request body limits, per route, enforced while the body streams in (dialect-neutral ASGI middleware).

Every route may read at most ``PREMISES_MAX_JSON_BYTES`` of body; a route that takes files declares
it with ``@takes_files`` and may read ``PREMISES_MAX_UPLOAD_BYTES`` plus room for the multipart
framing. ``multipart/form-data`` is refused (415) everywhere else, so no other route ever spools a
part to disk.

The limit is decided when the endpoint first reads the body, once routing has put the endpoint in
the scope. A ``Content-Length`` over the limit is refused before a byte is read; a body without one
(chunked) is counted as it arrives and refused at the first chunk past the limit. The refusal is an
``HTTPException`` (413 or 415) raised from ``receive``: each dialect renders it in its own error
format through the HTTP-error handler it already has. The response carries ``Connection: close``,
so the server stops reading the rest of the body.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

TAKES_FILES = "__premises_takes_files__"
# Room for the multipart framing and the other fields around a file of the maximum size.
UPLOAD_OVERHEAD_BYTES = 64 * 1024

F = TypeVar("F", bound=Callable[..., Any])


def takes_files(endpoint: F) -> F:
    """Mark an endpoint that accepts file uploads (multipart/form-data up to the upload limit).

    Put it below the route decorator, so that the route registers the marked function.
    """
    setattr(endpoint, TAKES_FILES, True)
    return endpoint


def accepts_files(endpoint: object) -> bool:
    return bool(getattr(endpoint, TAKES_FILES, False))


@dataclass(frozen=True, slots=True)
class BodyLimit:
    max_bytes: int
    message: str


class BodyTooLarge(HTTPException):
    def __init__(self, limit: BodyLimit) -> None:
        super().__init__(413, limit.message)


class MultipartRefused(HTTPException):
    def __init__(self) -> None:
        super().__init__(415, "multipart/form-data is accepted only by file uploads: send JSON or a form")


def _header(scope: Scope, name: bytes) -> bytes | None:
    for key, value in scope["headers"]:
        if key == name:
            return bytes(value)
    return None


class _Guard:
    """One request's body accounting."""

    __slots__ = ("limit", "limits", "receive", "refused", "scope", "seen")

    def __init__(self, limits: BodyLimits, scope: Scope, receive: Receive) -> None:
        self.limits = limits
        self.scope = scope
        self.receive = receive
        self.limit: BodyLimit | None = None
        self.seen = 0
        self.refused = False

    def _refuse(self, exc: HTTPException) -> HTTPException:
        self.refused = True
        return exc

    def _decide(self) -> BodyLimit:
        files = accepts_files(self.scope.get("endpoint"))
        limit = self.limits.upload if files else self.limits.json
        content_type = (_header(self.scope, b"content-type") or b"").split(b";")[0].strip().lower()
        if content_type == b"multipart/form-data" and not files:
            raise self._refuse(MultipartRefused())
        declared = _header(self.scope, b"content-length")
        if declared is not None:
            text = declared.strip()
            # More digits than any limit has is over it; llhttp already refuses a malformed length.
            if text.isdigit() and (len(text) > 18 or int(text) > limit.max_bytes):
                raise self._refuse(BodyTooLarge(limit))
        return limit

    async def guarded_receive(self) -> Message:
        if self.refused:
            return {"type": "http.disconnect"}
        limit = self.limit
        if limit is None:
            limit = self.limit = self._decide()
        message = await self.receive()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > limit.max_bytes:
                raise self._refuse(BodyTooLarge(limit))
        return message


class BodyLimits:
    """Pure ASGI middleware; see the module docstring."""

    def __init__(self, app: ASGIApp, *, json: BodyLimit, upload: BodyLimit) -> None:
        self.app = app
        self.json = json
        self.upload = upload

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        guard = _Guard(self, scope, receive)

        async def guarded_send(message: Message) -> None:
            if message["type"] == "http.response.start" and guard.refused:
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != b"connection"]
                message = {**message, "headers": [*headers, (b"connection", b"close")]}
            await send(message)

        await self.app(scope, guard.guarded_receive, guarded_send)
