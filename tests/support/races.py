"""Fire N requests at a real multi-process server at the same instant, and count what they left behind.

Each call runs on its own thread with its own connection; a barrier releases them together, so on
PostgreSQL they really overlap in different server processes (SQLite serialises writers and hides
races: the same tests run there too, but only PostgreSQL can fail them).
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import httpx
from sqlalchemy import func, select

from premises.db.engine import Database
from premises.models import Event

Call = Callable[[httpx.Client], httpx.Response]


@dataclass(frozen=True)
class RaceServer:
    """A running ``premises serve --workers 2`` and the write-side handle on its database."""

    base_url: str
    db: Database

    def race(self, token: str, calls: Sequence[Call]) -> list[httpx.Response]:
        """Send every call at once (one thread and connection each); the responses in call order."""
        barrier = threading.Barrier(len(calls))
        headers = {"Session-Token": token}

        def send(call: Call) -> httpx.Response:
            with httpx.Client(base_url=self.base_url + "/api/v2", headers=headers, timeout=60) as client:
                client.get(self.base_url + "/healthz")  # open the connection before the barrier
                barrier.wait()
                return call(client)

        with ThreadPoolExecutor(max_workers=len(calls)) as pool:
            return list(pool.map(send, calls))

    def same(self, token: str, call: Call, times: int = 20) -> list[httpx.Response]:
        return self.race(token, [call] * times)

    def events(self, account_id: str, type_: str, resource_id: str | None = None) -> int:
        """How many events of ``type_`` (for ``resource_id``, when given) the account has recorded."""
        statement = select(func.count()).select_from(Event).where(Event.account_id == account_id, Event.type == type_)
        if resource_id is not None:
            statement = statement.where(Event.resource_id == resource_id)
        with self.db.unit_of_work() as session:
            return int(session.scalar(statement) or 0)


def statuses(responses: Sequence[httpx.Response]) -> Counter[int]:
    """How many responses had each status code; a 500 anywhere fails the caller's assertion on it."""
    return Counter(r.status_code for r in responses)


def messages(responses: Sequence[httpx.Response], status: int) -> set[str]:
    return {r.json().get("message", "") for r in responses if r.status_code == status}
