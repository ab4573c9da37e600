"""Staff users: create, update, site memberships (location access), passwords, deactivation.

Scope rules (who may change a user's role, ``is_location_based`` and sites) are ``SCOPE_RULE`` in
``identity/permissions.py`` (docs/permissions.md). Site memberships: docs/adr/0009. A changed email,
role or password and a deactivation end the user's sessions; a changed ``is_location_based`` or
membership applies from the sessions' next request (``identity.service.access_changed``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from premises.errors import Conflict, DomainValidation, ErrorCode, NotFound, PermissionDenied
from premises.identity.passwords import NewPassword
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.identity.service import access_changed, invalidate_principals, revoke_user_sessions
from premises.kit.commands import given
from premises.kit.emails import clean_email
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import Login, Place, SiteMembership, User
from premises.user.commands import SiteRole, UserChanges, UserCreate
from premises.user.fields import USERS

# Writable fields with rules of their own; the rest of the writable fields are written as given.
OWN_RULES = frozenset({"email", "account_type", "is_location_based"})
PROFILE_FIELDS = tuple(f.name for f in USERS if f.writable and f.name not in OWN_RULES)


def _normalise_email(email: str) -> str:
    return clean_email(email).lower()


def _role(value: Role | str) -> Role:
    try:
        return Role(value)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise DomainValidation(ErrorCode.NOT_ONE_OF, field="account_type", choices=allowed) from None


def _email_free(session: Session, email: str) -> None:
    if session.get(Login, email) is not None:
        # The same error as the unique constraint's (models.identity), which decides under a race.
        raise Conflict(ErrorCode.DUPLICATE, field="email", record="user")


def create_user_unchecked(session: Session, account_id: str, command: UserCreate, password: NewPassword) -> User:
    """Create a user without a permission check (account bootstrap, CLI, demo).

    The password is a ``NewPassword``: checked against the policy and hashed by the caller, before
    the transaction (a request makes it on the password pool), for this user's email.
    """
    email = _normalise_email(str(command.email))
    role = _role(command.account_type)
    password_hash = password.require_email(email)
    _email_free(session, email)
    now = now_ms()
    user = User(
        account_id=account_id,
        id=new_id(),
        email=email,
        account_type=role.value,
        first_name=command.first_name,
        last_name=command.last_name,
        phone_number=command.phone_number,
        job_title=command.job_title,
        is_location_based=bool(command.is_location_based),
        created_at=now,
        updated_at=now,
    )
    session.add(user)
    session.flush()
    session.add(
        Login(
            email=email,
            account_id=account_id,
            user_id=user.id,
            password_hash=password_hash,
            created_at=now,
            updated_at=now,
        )
    )
    return user


def _user_place_ids(session: Session, account_id: str, user_id: str) -> set[str]:
    return set(
        session.scalars(
            select(SiteMembership.place_id).where(
                SiteMembership.account_id == account_id, SiteMembership.user_id == user_id
            )
        )
    )


def _require_manages(session: Session, principal: Principal, user: User) -> None:
    """A location-based admin manages only location-based users whose places are all its own."""
    if principal.location_ids is None or user.id == principal.user_id:
        return
    places = _user_place_ids(session, principal.account_id, user.id)
    if not user.is_location_based or not places <= principal.location_ids:
        raise PermissionDenied(ErrorCode.SCOPED_ADMIN_OUTSIDE_SITES)


def _check_role_change(principal: Principal, user: User, role: Role, field: str = "account_type") -> None:
    if role.value == user.account_type:
        return
    if user.id == principal.user_id:
        raise PermissionDenied(ErrorCode.OWN_SCOPE_CHANGE, field=field)
    if principal.location_ids is not None:
        raise PermissionDenied(ErrorCode.SCOPED_ADMIN_MAY_NOT_CHANGE, field=field)


def _check_scope_change(session: Session, principal: Principal, user: User, fields: Mapping[str, Any]) -> None:
    if fields.get("account_type") is not None:
        _check_role_change(principal, user, _role(fields["account_type"]))
    lifts = "is_location_based" in fields and bool(fields["is_location_based"]) != bool(user.is_location_based)
    if lifts and principal.location_ids is not None:
        raise PermissionDenied(ErrorCode.SCOPED_ADMIN_MAY_NOT_CHANGE, field="is_location_based")
    _require_manages(session, principal, user)


def create_user(session: Session, principal: Principal, command: UserCreate, password: NewPassword) -> User:
    principal.require("user", "create")
    if principal.location_ids is not None and not command.is_location_based:
        raise PermissionDenied(ErrorCode.SCOPED_ADMIN_CREATES_SCOPED)
    return create_user_unchecked(session, principal.account_id, command, password)


def get_user_for_write(session: Session, principal: Principal, user_id: str) -> User:
    user = session.get(User, (principal.account_id, user_id), with_for_update=True)
    if user is None or user.deleted_at is not None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="user")
    return user


def _change_email(session: Session, user: User, value: Any) -> bool:
    """Move the user's login to a new email; True when it changed."""
    if value is None:
        raise DomainValidation(ErrorCode.REQUIRED, field="email")
    email = _normalise_email(str(value))
    if email == user.email:
        return False
    _email_free(session, email)
    login = session.scalars(select(Login).where(Login.account_id == user.account_id, Login.user_id == user.id)).one()
    login.email = email  # primary key change: SQLAlchemy issues UPDATE ... SET email
    user.email = email
    return True


