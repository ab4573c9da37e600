"""The Principal: role per site, scopes, and the permission checks every service makes (no HTTP)."""

from __future__ import annotations

import pytest

from premises.errors import ErrorCode, PermissionDenied
from premises.identity.permissions import PERMISSIONS, UPKEEP_ROLES, USER_MANAGEMENT, Grant, Role
from premises.identity.principal import Principal, SubjectKind

SITE_A, SITE_B, FLOOR_OF_B = "siteA", "siteB", "floorB"


def _staff_on_b() -> Principal:
    """MANAGER on the account and on site A, STAFF on site B (and the floor under it)."""
    return Principal(
        "acc",
        "u1",
        Role.MANAGER,
        frozenset({SITE_A, SITE_B, FLOOR_OF_B}),
        site_roles={SITE_B: Role.STAFF, FLOOR_OF_B: Role.STAFF},
    )


def test_a_sessions_principal_is_a_user_without_scopes_or_site_roles() -> None:
    principal = Principal("acc", "u1", Role.TECH)
    assert (principal.subject, principal.scopes, dict(principal.site_roles)) == (SubjectKind.USER, None, {})
    assert principal.require("work_order", "create") is Grant.ALL
    assert principal.role_at("anywhere") is Role.TECH


def test_the_role_at_a_site_decides_there() -> None:
    principal = _staff_on_b()
    assert principal.role_at(SITE_A) is Role.MANAGER and principal.role_at(FLOOR_OF_B) is Role.STAFF
    assert principal.require("location", "delete", at=SITE_A) is Grant.ALL
    with pytest.raises(PermissionDenied) as refused:
        principal.require("location", "delete", at=FLOOR_OF_B)
    assert refused.value.code is ErrorCode.ROLE_MAY_NOT
    assert refused.value.message == "STAFF users may not delete locations"
    assert principal.may("location", "delete") and not principal.may("location", "delete", at=SITE_B)


def test_places_granted_splits_visible_places_by_the_grant_of_each_sites_role() -> None:
    principal = Principal("acc", "u1", Role.TECH, frozenset({SITE_A, SITE_B}), site_roles={SITE_B: Role.LIMITED_TECH})
    assert principal.places_granted("work_order", "read") == {
        Grant.ALL: frozenset({SITE_A}),
        Grant.OWN: frozenset({SITE_B}),
    }
    assert principal.places_granted("work_order", "create") == {Grant.ALL: frozenset({SITE_A})}
    assert Principal("acc", "u1", Role.TECH).places_granted("work_order", "read") is None


def test_scopes_narrow_what_the_role_allows() -> None:
    principal = Principal(
        "acc",
        "svc",
        Role.ADMIN,
        subject=SubjectKind.SERVICE_ACCOUNT,
        scopes=frozenset({"work_order:read", "location:*"}),
    )
    assert principal.require("work_order", "read") is Grant.ALL
    assert principal.require("location", "delete") is Grant.ALL
    with pytest.raises(PermissionDenied) as refused:
        principal.require("work_order", "create")
    assert (refused.value.code, refused.value.params) == (ErrorCode.INSUFFICIENT_SCOPE, {"scope": "work_order:create"})
    assert not principal.may("work_order", "create")
    assert principal.grant_at("work_order", "create", None) is None


def test_a_scope_never_widens_the_role() -> None:
    principal = Principal("acc", "u", Role.VIEW_ONLY, scopes=frozenset({"work_order:*"}))
    with pytest.raises(PermissionDenied) as refused:
        principal.require("work_order", "create")
    assert refused.value.code is ErrorCode.ROLE_MAY_NOT


def test_onsite_roles_are_derived_from_admin_and_tech() -> None:
    for key, grants in PERMISSIONS.items():
        expected_manager = None if key in USER_MANAGEMENT else grants.get(Role.ADMIN)
        assert grants.get(Role.MANAGER) == expected_manager, key
        assert grants.get(Role.STAFF) == grants.get(Role.TECH), key
    assert Role.MANAGER not in UPKEEP_ROLES and Role.STAFF not in UPKEEP_ROLES


def test_an_own_scope_narrows_the_grant_to_own_records() -> None:
    """onOffice's rights levels: "all" is ``estate:read``-style, "own" is ``...:own``."""
    principal = Principal("acc", "api", Role.TECH, subject=SubjectKind.API_USER, scopes=frozenset({"request:read:own"}))
    assert principal.require("request", "read") is Grant.OWN
    assert not principal.may("request", "create")
    limited = Principal("acc", "u", Role.LIMITED_TECH, scopes=frozenset({"request:*"}))
    assert limited.require("request", "read") is Grant.OWN  # the role's own stays own
