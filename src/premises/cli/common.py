"""What every ``premises`` command shares: problems as one line and an exit code, the start-up
checks, the announcement of which database and data directory a command uses, password input.

Only the standard library and Typer are imported at module level (``premises --help`` stays fast);
everything else is imported by the function that needs it.
"""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import typer

from premises.errors import PremisesError
from premises.operations.problems import ExitCode, Problem

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from premises.config import Settings
    from premises.db.engine import Database

P = ParamSpec("P")
R = TypeVar("R")


def say(line: str) -> None:
    """A line for the operator (stderr; stdout is kept for what scripts read)."""
    typer.echo(line, err=True)


def exit_with(code: ExitCode, line: str) -> typer.Exit:
    say(line)
    return typer.Exit(code=int(code))


def reports_problems(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a ``Problem`` raised anywhere in the command into its line and exit code, and a domain
    error (a weak password, a taken email, an unknown user, ...) into its message and exit code 1."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except Problem as problem:
            raise exit_with(problem.code, problem.line) from None
        except PremisesError as error:
            raise exit_with(ExitCode.FAILED, f"error: {error.message}") from None

    return run


def settings() -> Settings:
    """The validated settings; warns about ``PREMISES_*`` variables that name no setting."""
    from premises.operations import preflight

    loaded = preflight.load_settings()
    for line in preflight.unknown_variables(os.environ):
        say(line)
    return loaded


def ready_settings(*, announce: bool = False, migrate: bool = True) -> Settings:
    """The settings of a command that uses the database: checked, the data directory prepared, the
    database reachable and (``migrate``) its schema brought up to date."""
    from premises.operations import preflight

    loaded = settings()
    preflight.ready(loaded)
    if announce:
        for line in preflight.describe(loaded):
            say(line)
    if migrate:
        upgrade_schema(loaded, verbose=announce)
    return loaded


def upgrade_schema(loaded: Settings, *, verbose: bool) -> None:
    """Apply pending migrations, saying which (``verbose``); SCHEMA_UNKNOWN after a downgrade."""
    from premises.db import migrate as migrations

    url = loaded.resolved_database_url
    try:
        applied = migrations.upgrade(url)
    except migrations.UnknownRevision as exc:
        raise Problem(
            ExitCode.SCHEMA_UNKNOWN,
            f"error: the database's schema is at revision {exc.revision}, which this version of Premises does"
            f" not know (its newest is {migrations.head_revision(url)}); run the newer version, or restore"
            " a backup taken before the upgrade",
        ) from None
    if not verbose:
        return
    for revision in applied:
        say(f"applied migration {revision}")
    if not applied:
        say(f"database schema already up to date (revision {migrations.head_revision(url)})")


def database(loaded: Settings) -> Database:
    from premises.db.engine import Database, make_engine

    return Database(make_engine(loaded.resolved_database_url))


def in_transaction(loaded: Settings, work: Callable[[Session], R]) -> R:
    """Run ``work`` in one unit of work on the configured database."""
    db = database(loaded)
    try:
        with db.unit_of_work() as session:
            return work(session)
    finally:
        db.dispose()


def read_password(*, stdin: bool, prompt: str = "Password") -> str:
    """A password from standard input (one line) or a hidden prompt asked twice; never an argument
    that ``ps`` and the shell history would show."""
    if stdin:
        return sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    password: str = typer.prompt(prompt, hide_input=True, confirmation_prompt=True, err=True)
    return password
