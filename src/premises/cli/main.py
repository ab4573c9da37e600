"""The ``premises`` command line.

Only Typer and the standard library are imported here: every command imports what it needs when it
runs, so ``premises --help`` and ``premises --version`` start in a fraction of a second
(tests/cli/test_startup.py). Problems (bad settings, an unreachable database, ...) are one line on
stderr and an exit code (``premises.operations.problems.ExitCode``; docs/operations.md).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from premises.cli.api_clients import api_client_app
from premises.cli.common import database, ready_settings, reports_problems, say, settings
from premises.cli.users import account_app, user_app
from premises.cli.worker import worker

app = typer.Typer(
    help="Premises: property and facilities management.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,  # plain help and errors: no rich import, a fast --help
)
app.add_typer(account_app, name="account")
app.add_typer(user_app, name="user")
app.add_typer(api_client_app, name="api-client")
app.command()(worker)  # premises worker: cli/worker.py


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        typer.echo(f"premises {version('premises')}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Premises: property and facilities management."""


@app.command()
@reports_problems
def migrate() -> None:
    """Upgrade the database schema to the newest version, saying what was applied."""
    ready_settings(announce=True)


@app.command()
@reports_problems
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on (PREMISES_HOST).")] = None,
    port: Annotated[int | None, typer.Option(min=1, max=65535, help="TCP port (PREMISES_PORT).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Number of server processes.")] = 1,
) -> None:
    """Migrate the schema if needed, then serve every API on one port."""
    # The flags become the settings the app reads (uvicorn's factory and every worker process read
    # the environment): file links and the announced address follow --host and --port.
    if host is not None:
        os.environ["PREMISES_HOST"] = host
    if port is not None:
        os.environ["PREMISES_PORT"] = str(port)
    from premises.config import get_settings

    get_settings.cache_clear()
    current = ready_settings(announce=True)
    say(f"serving on http://{current.host}:{current.port} (links: {current.resolved_public_url})")
    import uvicorn

    from premises.logging_setup import log_config

    uvicorn.run(
        "premises.api.app:create_app",
        factory=True,
        host=current.host,
        port=current.port,
        workers=workers,
        # One format for Premises' and uvicorn's lines (text, or JSON with PREMISES_LOG_FORMAT=json), in every worker.
        log_config=log_config(current.log_format, current.log_level),
        log_level=None,  # the levels are in log_config (PREMISES_LOG_LEVEL)
        access_log=False,  # premises.access logs each request, with its id and account
        # httptools with a bounded request head (64 KB, 100 headers; 431 past them).
        http="premises.api.protocol:BoundedHttpToolsProtocol",
        server_header=False,
    )


@app.command()
@reports_problems
def demo(
    work_orders: Annotated[int, typer.Option(min=0, help="How many work orders to generate.")] = 300,
) -> None:
    """Load a realistic demo account and print how to log in."""
    from premises.demo.loader import load_demo

    current = ready_settings(announce=True)
    db = database(current)
    try:
        summary = load_demo(db, work_orders=work_orders, base_url=current.resolved_public_url)
    finally:
        db.dispose()
    sys.stdout.write(summary + "\n")


@app.command()
def doctor() -> None:
    """Check the settings, the database, the migrations, the data directory and the secret key."""
    from premises.operations.doctor import run_checks

    checks = run_checks(os.environ)
    for check in checks:
        typer.echo(check.line())
    if not all(check.ok for check in checks):
        raise typer.Exit(code=1)


@app.command()
@reports_problems
def backup(
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="The archive to write (default: premises-backup-<time>.tar.gz)."),
    ] = None,
    force: Annotated[bool, typer.Option(help="Replace the archive if it exists.")] = False,
) -> None:
    """Back up the database (SQLite; PostgreSQL: pg_dump guidance), the uploaded files and the key."""
    from premises.operations.backup import create_backup, default_archive

    current = ready_settings(announce=True, migrate=False)
    summary = create_backup(current, output or default_archive(), force=force)
    for line in summary.lines():
        say(line)


@app.command()
@reports_problems
def restore(
    archive: Annotated[Path, typer.Argument(help="An archive written by premises backup.")],
    force: Annotated[bool, typer.Option(help="Replace the database, files and key already there.")] = False,
) -> None:
    """Restore a backup into the configured data directory (stop the server first)."""
    from premises.operations import preflight
    from premises.operations.backup import restore_backup

    current = settings()
    preflight.check_database_url(current)
    for line in preflight.describe(current):
        say(line)
    summary = restore_backup(current, archive, force=force)
    for line in summary.lines():
        say(line)
