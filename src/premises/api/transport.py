"""How responses travel: CORS for browsers on other origins, gzip for large responses (pure ASGI).

- CORS (``PREMISES_CORS_ORIGINS``: comma-separated origins, or ``*``): Starlette's ``CORSMiddleware``
  answers every preflight (``OPTIONS`` with ``Access-Control-Request-Method``) on every path and adds
  ``Access-Control-Allow-Origin`` to the answers of an allowed origin. Credentials travel in headers
  (``Session-Token``, ``Authorization``), never in cookies, so no ``Allow-Credentials``. Unset: no
  middleware at all, no CORS header anywhere.
- gzip (``PREMISES_GZIP_MIN_BYTES``): Starlette's ``GZipMiddleware`` for clients that send
  ``Accept-Encoding: gzip``, except the signed file downloads under ``/files/`` (their ``Range`` and
  ``Content-Length`` describe the stored bytes, and most stored files are compressed already).
  Requests that do not accept gzip skip the middleware entirely.
"""

from __future__ import annotations

from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

# The request headers a browser may send cross-origin, beyond the CORS-safelisted ones: the
# credentials every dialect's resolvers read (identity.authentication: UpKeep's Session-Token;
# Authorization for bearer tokens) and the request id.
ALLOWED_HEADERS = ("Authorization", "Content-Type", "Session-Token", "X-Request-Id")
# Response headers a cross-origin script may read.
EXPOSED_HEADERS = ("X-Request-Id", "Retry-After", "Content-Disposition")
ALLOWED_METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
PREFLIGHT_MAX_AGE = 600
# zlib's default: a 50-item list page compresses to a fifth in about 0.15 ms; 9 costs more for little.
COMPRESS_LEVEL = 6
NOT_COMPRESSED = ("/files/",)


def cors_origins(setting: str) -> list[str]:
    """``PREMISES_CORS_ORIGINS`` as a list: empty (CORS off), ``["*"]``, or the origins without a trailing slash."""
    origins = [origin.strip().rstrip("/") for origin in setting.split(",")]
    origins = [origin for origin in origins if origin]
    return ["*"] if "*" in origins else origins


class Cors(CORSMiddleware):
    """Starlette's ``CORSMiddleware`` with Premises' headers, methods and preflight lifetime."""

    def __init__(self, app: ASGIApp, origins: list[str]) -> None:
        super().__init__(
            app,
            allow_origins=origins,
            allow_methods=ALLOWED_METHODS,
            allow_headers=ALLOWED_HEADERS,
            expose_headers=EXPOSED_HEADERS,
            allow_credentials=False,
            max_age=PREFLIGHT_MAX_AGE,
        )


def _accepts_gzip(scope: Scope) -> bool:
    for name, value in scope["headers"]:
        if name == b"accept-encoding":
            return b"gzip" in value.lower()
    return False


class Compress:
    """``GZipMiddleware`` for the requests that accept gzip, outside ``/files/``; the rest go straight through."""

    def __init__(self, app: ASGIApp, minimum_size: int) -> None:
        self.app = app
        self.gzip = GZipMiddleware(app, minimum_size=minimum_size, compresslevel=COMPRESS_LEVEL)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _accepts_gzip(scope) and not scope["path"].startswith(NOT_COMPRESSED):
            await self.gzip(scope, receive, send)
        else:
            await self.app(scope, receive, send)
