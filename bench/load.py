"""Measure the hot endpoints of a Premises server: req/s and p50/p99 latency, as ratios to a bare endpoint.

    # start the server itself (one worker, PREMISES_BENCH_ENDPOINTS=1) on the database in the JSON
    # that bench/generate.py printed, then measure
    python bench/load.py --credentials /tmp/bench/sqlite-10k.json --label "SQLite 10k"
    # or target a server that is already running (started with PREMISES_BENCH_ENDPOINTS=1)
    python bench/load.py --url http://127.0.0.1:8000 --email admin@example.com --password secret

Endpoints: ``bare`` (``GET /_bench/bare``: a fixed 50-item body, no auth, no database),
``list`` (``GET /api/v2/work-orders?limit=50&status=open``), ``parts`` and ``meters`` (their lists,
``?limit=50``), ``get``
(``GET /api/v2/work-orders/{id}?includes=asset,location``), ``create`` (``POST /api/v2/work-orders``),
and with an OAuth client (the JSON's ``client_id`` and ``client_secret``, or ``--client-id``) ``v1list``
(``GET /v1/workOrders?limit=50``), ``v1near`` (the same page continuing after the first generated row:
past the work orders ``create`` added, which head the list and are lighter) and ``v1cursor`` (continuing
after row ``--cursor-depth``, default 500,000, at most half the list): ``v1cursor / v1near`` is what
depth costs, like for like. ``bare`` runs first and last; the ratios
use the mean of the two runs.

Load comes from ``wrk`` when it is installed (``apt-get install -y wrk``): a C client costs the
2-core machine far less CPU than a Python one, which would otherwise compete with the server.
``--client httpx`` uses a Python asyncio client instead (and is the fallback without wrk).
``--profile list,get --profile-dir DIR`` records py-spy profiles of the server under the same load
(after, and separately from, the measured runs) and prints where the time goes.
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

import httpx
import typer
from rich.console import Console
from rich.table import Table

from premises.kit.listing import ListQuery
from premises.work_order.fields import WORK_ORDERS

console = Console(stderr=True)
app = typer.Typer(add_completion=False, help=__doc__, pretty_exceptions_show_locals=False)

LIST_PATH = "/api/v2/work-orders?limit=50&status=open"
V1_LIST_PATH = "/v1/workOrders?limit=50"
PARTS_PATH = "/api/v2/parts?limit=50"
METERS_PATH = "/api/v2/meters?limit=50"
BARE_PATH = "/_bench/bare"
ORDER = ("bare", "list", "get", "create", "parts", "meters", "v1list", "v1near", "v1cursor", "bare2")
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class Endpoint:
    name: str
    method: str
    path: str
    body: dict[str, Any] | None = None
    auth: bool = True
    bearer: str = ""  # /v1's access token, sent instead of the session token


def _auth_headers(endpoint: Endpoint, token: str) -> dict[str, str]:
    if endpoint.bearer:
        return {"Authorization": f"Bearer {endpoint.bearer}"}
    return {"Session-Token": token} if endpoint.auth else {}


@dataclass
class Result:
    name: str
    method: str
    path: str
    client: str
    seconds: float
    requests: int
    errors: int
    rps: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    response_bytes: int = 0
    error: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


# ------------------------------------------------------------------------------------------ server


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def start_server(database_url: str, log_path: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    data_dir = Path(tempfile.mkdtemp(prefix="premises-bench-"))
    env = {
        **os.environ,
        "PREMISES_DATABASE_URL": database_url,
        "PREMISES_DATA_DIR": str(data_dir),
        "PREMISES_BENCH_ENDPOINTS": "1",
    }
    log = log_path.open("wb")
    command = [sys.executable, "-m", "premises", "serve", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode}; see {log_path}")
        try:
            if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                return process, base
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    process.terminate()
    raise RuntimeError(f"server did not start in 120 s; see {log_path}")


def stop_server(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


# ------------------------------------------------------------------------------------------ wrk

_LUA = """
wrk.method = {method}
wrk.body = {body}
wrk.headers["Content-Type"] = "application/json"
{auth}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_JSON {{\\"requests\\": %d, \\"duration_us\\": %d, \\"bytes\\": %d, \\"p50_us\\": %d, "
    .. "\\"p90_us\\": %d, \\"p99_us\\": %d, \\"connect\\": %d, \\"read\\": %d, \\"write\\": %d, "
    .. "\\"status\\": %d, \\"timeout\\": %d}}\\n",
    summary.requests, summary.duration, summary.bytes, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), e.connect, e.read, e.write, e.status, e.timeout))
