"""``premises backup`` and ``premises restore``: one archive holding everything an install keeps.

The archive is a ``.tar.gz`` (mode 0600: it holds the signing key) with, under ``premises-backup/``:

- ``manifest.json``: the format, when and by which version it was written, the engine, the schema
  revision, and the SHA-256 of every other member (restore verifies each one);
- ``database.sqlite3``: on SQLite, a consistent copy taken with SQLite's online backup API while the
  server keeps serving (readers and writers are not stopped);
- ``files/...``: the uploaded files (``<account>/<file>``), copied after the database, so every file
  row in the copy has its bytes (a file uploaded meanwhile is an orphan the start-up sweep removes);
- ``secret_key``: the generated key that signs download links (absent when ``PREMISES_SECRET_KEY``
  is set: keep that value with the backup yourself).

PostgreSQL: the archive holds the files and the key; the database is backed up with ``pg_dump``,
whose command ``backup`` prints (``docs/operations.md``). Restore writes into the configured data
directory (and SQLite file), refuses one that already holds an install unless ``force``, and moves
nothing into place before every member has been checked.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import sqlite3
import tarfile
import tempfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from premises.operations.problems import ExitCode, Problem

if TYPE_CHECKING:
    from premises.config import Settings

FORMAT = 1
ROOT = "premises-backup"
MANIFEST = "manifest.json"
DATABASE = "database.sqlite3"
FILES = "files"
SECRET = "secret_key"
CHUNK = 1024 * 1024


def default_archive(now: datetime | None = None) -> Path:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%dT%H%M%SZ")
    return Path(f"premises-backup-{stamp}.tar.gz")


@dataclass
class Summary:
    archive: Path
    engine: str
    revision: str | None
    files: int = 0
    file_bytes: int = 0
    secret_key: bool = False
    restored: bool = False
    guidance: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "restored from" if self.restored else "backup written to"
        parts = [f"database (schema {self.revision})" if self.engine == "sqlite" else "no database (PostgreSQL)"]
        parts.append(f"{self.files} files ({self.file_bytes} bytes)")
        parts.append("the signing key" if self.secret_key else "no signing key (PREMISES_SECRET_KEY is set)")
        return [f"{verb} {self.archive}: " + ", ".join(parts), *self.guidance]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as source:
        while chunk := source.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sqlite_file(settings: Settings) -> Path:
    return Path(settings.resolved_database_url.removeprefix("sqlite:///"))


def _stored_files(files_dir: Path) -> Iterator[Path]:
    """The stored files (``<account>/<file>``), without uploads in flight (``.*.part``)."""
    if not files_dir.is_dir():
        return
    for path in sorted(files_dir.rglob("*")):
        if path.is_file() and not path.name.startswith("."):
            yield path


def copy_sqlite(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (the online backup API), as one file (no WAL)."""
    from_db = sqlite3.connect(source)
    to_db = sqlite3.connect(target)
    try:
        from_db.backup(to_db)
        to_db.execute("PRAGMA journal_mode=DELETE")
    finally:
        to_db.close()
        from_db.close()


def _libpq_url(settings: Settings) -> str:
    """The database URL as pg_dump takes it, without the password (PGPASSWORD or ~/.pgpass give it)."""
    from sqlalchemy.engine import URL, make_url

    from premises.db.engine import sqlalchemy_url

    url = make_url(sqlalchemy_url(settings.resolved_database_url))
    bare = URL.create("postgresql", url.username, None, url.host, url.port, url.database, url.query)
    return bare.render_as_string(hide_password=False)


def pg_dump_guidance(settings: Settings) -> list[str]:
    url = _libpq_url(settings)
    return [
        "PostgreSQL: this archive holds the data directory's files and key, not the database. Dump it too",
        "(the password from PGPASSWORD or ~/.pgpass), and keep both together:",
        f'  pg_dump --format=custom --no-owner --file premises.pgdump "{url}"',
    ]


def pg_restore_guidance(settings: Settings) -> list[str]:
    return [
        "PostgreSQL: restore the database from its dump too:",
        f'  pg_restore --clean --if-exists --no-owner --dbname "{_libpq_url(settings)}" premises.pgdump',
    ]


