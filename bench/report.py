"""Turn the JSON lines bench/load.py appended (``--json-out``) into the Markdown tables of docs/benchmarks.md.

    python bench/report.py /tmp/bench/results.jsonl

Runs are keyed by label (``sqlite-10k``, ``pg-1m``, ...); a label measured more than once keeps its last run.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer

app = typer.Typer(add_completion=False, help=__doc__, pretty_exceptions_show_locals=False)

NAMES = {
    "bare": "bare (`GET /_bench/bare`)",
    "list": "list (`GET /work-orders?limit=50&status=open`)",
    "get": "get (`GET /work-orders/{id}?includes=asset,location`)",
    "create": "create (`POST /work-orders`)",
    "parts": "parts (`GET /parts?limit=50`)",
    "meters": "meters (`GET /meters?limit=50`)",
    "v1list": "v1list (`GET /v1/workOrders?limit=50`)",
    "v1near": "v1near (`GET /v1/workOrders?limit=50&cursor=` after the first generated row)",
    "v1cursor": "v1cursor (`GET /v1/workOrders?limit=50&cursor=` after row 500,000)",
}
ENGINES = {"sqlite": "SQLite", "pg": "PostgreSQL"}


def _label(label: str) -> str:
    engine, _, size = label.partition("-")
    return f"{ENGINES.get(engine, engine)} {size.upper() if size.endswith('m') else size}"


def render(runs: dict[str, dict[str, Any]]) -> str:
    lines = [
        "| endpoint | run | req/s | p50 ms | p99 ms | ratio to bare | errors |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, title in NAMES.items():
        for label, run in runs.items():
            results = run["results"]
            if name == "bare":
                bare = [results[n] for n in ("bare", "bare2") if n in results and not results[n]["error"]]
                if not bare:
                    continue
                rps = run["bare_rps"]
                p50 = sum(r["p50_ms"] for r in bare) / len(bare)
                p99 = sum(r["p99_ms"] for r in bare) / len(bare)
                spread = " / ".join(f"{r['rps']:,.0f}" for r in bare)
                lines.append(
                    f"| {title} | {_label(label)} | {rps:,.0f} ({spread}) | {p50:.2f} | {p99:.2f} | 1.00 | "
                    f"{sum(r['errors'] for r in bare)} |"
                )
                continue
            r = results.get(name)
            if r is None:
                continue
            if r["error"]:
                lines.append(f"| {title} | {_label(label)} | failed: {r['error'][:60]} | | | | |")
                continue
            ratio = r["rps"] / run["bare_rps"] if run["bare_rps"] else 0.0
            lines.append(
                f"| {title} | {_label(label)} | {r['rps']:,.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | "
                f"{ratio:.3f} | {r['errors']} |"
            )
    # The aim: at least 0.20 of bare on both engines (stretch 0.25); 1M within 1.3x of 10k.
    targets = ["", "| target | value | goal | met? |", "| --- | ---: | ---: | --- |"]
    for engine, goal in (("sqlite", 0.20), ("pg", 0.20)):
        for size in ("10k", "1m"):
            run = runs.get(f"{engine}-{size}")
            if run and "list" in run["ratios"]:
                value = run["ratios"]["list"]
                met = "yes" if value >= goal else "**no**"
                targets.append(f"| list / bare, {_label(run['label'])} | {value:.3f} | >= {goal:.2f} | {met} |")
        small, big = runs.get(f"{engine}-10k"), runs.get(f"{engine}-1m")
        if small and big and "list" in small["results"] and "list" in big["results"]:
            slow = small["results"]["list"]["rps"] / big["results"]["list"]["rps"]
            met = "yes" if slow <= 1.3 else "**no**"
            targets.append(
                f"| list at 1M vs 10k, {ENGINES[engine]} (req/s 10k / req/s 1M) | {slow:.2f}x | <= 1.30x | {met} |"
            )
    # Issue 9's aims: /v1's page no slower than /api/v2's list; a deep cursor within 1.3x of a near one
    # (like for like: ``v1near`` skips the lighter rows ``create`` added) and of page 1.
    for label, run in runs.items():
        rps = {name: result["rps"] for name, result in run["results"].items() if not result["error"]}
        if "v1list" in rps and "list" in rps:
            value = rps["v1list"] / rps["list"]
            met = "yes" if value >= 1.0 else "**no**"
            targets.append(f"| /v1 page / /api/v2 list, {_label(label)} | {value:.2f}x | >= 1.00x | {met} |")
        for first in ("v1near", "v1list"):
            if "v1cursor" in rps and first in rps:
                slow = rps[first] / rps["v1cursor"]
                met = "yes" if slow <= 1.3 else "**no**"
                targets.append(
                    f"| deep cursor vs {first}, {_label(label)} (req/s {first} / req/s deep) | {slow:.2f}x "
                    f"| <= 1.30x | {met} |"
                )
    return "\n".join(lines + targets)


@app.command()
def main(results: Annotated[Path, typer.Argument(help="JSON lines from bench/load.py --json-out.")]) -> None:
    runs: dict[str, dict[str, Any]] = {}
    for line in results.read_text().splitlines():
        if line.strip():
            run = json.loads(line)
            runs[run["label"]] = run
    sys.stdout.write(render(runs) + "\n")


if __name__ == "__main__":
    app()