end
"""


def _lua_string(value: str) -> str:
    return json.dumps(value)  # a JSON string literal is a valid Lua string literal for this input


def _wrk_script(endpoint: Endpoint, token: str, directory: Path) -> Path:
    body = json.dumps(endpoint.body) if endpoint.body is not None else ""
    auth = "\n".join(
        f"wrk.headers[{_lua_string(name)}] = {_lua_string(value)}"
        for name, value in _auth_headers(endpoint, token).items()
    )
    path = directory / f"{endpoint.name}.lua"
    path.write_text(_LUA.format(method=_lua_string(endpoint.method), body=_lua_string(body), auth=auth))
    return path


def run_wrk(base: str, endpoint: Endpoint, token: str, *, connections: int, seconds: float, directory: Path) -> Result:
    script = _wrk_script(endpoint, token, directory)
    command = [
        "wrk",
        "-t1",
        f"-c{connections}",
        f"-d{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "-s",
        str(script),
        base + endpoint.path,
    ]
    out = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("BENCH_JSON "))
    data = json.loads(line[len("BENCH_JSON ") :])
    duration = data["duration_us"] / 1e6
    errors = sum(data[k] for k in ("connect", "read", "write", "status", "timeout"))
    return Result(
        name=endpoint.name,
        method=endpoint.method,
        path=endpoint.path,
        client="wrk",
        seconds=round(duration, 2),
        requests=data["requests"],
        errors=errors,
        rps=data["requests"] / duration,
        p50_ms=data["p50_us"] / 1000,
        p90_ms=data["p90_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        extra={"wrk": data},
    )


# ------------------------------------------------------------------------------------------ httpx


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(q / 100 * len(sorted_values)) - 1))
    return sorted_values[index]


async def _httpx_load(
    base: str, endpoint: Endpoint, token: str, *, connections: int, seconds: float, warmup: float
) -> Result:
    headers = {"Content-Type": "application/json", **_auth_headers(endpoint, token)}
    content = json.dumps(endpoint.body).encode() if endpoint.body is not None else None
    limits = httpx.Limits(max_connections=connections, max_keepalive_connections=connections)
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    failures = 0
    start = time.perf_counter()
    measure_from = start + warmup
    end = measure_from + seconds
    async with httpx.AsyncClient(base_url=base, headers=headers, limits=limits, timeout=10) as client:

        async def worker() -> None:
            nonlocal failures
            while True:
                began = time.perf_counter()
                if began >= end:
                    return
                try:
                    response = await client.request(endpoint.method, endpoint.path, content=content)
                    await response.aread()
                    status = response.status_code
                except httpx.HTTPError:
                    status = 0
                finished = time.perf_counter()
                if began >= measure_from and finished <= end:
                    latencies.append(finished - began)
                    statuses[status] += 1
                    if not 200 <= status < 300:
                        failures += 1

        await asyncio.gather(*(worker() for _ in range(connections)))
    latencies.sort()
    return Result(
        name=endpoint.name,
        method=endpoint.method,
        path=endpoint.path,
        client="httpx",
        seconds=seconds,
        requests=len(latencies),
        errors=failures,
        rps=len(latencies) / seconds,
        p50_ms=_percentile(latencies, 50) * 1000,
        p90_ms=_percentile(latencies, 90) * 1000,
        p99_ms=_percentile(latencies, 99) * 1000,
        extra={"statuses": dict(statuses)},
    )


# ------------------------------------------------------------------------------------------ profiling


BUCKETS = (
    ("premises/db/reader.py", "database call (driver, incl. C code)"),
    ("asyncpg/", "database call (driver, incl. C code)"),
    ("premises/", "premises code (mapping rows, rendering, auth)"),
    ("starlette/", "framework (starlette/fastapi)"),
    ("fastapi/", "framework (starlette/fastapi)"),
    ("pydantic", "framework (starlette/fastapi)"),
    ("uvicorn/", "server (uvicorn, httptools)"),
    ("httptools", "server (uvicorn, httptools)"),
    ("asyncio/", "event loop"),
    ("uvloop", "event loop"),
    ("threading.py", "thread pool"),
    ("concurrent/", "thread pool"),
    ("sqlalchemy/", "SQLAlchemy (write path)"),
)


def _frame(text: str) -> tuple[str, str]:
    """``func (pkg/file.py:12)`` -> (``func``, ``pkg/file.py``)."""
    name, _, where = text.partition(" (")
    return name, where.rstrip(")").rsplit(":", 1)[0]


def summarize_folded(path: Path, top: int = 20) -> str:
    """Where the server's time goes, from py-spy's folded (``--format raw``) output: self time by
    area and by function, and inclusive time of the project's own functions."""
    self_time: Counter[str] = Counter()
    areas: Counter[str] = Counter()
    inclusive: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        total += count
        frames = [_frame(f) for f in stack.split(";")]
        name, where = frames[-1]
        self_time[f"{name} ({where})"] += count
        areas[next((area for prefix, area in BUCKETS if prefix in where), "other")] += count
        for frame_name, frame_where in {f for f in frames if f[1].startswith("premises/")}:
            inclusive[f"{frame_name} ({frame_where})"] += count
    if not total:
        return f"{path.name}: no samples"
    lines = [f"{path.name}: {total} samples", "  self time by area:"]
    lines += [f"    {100 * n / total:5.1f}%  {name}" for name, n in areas.most_common()]
    lines.append("  self time by function:")
    lines += [f"    {100 * n / total:5.1f}%  {name}" for name, n in self_time.most_common(top)]
    lines.append("  inclusive time, premises functions:")
    lines += [f"    {100 * n / total:5.1f}%  {name}" for name, n in inclusive.most_common(top)]
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------ main


