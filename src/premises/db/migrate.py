"""Schema migrations (Alembic), callable from the CLI, the server start-up and the tests."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from premises.db.engine import make_engine, sqlalchemy_url

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"


@dataclass(frozen=True)
class Revision:
    id: str
    title: str  # the first line of the revision's docstring

    def __str__(self) -> str:
        return f"{self.id} ({self.title})" if self.title else self.id


class UnknownRevision(Exception):
    """The database is at a revision this version of Premises does not ship (it was upgraded by a newer one)."""

    def __init__(self, revision: str) -> None:
        super().__init__(revision)
        self.revision = revision


def alembic_config(database_url: str) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.set_main_option("sqlalchemy.url", sqlalchemy_url(database_url))
    config.set_main_option("file_template", "%%(year)d_%%(month).2d_%%(day).2d_%%(rev)s_%%(slug)s")
    return config


def _scripts(database_url: str) -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config(database_url))


def head_revision(database_url: str) -> str | None:
    """The newest revision this version of Premises ships."""
    return _scripts(database_url).get_current_head()


def current_revision(database_url: str) -> str | None:
    """The revision the database is at (None: an empty database)."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    finally:
        engine.dispose()


def pending(database_url: str) -> list[Revision]:
    """The revisions ``upgrade`` would apply, oldest first. UnknownRevision when the database is at a
    revision this version does not know."""
    scripts = _scripts(database_url)
    current = current_revision(database_url)
    if current is not None and current not in {s.revision for s in scripts.walk_revisions()}:
        raise UnknownRevision(current)
    steps = scripts.iterate_revisions(scripts.get_current_head() or "base", current or "base")
    return [Revision(s.revision, (s.doc or "").strip().splitlines()[0] if s.doc else "") for s in reversed(list(steps))]


def upgrade(database_url: str) -> list[Revision]:
    """Bring the schema to the newest revision; return what was applied (empty: already up to date)."""
    if database_url.startswith("sqlite:///"):
        Path(database_url[len("sqlite:///") :]).parent.mkdir(parents=True, exist_ok=True)
    applied = pending(database_url)
    if applied:
        command.upgrade(alembic_config(database_url), "head")
    return applied


def revision(database_url: str, message: str) -> None:
    """Autogenerate a new revision against an up-to-date database (developer tool)."""
    command.revision(alembic_config(database_url), message=message, autogenerate=True)
