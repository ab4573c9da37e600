"""Test set-up: one migrated database per run (SQLite by default, PostgreSQL when
PREMISES_TEST_DATABASE_URL is set), the real app behind a TestClient, and a fresh account per test.

Tests isolate by tenant instead of by rollback: every test creates its own account(s), which is
also what exercises tenant isolation on every query.
"""

from __future__ import annotations

import os

os.environ.setdefault("PREMISES_PASSWORD_HASH_PROFILE", "cheapest")
# Every TestClient request comes from one address ("testclient") and the counters live in the shared
# database: the suite's failed logins must not add up to the per-address limit. The throttling tests
# set their own limits (tests/api/upkeep/test_login_throttling.py, tests/concurrency/test_login_throttling.py).
os.environ.setdefault("PREMISES_LOGIN_FAILURES_PER_ADDRESS", "1000000")

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from premises.api.app import create_app
from premises.config import Settings
from premises.db import observe
from premises.db.engine import Database, make_engine
from premises.db.migrate import upgrade
from tests.support.client import Tenant, new_tenant
from tests.support.tenant_guard import check_statement


def _postgres_database_for_this_worker(base_url: str) -> Iterator[str]:
    """A fresh database per pytest-xdist worker, created next to the one CI gave us, dropped after."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "main")
    base, _, name = base_url.rpartition("/")
    worker_db = f"{name}_{worker}"
    admin = make_engine(base_url).execution_options(isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{worker_db}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{worker_db}"'))
    try:
        yield f"{base}/{worker_db}"
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{worker_db}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    base_url = os.environ.get("PREMISES_TEST_DATABASE_URL", "")
    if base_url:
        for url in _postgres_database_for_this_worker(base_url):
            upgrade(url)
            yield url
        return
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'premises-test.sqlite3'}"
    upgrade(url)
    yield url


@pytest.fixture(scope="session")
def settings(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Settings:
    # No embedded job worker: tests run jobs themselves (tests/support/jobs.py), so that a background
    # worker's statements never mix into a test's (statement counts, the tenant guard's failures).
    return Settings(database_url=database_url, data_dir=Path(tmp_path_factory.mktemp("data")), worker_embedded=False)


@pytest.fixture(scope="session")
def tenant_guard() -> Iterator[None]:
    observe.statement_observers.append(check_statement)
    yield
    observe.statement_observers.remove(check_statement)


@pytest.fixture(scope="session")
def http(settings: Settings, tenant_guard: None) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as client:
        yield client


@pytest.fixture(scope="session")
def db(settings: Settings) -> Iterator[Database]:
    database = Database(make_engine(settings.resolved_database_url))
    yield database
    database.dispose()


@pytest.fixture
def tenant(http: TestClient, db: Database) -> Tenant:
    return new_tenant(http, db)


@pytest.fixture
def other_tenant(http: TestClient, db: Database) -> Tenant:
    return new_tenant(http, db, name="Another Company")
