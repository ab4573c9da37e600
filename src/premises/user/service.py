"""Staff users: create, update, location access."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from premises.errors import Conflict, DomainValidation, NotFound, PermissionDenied
from premises.identity.passwords import hash_password
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.identity.service import access_changed, invalidate_principals, revoke_user_sessions
from premises.kit.emails import clean_email
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import Login, Place, User, UserLocation

USER_FIELDS = (
    "email",
    "account_type",
    "first_name",
    "last_name",
    "phone_number",
    "job_title",
    "is_location_based",
)


def _normalise_email(email: str) -> str:
    return clean_email(email).lower()


def _role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise DomainValidation(f"accountType must be one of {allowed}", field="accountType") from None


def create_user_unchecked(session: Session, account_id: str, fields: Mapping[str, Any], password: str) -> User:
    """Create a user without a permission check (account bootstrap, CLI, demo)."""
    email = _normalise_email(str(fields["email"]))
    role = _role(str(fields["account_type"]))
    if not password:
        raise DomainValidation("password cannot be null", field="password")
    if session.get(Login, email) is not None:
        raise Conflict("a user with this email already exists", field="email")
    now = now_ms()
    user = User(
        account_id=account_id,
        id=new_id(),
        email=email,
        account_type=role.value,
        first_name=fields.get("first_name"),
        last_name=fields.get("last_name"),
        phone_number=fields.get("phone_number"),
        job_title=fields.get("job_title"),
        is_location_based=bool(fields.get("is_location_based", False)),
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
            password_hash=hash_password(password),
            created_at=now,
            updated_at=now,
        )
    )
    return user


# Who may change a user's scope (role, isLocationBased, locations): docs/permissions.md, SCOPE_RULE
# in identity/permissions.py. Admins that are not location-based may change anyone's but their own
# role; a location-based admin manages only location-based users within its own places, may not
# change anyone's role or isLocationBased, may not change its own places, and may not widen anyone's
# places beyond its own.


def _user_place_ids(session: Session, account_id: str, user_id: str) -> set[str]:
    return set(
        session.scalars(
            select(UserLocation.place_id).where(UserLocation.account_id == account_id, UserLocation.user_id == user_id)
        )
    )


def _require_manages(session: Session, principal: Principal, user: User) -> None:
    """A location-based admin manages only location-based users whose places are all its own."""
    if principal.location_ids is None or user.id == principal.user_id:
        return
    places = _user_place_ids(session, principal.account_id, user.id)
    if not user.is_location_based or not places <= principal.location_ids:
        raise PermissionDenied("location-based admins may only manage users within their locations")


def _check_scope_change(session: Session, principal: Principal, user: User, changes: Mapping[str, Any]) -> None:
    if "account_type" in changes and changes["account_type"] is not None:
        new_role = _role(str(changes["account_type"])).value
        if new_role != user.account_type:
            if user.id == principal.user_id:
                raise PermissionDenied("users may not change their own accountType")
            if principal.location_ids is not None:
                raise PermissionDenied("location-based admins may not change accountType")
    lifts = "is_location_based" in changes and bool(changes["is_location_based"]) != bool(user.is_location_based)
    if lifts and principal.location_ids is not None:
        raise PermissionDenied("location-based admins may not change isLocationBased")
    _require_manages(session, principal, user)


def create_user(session: Session, principal: Principal, fields: Mapping[str, Any], password: str) -> User:
    principal.require("user", "create")
    if principal.location_ids is not None and not fields.get("is_location_based", False):
        raise PermissionDenied("location-based admins may only create location-based users")
    return create_user_unchecked(session, principal.account_id, fields, password)


def get_user_for_write(session: Session, principal: Principal, user_id: str) -> User:
    user = session.get(User, (principal.account_id, user_id), with_for_update=True)
    if user is None or user.deleted_at is not None:
        raise NotFound("user not found")
    return user


def update_user(session: Session, principal: Principal, user_id: str, changes: Mapping[str, Any]) -> User:
    principal.require("user", "update")
    user = get_user_for_write(session, principal, user_id)
    _check_scope_change(session, principal, user, changes)
    revoke = False
    if "email" in changes:
        if changes["email"] is None:
            raise DomainValidation("email cannot be null", field="email")
        email = _normalise_email(str(changes["email"]))
        if email != user.email:
            if session.get(Login, email) is not None:
                raise Conflict("a user with this email already exists", field="email")
            login = session.scalars(
                select(Login).where(Login.account_id == user.account_id, Login.user_id == user.id)
            ).one()
            login.email = email  # primary key change: SQLAlchemy issues UPDATE ... SET email
            user.email = email
            revoke = True
    if "account_type" in changes:
        if changes["account_type"] is None:
            raise DomainValidation("accountType cannot be null", field="accountType")
        role = _role(str(changes["account_type"])).value
        revoke = revoke or role != user.account_type
        user.account_type = role
    for name in ("first_name", "last_name", "phone_number", "job_title"):
        if name in changes:
            setattr(user, name, changes[name])
    scope_changed = "is_location_based" in changes and bool(changes["is_location_based"]) != user.is_location_based
    if "is_location_based" in changes:
        user.is_location_based = bool(changes["is_location_based"])
    user.updated_at = now_ms()
    # A new email or role ends every session of the user (they log in again); a scope change
    # takes effect on the sessions' next request, in every process.
    if revoke:
        revoke_user_sessions(session, user.account_id, user.id)
    elif scope_changed:
        access_changed(session, user.account_id, user.id)
    invalidate_principals(principal.account_id)
    return user


def set_user_locations(session: Session, principal: Principal, user_id: str, place_ids: Sequence[str]) -> list[str]:
    """Replace the places a location-based user may see. Only top-level places (sites) are allowed."""
    principal.require("user", "set_locations")
    user = get_user_for_write(session, principal, user_id)
    unique_ids = list(dict.fromkeys(place_ids))
    if principal.location_ids is not None:
        if user.id == principal.user_id:
            raise PermissionDenied("location-based admins may not change their own locations")
        _require_manages(session, principal, user)
        if not set(unique_ids) <= principal.location_ids:
            raise PermissionDenied("location-based admins may only give access to their own locations")
    if unique_ids:
        rows = session.execute(
            select(Place.id, Place.parent_id).where(
                Place.account_id == principal.account_id, Place.id.in_(unique_ids), Place.deleted_at.is_(None)
            )
        ).all()
        found = {r.id: r.parent_id for r in rows}
        for place_id in unique_ids:
            if place_id not in found:
                raise DomainValidation(f"location {place_id} not found", field="locationIds")
            if found[place_id] is not None:
                raise DomainValidation("only parent location IDs are allowed", field="locationIds")
    session.execute(
        delete(UserLocation).where(UserLocation.account_id == principal.account_id, UserLocation.user_id == user_id)
    )
    for place_id in unique_ids:
        session.add(UserLocation(account_id=principal.account_id, user_id=user_id, place_id=place_id))
    user.updated_at = now_ms()
    access_changed(session, principal.account_id, user_id)
    return unique_ids


def set_password(
    session: Session, account_id: str, user_id: str, password_hash: str, *, keep_token: str | None = None
) -> None:
    """Replace a user's password (hashed by the caller, outside the transaction) and revoke every
    session but ``keep_token``'s: a user changing its own password stays signed in there."""
    login = session.scalars(
        select(Login).where(Login.account_id == account_id, Login.user_id == user_id).with_for_update()
    ).first()
    if login is None:
        raise NotFound("user not found")
    login.password_hash = password_hash
    login.updated_at = now_ms()
    revoke_user_sessions(session, account_id, user_id, keep_token=keep_token)


def deactivate_user(session: Session, principal: Principal, user_id: str) -> None:
    """Soft-delete a user: it can no longer log in, and every session of it ends."""
    principal.require("user", "update")
    user = get_user_for_write(session, principal, user_id)
    if user.id == principal.user_id:
        raise PermissionDenied("users may not deactivate themselves")
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
