"""Whether the database's schema is the one this version of Premises migrates to (``/readyz``).

The expected revision comes from the migrations shipped in the package (read once per process);
the database's from its ``alembic_version`` table, read through the lean reader on the event loop.
"""

from __future__ import annotations

from functools import lru_cache

from premises.db.migrate import MIGRATIONS_DIR
from premises.db.reader import Reader


@lru_cache(maxsize=1)
def expected_revisions() -> frozenset[str]:
    """The heads of the shipped migrations (one while the history is linear). Imports Alembic: call it
    off the event loop the first time."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory(str(MIGRATIONS_DIR)).get_heads())


async def database_revisions(reader: Reader) -> frozenset[str]:
    """The revisions recorded in the database; raises the driver's error when it has no
    ``alembic_version`` table (never migrated)."""
    rows = await reader.fetch("SELECT version_num FROM alembic_version", {})
    return frozenset(str(row[0]) for row in rows)
