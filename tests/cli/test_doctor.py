"""``premises doctor``: one line per check, ok or FAIL with what to do; non-zero when any fails."""

from __future__ import annotations

from pathlib import Path

from tests.cli.run import environment, premises


def _lines(stdout: str) -> dict[str, str]:
    """check name -> its line."""
    names = ("settings", "database", "migrations", "data directory", "secret key")
    return {name: line for line in stdout.splitlines() for name in names if line[5:].startswith(name)}


def test_a_migrated_install_passes(tmp_path: Path) -> None:
    env = environment(tmp_path / "data")
    assert premises("migrate", env=env).returncode == 0
    result = premises("doctor", env=env)
    assert result.returncode == 0, result.stdout
    lines = _lines(result.stdout)
    assert list(lines) == ["settings", "database", "migrations", "data directory", "secret key"]
    assert all(line.startswith("ok ") for line in lines.values()), result.stdout


def test_a_fresh_install_fails_and_says_to_migrate(tmp_path: Path) -> None:
    data = tmp_path / "data"
    result = premises("doctor", env=environment(data))
    assert result.returncode == 1
    lines = _lines(result.stdout)
    assert lines["settings"].startswith("ok ")
    for name in ("database", "data directory", "secret key"):
        assert lines[name].startswith("FAIL ") and "premises migrate" in lines[name], lines[name]
    assert not data.exists()  # doctor only looks


def test_unsafe_permissions_and_a_short_key_fail(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = environment(data)
    assert premises("migrate", env=env).returncode == 0
    data.chmod(0o755)
    (data / "secret_key").chmod(0o644)
    result = premises("doctor", env=env)
    assert result.returncode == 1
    lines = _lines(result.stdout)
    assert lines["data directory"].startswith("FAIL ") and f"chmod 700 {data.resolve()}" in lines["data directory"]
    assert lines["secret key"].startswith("FAIL ") and "chmod 600" in lines["secret key"]
    assert lines["database"].startswith("ok ") and lines["migrations"].startswith("ok ")
    short = premises("doctor", env=environment(data, PREMISES_SECRET_KEY="short"))
    assert _lines(short.stdout)["secret key"].startswith("FAIL ")
    assert "shorter than 32" in _lines(short.stdout)["secret key"]


def test_bad_settings_and_pending_migrations_fail(tmp_path: Path) -> None:
    data = tmp_path / "data"
    bad = premises("doctor", env=environment(data, PREMISES_PORT="abc"))
    assert bad.returncode == 1
    assert bad.stdout.startswith("FAIL settings") and "PREMISES_PORT" in bad.stdout
    typo = premises("doctor", env=environment(data, PREMISES_PROT="1"))
    assert _lines(typo.stdout)["settings"].startswith("FAIL ") and "PREMISES_PORT" in typo.stdout
    data.mkdir(mode=0o700)
    (data / "premises.sqlite3").touch()  # an empty database: nothing applied yet
    empty = premises("doctor", env=environment(data))
    assert _lines(empty.stdout)["migrations"].startswith("FAIL ")
    assert "1 pending: 0001 (initial schema); run premises migrate" in empty.stdout
