"""Run the real ``premises`` command (``python -m premises``) in a subprocess, with an environment of
our choosing: the operator's view, exit codes and stderr included."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path


def environment(data_dir: Path, database_url: str | None = None, **settings: str | None) -> dict[str, str]:
    """The test process's environment without any other PREMISES_* setting, plus these (a None value
    leaves a variable out)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("PREMISES_")}
    env["PREMISES_PASSWORD_HASH_PROFILE"] = "cheapest"
    env["PREMISES_DATA_DIR"] = str(data_dir)
    if database_url:
        env["PREMISES_DATABASE_URL"] = database_url
    env.update({name: value for name, value in settings.items() if value is not None})
    return env


def premises(*args: str, env: Mapping[str, str], stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "premises", *args],
        env=dict(env),
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        timeout=120,
    )
