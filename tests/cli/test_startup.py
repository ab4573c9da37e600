"""``premises --help`` and ``--version`` start fast: the command line imports no web framework, ORM
or migration tool until a command needs one (the time itself is in docs/benchmarks.md)."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from tests.cli.run import environment, premises

HEAVY = ("alembic", "sqlalchemy", "fastapi", "starlette", "uvicorn", "pydantic", "pydantic_settings", "rich")


def test_importing_the_command_line_imports_nothing_heavy() -> None:
    probe = (
        "import json, sys, premises.cli.main;"
        f"print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}} & set({list(HEAVY)!r}))))"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == []


def test_help_lists_every_command(tmp_path: Path) -> None:
    result = premises("--help", env=environment(tmp_path / "data"))
    assert result.returncode == 0, result.stderr
    for command in ("serve", "migrate", "demo", "doctor", "backup", "restore", "account", "user"):
        assert f"  {command} " in result.stdout
    assert not (tmp_path / "data").exists()  # --help touches nothing


def test_version(tmp_path: Path) -> None:
    result = premises("--version", env=environment(tmp_path / "data"))
    assert result.returncode == 0
    assert result.stdout.strip() == f"premises {version('premises')}"