def _change_role(session: Session, user: User, value: Any) -> bool:
    """Set the user's role, on the account and on every site it is a member of (an account type is
    "the same role on all its sites"); True when it changed."""
    if value is None:
        raise DomainValidation(ErrorCode.REQUIRED, field="account_type")
    role = _role(value).value
    sites = session.execute(
        update(SiteMembership)
        .where(SiteMembership.account_id == user.account_id, SiteMembership.user_id == user.id)
        .where(SiteMembership.role != role)
        .values(role=role)
    )
    changed = role != user.account_type
    if not changed and sites.rowcount:  # type: ignore[attr-defined]
        access_changed(session, user.account_id, user.id)  # site roles that differed now follow the account's
    user.account_type = role
    return changed


def update_user(session: Session, principal: Principal, user_id: str, changes: UserChanges) -> User:
    principal.require("user", "update")
    user = get_user_for_write(session, principal, user_id)
    fields = given(changes)
    _check_scope_change(session, principal, user, fields)
    revoke = False
    if "email" in fields:
        revoke = _change_email(session, user, fields["email"])
    if "account_type" in fields:
        revoke = _change_role(session, user, fields["account_type"]) or revoke
    for name in PROFILE_FIELDS:
        if name in fields:
            setattr(user, name, fields[name])
    scope_changed = "is_location_based" in fields and bool(fields["is_location_based"]) != user.is_location_based
    if "is_location_based" in fields:
        user.is_location_based = bool(fields["is_location_based"])
    user.updated_at = now_ms()
    # A new email or role ends every session of the user (they log in again); a scope change
    # takes effect on the sessions' next request, in every process.
    if revoke:
        revoke_user_sessions(session, user.account_id, user.id)
    elif scope_changed:
        access_changed(session, user.account_id, user.id)
    invalidate_principals(principal.account_id)
    return user


def _check_sites(session: Session, principal: Principal, place_ids: Sequence[str]) -> None:
    """Every place exists in the account, is live and is a site (top-level)."""
    if not place_ids:
        return
    rows = session.execute(
        select(Place.id, Place.parent_id).where(
            Place.account_id == principal.account_id, Place.id.in_(place_ids), Place.deleted_at.is_(None)
        )
    ).all()
    found = {r.id: r.parent_id for r in rows}
    for place_id in place_ids:
        if place_id not in found:
            raise DomainValidation(ErrorCode.SITE_NOT_FOUND, field="location_ids", id=place_id)
        if found[place_id] is not None:
            raise DomainValidation(ErrorCode.NOT_A_SITE, field="location_ids")


def set_site_memberships(session: Session, principal: Principal, user_id: str, sites: Sequence[SiteRole]) -> list[str]:
    """Replace the user's site memberships, each with its role (None: the user's role). Only sites
    (top-level places) are allowed; a site given twice keeps its first role. Returns the site ids."""
    principal.require("user", "set_locations")
    user = get_user_for_write(session, principal, user_id)
    roles = {site.place_id: _role(site.role or user.account_type) for site in reversed(sites)}
    unique_ids = list(dict.fromkeys(site.place_id for site in sites))
    if principal.location_ids is not None:
        if user.id == principal.user_id:
            raise PermissionDenied(ErrorCode.SCOPED_ADMIN_OWN_SITES)
        _require_manages(session, principal, user)
        if not set(unique_ids) <= principal.location_ids:
            raise PermissionDenied(ErrorCode.SCOPED_ADMIN_SITES_NOT_HELD)
    for role in roles.values():
        _check_role_change(principal, user, role, field="role")
    _check_sites(session, principal, unique_ids)
    session.execute(
        delete(SiteMembership).where(
            SiteMembership.account_id == principal.account_id, SiteMembership.user_id == user_id
        )
    )
    for place_id in unique_ids:
        session.add(
            SiteMembership(account_id=principal.account_id, user_id=user_id, place_id=place_id, role=roles[place_id])
        )
    user.updated_at = now_ms()
    access_changed(session, principal.account_id, user_id)
    return unique_ids


