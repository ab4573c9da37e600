"""Signed, expiring download links for stored files (the way S3 pre-signed URLs work).

A link is ``{base}/files/{account_id}/{file_id}/{filename}?expires={unix seconds}&signature={sig}``
with ``sig = base64url(HMAC-SHA256(key, account_id, file_id, filename, expires))``. Whoever holds the
link may download the file until it expires, without a session; changing any part of it breaks the
signature.

Expiry is rounded up to the next whole hour, so the same file renders the same URL for up to an hour
(stable for caches and for clients that compare objects); a link lives between ``ttl`` and
``ttl`` + 1 hour.

The key is ``PREMISES_SECRET_KEY`` or, when that is empty, a random key generated once into
``<data_dir>/secret_key`` (mode 0600) and reused by every process sharing the data directory.
"""

from __future__ import annotations

import base64
import contextlib
import enum
import hashlib
import hmac
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

from premises.config import Settings
from premises.kit.numbers import NumberError, parse_int

LINK_TTL_SECONDS = 7 * 24 * 3600
MAX_EXPIRES = 10**12 - 1  # unix seconds: far beyond any link this server signs
ROUND_TO_SECONDS = 3600
SECRET_FILE = "secret_key"


class LinkCheck(enum.Enum):
    VALID = "valid"
    EXPIRED = "expired"
    INVALID = "invalid"


@dataclass(frozen=True)
class FileLinks:
    key: bytes
    base_url: str
    ttl_seconds: int = LINK_TTL_SECONDS

    def _signature(self, account_id: str, file_id: str, filename: str, expires: int) -> str:
        message = "\n".join((account_id, file_id, filename, str(expires))).encode()
        digest = hmac.new(self.key, message, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()

    def expires_at(self, now: float | None = None) -> int:
        at = int(time.time() if now is None else now) + self.ttl_seconds
        return -(-at // ROUND_TO_SECONDS) * ROUND_TO_SECONDS

    def url(self, account_id: str, file_id: str, filename: str, *, now: float | None = None) -> str:
        expires = self.expires_at(now)
        signature = self._signature(account_id, file_id, filename, expires)
        path = "/".join(quote(part, safe="") for part in ("files", account_id, file_id, filename))
        return f"{self.base_url}/{path}?expires={expires}&signature={signature}"

    def check(
        self, account_id: str, file_id: str, filename: str, expires: str, signature: str, *, now: float | None = None
    ) -> LinkCheck:
        try:
            at = parse_int(expires, minimum=0, maximum=MAX_EXPIRES)
        except NumberError:
            return LinkCheck.INVALID
        if not signature.isascii():
            return LinkCheck.INVALID
        expected = self._signature(account_id, file_id, filename, at)
        if not hmac.compare_digest(expected, signature):
            return LinkCheck.INVALID
        if at < (time.time() if now is None else now):
            return LinkCheck.EXPIRED
        return LinkCheck.VALID


def load_or_create_secret(path: Path) -> bytes:
    """The key stored at ``path``, creating it (0600, atomically, first writer wins) when missing."""
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    draft = path.with_name(f".{path.name}.{secrets.token_hex(6)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w") as out:
            out.write(secrets.token_urlsafe(48) + "\n")
            out.flush()
            os.fsync(out.fileno())
        with contextlib.suppress(FileExistsError):  # never replace a key another process wrote first
            os.link(draft, path)
    finally:
        draft.unlink(missing_ok=True)
    return _read_secret(path)


def _read_secret(path: Path) -> bytes:
    key = path.read_text().strip()
    if len(key) < 32:
        raise RuntimeError(f"{path} holds no usable key; delete it to have a new one generated")
    return key.encode()


def links_for(settings: Settings) -> FileLinks:
    """The link signer for these settings (the key file is read once per process)."""
    return _links(settings.secret_key, str(settings.data_dir.resolve()), settings.resolved_public_url)


@lru_cache(maxsize=16)
def _links(secret_key: str, data_dir: str, base_url: str) -> FileLinks:
    key = secret_key.encode() if secret_key else load_or_create_secret(Path(data_dir) / SECRET_FILE)
    return FileLinks(key=key, base_url=base_url)


def file_url(row: Mapping[str, Any], settings: Settings) -> str:
    """A file read model's signed download link (every dialect shows it as the file's ``url``)."""
    return links_for(settings).url(row["account_id"], row["id"], row["filename"])
