"""What the webhook services take: typed commands with domain names (style: ``premises.kit.commands``).

``events`` are names of the dialect that registers the endpoint (already expanded and checked by it).
"""

from __future__ import annotations

from dataclasses import dataclass

from premises.kit.commands import UNSET, Unset


@dataclass(frozen=True, slots=True)
class WebhookCreate:
    title: str
    url: str
    events: tuple[str, ...]
    enabled: bool = True


@dataclass(frozen=True, slots=True)
class WebhookChanges:
    title: str | Unset = UNSET
    url: str | Unset = UNSET
    events: tuple[str, ...] | Unset = UNSET
    enabled: bool | Unset = UNSET
