"""The container files, read (no docker daemon here): the image runs the same ``premises serve`` the
tests start (tests/support/server.py), as an unprivileged user, with the data directory a volume and
a health check; compose runs it against PostgreSQL 16."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import typer.main
import yaml

from premises.cli.main import app

ROOT = Path(__file__).resolve().parents[2]


def _final_stage() -> dict[str, list[str]]:
    """The last stage's instructions: keyword -> arguments (in order; continuation lines joined)."""
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    lines = [line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    last_from = max(i for i, line in enumerate(lines) if line.startswith("FROM "))
    stage: dict[str, list[str]] = {}
    for line in lines[last_from:]:
        keyword, _, rest = line.partition(" ")
        stage.setdefault(keyword, []).append(rest.strip())
    return stage


def test_the_image_runs_premises_serve_as_an_unprivileged_user() -> None:
    stage = _final_stage()
    assert stage["FROM"] == ["python:3.11-slim"]
    entrypoint = json.loads(stage["ENTRYPOINT"][-1])
    command = json.loads(stage["CMD"][-1])
    assert entrypoint == ["premises"]
    assert command == ["serve", "--host", "0.0.0.0"]
    # "premises" is this project's command line, and "serve --host 0.0.0.0" parses as its serve command
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts == {"premises": "premises.cli.main:app"}
    group = typer.main.get_command(app)
    serve = group.commands[command[0]]  # type: ignore[attr-defined]
    assert serve.make_context(command[0], command[1:]).params["host"] == "0.0.0.0"
    # ... the command tests/support/server.py starts for every real-server test
    assert '"-m", "premises", "serve"' in (ROOT / "tests/support/server.py").read_text()
    user = stage["USER"][-1]
    assert user not in ("root", "0") and not user.startswith(("root:", "0:"))


def test_the_data_directory_is_a_volume_and_health_is_checked() -> None:
    stage = _final_stage()
    env = " ".join(stage["ENV"])
    data_dir = re.search(r"PREMISES_DATA_DIR=(\S+)", env)
    assert data_dir is not None
    assert json.loads(stage["VOLUME"][-1]) == [data_dir.group(1)]
    healthcheck = stage["HEALTHCHECK"][-1]
    assert '"python"' in healthcheck and "/healthz" in healthcheck and "curl" not in healthcheck


def test_compose_runs_premises_against_postgresql_16() -> None:
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text())
    db = compose["services"]["db"]
    premises = compose["services"]["premises"]
    assert db["image"] == "postgres:16"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    assert any(volume.endswith(":/var/lib/postgresql/data") for volume in db["volumes"])
    assert premises["build"] == "."
    assert premises["depends_on"]["db"]["condition"] == "service_healthy"
    env = premises["environment"]
    assert env["PREMISES_DATABASE_URL"].startswith("postgresql://premises:")
    assert "@db:5432/premises" in env["PREMISES_DATABASE_URL"]
    assert env["PREMISES_SECRET_KEY"].startswith("${PREMISES_SECRET_KEY:?")  # from the environment, required
    data_dir = re.search(r"PREMISES_DATA_DIR=(\S+)", " ".join(_final_stage()["ENV"]))
    assert data_dir is not None
    assert any(volume.endswith(":" + data_dir.group(1)) for volume in premises["volumes"])
    assert "command" not in premises and "entrypoint" not in premises  # the image's premises serve


def test_dockerignore_keeps_what_the_build_copies() -> None:
    ignored = {line.strip() for line in (ROOT / ".dockerignore").read_text().splitlines()}
    copied = re.findall(r"^COPY (?!--from)(.+) \S+$", (ROOT / "Dockerfile").read_text(), flags=re.MULTILINE)
    sources = {name for line in copied for name in line.split()}
    assert sources == {"pyproject.toml", "README.md", "src"}
    assert not sources & ignored
    assert {".git", ".venv", "data"} <= ignored
