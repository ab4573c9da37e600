"""What every request handler needs from the process: settings, the write-side database, the reader."""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from premises.config import Settings
from premises.db.engine import Database
from premises.db.reader import Reader

T = TypeVar("T")

# The settings of the app serving the current request (``premises.api.files_download`` sets them), for
# code that has no Runtime at hand, such as expanders rendering signed file links.
CURRENT_SETTINGS: ContextVar[Settings | None] = ContextVar("premises_current_settings", default=None)


@dataclass
class Runtime:
    settings: Settings
    db: Database
    reader_holder: list[Reader] = field(default_factory=list)

    @property
    def reader(self) -> Reader:
        if not self.reader_holder:
            raise RuntimeError("the reader is opened by the application lifespan")
        return self.reader_holder[0]

    async def write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one transaction on a worker thread; commit if it returns, roll back if it raises
        (and run it again after a deadlock, see ``Database.run``)."""
        return await run_in_threadpool(self.db.run, work)