def _login(base: str, email: str, password: str) -> str:
    response = httpx.post(base + "/api/v2/auth", json={"email": email, "password": password}, timeout=30)
    response.raise_for_status()
    token: str = response.json()["result"]["sessionToken"]
    return token


def _endpoints(
    base: str, token: str, get_includes: str, bearer: str = "", cursor_depth: int = 500_000
) -> tuple[list[Endpoint], dict[str, int]]:
    headers = {"Session-Token": token}
    page = httpx.get(base + LIST_PATH, headers=headers, timeout=30)
    page.raise_for_status()
    results = page.json()["results"]
    if not results:
        raise RuntimeError("the list is empty: generate data first (bench/generate.py)")
    sample = next((r for r in results if r.get("asset") and r.get("location")), results[0])
    location = next((r["location"] for r in results if r.get("location")), None)
    get_path = f"/api/v2/work-orders/{sample['id']}"
    if get_includes:
        get_path += f"?includes={get_includes}"
    body: dict[str, Any] = {
        "title": "Benchmark: replace filter on Rooftop Unit 7",
        "description": "quarterly preventive task; attach photos of the nameplate and the filter condition",
        "priority": 2,
    }
    if location:
        body["location"] = location
    bare = httpx.get(base + BARE_PATH, timeout=30)
    sizes = {"list": len(page.content), "bare": len(bare.content) if bare.status_code == 200 else 0}
    endpoints = [
        Endpoint("bare", "GET", BARE_PATH, auth=False),
        Endpoint("list", "GET", LIST_PATH),
        Endpoint("get", "GET", get_path),
        Endpoint("create", "POST", "/api/v2/work-orders", body=body),
        Endpoint("parts", "GET", PARTS_PATH),
        Endpoint("meters", "GET", METERS_PATH),
    ]
    if bearer:
        endpoints += [
            Endpoint("v1list", "GET", V1_LIST_PATH, bearer=bearer),
            Endpoint("v1near", "GET", _cursor_path(base, bearer, _created_by_bench(base, bearer) + 1), bearer=bearer),
            Endpoint("v1cursor", "GET", _cursor_path(base, bearer, cursor_depth), bearer=bearer),
        ]
    endpoints.append(Endpoint("bare2", "GET", BARE_PATH, auth=False))
    return endpoints, sizes


