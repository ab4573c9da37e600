"""The ASGI application: every dialect mounted on one port."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from premises import datadir
from premises.api import docs, files_download
from premises.api.dialects_installed import DIALECTS
from premises.api.headers import HeadAsGet, StandardHeaders
from premises.api.jobs import embedded_worker
from premises.api.kit.dialects import Dialect, check_distinct, dialect_for
from premises.api.limits import UPLOAD_OVERHEAD_BYTES, BodyLimit, BodyLimits
from premises.api.observability import health
from premises.api.observability.metrics import Metrics
from premises.api.observability.requests import Observe, RouteCapture
from premises.api.runtime import Runtime
from premises.api.transport import Compress, Cors, cors_origins
from premises.config import Settings, get_settings
from premises.db.engine import Database, make_engine
from premises.db.reader import open_reader
from premises.file.storage import LocalFileStore, describe_size, store_for
from premises.file.sweep import sweep_orphans


class StripTrailingSlash:
    """Route ``/x/`` exactly like ``/x`` (UpKeep clients use both, and a redirect would drop POST bodies)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            path: str = scope["path"]
            if len(path) > 1 and path.endswith("/"):
                scope = dict(scope)
                scope["path"] = path.rstrip("/") or "/"
                raw: Any = scope.get("raw_path")
                if isinstance(raw, bytes):
                    scope["raw_path"] = raw.rstrip(b"/") or b"/"
        await self.app(scope, receive, send)


def create_app(settings: Settings | None = None, dialects: Sequence[Dialect] = DIALECTS) -> FastAPI:
    """The root app: every dialect of ``dialects`` (by default those of ``premises.api.dialects_installed``)
    mounted at its prefix, /healthz, /readyz, /metrics (when enabled) and the signed file downloads."""
    check_distinct(dialects)
    settings = settings or get_settings()
    url = settings.resolved_database_url
    engine = make_engine(url, pool_size=settings.db_pool_size, pool_timeout=settings.db_pool_timeout)
    runtime = Runtime(settings=settings, db=Database(engine))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        datadir.prepare(settings)
        store = store_for(settings)
        if isinstance(store, LocalFileStore):  # what a crash (kill -9) left: premises.file.sweep
            await asyncio.to_thread(sweep_orphans, runtime.db.unit_of_work, store)
        runtime.reader_holder.append(await open_reader(url, pool_size=settings.db_pool_size))
        try:
            # The job worker (premises.api.jobs): webhooks and other jobs; PREMISES_WORKER_EMBEDDED=0 turns it off.
            async with embedded_worker(runtime):
                yield
        finally:
            await runtime.reader.close()
            runtime.reader_holder.clear()
            runtime.db.dispose()

    app = FastAPI(
        title="Premises",
        version="0.1.0",
        summary="Property and facilities management. Dialects: "
        + ", ".join(f"{d.prefix} ({d.summary})" for d in dialects)
        + ".",
        lifespan=lifespan,
        # Each dialect serves its own document (/api/v2/openapi.json); premises.api.docs the pages that lead to it.
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.runtime = runtime

    # Operations (premises.api.observability, docs/operations.md): liveness, readiness, Prometheus metrics.
    app.add_api_route("/healthz", health.healthz, include_in_schema=False)
    app.add_api_route("/readyz", health.readyz, include_in_schema=False)
    metrics = Metrics(runtime, settings.metrics_token) if settings.metrics_enabled else None
    if metrics is not None:
        app.add_api_route("/metrics", metrics.endpoint, include_in_schema=False)

    docs.install(app, dialects)  # /, /docs, each prefix and its /docs page (premises.api.docs), before the mounts
    for dialect in dialects:
        if dialect.install_root is not None:
            dialect.install_root(app)
        app.mount(dialect.prefix, dialect.create_app(runtime))
    files_download.install(app, settings)  # GET /files/{account}/{file}/{name}?expires=&signature= (signed links)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        # A path the mount cannot route (e.g. control characters in an id) still gets its dialect's format.
        dialect = dialect_for(request.url.path, dialects)
        if dialect is not None:
            return await dialect.render_http_error(request, exc)
        return JSONResponse({"detail": exc.detail}, status_code=exc.status_code)

    # Innermost first; Observe (request id, access log, metrics) is the outermost.
    if metrics is not None:
        app.add_middleware(RouteCapture)
    app.add_middleware(
        BodyLimits,
        json=BodyLimit(settings.max_json_bytes, f"request body is too large (limit {settings.max_json_bytes} bytes)"),
        upload=BodyLimit(
            settings.max_upload_bytes + UPLOAD_OVERHEAD_BYTES,
            f"file is too large: the maximum size is {describe_size(settings.max_upload_bytes)}",
        ),
    )
    app.add_middleware(StripTrailingSlash)
    app.add_middleware(Compress, minimum_size=settings.gzip_min_bytes)
    app.add_middleware(HeadAsGet)
    app.add_middleware(StandardHeaders)
    origins = cors_origins(settings.cors_origins)
    if origins:
        app.add_middleware(Cors, origins=origins)
    app.add_middleware(Observe, metrics=metrics)
    return app
