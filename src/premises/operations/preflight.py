"""What every command checks before it starts: the settings, the database URL, the database itself
and the data directory. Each failure is a ``Problem``: one line (what is wrong, which setting, what
to do) and a distinct exit code (``problems.ExitCode``); never a traceback.

Heavy libraries (pydantic-settings, SQLAlchemy, Alembic) are imported inside the functions, so the
command line starts fast (``premises --help``).
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from premises.operations.problems import ExitCode, Problem

if TYPE_CHECKING:
    from premises.config import Settings

PREFIX = "PREMISES_"
# PREMISES_* variables that are not settings but are read elsewhere: the test suite's and the
# benchmarks' switches. They never warn.
NOT_SETTINGS = frozenset({"PREMISES_TEST_DATABASE_URL", "PREMISES_PASSWORD_HASH_PROFILE", "PREMISES_BENCH_ENDPOINTS"})
NOT_SETTINGS_PREFIXES = ("PREMISES_FUZZ_",)
# Settings whose value is never echoed back.
SECRET_SETTINGS = frozenset({"secret_key", "metrics_token", "database_url"})
SUPPORTED_URLS = "sqlite:///<path> or postgresql://user:password@host:5432/name"
CONNECT_TIMEOUT_S = 5


def env_name(field: str) -> str:
    return PREFIX + field.upper()


def load_settings() -> Settings:
    """The settings from the environment, or a Problem with one line per bad value (BAD_SETTING)."""
    from pydantic import ValidationError

    from premises.config import Settings

    try:
        return Settings()
    except ValidationError as exc:
        lines = [_bad_value_line(error) for error in exc.errors()]
        raise Problem(ExitCode.BAD_SETTING, "\n".join(lines)) from None


def _bad_value_line(error: Mapping[str, Any]) -> str:
    from premises.config import Settings

    message = str(error["msg"]).removeprefix("Value error, ")
    if not error["loc"]:  # a rule between settings (the model validator): it names them itself
        return f"error: {message}; change one of them"
    field = str(error["loc"][0])
    name = env_name(field)
    shown = "" if field in SECRET_SETTINGS else f"={error['input']!r}"
    info = Settings.model_fields[field]
    expected = _expected(info.annotation, info.metadata)
    todo = f"set {name} to {expected}" if expected else f"fix {name}"
    wrong = message[:1].lower() + message[1:]
    return f"error: {name}{shown} is not valid: {wrong}; {todo}, or unset it for the default ({info.default!r})"


def _expected(annotation: Any, metadata: list[Any]) -> str:
    if annotation is bool:
        return "true or false"
    if annotation is not int:
        return ""
    low = next((m.ge for m in metadata if hasattr(m, "ge")), None)
    high = next((m.le for m in metadata if hasattr(m, "le")), None)
    if low is not None and high is not None:
        return f"a whole number from {low} to {high}"
    if low is not None:
        return f"a whole number of at least {low}"
    return "a whole number"


def unknown_variables(environ: Mapping[str, str]) -> list[str]:
    """A warning line for each ``PREMISES_*`` variable that names no setting (a typo is ignored
    silently otherwise), with the closest setting's name when one is close."""
    from premises.config import Settings

    known = sorted(env_name(field) for field in Settings.model_fields)
    warnings = []
    for variable in sorted(environ):
        name = variable.upper()  # pydantic-settings reads the environment case-insensitively
        if not name.startswith(PREFIX) or name in known or name in NOT_SETTINGS:
            continue
        if name.startswith(NOT_SETTINGS_PREFIXES):
            continue
        close = difflib.get_close_matches(name.removeprefix(PREFIX), [k.removeprefix(PREFIX) for k in known], 1, 0.7)
        hint = f"did you mean {PREFIX}{close[0]}?" if close else "the README's Configure section lists the settings"
        warnings.append(f"warning: {variable} is not a Premises setting and is ignored; {hint}")
    return warnings


