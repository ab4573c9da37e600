"""What the team services take: typed commands with domain names (style: ``premises.kit.commands``)."""

from __future__ import annotations

from dataclasses import dataclass

from premises.kit.commands import UNSET, Unset


@dataclass(frozen=True, slots=True)
class TeamCreate:
    name: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class TeamChanges:
    name: str | Unset = UNSET
    description: str | Unset | None = UNSET
