"""Issue 5 items 6 and 17 against a real ``premises serve`` process: an oversize body is refused
before it is read (the client cannot push more than a few MB of a 50 MB body), multipart is refused
without spooling, the request head is bounded (431), and there is no ``server`` header."""

from __future__ import annotations

import contextlib
import json
import select
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from premises.config import Settings
from tests.support.server import running_server

pytestmark = pytest.mark.slow

FIFTY_MB = 50 * 1024 * 1024
CHUNK = 64 * 1024


@pytest.fixture(scope="module")
def server(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    tmp = tmp_path_factory.mktemp("spool")
    with running_server(
        settings.resolved_database_url, tmp_path_factory.mktemp("data"), env={"TMPDIR": str(tmp)}
    ) as base_url:
        yield base_url, tmp


def _connect(base_url: str) -> socket.socket:
    parts = urlsplit(base_url)
    sock = socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 80), timeout=20)
    return sock


def _read_response(sock: socket.socket) -> tuple[int, dict[str, str], bytes]:
    data = b""
    try:
        while chunk := sock.recv(65536):
            data += chunk
    except (ConnectionResetError, TimeoutError):
        pass
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    assert lines[0].startswith("HTTP/1.1 "), data[:200]
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:])}
    return int(lines[0].split()[1]), headers, body


def _stream(sock: socket.socket, head: bytes, total: int, *, chunked: bool) -> int:
    """Send ``head`` then up to ``total`` body bytes, stopping as soon as the server answers or
    closes; return how many body bytes went out."""
    sock.sendall(head)
    sent = 0
    piece = b"x" * CHUNK
    while sent < total:
        readable, _, _ = select.select([sock], [], [], 0)
        if readable:
            break
        frame = b"%x\r\n%s\r\n" % (len(piece), piece) if chunked else piece
        try:
            sock.sendall(frame)
        except (BrokenPipeError, ConnectionResetError):
            break
        sent += len(piece)
    return sent


def test_streamed_json_body_is_refused_at_the_limit(server: tuple[str, Path]) -> None:
    base_url, _ = server
    head = (
        b"POST /api/v2/auth HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n" + b'1d\r\n{"email": "a@b.c", "password"\r\n'
    )
    with _connect(base_url) as sock:
        sent = _stream(sock, head, FIFTY_MB, chunked=True)
        status, headers, body = _read_response(sock)
    assert status == 413
    assert json.loads(body) == {"success": False, "message": "request body is too large (limit 1048576 bytes)"}
    assert headers["connection"] == "close"
    assert sent < 10 * 1024 * 1024, sent  # the server stopped reading long before 50 MB


def test_declared_length_over_the_limit_is_refused_before_reading(server: tuple[str, Path]) -> None:
    base_url, _ = server
    head = (
        b"POST /api/v2/auth HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\n\r\n" % FIFTY_MB
    )
    with _connect(base_url) as sock:
        sock.sendall(head)
        readable, _, _ = select.select([sock], [], [], 10)
        assert readable, "no answer without the body"
        status, _, body = _read_response(sock)
    assert status == 413
    assert json.loads(body)["message"] == "request body is too large (limit 1048576 bytes)"


def test_multipart_to_auth_is_refused_without_spooling(server: tuple[str, Path]) -> None:
    base_url, spool = server
    boundary = b"premises"
    head = (
        b"POST /api/v2/auth HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=" + boundary + b"\r\n"
        b"Transfer-Encoding: chunked\r\n\r\n"
    )
    part = b'--premises\r\nContent-Disposition: form-data; name="password"; filename="p"\r\n\r\n'
    head += b"%x\r\n%s\r\n" % (len(part), part)
    with _connect(base_url) as sock:
        sent = _stream(sock, head, FIFTY_MB, chunked=True)
        status, _, body = _read_response(sock)
    assert status == 415
    assert json.loads(body)["success"] is False
    assert sent < 10 * 1024 * 1024, sent
    assert list(spool.iterdir()) == []  # nothing spooled to the server's TMPDIR


def test_oversize_header_is_431(server: tuple[str, Path]) -> None:
    base_url, _ = server
    with _connect(base_url) as sock:
        sent = _stream(sock, b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ", 100 * 1024 * 1024, chunked=False)
        status, _, _ = _read_response(sock)
    assert status == 431
    assert sent < 10 * 1024 * 1024, sent  # what the socket buffers hold; the server read 64 KB of it


def test_too_many_headers_is_431(server: tuple[str, Path]) -> None:
    base_url, _ = server
    many = b"".join(b"X-H%d: v\r\n" % i for i in range(1000))
    with _connect(base_url) as sock:
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n" + many + b"\r\n")
        status, _, _ = _read_response(sock)
    assert status == 431


def test_ordinary_requests_pass_and_carry_no_server_header(server: tuple[str, Path]) -> None:
    base_url, _ = server
    headers = {f"X-H{i}": "v" * 100 for i in range(90)}  # 90 headers, ~10 KB: well inside the bounds
    response = httpx.get(base_url + "/healthz", headers=headers)
    assert response.status_code == 200
    assert "server" not in response.headers
    assert response.headers["x-content-type-options"] == "nosniff"
    head = httpx.head(base_url + "/healthz")
    assert head.status_code == 200
    assert head.headers["content-length"] == response.headers["content-length"]
