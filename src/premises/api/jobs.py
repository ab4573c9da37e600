"""The job worker as ``premises serve`` and ``premises worker`` run it (docs/jobs.md).

``load_handlers()`` imports every module that registers job handlers and every dialect (their
webhook names and bodies, ``premises.webhook.dialects``). ``embedded_worker(runtime)`` is the
asyncio task ``premises serve`` starts in its lifespan (unless ``PREMISES_WORKER_EMBEDDED=0``): it
runs the worker's blocking steps on a thread, never on the event loop, and sleeps while there is
nothing due (woken at once by a job enqueued in this process).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from premises.api.runtime import Runtime
from premises.job import service
from premises.job.worker import HANDLERS, Handler, Worker

log = logging.getLogger("premises.jobs")


def load_handlers() -> dict[str, Handler]:
    import premises.api.dialects_installed  # registers each dialect's webhook rendering
    import premises.meter.evaluation  # meter.evaluate
    import premises.preventive.sweep  # pm.sweep (periodic)
    import premises.webhook.delivery  # event.fanout, webhook.deliver
    import premises.webhook.retention  # noqa: F401 - webhook.prune (periodic)

    return HANDLERS


async def _loop(worker: Worker, stopping: asyncio.Event) -> None:
    poll = worker.settings.worker_poll_seconds
    while not stopping.is_set():
        try:
            claimed = await asyncio.to_thread(worker.step)
        except Exception:  # the database is away: try again after a pause
            log.exception("embedded job worker step failed")
            claimed = 0
        if not claimed:
            woken = await asyncio.to_thread(service.WAKE.wait, poll)
            if woken:
                service.WAKE.clear()


@contextlib.asynccontextmanager
async def embedded_worker(runtime: Runtime) -> AsyncIterator[None]:
    """Run a worker beside the server while the context is open (a no-op when not embedded)."""
    if not runtime.settings.worker_embedded:
        yield
        return
    worker = Worker(runtime.db, runtime.settings, load_handlers())
    stopping = asyncio.Event()
    task = asyncio.create_task(_loop(worker, stopping), name="premises-job-worker")
    try:
        yield
    finally:
        stopping.set()
        service.WAKE.set()  # end the idle wait now
        with contextlib.suppress(asyncio.CancelledError):
            await task
        await asyncio.to_thread(worker.close)
