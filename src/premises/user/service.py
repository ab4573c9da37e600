"""Staff users: create, update, location access."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from premises.errors import Conflict, DomainValidation, NotFound
from premises.identity.passwords import hash_password
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.identity.service import invalidate_principals
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
    email = email.strip().lower()
    if "@" not in email or len(email) < 3:
        raise DomainValidation("email is not a valid email address", field="email")
    return email


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


def create_user(session: Session, principal: Principal, fields: Mapping[str, Any], password: str) -> User:
    principal.require("user", "create")
    return create_user_unchecked(session, principal.account_id, fields, password)


def get_user_for_write(session: Session, principal: Principal, user_id: str) -> User:
    user = session.get(User, (principal.account_id, user_id))
    if user is None or user.deleted_at is not None:
        raise NotFound("user not found")
    return user


def update_user(session: Session, principal: Principal, user_id: str, changes: Mapping[str, Any]) -> User:
    principal.require("user", "update")
    user = get_user_for_write(session, principal, user_id)
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
    if "account_type" in changes:
        if changes["account_type"] is None:
            raise DomainValidation("accountType cannot be null", field="accountType")
        user.account_type = _role(str(changes["account_type"])).value
    for name in ("first_name", "last_name", "phone_number", "job_title"):
        if name in changes:
            setattr(user, name, changes[name])
    if "is_location_based" in changes:
        user.is_location_based = bool(changes["is_location_based"])
    user.updated_at = now_ms()
    invalidate_principals(principal.account_id)
    return user


def set_user_locations(session: Session, principal: Principal, user_id: str, place_ids: Sequence[str]) -> list[str]:
    """Replace the places a location-based user may see. Only top-level places (sites) are allowed."""
    principal.require("user", "set_locations")
    get_user_for_write(session, principal, user_id)
    unique_ids = list(dict.fromkeys(place_ids))
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
    invalidate_principals(principal.account_id)
    return unique_ids
