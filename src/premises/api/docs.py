"""The pages that lead to the API documents, served by the root app with nothing from another origin.

- ``/`` and ``/docs``: every mounted dialect (``premises.api.dialects_installed``) with links to its
  interactive docs and its OpenAPI document; an HTML page for a browser (``Accept: text/html``),
  JSON otherwise.
- ``{prefix}`` (``/api/v2``, also ``/api/v2/``): the same for that dialect alone. Without this route
  the root router would redirect ``/api/v2`` to ``/api/v2/``, which ``StripTrailingSlash`` turns
  back into ``/api/v2``: a redirect loop.
- ``{prefix}/docs``: Swagger UI over the dialect's own ``{prefix}{openapi_url}``.
- ``/docs/assets/{name}``: Swagger UI's script, style sheet and icon, from the package
  ``swagger-ui-bundle-v2`` (Swagger UI 5: OpenAPI 3.1), so an offline install shows its docs.

A dialect's app keeps serving its OpenAPI document and serves no docs page of its own
(``docs_url=None``); a dialect whose app publishes no document is listed without links, and its
``{prefix}/docs`` is a 404 in its format.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import swagger_ui_bundle  # type: ignore[import-untyped]  # Swagger UI's files; no type information
from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Mount

from premises.api.kit.dialects import Dialect

ASSETS_PATH = "/docs/assets"
# The files a docs page loads, with their content types; nothing else of the bundle is served.
ASSETS: dict[str, str] = {
    "swagger-ui-bundle.js": "text/javascript; charset=utf-8",
    "swagger-ui.css": "text/css; charset=utf-8",
    "favicon-32x32.png": "image/png",
}
ASSET_CACHE = "public, max-age=86400"
# HEAD too: ``{prefix}/docs`` would otherwise fall through to the dialect's mount (a 404 there).
METHODS = ["GET", "HEAD"]
_ASSET_DIR = Path(str(swagger_ui_bundle.swagger_ui_path))


def install(app: FastAPI, dialects: Sequence[Dialect]) -> None:
    """Add the docs routes to the root app (before the dialects are mounted)."""

    async def index(request: Request) -> Response:
        return _index(request, dialects)

    for path in ("/", "/docs"):
        app.add_api_route(path, index, methods=METHODS, include_in_schema=False)
    app.add_api_route(ASSETS_PATH + "/{name}", asset, methods=METHODS, include_in_schema=False)
    for dialect in dialects:
        app.add_api_route(dialect.prefix, _dialect_index(dialect), methods=METHODS, include_in_schema=False)
        app.add_api_route(dialect.prefix + "/docs", _swagger_page(dialect), methods=METHODS, include_in_schema=False)


async def asset(name: str) -> Response:
    content_type = ASSETS.get(name)
    if content_type is None:
        raise HTTPException(404)
    return FileResponse(_ASSET_DIR / name, media_type=content_type, headers={"Cache-Control": ASSET_CACHE})


def _mounted_app(root: Any, dialect: Dialect) -> FastAPI | None:
    for route in root.routes:
        if isinstance(route, Mount) and route.path == dialect.prefix and isinstance(route.app, FastAPI):
            return route.app
    return None


def describe(request: Request, dialect: Dialect) -> dict[str, Any]:
    """What a client needs to find one dialect's documents (URLs under the server's root path)."""
    base = request.scope.get("root_path", "") + dialect.prefix
    sub = _mounted_app(request.app, dialect)
    out: dict[str, Any] = {"name": dialect.name, "summary": dialect.summary, "url": base}
    if sub is not None and sub.openapi_url:
        out["title"] = sub.title
        out["docs"] = base + "/docs"
        out["openapi"] = base + sub.openapi_url
    return out


def _wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "").lower()


def _index(request: Request, dialects: Sequence[Dialect]) -> Response:
    described = [describe(request, d) for d in dialects]
    if not _wants_html(request):
        return JSONResponse({"dialects": described})
    items = []
    for d in described:
        links = (
            f' — <a href="{html.escape(d["docs"])}">interactive docs</a>,'
            f' <a href="{html.escape(d["openapi"])}">OpenAPI document</a>'
            if "docs" in d
            else ""
        )
        items.append(f"<li><code>{html.escape(d['url'])}</code>: {html.escape(d['summary'])}{links}</li>")
    page = (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Premises API</title></head>\n'
        "<body><h1>Premises API</h1>\n<p>Each API dialect has its own documents:</p>\n"
        f"<ul>\n{chr(10).join(items)}\n</ul>\n</body></html>\n"
    )
    return HTMLResponse(page)


def _dialect_index(dialect: Dialect) -> Any:
    async def dialect_index(request: Request) -> Response:
        return _index(request, [dialect])

    return dialect_index


def _swagger_page(dialect: Dialect) -> Any:
    async def swagger_page(request: Request) -> Response:
        described = describe(request, dialect)
        if "openapi" not in described:
            raise HTTPException(404)
        assets = request.scope.get("root_path", "") + ASSETS_PATH
        return get_swagger_ui_html(
            openapi_url=described["openapi"],
            title=described["title"],
            swagger_js_url=f"{assets}/swagger-ui-bundle.js",
            swagger_css_url=f"{assets}/swagger-ui.css",
            swagger_favicon_url=f"{assets}/favicon-32x32.png",
            # No validator badge: Swagger UI would send the document's URL to an outside validator.
            swagger_ui_parameters={"validatorUrl": None},
        )

    return swagger_page
