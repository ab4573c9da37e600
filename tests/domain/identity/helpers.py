"""Shared set-up for the identity and user service tests: places, users, sessions, the read side."""

from __future__ import annotations

import random

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from premises.identity import service as identity
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import AuthSession, Place
from premises.user import service as users
from premises.user.commands import UserCreate
from tests.domain.conftest import PASSWORD, DomainAccount
from tests.domain.reading import read
from tests.support.factories import new_password


def add_place(account: DomainAccount, parent_id: str | None = None, *, deleted: bool = False) -> str:
    """A place row (a site when ``parent_id`` is None), written directly: these tests are about who
    sees places, not about creating them (tests/domain/place)."""
    now = now_ms()
    place = Place(
        account_id=account.account_id,
        id=new_id(),
        record_no=random.randint(1, 2**31 - 1),
        kind="site" if parent_id is None else "building",
        parent_id=parent_id,
        name=f"Place {new_id()}",
        created_at=now,
        updated_at=now,
        deleted_at=now if deleted else None,
    )

    def add(session: Session) -> None:
        parent = session.get(Place, (account.account_id, parent_id)) if parent_id else None
        place.site_id = parent.site_id if parent is not None else place.id
        session.add(place)

    account.write(add)
    return place.id


def new_user(account: DomainAccount, role: Role, *, location_based: bool = False) -> tuple[str, str]:
    """A user created without a permission check: (user id, email)."""
    email = f"{role.lower()}-{new_id().lower()}@example.test"
    command = UserCreate(email=email, account_type=role, is_location_based=location_based)
    user = account.write(lambda s: users.create_user_unchecked(s, account.account_id, command, new_password(email)))
    return user.id, email


def sign_in(account: DomainAccount, email: str) -> str:
    """A session token for the user with ``email``."""
    return account.write(lambda s: identity.login(s, email, PASSWORD, ttl_hours=1)).token


def live_sessions(account: DomainAccount, user_id: str) -> int:
    statement = (
        select(func.count())
        .select_from(AuthSession)
        .where(AuthSession.account_id == account.account_id, AuthSession.user_id == user_id)
        .where(AuthSession.revoked_at.is_(None))
    )
    return account.write(lambda s: int(s.execute(statement).scalar_one()))


def resolved(database_url: str, account: DomainAccount, user_id: str) -> Principal:
    """The principal the read side builds for the user (any resolver ends in ``load_principal``)."""
    principal = read(database_url, lambda r: identity.load_principal(r, account.account_id, user_id))
    assert principal is not None
    return principal
