"""Statement observers: callables that see every SQL statement both data paths send.

The test suite registers its tenant guard here; production registers nothing and pays one
truthiness check per statement.
"""

from __future__ import annotations

from collections.abc import Callable

statement_observers: list[Callable[[str], None]] = []


def notify(sql: str) -> None:
    for observer in statement_observers:
        observer(sql)
