"""The registry of API dialects: what the root app needs to mount one and to speak its error format.

A dialect is a package under ``premises.api`` (``upkeep`` today; ``/v1`` and onOffice to come) that
builds its own ASGI app. It describes itself with one ``Dialect``; ``premises.api.dialects_installed``
lists the dialects this server mounts, and ``premises.api.app`` mounts each at its prefix and
renders an HTTP error on a path under that prefix (one the mounted app never saw, e.g. a path the
router cannot match) with the dialect's ``render_http_error``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from fastapi import FastAPI

from premises.api.kit.errors import HttpErrorRenderer
from premises.api.runtime import Runtime

# A dialect's app is mounted in the root app, whose FastAPI telemetry already observes every request
# (one span and one duration per request): a mounted app observing it again would cost ~10 % of a
# small list's CPU for a duplicate. ``FastAPI(telemetry=MOUNTED_APP_TELEMETRY)`` in each dialect.
MOUNTED_APP_TELEMETRY: dict[str, Any] = {"tracing": False, "metrics": False, "logs": False}


@dataclass(frozen=True)
class Dialect:
    name: str  # "upkeep"
    prefix: str  # "/api/v2": where the root app mounts it
    summary: str  # one line for the root app's description, e.g. "UpKeep-compatible"
    create_app: Callable[[Runtime | None], FastAPI]  # ``None`` only to render the OpenAPI document
    render_http_error: HttpErrorRenderer  # a 404/405/413/415 in this dialect's error format
    install_root: Callable[[FastAPI], None] | None = None  # routes it adds outside its prefix (benchmarks)

    def owns(self, path: str) -> bool:
        return path == self.prefix or path.startswith(self.prefix + "/")


def dialect_for(path: str, dialects: Sequence[Dialect]) -> Dialect | None:
    """The dialect whose prefix ``path`` is under (the longest prefix wins), or None."""
    owners = [d for d in dialects if d.owns(path)]
    return max(owners, key=lambda d: len(d.prefix)) if owners else None


def check_distinct(dialects: Sequence[Dialect]) -> None:
    """Two dialects may not share a name or a prefix (a ValueError at start-up)."""
    for attribute in ("name", "prefix"):
        values = [getattr(d, attribute) for d in dialects]
        if len(set(values)) != len(values):
            raise ValueError(f"two dialects with the same {attribute}: {values}")
