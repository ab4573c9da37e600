"""``premises worker``: a job worker process (docs/jobs.md). Production runs any number of them
beside ``premises serve --workers N`` (with ``PREMISES_WORKER_EMBEDDED=0`` on the servers, or not:
claims are exclusive either way); SIGTERM or Ctrl-C finish the jobs in hand and stop."""

from __future__ import annotations

import signal
import threading
from typing import Annotated

import typer

from premises.cli.common import ready_settings, reports_problems, say


@reports_problems
def worker(
    once: Annotated[bool, typer.Option("--once", help="Run the jobs due now, then exit.")] = False,
) -> None:
    """Run jobs (webhook deliveries, ...) until stopped."""
    from premises.api.jobs import load_handlers
    from premises.cli.common import database
    from premises.job.worker import Worker

    current = ready_settings(announce=True)
    db = database(current)
    runner = Worker(db, current, load_handlers())
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    kinds = ", ".join(sorted(runner.handlers))
    say(f"job worker {runner.name}: {current.worker_concurrency} at a time, handling {kinds}")
    try:
        if once:
            while runner.step():
                pass
        else:
            runner.run(stop)
    finally:
        runner.close()
        db.dispose()
    say("job worker stopped")
