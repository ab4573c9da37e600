"""File <-> UpKeep wire shape, and the ``{"__type": "File", "name", "url"}`` objects other records embed.

URLs are signed download links (``premises.file.links``) that work without a Session-Token.
Rendering a link needs the settings (key and base URL); expanders only receive the reader and the
principal, so the settings of the app serving the request travel in ``CURRENT_SETTINGS``, which
``premises.api.files_download`` sets for every request.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from premises.api.kit.representation import Fields, Wire
from premises.api.runtime import CURRENT_SETTINGS
from premises.api.upkeep.expanders import expander
from premises.api.upkeep.mappers.common import iso, obj
from premises.config import Settings, get_settings
from premises.db.reader import Reader
from premises.file.fields import FILES
from premises.file.links import file_url
from premises.file.queries import files_by_ids
from premises.identity.principal import Principal

# UpKeep's name and rendering of every file field it shows (file.fields declares them), in the order
# of its objects: responses and the schema derive from it. ``url``, the signed download link, needs
# the serving app's settings: the mapper fills it.
UPKEEP = Fields(
    FILES.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "filename": Wire("filename", then=("url",)),
            "content_type": Wire("mimeType"),
            "created_at": Wire("createdAt", iso),
        },
    )
)
SCHEMA = obj(UPKEEP.schema_properties({"url": {"type": "string", "format": "uri"}}), UPKEEP.required())


def current_settings() -> Settings:
    """The serving app's settings (process settings outside a request)."""
    return CURRENT_SETTINGS.get() or get_settings()


def to_upkeep(row: Mapping[str, Any], settings: Settings) -> dict[str, Any]:
    out = UPKEEP.render(row)
    out["url"] = file_url(row, settings)
    return out


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
