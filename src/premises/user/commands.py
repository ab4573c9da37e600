"""What the user services take: typed commands with domain names (style: ``premises.kit.commands``).

Passwords are not part of the commands: they are hashed outside the transaction and passed apart,
so a command can be logged or recorded without a secret in it.
"""

from __future__ import annotations

from dataclasses import dataclass

from premises.identity.permissions import Role
from premises.kit.commands import UNSET, Unset


@dataclass(frozen=True, slots=True)
class UserCreate:
    email: str
    account_type: Role
    first_name: str | None = None
    last_name: str | None = None
    phone_number: str | None = None
    job_title: str | None = None
    is_location_based: bool = False


@dataclass(frozen=True, slots=True)
class UserChanges:
    email: str | Unset = UNSET
    account_type: Role | Unset = UNSET
    first_name: str | Unset | None = UNSET
    last_name: str | Unset | None = UNSET
    phone_number: str | Unset | None = UNSET
    job_title: str | Unset | None = UNSET
    is_location_based: bool | Unset = UNSET


@dataclass(frozen=True, slots=True)
class SiteRole:
    """A site membership to give: the place (a site) and the role there (None: the user's role)."""

    place_id: str
    role: Role | None = None
