"""Accounts, read side: the account's own settings (any principal of the account reads them)."""

from __future__ import annotations

from premises.db.reader import Reader


async def upkeep_api_version(reader: Reader, account_id: str) -> str | None:
    """The account's default UpKeep API version (None: the current one; docs/dialects/upkeep.md#versions)."""
    row = await reader.fetchrow(
        "SELECT upkeep_api_version FROM accounts WHERE id = :account_id", {"account_id": account_id}
    )
    return None if row is None else row[0]
