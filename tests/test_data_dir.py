"""Issue 5 items 15 and 16: a fresh data directory is private (0700 directories, 0600 files) through the
real CLI and server, and start-up removes what a crash left in the file store."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from premises.api.app import create_app
from premises.config import Settings
from premises.kit.ids import new_id
from tests.support.client import Tenant, UpKeep
from tests.support.server import running_server


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


@pytest.mark.slow
def test_fresh_data_dir_is_private(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = {**os.environ, "PREMISES_DATA_DIR": str(data)}
    env.pop("PREMISES_DATABASE_URL", None)
    created = subprocess.run(
        [
            sys.executable,
            "-m",
            "premises",
            "account",
            "create",
            "--name",
            "Private",
            "--admin-email",
            "owner@example.com",
            "--admin-password",
            "correct horse battery staple",
        ],
        env=env,
        capture_output=True,
        check=True,
    )
    account_id = json.loads(created.stdout)["account_id"]
    database = data / "premises.sqlite3"
    with running_server(f"sqlite:///{database}", data, env={"PREMISES_DATABASE_URL": None}) as base_url:
        token = httpx.post(
            base_url + "/api/v2/auth", json={"email": "owner@example.com", "password": "correct horse battery staple"}
        ).json()["result"]["sessionToken"]
        upload = httpx.post(
            base_url + "/api/v2/files",
            files={"file": ("a.txt", b"secret", "text/plain")},
            headers={"Session-Token": token},
        )
        assert upload.status_code == 200, upload.text
        file_id = upload.json()["data"]["id"]
        wal = data / "premises.sqlite3-wal"
        shm = data / "premises.sqlite3-shm"
        assert wal.exists() and shm.exists()
        for path in (database, wal, shm, data / "secret_key", data / "files" / account_id / file_id):
            assert _mode(path) == 0o600, (path, oct(_mode(path)))
    for path in (data, data / "files", data / "files" / account_id):
        assert _mode(path) == 0o700, (path, oct(_mode(path)))


def test_start_up_removes_crash_leftovers(tenant: Tenant, settings: Settings, tmp_path: Path) -> None:
    own = Settings(database_url=settings.database_url, data_dir=tmp_path)
    with TestClient(create_app(own)) as client:
        admin = UpKeep(client, tenant.admin.token, tenant.admin.user_id, tenant.account_id, tenant.admin.email)
        response = admin.post("/files", files={"file": ("a.txt", b"live", "text/plain")})
        live_id = response.json()["data"]["id"]
    account_dir = tmp_path / "files" / tenant.account_id
    old = time.time() - 2 * 3600
    live = account_dir / live_id
    stale_part = account_dir / f".{new_id()}.abcdef123456.part"
    fresh_part = account_dir / f".{new_id()}.abcdef123456.part"
    orphan = account_dir / new_id()
    fresh_orphan = account_dir / new_id()  # may be an upload in flight in another process
    for path in (stale_part, fresh_part, orphan, fresh_orphan):
        path.write_bytes(b"left over")
    for path in (live, stale_part, orphan):
        os.utime(path, (old, old))
    with TestClient(create_app(own)) as client:
        admin = UpKeep(client, tenant.admin.token, tenant.admin.user_id, tenant.account_id, tenant.admin.email)
        assert admin.get(f"/files/{live_id}").status_code == 200
    assert not stale_part.exists()
    assert not orphan.exists()
    assert live.read_bytes() == b"live"
    assert fresh_part.exists() and fresh_orphan.exists()
