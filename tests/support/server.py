"""A real ``premises serve`` process on a free port, for tests that need several processes or real sockets."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_server(
    database_url: str,
    data_dir: Path,
    *,
    workers: int = 1,
    env: Mapping[str, str | None] | None = None,
    log_path: Path | None = None,
    processes: list[subprocess.Popen[bytes]] | None = None,
) -> Iterator[str]:
    """``env`` adds variables to the server's environment; a ``None`` value removes one. The server's
    output (its logs: stderr, and stdout) goes to ``log_path`` when given, else to a temporary file
    (never to an unread pipe, which would stall a server that logs every request once it is full).
    ``processes`` receives the server process (a test that kills it)."""
    port = free_port()
    # No embedded job worker unless a test asks for one (env): other tests' queued jobs stay theirs.
    environment = {
        **os.environ,
        "PREMISES_DATABASE_URL": database_url,
        "PREMISES_DATA_DIR": str(data_dir),
        "PREMISES_WORKER_EMBEDDED": "0",
        # Few connections a process: the suite's servers (two pytest workers, two processes each) and
        # their tests' own engines stay well inside PostgreSQL's max_connections (100 by default).
        "PREMISES_DB_POOL_SIZE": "4",
    }
    for name, value in (env or {}).items():
        if value is None:
            environment.pop(name, None)
        else:
            environment[name] = value
    output = open(log_path, "ab") if log_path is not None else tempfile.TemporaryFile()  # noqa: SIM115
    process = subprocess.Popen(
        [sys.executable, "-m", "premises", "serve", "--port", str(port), "--workers", str(workers)],
        env=environment,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    if processes is not None:
        processes.append(process)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120  # a loaded machine takes tens of seconds to import the app
        while True:
            try:
                if httpx.get(base_url + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                output.flush()
                output.seek(0)
                raise RuntimeError(f"server did not start: {output.read().decode(errors='replace')}")
            time.sleep(0.1)
        yield base_url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        output.close()
