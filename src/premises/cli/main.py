"""The ``premises`` command line."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

from premises import datadir
from premises.config import get_settings
from premises.db import migrate as migrations
from premises.db.engine import Database, make_engine
from premises.errors import PremisesError

app = typer.Typer(help="Premises: property and facilities management.", no_args_is_help=True)
account_app = typer.Typer(help="Accounts (tenants).", no_args_is_help=True)
app.add_typer(account_app, name="account")


def _database() -> Database:
    settings = get_settings()
    return Database(make_engine(settings.resolved_database_url))


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code=1)


@app.command()
def migrate() -> None:
    """Upgrade the database schema to the newest version."""
    settings = get_settings()
    datadir.prepare(settings)
    migrations.upgrade(settings.resolved_database_url)
    typer.echo("schema is up to date", err=True)


@app.command()
def serve(
    host: Annotated[str | None, typer.Option(help="Interface to listen on.")] = None,
    port: Annotated[int | None, typer.Option(help="TCP port.")] = None,
    workers: Annotated[int, typer.Option(help="Number of server processes.")] = 1,
) -> None:
    """Migrate the schema if needed, then serve every API on one port."""
    import uvicorn

    from premises.logging_setup import log_config

    settings = get_settings()
    datadir.prepare(settings)
    migrations.upgrade(settings.resolved_database_url)
    uvicorn.run(
        "premises.api.app:create_app",
        factory=True,
        host=host or settings.host,
        port=port or settings.port,
        workers=workers,
        # One format for Premises' and uvicorn's lines (text, or JSON with PREMISES_LOG_FORMAT=json), in every worker.
        log_config=log_config(settings.log_format, settings.log_level),
        log_level=None,  # the levels are in log_config (PREMISES_LOG_LEVEL)
        access_log=False,  # premises.access logs each request, with its id and account
        # httptools with a bounded request head (64 KB, 100 headers; 431 past them).
        http="premises.api.protocol:BoundedHttpToolsProtocol",
        server_header=False,
    )


@account_app.command("create")
def account_create(
    name: Annotated[str, typer.Option(help="Account (organisation) name.")],
    admin_email: Annotated[str, typer.Option(help="Email of the first admin user.")],
    admin_password: Annotated[str, typer.Option(help="Password of the first admin user.")],
) -> None:
    """Create an account with an admin user; print {"account_id": ..., "user_id": ...} as JSON."""
    from premises.account.service import create_account
    from premises.identity.passwords import NewPassword, PasswordPolicy

    settings = get_settings()
    datadir.prepare(settings)
    migrations.upgrade(settings.resolved_database_url)
    db = _database()
    try:
        policy = PasswordPolicy(min_length=settings.password_min_length)
        password = NewPassword.make(admin_password, email=admin_email, policy=policy)  # before the transaction
        with db.unit_of_work() as session:
            created = create_account(session, name=name, admin_email=admin_email, admin_password=password)
    except PremisesError as exc:
        _fail(exc.message)
    finally:
        db.dispose()
    sys.stdout.write(json.dumps({"account_id": created.account_id, "user_id": created.user_id}) + "\n")


@app.command()
def demo(
    work_orders: Annotated[int, typer.Option(help="How many work orders to generate.")] = 300,
) -> None:
    """Load a realistic demo account and print how to log in."""
    from premises.demo.loader import load_demo

    settings = get_settings()
    datadir.prepare(settings)
    migrations.upgrade(settings.resolved_database_url)
    db = _database()
    try:
        summary = load_demo(db, work_orders=work_orders)
    finally:
        db.dispose()
    sys.stdout.write(summary + "\n")
