"""Domain errors by category. No HTTP here: each API dialect maps categories to its own wire format."""

from __future__ import annotations

from collections.abc import Mapping


class PremisesError(Exception):
    """Base of every error the domain raises on purpose."""

    def __init__(self, message: str, **data: object) -> None:
        super().__init__(message)
        self.message = message
        self.data: Mapping[str, object] = data

    @property
    def code(self) -> str:
        return type(self).__name__


class NotFound(PremisesError):
    """The record does not exist, or the principal may not know it exists."""


class Unauthenticated(PremisesError):
    """No valid credentials were presented."""


class PermissionDenied(PremisesError):
    """The principal is known but its role does not allow the action."""


class Conflict(PremisesError):
    """The change clashes with the current state (duplicates, records still in use)."""


class InvalidState(PremisesError):
    """The record's state does not allow the transition."""


class DomainValidation(PremisesError):
    """Input is well-formed but not acceptable. ``field`` names the offending field when known."""

    def __init__(self, message: str, *, field: str | None = None, **data: object) -> None:
        super().__init__(message, field=field, **data)
        self.field = field


class RateLimited(PremisesError):
    """Too many requests."""


class TooLarge(PremisesError):
    """The input is larger than a configured limit (an upload, a request body)."""
