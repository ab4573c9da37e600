"""File <-> UpKeep wire shape, and the ``{"__type": "File", "name", "url"}`` objects other records embed.

URLs are signed download links (``premises.file.links``) that work without a Session-Token.
Rendering a link needs the settings (key and base URL); expanders only receive the reader and the
principal, so the settings of the app serving the request travel in ``CURRENT_SETTINGS``, which
``premises.api.files_download`` sets for every request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from premises.api.runtime import CURRENT_SETTINGS
from premises.api.upkeep.expanders import expander
from premises.api.upkeep.mappers.common import DATE, STR, iso, obj
from premises.config import Settings, get_settings
from premises.db.reader import Reader
from premises.file.links import links_for
from premises.file.queries import files_by_ids
from premises.identity.principal import Principal

SCHEMA = obj(
    {
        "id": STR,
        "filename": STR,
        "url": {"type": "string", "format": "uri"},
        "mimeType": STR,
        "createdAt": DATE,
    }
)


def current_settings() -> Settings:
    """The serving app's settings (process settings outside a request)."""
    return CURRENT_SETTINGS.get() or get_settings()


def file_url(row: Mapping[str, Any], settings: Settings) -> str:
    return links_for(settings).url(row["account_id"], row["id"], row["filename"])


def to_upkeep(row: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    return {
        "id": row["id"],
        "filename": row["filename"],
        "url": file_url(row, settings),
        "mimeType": row["content_type"],
        "createdAt": iso(row["created_at"]),
    }


def file_object(row: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    """How work orders, requests and assets show a file (``image``, ``signatureImage``, ``includes=files``).

    UpKeep's examples carry ``__type``, ``name`` and ``url``; ``id`` is added so that a client can tie
    the object to ``GET /files/{id}`` and to the record's ``files`` ids."""
    return {"__type": "File", "id": row["id"], "name": row["filename"], "url": file_url(row, settings)}


@expander("file")
async def expand_files(reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
    """Files by id for ``includes``: only those the principal may read (a requester's own)."""
    settings = current_settings()
    return {i: file_object(row, settings) for i, row in (await files_by_ids(reader, principal, ids)).items()}
