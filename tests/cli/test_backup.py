"""``premises backup`` / ``premises restore``: a SQLite install with data, backed up while it serves,
restored into a fresh data directory, serves the same records and file bytes."""

from __future__ import annotations

import io
import os
import tarfile
from pathlib import Path

import httpx
import pytest

from tests.cli.run import environment, premises
from tests.support.server import running_server

PASSWORD = "a long enough passphrase"
EMAIL = "backup@example.com"


def _session(base_url: str) -> dict[str, str]:
    auth = httpx.post(base_url + "/api/v2/auth", data={"email": EMAIL, "password": PASSWORD})
    assert auth.status_code == 200, auth.text
    return {"Session-Token": auth.json()["result"]["sessionToken"]}


def _sqlite(data: Path) -> str:
    return f"sqlite:///{data / 'premises.sqlite3'}"


@pytest.mark.slow
def test_backup_restore_serves_the_same_records(tmp_path: Path) -> None:
    source = tmp_path / "source"
    env = environment(source)
    created = premises(
        "account", "create", "--name", "Backed Up", "--admin-email", EMAIL, "--admin-password-stdin",
        env=env, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    archive = tmp_path / "backup.tar.gz"
    with running_server(_sqlite(source), source) as base_url:
        headers = _session(base_url)
        upload = httpx.post(
            base_url + "/api/v2/files",
            files={"file": ("plan.pdf", b"%PDF-1.4 plan", "application/pdf")},
            headers=headers,
        )
        file_id = upload.json()["data"]["id"]
        work_order = httpx.post(base_url + "/api/v2/work-orders", json={"title": "Fix the lift"}, headers=headers)
        assert work_order.status_code == 200, work_order.text
        work_order_id = work_order.json()["result"]["id"]
        before = httpx.get(base_url + f"/api/v2/work-orders/{work_order_id}", headers=headers).json()["result"]
        # online: the server keeps running while the backup is taken
        backed_up = premises("backup", "--output", str(archive), env=env)
        assert backed_up.returncode == 0, backed_up.stderr
    assert (
        f"backup written to {archive}: database (schema 0001), 1 files (13 bytes), the signing key" in backed_up.stderr
    )
    assert archive.stat().st_mode & 0o077 == 0
    assert premises("backup", "--output", str(archive), env=env).returncode == 1  # exists: --force to replace

    target = tmp_path / "target"
    restored = premises("restore", str(archive), env=environment(target))
    assert restored.returncode == 0, restored.stderr
    assert f"restored from {archive}" in restored.stderr
    refused = premises("restore", str(archive), env=environment(target))
    assert refused.returncode == 1
    assert "already holds an install" in refused.stderr and "--force" in refused.stderr
    assert premises("restore", str(archive), "--force", env=environment(target)).returncode == 0
    assert (target / "secret_key").read_bytes() == (source / "secret_key").read_bytes()

    with running_server(_sqlite(target), target) as base_url:
        headers = _session(base_url)
        after = httpx.get(base_url + f"/api/v2/work-orders/{work_order_id}", headers=headers).json()["result"]
        assert after == before
        stored = httpx.get(base_url + f"/api/v2/files/{file_id}", headers=headers).json()["result"]
        download = httpx.get(stored["url"])
        assert download.status_code == 200 and download.content == b"%PDF-1.4 plan"


def _rewrite(archive: Path, damaged: Path, change: dict[str, bytes | None]) -> None:
    """A copy of ``archive`` with members replaced (bytes) or left out (None)."""
    with tarfile.open(archive) as source, tarfile.open(damaged, "w:gz") as out:
        for member in source:
            name = member.name.partition("/")[2]
            if name in change and change[name] is None:
                continue
            extracted = source.extractfile(member) if member.isfile() else None
            body = change.get(name) or (extracted.read() if extracted else b"")
            member.size = len(body)
            out.addfile(member, io.BytesIO(body) if member.isfile() else None)


def test_restore_verifies_the_archive_and_changes_nothing_when_it_fails(tmp_path: Path) -> None:
    source = tmp_path / "source"
    env = environment(source)
    assert premises("migrate", env=env).returncode == 0
    archive = tmp_path / "backup.tar.gz"
    assert premises("backup", "-o", str(archive), env=env).returncode == 0
    target = tmp_path / "target"
    cases = {
        "tampered": {"secret_key": b"x" * 64},
        "missing": {"database.sqlite3": None},
        "no-manifest": {"manifest.json": None},
    }
    for label, change in cases.items():
        damaged = tmp_path / f"{label}.tar.gz"
        _rewrite(archive, damaged, change)
        result = premises("restore", str(damaged), env=environment(target))
        assert result.returncode == 1, (label, result.stderr)
        assert "is not a usable Premises backup" in result.stderr and "nothing was changed" in result.stderr
        assert not (target / "premises.sqlite3").exists() and not (target / "secret_key").exists()
    garbage = tmp_path / "garbage.tar.gz"
    garbage.write_bytes(os.urandom(512))
    assert premises("restore", str(garbage), env=environment(target)).returncode == 1


@pytest.mark.skipif(not os.environ.get("PREMISES_TEST_DATABASE_URL"), reason="needs a PostgreSQL server")
def test_postgresql_backup_archives_the_files_and_prints_pg_dump_guidance(tmp_path: Path, database_url: str) -> None:
    from sqlalchemy.engine import make_url

    archive = tmp_path / "pg.tar.gz"
    with_password = make_url(database_url).set(password="s3cret-pass").render_as_string(hide_password=False)
    result = premises("backup", "-o", str(archive), env=environment(tmp_path / "data", with_password))
    assert result.returncode == 0, result.stderr
    assert "no database (PostgreSQL)" in result.stderr
    assert "pg_dump --format=custom" in result.stderr
    assert "s3cret-pass" not in result.stderr and ":***@" not in result.stderr.partition("pg_dump")[2]
    with tarfile.open(archive) as tar:
        assert "premises-backup/secret_key" in tar.getnames()
    restored = premises("restore", str(archive), env=environment(tmp_path / "restored", database_url))
    assert restored.returncode == 0, restored.stderr
    assert "pg_restore --clean --if-exists" in restored.stderr
    assert (tmp_path / "restored" / "secret_key").read_bytes() == (tmp_path / "data" / "secret_key").read_bytes()
