"""One real two-process server per module for the race tests (starting one costs a few seconds)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from premises.config import Settings
from premises.db.engine import Database
from tests.support.races import RaceServer
from tests.support.server import running_server


@pytest.fixture(scope="module")
def server(settings: Settings, db: Database, tmp_path_factory: pytest.TempPathFactory) -> Iterator[RaceServer]:
    with running_server(settings.resolved_database_url, tmp_path_factory.mktemp("race-data"), workers=2) as base_url:
        yield RaceServer(base_url, db)