def _oauth_token(base: str, client_id: str, client_secret: str) -> str:
    data = {"grant_type": "client_credentials", "client_id": client_id, "client_secret": client_secret}
    response = httpx.post(base + "/oauth/token", data=data, timeout=30)
    response.raise_for_status()
    token: str = response.json()["access_token"]
    return token


def _created_by_bench(base: str, bearer: str) -> int:
    """How many work orders the ``create`` runs of this and earlier runs added (their title says so):
    they head the list, and are lighter than the generated ones (no asset, no assignee)."""
    headers = {"Authorization": f"Bearer {bearer}"}
    found = httpx.get(base + "/v1/workOrders?limit=1&search=Benchmark:", headers=headers, timeout=600)
    found.raise_for_status()
    created: int = found.json()["count"]
    return created


def _cursor_path(base: str, bearer: str, depth: int) -> str:
    """``GET /v1/workOrders?limit=50&cursor=...`` continuing after the row at ``depth`` (at most half the
    list): the row is found once by ``page`` (an offset), its cursor built by the list's own encoder."""
    headers = {"Authorization": f"Bearer {bearer}"}
    count = httpx.get(base + "/v1/workOrders?limit=1", headers=headers, timeout=30).json()["count"]
    row = max(1, min(depth, count // 2))
    found = httpx.get(base + f"/v1/workOrders?limit=1&page={row}", headers=headers, timeout=600)
    found.raise_for_status()
    item = found.json()["items"][0]
    query = ListQuery.of(WORK_ORDERS, limit=50)
    created_ms = (datetime.fromisoformat(item["createdAt"]) - EPOCH) // timedelta(milliseconds=1)
    cursor = query.next_cursor({"created_at": created_ms, "id": item["id"]})
    return f"{V1_LIST_PATH}&cursor={cursor}"


def _probe(base: str, endpoint: Endpoint, token: str) -> tuple[int, str, int]:
    headers = _auth_headers(endpoint, token)
    response = httpx.request(endpoint.method, base + endpoint.path, headers=headers, json=endpoint.body, timeout=30)
    return response.status_code, response.text[:300], len(response.content)


def _run_one(
    client: str,
    base: str,
    endpoint: Endpoint,
    token: str,
    *,
    connections: int,
    seconds: float,
    warmup: float,
    tmp: Path,
) -> Result:
    if client == "wrk":
        if warmup > 0:
            run_wrk(base, endpoint, token, connections=connections, seconds=warmup, directory=tmp)
        return run_wrk(base, endpoint, token, connections=connections, seconds=seconds, directory=tmp)
    return asyncio.run(_httpx_load(base, endpoint, token, connections=connections, seconds=seconds, warmup=warmup))


def _table(label: str, results: dict[str, Result], bare_rps: float) -> Table:
    table = Table(title=label)
    for column in ("endpoint", "req/s", "p50 ms", "p99 ms", "ratio to bare", "errors", "bytes"):
        table.add_column(column, justify="left" if column == "endpoint" else "right")
    for name in ORDER:
        r = results.get(name)
        if r is None:
            continue
        if r.error:
            table.add_row(name, "-", "-", "-", "-", r.error[:60], "")
            continue
        ratio = r.rps / bare_rps if bare_rps else 0.0
        table.add_row(
            name,
            f"{r.rps:,.0f}",
            f"{r.p50_ms:.2f}",
            f"{r.p99_ms:.2f}",
            f"{ratio:.3f}",
            str(r.errors),
            str(r.response_bytes),
        )
    return table


@app.command()
def main(
    credentials: Annotated[
        Path | None, typer.Option(help="JSON printed by bench/generate.py (database_url, admin_email, admin_password).")
    ] = None,
    database_url: Annotated[str, typer.Option(help="Start a server on this database (overrides the JSON's).")] = "",
    url: Annotated[str, typer.Option(help="Target an already running server instead of starting one.")] = "",
    email: Annotated[str, typer.Option()] = "",
    password: Annotated[str, typer.Option()] = "",
    label: Annotated[str, typer.Option(help="Name of this run in the output.")] = "",
    client: Annotated[str, typer.Option(help="wrk, httpx or auto (wrk when installed).")] = "auto",
    connections: Annotated[int, typer.Option(min=1, max=512)] = 16,
    duration: Annotated[float, typer.Option(min=1, help="Measured seconds per endpoint.")] = 10,
    warmup: Annotated[float, typer.Option(min=0, help="Unmeasured seconds before each endpoint.")] = 2,
    only: Annotated[
        str,
        typer.Option(help="Comma-separated subset of bare,list,get,create,parts,meters,v1list,v1near,v1cursor,bare2."),
    ] = "",
    client_id: Annotated[str, typer.Option(help="/v1's OAuth client (default: the JSON's client_id).")] = "",
    client_secret: Annotated[str, typer.Option()] = "",
    cursor_depth: Annotated[int, typer.Option(min=1, help="v1cursor continues after this row (at most half).")] = (
        500_000
    ),
    get_includes: Annotated[str, typer.Option(help="includes= of the get endpoint.")] = "asset,location",
    json_out: Annotated[Path | None, typer.Option(help="Append this run's results as one JSON line.")] = None,
    profile: Annotated[str, typer.Option(help="Endpoints to profile with py-spy after measuring.")] = "",
    profile_dir: Annotated[Path, typer.Option()] = Path("bench/profiles"),
    server_log: Annotated[Path, typer.Option()] = Path(tempfile.gettempdir()) / "premises-bench-server.log",
) -> None:
    """Measure bare, list, get and create; print a table and (last line of stdout) the results as JSON."""
    info: dict[str, Any] = json.loads(credentials.read_text().strip().splitlines()[-1]) if credentials else {}
    database_url = database_url or info.get("database_url", "")
    email = email or info.get("admin_email", "")
    password = password or info.get("admin_password", "")
    if not email or not password:
        raise typer.BadParameter("give --credentials or --email and --password")
    if client == "auto":
        client = "wrk" if shutil.which("wrk") else "httpx"
    process: subprocess.Popen[bytes] | None = None
    if url:
        base = url.rstrip("/")
    elif database_url:
        console.print(f"starting the server on {database_url} (log: {server_log})")
        process, base = start_server(database_url, server_log)
    else:
        raise typer.BadParameter("give --url, --database-url or --credentials")
    load_before = os.getloadavg()[0]
    wanted = {n.strip() for n in only.split(",") if n.strip()} or set(ORDER)
    tmp = Path(tempfile.mkdtemp(prefix="premises-wrk-"))
    results: dict[str, Result] = {}
    try:
        token = _login(base, email, password)
        client_id = client_id or info.get("client_id", "")
        client_secret = client_secret or info.get("client_secret", "")
        bearer = _oauth_token(base, client_id, client_secret) if client_id and client_secret else ""
        if not bearer:
            console.print("[yellow]no OAuth client (client_id, client_secret): no v1list, v1cursor")
        endpoints, sizes = _endpoints(base, token, get_includes, bearer, cursor_depth)
        console.print(f"response sizes: list {sizes['list']:,} B, bare {sizes['bare']:,} B; client {client}")
        for endpoint in endpoints:
            if endpoint.name not in wanted:
                continue
            status, text, size = _probe(base, endpoint, token)
            if not 200 <= status < 300:
                console.print(f"[red]{endpoint.name}: {endpoint.method} {endpoint.path} -> {status} {text}")
                failed = Result(endpoint.name, endpoint.method, endpoint.path, client, 0, 0, 0, 0, 0, 0, 0)
                failed.error = f"HTTP {status}: {text}"
                results[endpoint.name] = failed
                continue
            console.print(f"{endpoint.name}: {endpoint.method} {endpoint.path}")
            result = _run_one(
                client, base, endpoint, token, connections=connections, seconds=duration, warmup=warmup, tmp=tmp
            )
            result.response_bytes = size
            results[endpoint.name] = result
        if profile and process is not None:
            _profile(process, base, endpoints, token, profile, profile_dir, label, client, connections, duration, tmp)
    finally:
        if process is not None:
            stop_server(process)
    bare_runs = [r.rps for n, r in results.items() if n in ("bare", "bare2") and not r.error]
    bare_rps = statistics.mean(bare_runs) if bare_runs else 0.0
    console.print(_table(label or base, results, bare_rps))
    summary = {
        "label": label,
        "client": client,
        "connections": connections,
        "duration": duration,
        "warmup": warmup,
        "database_url": database_url if not url else "",
        "bare_rps": bare_rps,
        "sizes": sizes,
        "ratios": {n: (r.rps / bare_rps if bare_rps else 0.0) for n, r in results.items() if not r.error},
        "results": {n: asdict(r) for n, r in results.items()},
        "at": time.strftime("%Y-%m-%dT%H:%M:%S"),
        # The 1-minute load average before and after: anything else busy on the machine skews the numbers.
        "loadavg": [round(load_before, 2), round(os.getloadavg()[0], 2)],
    }
    line = json.dumps(summary)
    if json_out is not None:
        with json_out.open("a") as handle:
            handle.write(line + "\n")
    sys.stdout.write(line + "\n")


def _profile(
    process: subprocess.Popen[bytes],
    base: str,
    endpoints: list[Endpoint],
    token: str,
    names: str,
    directory: Path,
    label: str,
    client: str,
    connections: int,
    duration: float,
    tmp: Path,
) -> None:
    spy_bin = shutil.which("py-spy") or shutil.which("py-spy", path=str(Path(sys.executable).parent))
    if not spy_bin:
        console.print("[yellow]py-spy is not installed (pip install py-spy): no profile")
        return
    directory.mkdir(parents=True, exist_ok=True)
    slug = "".join(c if c.isalnum() else "-" for c in (label or "run")).strip("-").lower()
    for endpoint in endpoints:
        if endpoint.name not in {n.strip() for n in names.split(",")}:
            continue
        out = directory / f"{slug}-{endpoint.name}.folded"
        spy = subprocess.Popen(
            [
                spy_bin,
                "record",
                "--pid",
                str(process.pid),
                "--rate",
                "250",
                "--duration",
                str(round(duration)),
                "--format",
                "raw",
                "--output",
                str(out),
                "--nonblocking",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        _run_one(client, base, endpoint, token, connections=connections, seconds=duration, warmup=0, tmp=tmp)
        spy.wait(timeout=60)
        if out.exists():
            console.print(summarize_folded(out))


if __name__ == "__main__":
    app()
