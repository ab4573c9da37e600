"""Prometheus metrics, served at ``GET /metrics`` when ``PREMISES_METRICS_ENABLED=true``.

- ``premises_http_requests_total{method, route, status}``: requests answered. ``route`` is the
  matched route's template (``/api/v2/work-orders/{id}``), ``unmatched`` when no route matched, so the
  label's values are bounded by the routes the server has, whatever paths clients send.
- ``premises_http_request_duration_seconds{method, route, status_class}``: latency histogram
  (``status_class`` is ``2xx`` .. ``5xx``).
- ``premises_db_connections_in_use``, ``premises_db_connections_open``, ``premises_db_connections_limit``
  ``{side}``: the write side's SQLAlchemy pool (``side="write"``) and the read side's connections
  (``side="read"``, ``premises.db.reader``), read when scraped.
- ``premises_jobs{status}``: the job queue (``premises.job``, docs/jobs.md) by status: ``queued``
  (including jobs waiting for a retry), ``running``, ``failed``; read by the scrape's own statement
  on the read side (done jobs are deleted).

With ``premises serve --workers N`` a scrape reaches one of the N worker processes. Set
``PROMETHEUS_MULTIPROC_DIR`` to a directory (``$PREMISES_DATA_DIR/metrics``, say) and the request
metrics are prometheus-client's multi-process ones: every worker writes its figures to files there
and ``/metrics`` sums all workers' (a worker that died keeps its counts until the server restarts).
Each run of ``premises serve`` writes under a subdirectory named after the process that started the
workers; a run's subdirectory is removed by the next run once that process is gone. The connection
gauges always describe the worker that answers the scrape. Without the variable each process
serves its own figures, which is right for one worker per process (docs/operations.md).

With ``PREMISES_METRICS_TOKEN`` set, ``/metrics`` requires ``Authorization: Bearer <token>`` (401
otherwise); the comparison takes constant time.
"""

from __future__ import annotations

import hmac
import multiprocessing
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector
from sqlalchemy.pool import QueuePool
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from premises.api.runtime import Runtime
from premises.db.reader import PostgresReader, SqliteReader

disable_created_metrics()  # type: ignore[no-untyped-call]  # no ``*_created`` series: they double the output and no dashboard reads them

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
BUCKETS = (0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


JOB_STATUSES = ("queued", "running", "failed")


class JobsCollector(Collector):
    """The job queue by status, as the scrape read it (``Metrics.endpoint`` sets ``counts``)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def collect(self) -> Iterator[Metric]:
        jobs = GaugeMetricFamily("premises_jobs", "Jobs in the queue, by status.", labels=["status"])
        for status in JOB_STATUSES:
            jobs.add_metric([status], self.counts.get(status, 0))
        yield jobs


class PoolCollector(Collector):
    """The database connections of this process, read when scraped."""

    def __init__(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def _sides(self) -> Iterator[tuple[str, int, int, int]]:
        pool = self.runtime.db.engine.pool
        if isinstance(pool, QueuePool):
            in_use = pool.checkedout()
            yield "write", in_use, in_use + pool.checkedin(), pool.size() + max(pool._max_overflow, 0)
        if self.runtime.reader_holder:
            reader = self.runtime.reader_holder[0]
            if isinstance(reader, PostgresReader):
                yield ("read", *reader.connections.counts())
            elif isinstance(reader, SqliteReader):
                yield "read", 0, 1, 1  # one connection, used on the event loop between awaits

    def collect(self) -> Iterator[Metric]:
        in_use = GaugeMetricFamily("premises_db_connections_in_use", "Database connections in use.", labels=["side"])
        opened = GaugeMetricFamily("premises_db_connections_open", "Database connections open.", labels=["side"])
        limit = GaugeMetricFamily(
            "premises_db_connections_limit", "The most database connections the pool opens.", labels=["side"]
        )
        for side, used, open_, most in self._sides():
            in_use.add_metric([side], used)
            opened.add_metric([side], open_)
            limit.add_metric([side], most)
        yield from (in_use, opened, limit)


MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"
# Read once, as prometheus-client reads it once at import to choose its mode; a run's directory is below it.
SHARED_DIR = os.environ.get(MULTIPROCESS_DIR, "")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def multiprocess_run_dir(base: Path) -> Path:
    """This run's directory under ``base`` (named after the process that started the workers: uvicorn's
    supervisor, or this process when it serves alone), created; earlier runs' directories whose
    process is gone are removed."""
    parent = multiprocessing.parent_process()
    run = parent.pid if parent is not None and parent.pid is not None else os.getpid()
    base.mkdir(parents=True, exist_ok=True)
    for entry in base.iterdir():
        if entry.is_dir() and entry.name.isdigit() and int(entry.name) != run and not _alive(int(entry.name)):
            shutil.rmtree(entry, ignore_errors=True)
    directory = base / str(run)
    directory.mkdir(exist_ok=True)
    return directory


class Metrics:
    """One app's metrics (a registry of its own: several apps may live in one process, as in tests)."""

    def __init__(self, runtime: Runtime, token: str = "") -> None:
        self.token = token
        self.runtime = runtime
        self.registry = CollectorRegistry()
        # Multi-process mode (prometheus-client chose it at import, from the variable): the counts go to
        # files, which the registry's collector sums; otherwise they live in this registry.
        own: CollectorRegistry | None = self.registry
        if SHARED_DIR:
            directory = multiprocess_run_dir(Path(SHARED_DIR))
            os.environ[MULTIPROCESS_DIR] = str(directory)  # where this process's values write their files
            MultiProcessCollector(self.registry, path=str(directory))  # type: ignore[no-untyped-call]
            own = None
        self.requests = Counter(
            "premises_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ("method", "route", "status"),
            registry=own,
        )
        self.duration = Histogram(
            "premises_http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route template and status class.",
            ("method", "route", "status_class"),
            buckets=BUCKETS,
            registry=own,
        )
        self.registry.register(PoolCollector(runtime))
        self.jobs = JobsCollector()
        self.registry.register(self.jobs)
        self._children: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        if method not in METHODS:
            method = "other"
        key = (method, route, status)
        children = self._children.get(key)
        if children is None:
            children = (
                self.requests.labels(method, route, str(status)),
                self.duration.labels(method, route, f"{status // 100}xx"),
            )
            self._children[key] = children
        children[0].inc()
        children[1].observe(seconds)

    def authorised(self, request: Request) -> bool:
        if not self.token:
            return True
        given = request.headers.get("authorization", "").encode("latin-1", "replace")
        return hmac.compare_digest(given, b"Bearer " + self.token.encode())

    async def endpoint(self, request: Request) -> Response:
        if not self.authorised(request):
            return JSONResponse(
                {"detail": "a bearer token is required"}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
            )
        rows = await self.runtime.reader.fetch("SELECT status, COUNT(*) FROM jobs GROUP BY status", {})
        self.jobs.counts = {str(status): int(count) for status, count in rows}
        return Response(generate_latest(self.registry), media_type=CONTENT_TYPE_LATEST)
