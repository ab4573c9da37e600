"""Configuration problems are one line each on stderr (what is wrong, which setting, what to do) and a
distinct exit code (docs/operations.md), never a traceback; typo'd PREMISES_* variables are warned
about; commands say which database (password masked) and data directory they use."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from sqlalchemy import text

from premises.db.engine import make_engine
from premises.operations.problems import ExitCode
from tests.cli.run import environment, premises
from tests.support.server import free_port


def _one_line(stderr: str, *needles: str) -> str:
    lines = [line for line in stderr.splitlines() if line.startswith("error:")]
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_port_flag_out_of_range_is_refused(tmp_path: Path) -> None:
    result = premises("serve", "--port", "99999", env=environment(tmp_path / "data"))
    assert result.returncode == ExitCode.USAGE
    assert "--port" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "data").exists()


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("PREMISES_PORT", "abc", "a whole number from 1 to 65535"),
        ("PREMISES_PORT", "99999", "a whole number from 1 to 65535"),
        ("PREMISES_LIST_MAX_LIMIT", "-1", "a whole number of at least 1"),
        ("PREMISES_LOG_FORMAT", "xml", "must be one of text, json"),
        ("PREMISES_LOG_LEVEL", "loud", "must be one of debug, info, warning, error"),
        ("PREMISES_METRICS_ENABLED", "perhaps", "true or false"),
        ("PREMISES_PUBLIC_URL", "example.com", "http://"),
    ],
)
def test_a_bad_setting_is_one_line_naming_it(tmp_path: Path, variable: str, value: str, expected: str) -> None:
    result = premises("migrate", env=environment(tmp_path / "data", **{variable: value}))
    assert result.returncode == ExitCode.BAD_SETTING
    _one_line(result.stderr, f"{variable}={value!r}", expected, "or unset it")
    assert not (tmp_path / "data").exists()


def test_every_bad_setting_gets_its_line(tmp_path: Path) -> None:
    env = environment(tmp_path / "data", PREMISES_PORT="abc", PREMISES_DB_POOL_SIZE="0")
    result = premises("serve", env=env)
    assert result.returncode == ExitCode.BAD_SETTING
    assert [line.split("=")[0] for line in result.stderr.splitlines()] == [
        "error: PREMISES_PORT",
        "error: PREMISES_DB_POOL_SIZE",
    ]


def test_default_limit_above_the_maximum_is_refused(tmp_path: Path) -> None:
    env = environment(tmp_path / "data", PREMISES_LIST_DEFAULT_LIMIT="200", PREMISES_LIST_MAX_LIMIT="100")
    result = premises("migrate", env=env)
    assert result.returncode == ExitCode.BAD_SETTING
    _one_line(result.stderr, "PREMISES_LIST_DEFAULT_LIMIT (200) exceeds PREMISES_LIST_MAX_LIMIT (100)")


@pytest.mark.parametrize(
    "url", ["mysql://root:hunter2@localhost/premises", "sqlite://", "not a url", "postgresql://u:hunter2@localhost"]
)
def test_an_unsupported_database_url_is_refused(tmp_path: Path, url: str) -> None:
    result = premises("migrate", env=environment(tmp_path / "data", url))
    assert result.returncode == ExitCode.BAD_DATABASE_URL
    line = _one_line(result.stderr, "PREMISES_DATABASE_URL", "sqlite:///<path> or postgresql://")
    assert "hunter2" not in result.stderr, line


def test_no_database_server_is_one_line_with_the_password_masked(tmp_path: Path) -> None:
    url = f"postgresql://premises:hunter2@127.0.0.1:{free_port()}/premises"
    result = premises("serve", env=environment(tmp_path / "data", url))
    assert result.returncode == ExitCode.DATABASE_UNREACHABLE
    _one_line(result.stderr, "cannot reach the database postgresql://premises:***@127.0.0.1", "Connection refused")
    assert "hunter2" not in result.stderr


@pytest.mark.skipif(not os.environ.get("PREMISES_TEST_DATABASE_URL"), reason="needs a PostgreSQL server")
def test_a_missing_database_is_its_own_exit_code(tmp_path: Path) -> None:
    base = os.environ["PREMISES_TEST_DATABASE_URL"].rpartition("/")[0]
    result = premises("migrate", env=environment(tmp_path / "data", f"{base}/premises_h1_no_such_db"))
    assert result.returncode == ExitCode.DATABASE_MISSING
    _one_line(result.stderr, "does not exist", "createdb")


def test_an_unusable_data_directory_is_its_own_exit_code(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    result = premises("migrate", env=environment(blocker / "data"))
    assert result.returncode == ExitCode.DATA_DIR_UNUSABLE
    _one_line(result.stderr, str(blocker), "PREMISES_DATA_DIR")


def test_a_schema_newer_than_this_version_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = environment(data)
    assert premises("migrate", env=env).returncode == 0
    engine = make_engine(f"sqlite:///{data / 'premises.sqlite3'}")
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00d'"))
    engine.dispose()
    result = premises("serve", env=env)
    assert result.returncode == ExitCode.SCHEMA_UNKNOWN
    _one_line(result.stderr, "revision f00d", "newer version")


def test_unknown_premises_variables_are_warned_about_once_each(tmp_path: Path) -> None:
    env = environment(
        tmp_path / "data",
        PREMISES_PROT="8001",
        PREMISES_SOMETHING_ELSE="1",
        # read by the tests and benchmarks, not settings: no warning
        PREMISES_TEST_DATABASE_URL="postgresql://x@y/z",
        PREMISES_PASSWORD_HASH_PROFILE="cheapest",
        PREMISES_FUZZ_EXAMPLES="3",
        PREMISES_BENCH_ENDPOINTS="0",
    )
    result = premises("migrate", env=env)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
    assert warnings == [
        "warning: PREMISES_PROT is not a Premises setting and is ignored; did you mean PREMISES_PORT?",
        "warning: PREMISES_SOMETHING_ELSE is not a Premises setting and is ignored;"
        " the README's Configure section lists the settings",
    ]


def test_migrate_says_which_database_and_data_directory_and_what_it_applied(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = environment(data)
    first = premises("migrate", env=env)
    assert first.returncode == 0, first.stderr
    assert f"database: sqlite:///{data.resolve() / 'premises.sqlite3'}" in first.stderr.splitlines()
    assert f"data directory: {data.resolve()}" in first.stderr.splitlines()
    assert "applied migration 0001 (initial schema)" in first.stderr.splitlines()
    again = premises("migrate", env=env)
    assert "database schema already up to date (revision 0001)" in again.stderr.splitlines()
    assert "applied" not in again.stderr


@pytest.mark.skipif(not os.environ.get("PREMISES_TEST_DATABASE_URL"), reason="needs a PostgreSQL server")
def test_the_announced_postgresql_url_hides_the_password(tmp_path: Path, database_url: str) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(database_url).set(password="s3cret-pass")
    result = premises("migrate", env=environment(tmp_path / "data", url.render_as_string(hide_password=False)))
    assert "s3cret-pass" not in result.stderr
    assert "***" in result.stderr
