"""Machine instructions per request, counted by valgrind's callgrind: the whole ASGI app called in-process.

    PREMISES_BENCH_ENDPOINTS=1 python bench/instructions.py --credentials /tmp/bench/sqlite-10k.json

On a shared virtual machine CPU time drifts by 10-40 % from one minute to the next, and even two
endpoints measured in turns keep an order bias; the number of instructions a request executes does
not drift. The app starts under valgrind with instrumentation off; after a warm-up of each endpoint
it is switched on (``callgrind_control -i on``) for ``--calls`` requests, then dumped and read. Python
and C (SQLite, orjson, the interpreter) are all counted; time spent waiting for memory is not, nor is
a PostgreSQL server's work, so use it for SQLite and for the server's own share on PostgreSQL, and
``load.py`` for the figures of record. Needs ``apt-get install -y valgrind`` (about 50x slower while
counting: 50 calls of a 1 ms page take a few seconds).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, help=__doc__, pretty_exceptions_show_locals=False)

ENDPOINTS = {
    "list": "/api/v2/work-orders?limit=50&status=open",
    "v1list": "/v1/workOrders?limit=50",
}


def _wait_for(path: Path, process: subprocess.Popen[bytes] | None = None) -> None:
    while not path.exists():
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the measured process ended ({process.returncode}) before {path.name}")
        time.sleep(0.05)


async def _run_endpoints(credentials: Path, names: list[str], calls: int, signals: Path) -> None:
    """The measured side (under valgrind): warm up, then per endpoint signal ready, wait, call, signal done."""
    sys.path.insert(0, str(Path(__file__).parent))
    from cpu import _call  # the same in-process ASGI call as bench/cpu.py

    from premises.api.app import create_app
    from premises.config import Settings

    given = json.loads(credentials.read_text())
    asgi = create_app(Settings(database_url=given["database_url"], data_dir=signals / "data"))
    form_type = [(b"content-type", b"application/x-www-form-urlencoded")]
    async with asgi.router.lifespan_context(asgi):
        login = f"email={given['admin_email']}&password={given['admin_password']}".encode()
        token = json.loads(await _call(asgi, "POST", "/api/v2/auth", form_type, login))["result"]["sessionToken"]
        grant = (
            f"grant_type=client_credentials&client_id={given['client_id']}&client_secret={given['client_secret']}"
        ).encode()
        bearer = json.loads(await _call(asgi, "POST", "/oauth/token", form_type, grant))["access_token"]
        headers = {
            "session": [(b"session-token", token.encode())],
            "bearer": [(b"authorization", b"Bearer " + bearer.encode())],
        }
        targets = [
            (n, ENDPOINTS[n], headers["bearer" if ENDPOINTS[n].startswith("/v1/") else "session"]) for n in names
        ]
        for _, target, sent in targets:
            for _ in range(30):
                await _call(asgi, "GET", target, sent)
        for name, target, sent in targets:
            (signals / f"ready-{name}").touch()
            _wait_for(signals / f"go-{name}")
            for _ in range(calls):
                await _call(asgi, "GET", target, sent)
            (signals / f"done-{name}").touch()
            _wait_for(signals / f"next-{name}")


def _total(dump: Path) -> int:
    """The instructions of one callgrind dump (the sum of its ``summary:`` or cost lines)."""
    text = dump.read_text()
    totals = re.search(r"^totals:\s+(\d+)", text, re.MULTILINE)
    if totals:
        return int(totals.group(1))
    out = subprocess.run(["callgrind_annotate", str(dump)], capture_output=True, text=True, check=True).stdout
    found = re.search(r"^([\d,]+) .*PROGRAM TOTALS", out, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"no total in {dump}")
    return int(found.group(1).replace(",", ""))


@app.command()
def main(
    credentials: Annotated[Path, typer.Option(help="JSON printed by bench/generate.py.")],
    calls: Annotated[int, typer.Option(min=1, help="Counted calls per endpoint.")] = 50,
    only: Annotated[str, typer.Option(help="Comma-separated subset of " + ",".join(ENDPOINTS) + ".")] = "",
    measured: Annotated[Path | None, typer.Option(hidden=True)] = None,
) -> None:
    """Print the instructions per request of each endpoint and their ratio to the first."""
    names = [n.strip() for n in (only or ",".join(ENDPOINTS)).split(",") if n.strip()]
    unknown = [n for n in names if n not in ENDPOINTS]
    if unknown:
        raise typer.BadParameter(f"unknown endpoints: {', '.join(unknown)}")
    os.environ.setdefault("PREMISES_BENCH_ENDPOINTS", "1")
    os.environ.setdefault("PREMISES_LOGIN_FAILURES_PER_ADDRESS", "1000000")
    if measured is not None:  # the child, under valgrind
        import uvloop

        uvloop.run(_run_endpoints(credentials, names, calls, measured))
        return
    signals = Path(tempfile.mkdtemp(prefix="premises-instructions-"))
    command = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        f"--callgrind-out-file={signals}/callgrind.%p",
        sys.executable,
        __file__,
        "--credentials",
        str(credentials),
        "--calls",
        str(calls),
        "--only",
        ",".join(names),
        "--measured",
        str(signals),
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=(signals / "valgrind.log").open("wb"))
    control = ["callgrind_control"]
    per_request: dict[str, float] = {}
    for part, name in enumerate(names, start=1):
        _wait_for(signals / f"ready-{name}", process)
        subprocess.run([*control, "-z", str(process.pid)], capture_output=True, check=True)
        subprocess.run([*control, "-i", "on", str(process.pid)], capture_output=True, check=True)
        (signals / f"go-{name}").touch()
        _wait_for(signals / f"done-{name}", process)
        subprocess.run([*control, "-i", "off", str(process.pid)], capture_output=True, check=True)
        subprocess.run([*control, "-d", str(process.pid)], capture_output=True, check=True)
        dump = signals / f"callgrind.{process.pid}.{part}"
        _wait_for(dump, process)
        time.sleep(0.5)  # the dump is written by valgrind's own thread
        per_request[name] = _total(dump) / calls
        (signals / f"next-{name}").touch()
    process.wait()
    first = per_request[names[0]]
    for name, count in per_request.items():
        print(f"{name:8} {count / 1e6:7.3f} M instructions/request  ratio {first / count:5.3f} ({names[0]} / {name})")
    print(json.dumps({"credentials": str(credentials), "calls": calls, "instructions": per_request}))


if __name__ == "__main__":
    app()
