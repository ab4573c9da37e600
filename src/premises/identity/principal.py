"""The authenticated caller, the same object whichever dialect authenticated it."""

from __future__ import annotations

from dataclasses import dataclass, field

from premises.errors import PermissionDenied
from premises.identity.permissions import Grant, Role, grant_for


@dataclass(frozen=True, slots=True)
class Principal:
    account_id: str
    user_id: str
    role: Role
    # None: every place of the account. Otherwise the places (with their descendants) the user may see.
    location_ids: frozenset[str] | None = None
    team_ids: frozenset[str] = field(default_factory=frozenset)

    def require(self, resource: str, action: str) -> Grant:
        """Return the grant for the action, or raise PermissionDenied."""
        grant = grant_for(self.role, resource, action)
        if grant is None:
            raise PermissionDenied(f"{self.role.value} users may not {action.replace('_', ' ')} {resource}s")
        return grant

    def may(self, resource: str, action: str) -> bool:
        return grant_for(self.role, resource, action) is not None

    def sees_place(self, place_id: str | None) -> bool:
        return self.location_ids is None or (place_id is not None and place_id in self.location_ids)
