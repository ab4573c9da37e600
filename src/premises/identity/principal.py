"""The authenticated caller, the same object whichever dialect authenticated it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from premises.errors import ErrorCode, PermissionDenied
from premises.identity.permissions import Grant, Role, grant_for


class SubjectKind(StrEnum):
    """Who is behind the credentials. Every kind acts as a user of the account (``user_id``)."""

    USER = "user"  # a person, signed in with a session token (/api/v2)
    SERVICE_ACCOUNT = "service_account"  # an OAuth 2.0 client of /v1 (issue 9), a user with site memberships
    API_USER = "api_user"  # an onOffice API user (token + HMAC), acting as the user it is linked to


def scope_of(resource: str, action: str) -> str:
    """The scope that allows an action: ``"<resource>:<action>"``. ``"<resource>:*"`` allows every
    action on the resource; ``"<resource>:<action>:own"`` allows it on the principal's own records
    only (onOffice's "own" rights level)."""
    return f"{resource}:{action}"


@dataclass(frozen=True, slots=True)
class Principal:
    account_id: str
    user_id: str
    role: Role  # the account-wide role (UpKeep's accountType); the role on every site without its own
    # None: every place of the account. Otherwise the places (with their descendants) the user may see.
    location_ids: frozenset[str] | None = None
    team_ids: frozenset[str] = field(default_factory=frozenset)
    subject: SubjectKind = SubjectKind.USER
    # None: unrestricted (sessions). Otherwise only actions with a scope here (``scope_of``).
    scopes: frozenset[str] | None = None
    # The role on the visible places where it differs from ``role`` (a place's descendants included).
    site_roles: Mapping[str, Role] = field(default_factory=dict, hash=False)

    def role_at(self, place_id: str | None) -> Role:
        """The role that applies at a place (``role`` when the place has no role of its own)."""
        if place_id is None:
            return self.role
        return self.site_roles.get(place_id, self.role)

    def scope_grant(self, resource: str, action: str) -> Grant | None:
        """What the scopes allow: ALL (no scopes, or the action's scope), OWN (only its ``:own``
        scope), None (no scope for it)."""
        scopes = self.scopes
        if scopes is None or scope_of(resource, action) in scopes or f"{resource}:*" in scopes:
            return Grant.ALL
        return Grant.OWN if f"{resource}:{action}:own" in scopes else None

    def grant_at(self, resource: str, action: str, place_id: str | None) -> Grant | None:
        """The grant at a place (None: the account-wide role): the narrower of what the role there and
        the scopes allow; None when either refuses."""
        grant = grant_for(self.role_at(place_id), resource, action)
        scoped = self.scope_grant(resource, action)
        if grant is None or scoped is None:
            return None
        return Grant.OWN if Grant.OWN in (grant, scoped) else Grant.ALL

    def require(self, resource: str, action: str, *, at: str | None = None) -> Grant:
        """Return the grant for the action (at a place, when ``at`` names one), or raise PermissionDenied."""
        role = self.role_at(at)
        if grant_for(role, resource, action) is None:
            raise PermissionDenied(
                ErrorCode.ROLE_MAY_NOT, role=role.value, action=action.replace("_", " "), resource=resource
            )
        grant = self.grant_at(resource, action, at)
        if grant is None:
            raise PermissionDenied(ErrorCode.INSUFFICIENT_SCOPE, scope=scope_of(resource, action))
        return grant

    def may(self, resource: str, action: str, *, at: str | None = None) -> bool:
        return self.grant_at(resource, action, at) is not None

    def places_granted(self, resource: str, action: str) -> dict[Grant, frozenset[str]] | None:
        """For a location-based principal, its visible places by the grant its role there gives
        (places where the action is refused are left out); None when the principal sees every place.
        What a read model filters on once roles differ per site."""
        if self.location_ids is None:
            return None
        by_grant: dict[Grant, set[str]] = {}
        for place_id in self.location_ids:
            grant = self.grant_at(resource, action, place_id)
            if grant is not None:
                by_grant.setdefault(grant, set()).add(place_id)
        return {grant: frozenset(places) for grant, places in by_grant.items()}

    def sees_place(self, place_id: str | None) -> bool:
        return self.location_ids is None or (place_id is not None and place_id in self.location_ids)
