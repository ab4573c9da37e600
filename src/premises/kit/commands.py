"""Typed domain commands: the one style services take their input in.

A *create* command is a frozen dataclass whose fields are the domain's names with their defaults.
A *changes* command (a partial update) is a frozen dataclass whose every field defaults to
``UNSET``: a field left ``UNSET`` is not changed, ``None`` clears it. Dialect mappers build
commands from their wire bodies (``WorkOrderChanges(**parsed)``); services read them with
:func:`given` and never see a wire name.

    @dataclass(frozen=True, slots=True)
    class TeamChanges:
        name: str | Unset = UNSET
        description: str | None | Unset = UNSET

    for name, value in given(changes).items(): ...
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any, TypeVar

from premises.errors import DomainValidation, ErrorCode


class Unset(Enum):
    """The type of ``UNSET``: a field a partial update leaves as it is."""

    UNSET = "UNSET"

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "UNSET"


UNSET = Unset.UNSET
T = TypeVar("T")


def given(command: Any) -> dict[str, Any]:
    """The fields of a command that are set (not ``UNSET``), by domain name."""
    return {
        field.name: value
        for field in dataclasses.fields(command)
        if (value := getattr(command, field.name)) is not UNSET
    }


def is_set(value: T | Unset) -> bool:
    return value is not UNSET


def build(command_type: type[T], fields: dict[str, Any]) -> T:
    """A command from a dict of domain names (what a dialect's body parser produced).

    A name the command does not declare is a programming error in the mapper (TypeError), not bad input.
    """
    return command_type(**fields)


def require_text(fields: Mapping[str, Any], name: str) -> None:
    """``name``, when given, must not be null or blank: else DomainValidation REQUIRED on ``name``."""
    if name in fields and (fields[name] is None or not str(fields[name]).strip()):
        raise DomainValidation(ErrorCode.REQUIRED, field=name)


def require_non_negative(fields: Mapping[str, Any], names: Iterable[str]) -> None:
    """Each of ``names`` given a number must not be below zero: else DomainValidation NEGATIVE on it."""
    for name in names:
        value = fields.get(name)
        if value is not None and value < 0:
            raise DomainValidation(ErrorCode.NEGATIVE, field=name)
