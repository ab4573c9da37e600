"""Helpers for the asset service tests: places to put assets at, and reading through the read side."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TypeVar

from premises.asset import service
from premises.asset.commands import AssetCreate
from premises.db.reader import Reader, open_reader
from premises.models import Asset
from tests.domain.conftest import DomainAccount

T = TypeVar("T")


def read(database_url: str, work: Callable[[Reader], Awaitable[T]]) -> T:
    """Run one read-side query, as an endpoint would (the reader on an event loop)."""

    async def run() -> T:
        reader = await open_reader(database_url)
        try:
            return await work(reader)
        finally:
            await reader.close()

    return asyncio.run(run())


def new_asset(account: DomainAccount, name: str = "Boiler", **fields: object) -> Asset:
    command = AssetCreate(name=name, **fields)  # type: ignore[arg-type]
    return account.write(lambda s: service.create_asset(s, account.admin, command))
