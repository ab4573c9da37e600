"""Removing what a crash (kill -9) leaves in the local file store.

An upload writes its bytes to a ``.part`` file, links it under its key, then commits the row
(``service.upload_file``). A crash can leave a ``.part`` file, or bytes whose row never committed;
neither is ever served. ``sweep_orphans`` removes ``.part`` files older than ``part_age_s`` and
bytes with no file row (live or deleted) older than ``grace_s``, so that an upload still in flight
in another process keeps its bytes. The app runs it at start-up; a periodic job may call it too.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from itertools import islice

from sqlalchemy import select

from premises.file.service import UnitOfWork
from premises.file.storage import LocalFileStore
from premises.models import StoredFile

PART_AGE_SECONDS = 3600
GRACE_SECONDS = 3600
BATCH = 500


@dataclass(frozen=True, slots=True)
class SweepResult:
    parts_removed: int
    orphans_removed: int


def sweep_orphans(
    unit_of_work: UnitOfWork,
    store: LocalFileStore,
    *,
    now: float | None = None,
    part_age_s: float = PART_AGE_SECONDS,
    grace_s: float = GRACE_SECONDS,
) -> SweepResult:
    """Remove stale ``.part`` files and old bytes without a file row. Blocking."""
    now = time.time() if now is None else now
    parts = store.remove_stale_parts(now - part_age_s)
    by_account: dict[str, list[str]] = {}
    for key in store.keys_older_than(now - grace_s):
        by_account.setdefault(key.split("/", 1)[0], []).append(key)
    orphans = 0
    for account_id, keys in by_account.items():
        pending = iter(keys)
        while batch := list(islice(pending, BATCH)):
            with unit_of_work() as session:
                known = set(
                    session.scalars(
                        select(StoredFile.storage_key).where(
                            StoredFile.account_id == account_id, StoredFile.storage_key.in_(batch)
                        )
                    )
                )
            for key in batch:
                if key not in known:
                    store.delete(key)
                    orphans += 1
    return SweepResult(parts_removed=parts, orphans_removed=orphans)