def create_backup(settings: Settings, archive: Path, *, force: bool = False) -> Summary:
    from premises.db.migrate import current_revision
    from premises.file.links import SECRET_FILE

    archive = archive.resolve()
    if archive.exists() and not force:
        raise Problem(ExitCode.FAILED, f"error: {archive} exists; choose another --output, or pass --force")
    if not archive.parent.is_dir():
        raise Problem(ExitCode.FAILED, f"error: {archive.parent} is not a directory; choose another --output")
    engine = "sqlite" if settings.is_sqlite else "postgresql"
    summary = Summary(archive, engine, current_revision(settings.resolved_database_url))
    members: dict[str, Path] = {}
    with tempfile.TemporaryDirectory(dir=archive.parent, prefix=".premises-backup-") as work:
        if settings.is_sqlite:
            copy = Path(work) / DATABASE
            copy_sqlite(_sqlite_file(settings), copy)
            members[DATABASE] = copy
        else:
            summary.guidance = pg_dump_guidance(settings)
        files_dir = settings.files_dir.resolve()
        for path in _stored_files(files_dir):
            members[f"{FILES}/{path.relative_to(files_dir).as_posix()}"] = path
            summary.files += 1
            summary.file_bytes += path.stat().st_size
        key = settings.data_dir.resolve() / SECRET_FILE
        if not settings.secret_key and key.is_file():
            members[SECRET] = key
            summary.secret_key = True
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "premises_version": _version(),
            "engine": engine,
            "schema_revision": summary.revision,
            "members": {name: _sha256(path) for name, path in members.items()},
        }
        draft = Path(work) / "archive.tar.gz"
        descriptor = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as tar:
            body = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(f"{ROOT}/{MANIFEST}")
            info.size, info.mode, info.mtime = len(body), 0o600, int(datetime.now(UTC).timestamp())
            tar.addfile(info, io.BytesIO(body))
            for name, path in members.items():
                tar.add(path, arcname=f"{ROOT}/{name}", recursive=False)
        os.replace(draft, archive)
    return summary


def _version() -> str:
    from importlib.metadata import version

    return version("premises")


def _damaged(archive: Path, why: str) -> Problem:
    return Problem(ExitCode.FAILED, f"error: {archive} is not a usable Premises backup ({why}); nothing was changed")


def _member_name(archive: Path, member: tarfile.TarInfo) -> str | None:
    """The member's name under the root (None for the root itself); refuses anything unsafe."""
    path = PurePosixPath(member.name)
    if path.is_absolute() or ".." in path.parts or not path.parts or path.parts[0] != ROOT:
        raise _damaged(archive, f"unexpected member {member.name!r}")
    if not (member.isfile() or member.isdir()):
        raise _damaged(archive, f"{member.name!r} is not a plain file")
    rest = path.parts[1:]
    return "/".join(rest) if rest else None


def _read_manifest(archive: Path, tar: tarfile.TarFile) -> dict[str, Any]:
    try:
        source = tar.extractfile(f"{ROOT}/{MANIFEST}")
    except KeyError:
        source = None
    if source is None:
        raise _damaged(archive, "no manifest.json")
    try:
        manifest: dict[str, Any] = json.load(source)
    except ValueError:
        raise _damaged(archive, "manifest.json is not JSON") from None
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("members"), dict):
        raise _damaged(archive, f"unknown format {manifest.get('format')!r}")
    return manifest


def _holds_an_install(settings: Settings) -> list[str]:
    """What is already in the target (empty: safe to restore into)."""
    from premises.file.links import SECRET_FILE

    found = []
    if settings.is_sqlite:
        database = _sqlite_file(settings)
        if database.is_file() and database.stat().st_size > 0:
            found.append(str(database))
    if any(_stored_files(settings.files_dir)):
        found.append(f"files in {settings.files_dir.resolve()}")
    if (settings.data_dir / SECRET_FILE).is_file():
        found.append(str((settings.data_dir / SECRET_FILE).resolve()))
    return found


def _private_tree(root: Path) -> None:
    for path in [root, *root.rglob("*")]:
        path.chmod(0o700 if path.is_dir() else 0o600)


