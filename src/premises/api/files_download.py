"""Downloading stored files through signed links: ``GET /files/{account}/{file}/{name}?expires=&signature=``.

Served on the root app, outside any dialect, and without a session (the signature is the
credential, as with S3 pre-signed URLs). A bad or tampered signature and an expired link give 403;
a file that no longer exists gives 404.

Bytes are served with ``X-Content-Type-Options: nosniff`` and a sandboxing CSP; only images (not
SVG), PDFs, audio, video and plain text are shown inline, everything else downloads as an attachment,
so an uploaded HTML page cannot run as this origin.

``install`` also sets ``CURRENT_SETTINGS`` for every request, so that file objects rendered inside
any route (``image``, ``includes=files``) carry this app's links.
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, FastAPI, Request
from starlette.background import BackgroundTask
from starlette.responses import FileResponse, JSONResponse, Response, StreamingResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from premises.api.runtime import CURRENT_SETTINGS, Runtime
from premises.config import Settings
from premises.errors import NotFound
from premises.file.links import LinkCheck, links_for
from premises.file.queries import file_for_signed_link
from premises.file.storage import store_for

router = APIRouter(include_in_schema=False)

INLINE_PREFIXES = ("image/", "audio/", "video/")
INLINE_TYPES = frozenset({"application/pdf", "text/plain"})
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; img-src 'self'; media-src 'self'; sandbox",
    "Cache-Control": "private, max-age=3600",
}


def _inline(media_type: str) -> bool:
    if media_type == "image/svg+xml":
        return False
    return media_type.startswith(INLINE_PREFIXES) or media_type in INLINE_TYPES


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse({"detail": message}, status_code=status)


@router.api_route("/files/{account_id}/{file_id}/{filename}", methods=["GET", "HEAD"])
async def download(account_id: str, file_id: str, filename: str, request: Request) -> Response:
    runtime: Runtime = request.app.state.runtime
    params = request.query_params
    verdict = links_for(runtime.settings).check(
        account_id, file_id, filename, params.get("expires", ""), params.get("signature", "")
    )
    if verdict is LinkCheck.EXPIRED:
        return _error(403, "link expired")
    if verdict is not LinkCheck.VALID:
        return _error(403, "invalid signature")
    row = await file_for_signed_link(runtime.reader, account_id, file_id)
    if row is None or row["filename"] != filename:
        return _error(404, "file not found")
    media_type: str = row["content_type"]
    disposition = "inline" if _inline(media_type) else "attachment"
    store = store_for(runtime.settings)
    path = store.local_path(row["storage_key"])
    if path is not None:
        if not path.is_file():
            return _error(404, "file not found")
        return FileResponse(
            path,
            media_type=media_type,
            filename=row["filename"],
            content_disposition_type=disposition,
            headers=SECURITY_HEADERS,
        )
    try:
        source = store.open(row["storage_key"])
    except NotFound:
        return _error(404, "file not found")
    return StreamingResponse(
        iter(lambda: source.read(64 * 1024), b""),
        media_type=media_type,
        headers={
            **SECURITY_HEADERS,
            "Content-Length": str(row["size_bytes"]),
            "Content-Disposition": f"{disposition}; filename*=utf-8''{quote(row['filename'])}",
        },
        background=BackgroundTask(source.close),
    )


class CurrentSettings:
    """Make the serving app's settings visible to code that renders file links (see module doc)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        token = CURRENT_SETTINGS.set(self.settings)
        try:
            await self.app(scope, receive, send)
        finally:
            CURRENT_SETTINGS.reset(token)


def install(app: FastAPI, settings: Settings) -> None:
    app.include_router(router)
    app.add_middleware(CurrentSettings, settings=settings)
