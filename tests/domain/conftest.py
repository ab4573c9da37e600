"""Service-level tests: domain rules called directly, with a real database, no HTTP and no dialect.

A rule tested here is the domain's; a rule tested only under ``tests/api/<dialect>`` is that
dialect's wire behaviour. ``account`` gives a fresh account and principals of any role.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

import pytest
from sqlalchemy.orm import Session

from premises.account.service import create_account
from premises.db.engine import Database
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.kit.ids import new_id
from premises.models import Event
from premises.user.commands import UserCreate
from premises.user.service import create_user_unchecked
from tests.support.factories import PASSWORD, new_password

T = TypeVar("T")
__all__ = ["PASSWORD", "DomainAccount"]


@dataclass
class DomainAccount:
    db: Database
    account_id: str
    admin: Principal

    def principal(self, role: Role, *, location_ids: frozenset[str] | None = None) -> Principal:
        """A new user of ``role`` (location-based when ``location_ids`` is given) as a principal."""
        email = f"{role.lower()}-{new_id().lower()}@example.test"
        with self.db.unit_of_work() as session:
            user = create_user_unchecked(
                session,
                self.account_id,
                UserCreate(
                    email=email, account_type=role, first_name=role.title(), is_location_based=location_ids is not None
                ),
                new_password(email),
            )
            user_id = user.id
        return Principal(self.account_id, user_id, role, location_ids)

    def write(self, work: Callable[[Session], T]) -> T:
        """Run ``work`` in one unit of work, as a request would."""
        with self.db.unit_of_work() as session:
            return work(session)

    def event_types(self, resource_id: str) -> list[str]:
        with self.db.unit_of_work() as session:
            events = session.query(Event).filter_by(account_id=self.account_id, resource_id=resource_id)
            return [event.type for event in events.order_by(Event.id)]


@pytest.fixture(autouse=True)
def _guarded(database_url: str, tenant_guard: None) -> Iterator[None]:
    """The tenant guard on every statement, once the schema exists (``database_url`` migrates)."""
    yield


@pytest.fixture
def account(db: Database) -> DomainAccount:
    email = f"admin-{new_id().lower()}@example.test"
    with db.unit_of_work() as session:
        created = create_account(session, name="Domain Test Co", admin_email=email, admin_password=new_password(email))
    return DomainAccount(db, created.account_id, Principal(created.account_id, created.user_id, Role.ADMIN))


@pytest.fixture
def other_account(db: Database) -> DomainAccount:
    email = f"admin-{new_id().lower()}@example.test"
    with db.unit_of_work() as session:
        created = create_account(session, name="Other Co", admin_email=email, admin_password=new_password(email))
    return DomainAccount(db, created.account_id, Principal(created.account_id, created.user_id, Role.ADMIN))