def masked_url(database_url: str) -> str:
    """The URL with its password replaced by ***, for logs and messages."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(database_url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<not a URL>"


def describe(settings: Settings) -> list[str]:
    """Which database and data directory a command uses (the password masked)."""
    return [
        f"database: {masked_url(settings.resolved_database_url)}",
        f"data directory: {settings.data_dir.resolve()}",
    ]


def check_database_url(settings: Settings) -> None:
    """A URL Premises can use: a SQLite file or PostgreSQL (psycopg). BAD_DATABASE_URL otherwise."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    from premises.db.engine import sqlalchemy_url

    url = settings.resolved_database_url
    todo = f"set PREMISES_DATABASE_URL to {SUPPORTED_URLS}, or unset it for SQLite in the data directory"
    try:
        parsed = make_url(sqlalchemy_url(url))
    except ArgumentError:
        raise Problem(ExitCode.BAD_DATABASE_URL, f"error: PREMISES_DATABASE_URL is not a URL; {todo}") from None
    if parsed.drivername in ("sqlite", "sqlite+pysqlite"):
        if not url.startswith("sqlite:///") or parsed.database in (None, "", ":memory:"):
            raise Problem(
                ExitCode.BAD_DATABASE_URL,
                f"error: PREMISES_DATABASE_URL {masked_url(url)} names no SQLite file (sqlite:///<path>); {todo}",
            )
        return
    if parsed.drivername != "postgresql+psycopg":
        raise Problem(
            ExitCode.BAD_DATABASE_URL,
            f"error: PREMISES_DATABASE_URL uses {parsed.drivername!r}, which Premises does not support; {todo}",
        )
    if not parsed.database:
        raise Problem(
            ExitCode.BAD_DATABASE_URL, f"error: PREMISES_DATABASE_URL {masked_url(url)} names no database; {todo}"
        )


def prepare_data_dir(settings: Settings) -> None:
    """``datadir.prepare``, with an unusable directory as DATA_DIR_UNUSABLE."""
    from premises import datadir

    try:
        datadir.prepare(settings)
    except OSError as exc:
        where = Path(exc.filename) if exc.filename else settings.data_dir
        reason = exc.strerror or str(exc)
        raise Problem(
            ExitCode.DATA_DIR_UNUSABLE,
            f"error: the data directory cannot be used ({where}: {reason}); set PREMISES_DATA_DIR to a"
            " directory this user may create and write, or fix its owner and permissions",
        ) from None
    except RuntimeError as exc:  # a secret_key file that holds no usable key (file.links)
        raise Problem(ExitCode.DATA_DIR_UNUSABLE, f"error: {exc}") from None


def check_database(settings: Settings) -> None:
    """Connect once: DATABASE_UNREACHABLE or DATABASE_MISSING as one line when that fails."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.pool import NullPool

    from premises.db.engine import sqlalchemy_url

    url = settings.resolved_database_url
    arguments = {} if settings.is_sqlite else {"connect_timeout": CONNECT_TIMEOUT_S}
    engine = create_engine(sqlalchemy_url(url), connect_args=arguments, poolclass=NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except DBAPIError as exc:
        raise database_problem(url, exc.orig if exc.orig is not None else exc) from None
    finally:
        engine.dispose()


def database_problem(url: str, error: BaseException) -> Problem:
    """The one line for a failed connection, by what the driver said."""
    said = (str(error).strip().splitlines() or [type(error).__name__])[0]
    said = said.removeprefix("connection failed: ")
    where = f"the database {masked_url(url)} (PREMISES_DATABASE_URL)"
    if "does not exist" in said and "database" in said:
        return Problem(
            ExitCode.DATABASE_MISSING,
            f"error: {where} does not exist on its server; create it (createdb <name>) or fix the name in the URL",
        )
    if (
        "authentication failed" in said
        or "no password supplied" in said
        or ("role" in said and "does not exist" in said)
    ):
        return Problem(
            ExitCode.DATABASE_UNREACHABLE,
            f"error: {where} refused the credentials ({said}); fix the user and password in PREMISES_DATABASE_URL",
        )
    if url.startswith("sqlite"):
        return Problem(
            ExitCode.DATABASE_UNREACHABLE,
            f"error: cannot open {where} ({said}); check the file's directory exists and is writable",
        )
    return Problem(
        ExitCode.DATABASE_UNREACHABLE,
        f"error: cannot reach {where} ({said}); start the database server or fix the host and port in the URL",
    )


def ready(settings: Settings) -> None:
    """Everything a command that opens the database needs, in order: a supported URL, the data
    directory, a database that answers."""
    check_database_url(settings)
    prepare_data_dir(settings)
    check_database(settings)
