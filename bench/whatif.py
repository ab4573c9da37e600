"""Serve the application with candidate fixes patched in at run time, to measure them before anyone
changes the code (docs/benchmarks.md, "What would fix it").

    PREMISES_DATABASE_URL=... PREMISES_BENCH_ENDPOINTS=1 python bench/whatif.py --port 8765 --fast-iso
    python bench/load.py --url http://127.0.0.1:8765 --credentials /tmp/bench/pg-1m.json --only bare,list

Patches (none is applied unless asked for):
  --fast-iso       ISO 8601 rendering of epoch milliseconds without datetime/strftime (a per-day
                   prefix cache and integer arithmetic); the output is identical.
(``--generic-plans`` measured what ``premises.db.reader`` now does itself: generic plans on PostgreSQL.)
"""

from __future__ import annotations

import functools
from typing import Annotated

import typer

app = typer.Typer(add_completion=False, help=__doc__, pretty_exceptions_show_locals=False)


@functools.lru_cache(maxsize=4096)
def _day_prefix(day: int) -> str:
    import datetime as dt

    return (dt.date(1970, 1, 1) + dt.timedelta(days=day)).isoformat() + "T"


def fast_ms_to_iso(ms: int | None) -> str | None:
    if ms is None:
        return None
    day, rest = divmod(ms, 86_400_000)
    seconds, milli = divmod(rest, 1000)
    minutes, second = divmod(seconds, 60)
    hour, minute = divmod(minutes, 60)
    return f"{_day_prefix(day)}{hour:02d}:{minute:02d}:{second:02d}.{milli:03d}Z"


def patch_fast_iso() -> None:
    import sys

    from premises.kit import time as kit_time

    for probe in (0, 1, 999, 86_399_999, 1_700_000_123_456, 4_102_444_800_000):
        assert fast_ms_to_iso(probe) == kit_time.ms_to_iso(probe), probe
    kit_time.ms_to_iso = fast_ms_to_iso
    # Modules that imported the function by name (``iso = ms_to_iso``, ``from ... import ms_to_iso``).
    import premises.api.upkeep.app  # noqa: F401 - imports every mapper and route module

    for module in list(sys.modules.values()):
        name = getattr(module, "__name__", "")
        if not name.startswith("premises."):
            continue
        for attribute in ("iso", "ms_to_iso"):
            if getattr(module, attribute, None) is not None and attribute in vars(module):
                current = vars(module)[attribute]
                if getattr(current, "__name__", "") == "ms_to_iso":
                    setattr(module, attribute, fast_ms_to_iso)


@app.command()
def main(
    port: Annotated[int, typer.Option()] = 8765,
    fast_iso: Annotated[bool, typer.Option("--fast-iso")] = False,
) -> None:
    """Migrate, patch, and serve on 127.0.0.1:PORT with one worker (like ``premises serve``)."""
    import uvicorn

    from premises.config import get_settings
    from premises.db import migrate

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    migrate.upgrade(settings.resolved_database_url)
    if fast_iso:
        patch_fast_iso()
    from premises.api.app import create_app

    uvicorn.run(create_app(), host="127.0.0.1", port=port, log_level="warning", access_log=False)


if __name__ == "__main__":
    app()
