"""Response headers every route gets, and HEAD on every GET route (dialect-neutral ASGI middleware)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

NOSNIFF = (b"x-content-type-options", b"nosniff")
NO_STORE = (b"cache-control", b"no-store")


class StandardHeaders:
    """``X-Content-Type-Options: nosniff`` on every response; ``Cache-Control: no-store`` on every JSON
    response that sets no caching of its own (API answers carry session tokens and private records)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {name.lower() for name, _ in headers}
                if NOSNIFF[0] not in names:
                    headers.append(NOSNIFF)
                if NO_STORE[0] not in names:
                    content_type = next((v for k, v in headers if k.lower() == b"content-type"), b"")
                    if content_type.split(b";")[0].strip().lower() == b"application/json":
                        headers.append(NO_STORE)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class HeadAsGet:
    """HEAD is answered like GET without the body, on every route that has a GET.

    A route that serves HEAD itself (file downloads) answers it; when routing answers 405 instead,
    the request runs again as GET and only the status and headers are sent on.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        refused = False

        async def send_unless_refused(message: Message) -> None:
            nonlocal refused
            if message["type"] == "http.response.start" and message["status"] == 405:
                refused = True
            if not refused:
                await send(_without_body(message))

        await self.app(dict(scope), receive, send_unless_refused)
        if not refused:
            return

        async def send_headers_only(message: Message) -> None:
            await send(_without_body(message))

        # Routing refused without reading the (empty) body, so ``receive`` still has it for the GET.
        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


def _without_body(message: Message) -> Message:
    if message["type"] == "http.response.body" and message.get("body"):
        return {**message, "body": b""}
    return message