def restore_backup(settings: Settings, archive: Path, *, force: bool = False) -> Summary:
    from premises import datadir
    from premises.file.links import SECRET_FILE

    archive = archive.resolve()
    if not archive.is_file():
        raise Problem(ExitCode.FAILED, f"error: {archive} does not exist")
    if not tarfile.is_tarfile(archive):
        raise _damaged(archive, "not a tar archive")
    with tarfile.open(archive, mode="r:gz") as tar:
        manifest = _read_manifest(archive, tar)
        engine = manifest.get("engine")
        if engine == "sqlite" and not settings.is_sqlite:
            raise Problem(
                ExitCode.FAILED,
                f"error: {archive} holds a SQLite database but PREMISES_DATABASE_URL names PostgreSQL; unset it"
                " to restore into the data directory's SQLite file",
            )
        existing = _holds_an_install(settings)
        if existing and not force:
            raise Problem(
                ExitCode.FAILED,
                f"error: the target already holds an install ({', '.join(existing)}); restore into an empty"
                " PREMISES_DATA_DIR, or pass --force to replace it",
            )
        expected: dict[str, str] = dict(manifest["members"])
        datadir.private_dir(settings.data_dir)
        staging = Path(tempfile.mkdtemp(dir=settings.data_dir, prefix=".restore-"))
        try:
            try:
                summary = _extract(archive, tar, staging, expected)
            except (tarfile.TarError, EOFError, zlib.error) as exc:
                raise _damaged(archive, f"truncated or corrupt: {exc}") from None
            summary.revision = manifest.get("schema_revision")
            summary.engine = str(engine)
            if engine == "sqlite":
                _check_sqlite(archive, staging / DATABASE)
            _private_tree(staging)
            _move_into_place(settings, staging, SECRET_FILE)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    if engine != "sqlite":
        summary.guidance = pg_restore_guidance(settings)
    return summary


def _extract(archive: Path, tar: tarfile.TarFile, staging: Path, expected: dict[str, str]) -> Summary:
    summary = Summary(archive, "", None, restored=True)
    seen = set()
    for member in tar:
        name = _member_name(archive, member)
        if name is None or member.isdir() or name == MANIFEST:
            continue
        if name not in expected:
            raise _damaged(archive, f"{name} is not in the manifest")
        source = tar.extractfile(member)
        if source is None:
            raise _damaged(archive, f"{name} cannot be read")
        target = staging / name
        target.parent.mkdir(parents=True, exist_ok=True)
        digest = hashlib.sha256()
        with target.open("wb") as out:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                out.write(chunk)
        if digest.hexdigest() != expected[name]:
            raise _damaged(archive, f"{name} does not match its checksum")
        seen.add(name)
        if name.startswith(f"{FILES}/"):
            summary.files += 1
            summary.file_bytes += member.size
        summary.secret_key = summary.secret_key or name == SECRET
    missing = set(expected) - seen
    if missing:
        raise _damaged(archive, f"{sorted(missing)[0]} is missing")
    return summary


def _check_sqlite(archive: Path, database: Path) -> None:
    if not database.is_file():
        raise _damaged(archive, "no database.sqlite3")
    try:
        connection = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
        try:
            result = connection.execute("PRAGMA integrity_check").fetchone()
        finally:
            connection.close()
    except sqlite3.DatabaseError as exc:
        raise _damaged(archive, f"database.sqlite3: {exc}") from None
    if not result or result[0] != "ok":
        raise _damaged(archive, f"database.sqlite3 fails its integrity check ({result[0] if result else '?'})")


def _move_into_place(settings: Settings, staging: Path, secret_file: str) -> None:
    """Replace the database, the files directory and the key with the staged ones."""
    if (staging / DATABASE).is_file():
        database = _sqlite_file(settings)
        database.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        for leftover in (Path(f"{database}-wal"), Path(f"{database}-shm"), Path(f"{database}-journal")):
            leftover.unlink(missing_ok=True)
        shutil.move(staging / DATABASE, database)
    files_dir = settings.files_dir
    staged_files = staging / FILES
    staged_files.mkdir(mode=0o700, exist_ok=True)
    if files_dir.exists():
        files_dir.rename(staging / "replaced-files")
    staged_files.rename(files_dir)
    if (staging / SECRET).is_file():
        os.replace(staging / SECRET, settings.data_dir / secret_file)
