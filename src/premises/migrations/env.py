"""Alembic environment. The URL comes from the Config attribute set by premises.db.migrate."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import premises.models
from premises.db.engine import make_engine

config = context.config
target_metadata = premises.models.Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as conn:
        _run(conn)
    engine.dispose()


run_migrations_online()
