"""Reading through the read side in service-level tests, as an endpoint would."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from premises.db.reader import Reader, open_reader

T = TypeVar("T")


def read(database_url: str, work: Callable[[Reader], Awaitable[T]]) -> T:
    """Run one read-side query (``premises.<domain>.queries``) on its own event loop and reader."""

    async def run() -> T:
        reader = await open_reader(database_url)
        try:
            return await work(reader)
        finally:
            await reader.close()

    return asyncio.run(run())
