"""Domain packages contain no HTTP code (docs/architecture.md, ADR 2)."""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "premises"
HTTP_LAYERS = ("api", "cli")
FORBIDDEN = ("fastapi", "starlette", "premises.api", "premises.cli")


def _imports(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_domain_packages_do_not_import_http_layers() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        relative = path.relative_to(SRC)
        if relative.parts[0] in HTTP_LAYERS or relative.name == "__main__.py":
            continue
        for name in _imports(path):
            if name.startswith(FORBIDDEN):
                offenders.append(f"{relative}: {name}")
    assert offenders == []
