"""The HTTP/1.1 protocol ``premises serve`` runs: uvicorn's httptools protocol with a bounded request head.

httptools keeps a header's name and value, and uvicorn the URL, in memory until each is complete, with
no limit (a 100 MB header was accepted), and uvicorn has no cap on the number of headers. This
protocol counts the bytes of the request line and headers as they arrive and answers 431 once they
pass ``MAX_HEAD_BYTES``, before feeding the parser more; it answers 431 to the header after the
``MAX_HEADERS``-th. (uvicorn's h11 protocol bounds the head with ``h11_max_incomplete_event_size``,
but it is a pure-Python parser, about twice as slow; docs/benchmarks.md measures httptools.)

The head of a pipelined request that starts inside the same read as the previous request's end is
counted from the next read on, so a head can exceed the bound by at most one read buffer.
"""

from __future__ import annotations

import asyncio

import httptools
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from premises.api.observability.request_id import new_request_id
from premises.logging_setup import REQUEST_ID

MAX_HEAD_BYTES = 64 * 1024
MAX_HEADERS = 100


class _HeadRefused(Exception):
    pass


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    max_head_bytes = MAX_HEAD_BYTES
    max_headers = MAX_HEADERS

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._in_head = True
        self._head_bytes = 0
        self._header_count = 0
        super().connection_made(transport)

    def on_message_begin(self) -> None:
        self._header_count = 0
        super().on_message_begin()

    def on_header(self, name: bytes, value: bytes) -> None:
        self._header_count += 1
        if self._header_count > self.max_headers:
            raise _HeadRefused(f"too many request headers (limit {self.max_headers})")
        super().on_header(name, value)

    def on_headers_complete(self) -> None:
        self._in_head = False
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._in_head = True
        self._head_bytes = 0
        super().on_message_complete()

    def data_received(self, data: bytes) -> None:
        if self.parser is None or self.transport.is_closing():
            return
        if self._in_head:
            allowance = self.max_head_bytes - self._head_bytes
            if len(data) > allowance:
                # Feed only what the head may still take; if it is not complete by then, refuse.
                if not self._feed(data[:allowance]):
                    return
                if self._in_head:
                    self._refuse(f"request headers are too large (limit {self.max_head_bytes} bytes)")
                    return
                data = data[allowance:]
            else:
                self._head_bytes += len(data)
        self._feed(data)

    def _feed(self, data: bytes) -> bool:
        """uvicorn's ``data_received``, with 431 for a refused head; False when the connection is done."""
        self._unset_keepalive_if_required()
        try:
            self.parser.feed_data(data)
        except httptools.HttpParserCallbackError as exc:
            if isinstance(exc.__context__, _HeadRefused):
                self._refuse(str(exc.__context__))
            else:
                self._invalid()
            return False
        except httptools.HttpParserError:
            self._invalid()
            return False
        except httptools.HttpParserUpgrade:
            if self._should_upgrade():
                self.handle_websocket_upgrade()
            else:
                self._unsupported_upgrade_warning()
            return False
        return not self.transport.is_closing()

    def _invalid(self) -> None:
        msg = "Invalid HTTP request received."
        self.logger.warning(msg)
        self.send_400_response(msg)

    def _refuse(self, message: str) -> None:
        # Refused before the application sees the request: the id is made here (the client's header
        # may not have arrived), logged and returned as for every other response.
        request_id = new_request_id()
        token = REQUEST_ID.set(request_id)
        try:
            self.logger.warning("%s", message, extra={"status": 431})
        finally:
            REQUEST_ID.reset(token)
        body = message.encode("ascii")
        content = [b"HTTP/1.1 431 Request Header Fields Too Large\r\n"]
        for name, value in self.server_state.default_headers:
            content.extend([name, b": ", value, b"\r\n"])
        content.extend(
            [
                b"content-type: text/plain; charset=utf-8\r\n",
                b"content-length: " + str(len(body)).encode("ascii") + b"\r\n",
                b"x-content-type-options: nosniff\r\n",
                b"x-request-id: " + request_id.encode("ascii") + b"\r\n",
                b"connection: close\r\n",
                b"\r\n",
                body,
            ]
        )
        self.transport.write(b"".join(content))
        self.transport.close()
