"""Python CPU per request, in-process: the whole ASGI app called directly under uvloop, no socket.

    PREMISES_BENCH_ENDPOINTS=1 python bench/cpu.py --credentials /tmp/bench/pg-10k.json

Counts this process's CPU time (``time.process_time``: every thread of the process, not the
database server's) over many calls of each endpoint and prints microseconds per request. Unlike
``load.py`` it is hardly disturbed by other work on the machine, so before/after comparisons of the
server's own Python cost can be made on a busy machine; ``load.py`` remains the measure of record.
"""

from __future__ import annotations

import asyncio
import json
import os
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(add_completion=False, help=__doc__, pretty_exceptions_show_locals=False)

Receive = Callable[[], Awaitable[dict[str, Any]]]
ENDPOINTS = {
    "bare": "/_bench/bare",
    "list": "/api/v2/work-orders?limit=50&status=open",
    "list1": "/api/v2/work-orders?limit=1&status=open",
    "v1list": "/v1/workOrders?limit=50",
    "v1list1": "/v1/workOrders?limit=1",
}


async def _call(asgi: Any, method: str, target: str, headers: list[tuple[bytes, bytes]], body: bytes = b"") -> bytes:
    path, _, query = target.partition("?")
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [(b"host", b"bench"), *headers],
        "client": ("127.0.0.1", 1),
        "server": ("127.0.0.1", 80),
    }
    sent = False
    chunks: list[bytes] = []

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if sent:
            await asyncio.sleep(3600)
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.start" and message["status"] != 200:
            raise RuntimeError(f"{target}: {message['status']}")
        if message["type"] == "http.response.body":
            chunks.append(message.get("body", b""))

    await asgi(scope, receive, send)
    return b"".join(chunks)


async def _measure(
    database_url: str, email: str, password: str, client: tuple[str, str], calls: int, rounds: int
) -> dict[str, float]:
    from premises.api.app import create_app
    from premises.config import Settings

    settings = Settings(database_url=database_url, data_dir=Path("/tmp/bench/cpu-data"))
    asgi = create_app(settings)
    results: dict[str, float] = {}
    client_id, client_secret = client
    async with asgi.router.lifespan_context(asgi):
        form = f"email={email}&password={password}".encode()
        login = await _call(
            asgi, "POST", "/api/v2/auth", [(b"content-type", b"application/x-www-form-urlencoded")], form
        )
        token = json.loads(login)["result"]["sessionToken"]
        headers = [(b"session-token", token.encode())]
        grant = f"grant_type=client_credentials&client_id={client_id}&client_secret={client_secret}".encode()
        issued = await _call(
            asgi, "POST", "/oauth/token", [(b"content-type", b"application/x-www-form-urlencoded")], grant
        )
        bearer = [(b"authorization", b"Bearer " + json.loads(issued)["access_token"].encode())]
        # The page after row ``page 100 x 50`` (or half the list): the nextCursor of the page before it.
        total = json.loads(await _call(asgi, "GET", "/v1/workOrders?limit=1", bearer))["count"]
        deep = max(1, min(int(os.environ.get("BENCH_CPU_DEEP_PAGE", "100")), total // 100))
        before = json.loads(await _call(asgi, "GET", f"/v1/workOrders?limit=50&page={deep}", bearer))
        targets = {**ENDPOINTS, "v1cursor": f"/v1/workOrders?limit=50&cursor={before['nextCursor']}"}
        for name, target in targets.items():
            headers = bearer if target.startswith("/v1/") else headers
            for _ in range(50):  # warm-up: caches, prepared statements
                await _call(asgi, "GET", target, headers)
            best = float("inf")
            for _ in range(rounds):
                started = time.process_time()
                for _ in range(calls):
                    await _call(asgi, "GET", target, headers)
                best = min(best, (time.process_time() - started) / calls)
            results[name] = best * 1e6
    return results


@app.command()
def main(
    credentials: Annotated[Path, typer.Option(help="JSON printed by bench/generate.py.")],
    calls: Annotated[int, typer.Option(help="Calls per round.")] = 500,
    rounds: Annotated[int, typer.Option(help="Rounds per endpoint; the best is reported.")] = 5,
) -> None:
    """Print the CPU microseconds per request of bare, list (limit=50), list (limit=1), /v1's list (limit=50
    and 1) and /v1's list continuing after row 5,000 (``v1cursor``; half the list when it is shorter; set
    ``BENCH_CPU_DEEP_PAGE=10000`` for row 500,000, as ``load.py`` measures it)."""
    import uvloop

    os.environ.setdefault("PREMISES_BENCH_ENDPOINTS", "1")
    os.environ.setdefault("PREMISES_LOGIN_FAILURES_PER_ADDRESS", "1000000")
    given = json.loads(credentials.read_text())
    results = uvloop.run(
        _measure(
            given["database_url"],
            given["admin_email"],
            given["admin_password"],
            (given["client_id"], given["client_secret"]),
            calls,
            rounds,
        )
    )
    for name, micros in results.items():
        print(f"{name:6} {micros:8.1f} us/request")
    print(json.dumps(results))


if __name__ == "__main__":
    app()
