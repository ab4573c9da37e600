"""``premises doctor``: is this install ready to serve? One line per check, ``ok`` or ``FAIL`` with
what to do. It only looks: it creates no database, directory or key (``premises migrate`` does)."""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from premises.operations import preflight
from premises.operations.problems import Problem

if TYPE_CHECKING:
    from premises.config import Settings

MIN_SECRET_LENGTH = 32
PRIVATE_BITS = stat.S_IRWXG | stat.S_IRWXO  # any access by the group or other users


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    hint: str = ""

    def line(self) -> str:
        hint = f"; {self.hint}" if self.hint and not self.ok else ""
        return f"{'ok' if self.ok else 'FAIL':<5}{self.name:<17}{self.detail}{hint}"


def run_checks(environ: Mapping[str, str]) -> list[Check]:
    try:
        settings = preflight.load_settings()
    except Problem as problem:
        detail = problem.line.removeprefix("error: ").replace("\nerror: ", " | ")
        return [Check("settings", False, detail)]
    unknown = preflight.unknown_variables(environ)
    checks = [
        Check("settings", not unknown, " | ".join(w.removeprefix("warning: ") for w in unknown) or "valid"),
        *_database_checks(settings),
        _data_dir(settings),
        _secret_key(settings),
    ]
    return checks


def _database_checks(settings: Settings) -> list[Check]:
    url = settings.resolved_database_url
    where = preflight.masked_url(url)
    try:
        preflight.check_database_url(settings)
        if settings.is_sqlite and not Path(url.removeprefix("sqlite:///")).is_file():
            return [Check("database", False, f"{where} does not exist", "run premises migrate to create it")]
        preflight.check_database(settings)
    except Problem as problem:
        return [Check("database", False, problem.line.removeprefix("error: "))]
    return [Check("database", True, f"{where} answers"), _migrations(url)]


def _migrations(url: str) -> Check:
    from premises.db import migrate as migrations

    head = migrations.head_revision(url)
    try:
        pending = migrations.pending(url)
    except migrations.UnknownRevision as exc:
        return Check(
            "migrations",
            False,
            f"the schema is at {exc.revision}, newer than this version knows ({head})",
            "run the newer version of Premises",
        )
    if pending:
        names = ", ".join(str(r) for r in pending)
        return Check("migrations", False, f"{len(pending)} pending: {names}", "run premises migrate")
    return Check("migrations", True, f"schema at revision {head} (the newest)")


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _data_dir(settings: Settings) -> Check:
    path = settings.data_dir.resolve()
    for directory in (path, settings.files_dir.resolve()):
        if not directory.is_dir():
            return Check("data directory", False, f"{directory} does not exist", "run premises migrate to create it")
        if _mode(directory) & PRIVATE_BITS:
            return Check(
                "data directory",
                False,
                f"{directory} is mode {_mode(directory):04o}: other users may read it",
                f"chmod 700 {directory}",
            )
    try:
        descriptor, probe = tempfile.mkstemp(dir=path, prefix=".doctor-")
        os.close(descriptor)
        os.unlink(probe)
    except OSError as exc:
        return Check("data directory", False, f"{path} is not writable ({exc.strerror})", "fix its owner")
    return Check("data directory", True, f"{path} (0700, writable)")


def _secret_key(settings: Settings) -> Check:
    from premises.file.links import SECRET_FILE

    generate = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
    if settings.secret_key:
        if len(settings.secret_key) < MIN_SECRET_LENGTH:
            return Check(
                "secret key",
                False,
                f"PREMISES_SECRET_KEY is shorter than {MIN_SECRET_LENGTH} characters",
                f"set a random one: {generate}",
            )
        return Check("secret key", True, "from PREMISES_SECRET_KEY")
    path = settings.data_dir.resolve() / SECRET_FILE
    if not path.is_file():
        return Check(
            "secret key",
            False,
            f"{path} does not exist",
            "run premises migrate to generate it, or set PREMISES_SECRET_KEY",
        )
    if _mode(path) & PRIVATE_BITS:
        return Check(
            "secret key", False, f"{path} is mode {_mode(path):04o}: other users may read it", f"chmod 600 {path}"
        )
    try:
        usable = len(path.read_text().strip()) >= MIN_SECRET_LENGTH
    except OSError as exc:
        return Check("secret key", False, f"{path} cannot be read ({exc.strerror})", "fix its owner")
    if not usable:
        return Check("secret key", False, f"{path} holds no usable key", "delete it and run premises migrate")
    return Check("secret key", True, f"{path} (0600)")