def set_user_locations(session: Session, principal: Principal, user_id: str, place_ids: Sequence[str]) -> list[str]:
    """UpKeep's location list: memberships of these sites, each with the user's role."""
    return set_site_memberships(session, principal, user_id, [SiteRole(place_id) for place_id in place_ids])


# ------------------------------------------------------------------------------------------ one site's members


def _member_change(session: Session, principal: Principal, site_id: str, user_id: str) -> User:
    """Check a change to the user's membership of one site (/v1's members of a site): the site is a live
    site the principal sees (else NotFound), its role there may manage users (site Admins and account
    admins; not Managers), nobody changes their own, and a site-scoped admin manages only location-based
    users. Returns the user, locked."""
    site = session.get(Place, (principal.account_id, site_id))
    if site is None or site.deleted_at is not None or site.parent_id is not None or not principal.sees_place(site_id):
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="site")
    principal.require("user", "set_locations", at=site_id)
    user = get_user_for_write(session, principal, user_id)
    if user.id == principal.user_id:
        raise PermissionDenied(ErrorCode.OWN_SCOPE_CHANGE, field="sites")
    if principal.location_ids is not None and not user.is_location_based:
        raise PermissionDenied(ErrorCode.SCOPED_ADMIN_OUTSIDE_SITES)
    return user


def _membership(session: Session, principal: Principal, site_id: str, user_id: str) -> SiteMembership | None:
    return session.get(SiteMembership, (principal.account_id, user_id, site_id))


def _member_changed(session: Session, user: User) -> None:
    user.updated_at = now_ms()
    access_changed(session, user.account_id, user.id)


def add_site_member(session: Session, principal: Principal, site_id: str, user_id: str, role: Role | str) -> None:
    """Make the user a member of the site with ``role`` there (Conflict when it is one already)."""
    user = _member_change(session, principal, site_id, user_id)
    if _membership(session, principal, site_id, user.id) is not None:
        raise Conflict(ErrorCode.DUPLICATE, field="user", record="site member")
    membership = SiteMembership(account_id=user.account_id, user_id=user.id, place_id=site_id, role=_role(role).value)
    session.add(membership)
    _member_changed(session, user)


def change_site_member(session: Session, principal: Principal, site_id: str, user_id: str, role: Role | str) -> None:
    """Give a member of the site another role there."""
    user = _member_change(session, principal, site_id, user_id)
    membership = _membership(session, principal, site_id, user.id)
    if membership is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="site member")
    membership.role = _role(role).value
    _member_changed(session, user)


def remove_site_member(session: Session, principal: Principal, site_id: str, user_id: str) -> None:
    """End the user's membership of the site (a location-based user then no longer reaches it)."""
    user = _member_change(session, principal, site_id, user_id)
    membership = _membership(session, principal, site_id, user.id)
    if membership is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="site member")
    session.delete(membership)
    _member_changed(session, user)


def set_password(
    session: Session, account_id: str, user_id: str, password: NewPassword, *, keep_token: str | None = None
) -> None:
    """Replace a user's password (a ``NewPassword``: checked and hashed by the caller, outside the
    transaction, for the user's email) and revoke every session but ``keep_token``'s: a user
    changing its own password stays signed in there."""
    login = session.scalars(
        select(Login).where(Login.account_id == account_id, Login.user_id == user_id).with_for_update()
    ).first()
    if login is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="user")
    login.password_hash = password.require_email(login.email)
    login.updated_at = now_ms()
    revoke_user_sessions(session, account_id, user_id, keep_token=keep_token)


def deactivate_user(session: Session, principal: Principal, user_id: str) -> None:
    """Soft-delete a user: it can no longer log in, and every session of it ends."""
    principal.require("user", "update")
    user = get_user_for_write(session, principal, user_id)
    if user.id == principal.user_id:
        raise PermissionDenied(ErrorCode.SELF_DEACTIVATION)
    _require_manages(session, principal, user)
    user.deleted_at = user.updated_at = now_ms()
    revoke_user_sessions(session, user.account_id, user.id)


def sign_out_everywhere(session: Session, principal: Principal, user_id: str) -> int:
    """Revoke every session of a user: the user itself, or an admin who manages it."""
    if user_id != principal.user_id:
        principal.require("user", "update")
    user = get_user_for_write(session, principal, user_id)
    _require_manages(session, principal, user)
    return revoke_user_sessions(session, user.account_id, user.id)
