"""Where the bytes of uploaded files live.

``FileStore`` is the interface; ``LocalFileStore`` keeps each file at ``<root>/<account_id>/<file_id>``
(embedded mode). An object store (S3 and friends) implements the same four methods; ``local_path``
returns None there and downloads stream through ``open`` (or redirect, once such a store exists).

Keys are built from ids only (``storage_key``), never from a client-supplied filename, and the local
store refuses any key that is not ``<id>/<id>``.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from premises.config import Settings
from premises.errors import ErrorCode, NotFound, TooLarge

_KEY = re.compile(r"^[A-Za-z0-9]{1,24}/[A-Za-z0-9]{1,24}$")
CHUNK = 1024 * 1024
PART_SUFFIX = ".part"


class FileTooLarge(TooLarge):
    def __init__(self, max_bytes: int) -> None:
        super().__init__(ErrorCode.FILE_TOO_LARGE, field="file", max_size=describe_size(max_bytes))
        self.max_bytes = max_bytes


def describe_size(n: int) -> str:
    for unit, size in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value.is_integer() else f"{value:.1f} {unit}"
    return f"{n} bytes"


def storage_key(account_id: str, file_id: str) -> str:
    return f"{account_id}/{file_id}"


class FileStore(Protocol):
    def put(self, key: str, source: BinaryIO, *, max_bytes: int) -> int:
        """Store ``source`` under a new ``key``; return its size. Raises FileTooLarge (storing nothing)
        past ``max_bytes``; never overwrites an existing key."""
        ...

    def open(self, key: str) -> BinaryIO:
        """The stored bytes; NotFound when they are gone."""
        ...

    def delete(self, key: str) -> None:
        """Remove the bytes; a missing key is not an error."""
        ...

    def local_path(self, key: str) -> Path | None:
        """A path the server may send directly, or None when bytes must come through ``open``."""
        ...


class LocalFileStore:
    """Files on the local disk under ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def _path(self, key: str) -> Path:
        if not _KEY.fullmatch(key):
            raise ValueError(f"invalid storage key: {key!r}")
        return self.root / key

    def put(self, key: str, source: BinaryIO, *, max_bytes: int) -> int:
        path = self._path(key)
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{secrets.token_hex(6)}{PART_SUFFIX}")
        size = 0
        try:
            # 0600, and the link below shares the mode: stored files are private to this user.
            with os.fdopen(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as out:
                while chunk := source.read(CHUNK):
                    size += len(chunk)
                    if size > max_bytes:
                        raise FileTooLarge(max_bytes)
                    out.write(chunk)
                out.flush()
                os.fsync(out.fileno())
            os.link(partial, path)  # atomic, and fails rather than overwrite another file's bytes
        finally:
            partial.unlink(missing_ok=True)
        return size

    def open(self, key: str) -> BinaryIO:
        try:
            return open(self._path(key), "rb")
        except FileNotFoundError:
            raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="file") from None

    def delete(self, key: str) -> None:
        self._path(key).unlink(missing_ok=True)

    def local_path(self, key: str) -> Path | None:
        return self._path(key)

    def remove_stale_parts(self, older_than: float) -> int:
        """Delete the ``.part`` files of uploads a crash interrupted, last written before ``older_than``
        (epoch seconds); return how many."""
        removed = 0
        for account_dir in self._account_dirs():
            for entry in os.scandir(account_dir):
                if entry.name.startswith(".") and entry.name.endswith(PART_SUFFIX) and _older(entry, older_than):
                    Path(entry.path).unlink(missing_ok=True)
                    removed += 1
        return removed

    def keys_older_than(self, older_than: float) -> Iterator[str]:
        """The keys of stored files last written before ``older_than`` (epoch seconds)."""
        for account_dir in self._account_dirs():
            for entry in os.scandir(account_dir):
                key = f"{account_dir.name}/{entry.name}"
                if _KEY.fullmatch(key) and entry.is_file(follow_symlinks=False) and _older(entry, older_than):
                    yield key

    def _account_dirs(self) -> list[Path]:
        if not self.root.is_dir():
            return []
        return [Path(e.path) for e in os.scandir(self.root) if e.is_dir(follow_symlinks=False)]


def _older(entry: os.DirEntry[str], older_than: float) -> bool:
    try:
        return entry.stat(follow_symlinks=False).st_mtime < older_than
    except FileNotFoundError:
        return False


def store_for(settings: Settings) -> FileStore:
    """The configured store (only the local one exists so far)."""
    return LocalFileStore(settings.files_dir)
