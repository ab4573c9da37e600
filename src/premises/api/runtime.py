"""What every request handler needs from the process: settings, the write-side database, the reader."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TypeVar

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

from premises.config import Settings
from premises.db.engine import Database
from premises.db.reader import Reader

T = TypeVar("T")


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
