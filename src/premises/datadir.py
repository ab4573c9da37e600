"""The data directory holds the SQLite database, the signing key and uploaded files: private to the
user that runs Premises. Directories are created 0700 and files 0600 (SQLite gives its -wal and -shm
files the mode of the database file, so the database file is created here, empty, before SQLite
opens it). Existing directories and files keep their modes. When ``PREMISES_SECRET_KEY`` is empty the
signing key is generated here too (``file.links``), so a backup taken before the first upload has it.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from premises.config import Settings
from premises.db.reader import sqlite_path
from premises.file.links import SECRET_FILE, load_or_create_secret

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> None:
    """Create ``path`` (0700) when missing; missing parents get the default mode."""
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)


def private_file(path: Path) -> None:
    """Create ``path`` empty (0600) when missing."""
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE))


def prepare(settings: Settings) -> None:
    """Create the data directory, the files directory, the signing key (unless one is configured) and
    the SQLite database file, private."""
    private_dir(settings.data_dir)
    private_dir(settings.files_dir)
    if not settings.secret_key:
        load_or_create_secret(settings.data_dir / SECRET_FILE)
    url = settings.resolved_database_url
    if url.startswith("sqlite:///") and ":memory:" not in url:
        database = sqlite_path(url)
        private_dir(database.parent)
        private_file(database)
