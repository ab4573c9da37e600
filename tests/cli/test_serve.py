"""``premises serve --port N`` serves on N and signs file links for N (they were built from the
default port); ``premises demo`` prints the configured address."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from tests.cli.run import environment, premises
from tests.support.server import running_server

PASSWORD = "a long enough passphrase"


@pytest.mark.slow
def test_file_links_use_the_port_given_on_the_command_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = environment(data)
    created = premises(
        "account", "create", "--name", "Links", "--admin-email", "links@example.com", "--admin-password-stdin",
        env=env, stdin=PASSWORD + "\n",
    )  # fmt: skip
    assert created.returncode == 0, created.stderr
    database = f"sqlite:///{data / 'premises.sqlite3'}"
    # running_server starts `python -m premises serve --port <free port>`; the environment says 8000
    with running_server(database, data, env={"PREMISES_PORT": "8000", "PREMISES_PUBLIC_URL": None}) as base_url:
        assert not base_url.endswith(":8000")
        auth = httpx.post(base_url + "/api/v2/auth", data={"email": "links@example.com", "password": PASSWORD})
        token = auth.json()["result"]["sessionToken"]
        upload = httpx.post(
            base_url + "/api/v2/files",
            files={"file": ("a.txt", b"hello", "text/plain")},
            headers={"Session-Token": token},
        )
        assert upload.status_code == 200, upload.text
        url = upload.json()["data"]["url"]
        assert url.startswith(base_url + "/files/"), url
        assert httpx.get(url).content == b"hello"


def test_demo_prints_the_configured_address(tmp_path: Path) -> None:
    env = environment(tmp_path / "data", PREMISES_PORT="8123")
    result = premises("demo", "--work-orders", "0", env=env)
    assert result.returncode == 0, result.stderr
    assert "curl -s http://127.0.0.1:8123/api/v2/auth -d email=admin@demo.premises.test" in result.stdout
    assert ":8000" not in result.stdout
    public = environment(tmp_path / "data", PREMISES_PUBLIC_URL="https://premises.example.com/")
    again = premises("demo", "--work-orders", "0", env=public)
    assert "already loaded" in again.stdout
    assert "API docs: https://premises.example.com/api/v2/docs" in again.stdout


def test_account_create_reads_the_password_from_a_prompt(tmp_path: Path) -> None:
    env = environment(tmp_path / "data")
    args = ("account", "create", "--name", "Prompted", "--admin-email", "p@example.com")
    mismatch = premises(*args, env=env, stdin=f"{PASSWORD}\nsomething else\n")
    assert mismatch.returncode != 0
    created = premises(*args, env=env, stdin=f"{PASSWORD}\n{PASSWORD}\n")
    assert created.returncode == 0, created.stderr
    assert set(json.loads(created.stdout)) == {"account_id", "user_id"}
    assert PASSWORD not in created.stdout + created.stderr
