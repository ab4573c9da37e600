"""Assignments, write side: the users, teams, customers and vendors assigned to an asset or a place.

Each kind of record keeps its members as link rows keyed (account_id, record, link_type, member_id)
(``asset_links``, ``place_links``). Assigning is idempotent; removing a live member that is not
assigned is a no-op; a member that does not exist (or is deleted, or is a contact in the other role)
is NotFound. A change touches the record's ``updated_at`` and records the record's own event.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from premises.errors import DomainValidation, ErrorCode, NotFound
from premises.identity.principal import Principal
from premises.kit.time import now_ms
from premises.models import Asset, AssetLink, Contact, Place, PlaceLink, Team, User


class MemberType(StrEnum):
    """What may be assigned to a record (the ``link_type`` stored in the link rows)."""

    USER = "user"
    TEAM = "team"
    CUSTOMER = "customer"
    VENDOR = "vendor"


MEMBER_TYPES = tuple(member.value for member in MemberType)

Record = TypeVar("Record", Asset, Place)


def member_is_live(session: Session, account_id: str, link_type: str, member_id: str) -> bool:
    if link_type == "user":
        user = session.get(User, (account_id, member_id))
        return user is not None and user.deleted_at is None
    if link_type == "team":
        team = session.get(Team, (account_id, member_id))
        return team is not None and team.deleted_at is None
    contact = session.get(Contact, (account_id, member_id))
    if contact is None or contact.deleted_at is not None:
        return False
    return bool(contact.is_customer if link_type == "customer" else contact.is_vendor)


@dataclass(frozen=True)
class Assignments(Generic[Record]):
    """The assignments of one kind of record: where its links live, how it is loaded, what a change records."""

    noun: str  # the record in messages: "an asset", "a location"
    link: type[AssetLink] | type[PlaceLink]
    record_column: str  # the link table's column naming the record
    load: Callable[[Session, Principal, str], Record]  # the record, for an update; else NotFound
    changed: Callable[[Session, Principal, Record], None]  # records the record's update event

    def _load(self, session: Session, principal: Principal, record_id: str, link_type: str) -> Record:
        if link_type not in MEMBER_TYPES:
            raise DomainValidation(
                ErrorCode.NOT_ASSIGNABLE, field="member_type", member_type=link_type, record=self.noun
            )
        return self.load(session, principal, record_id)

    def assign(self, session: Session, principal: Principal, record_id: str, link_type: str, member_id: str) -> None:
        """Assign a user, team, customer or vendor to the record (idempotent)."""
        record = self._load(session, principal, record_id, link_type)
        if not member_is_live(session, principal.account_id, link_type, member_id):
            raise NotFound(ErrorCode.RECORD_NOT_FOUND, record=str(link_type))
        if session.get(self.link, (principal.account_id, record.id, link_type, member_id)) is not None:
            return
        now = now_ms()
        session.add(
            self.link(
                account_id=principal.account_id,
                link_type=str(link_type),
                member_id=member_id,
                created_at=now,
                **{self.record_column: record.id},
            )
        )
        record.updated_at = now
        self.changed(session, principal, record)

    def unassign(self, session: Session, principal: Principal, record_id: str, link_type: str, member_id: str) -> None:
        """Remove an assignment. A live member that is not assigned is a no-op; an unknown one is NotFound."""
        record = self._load(session, principal, record_id, link_type)
        link = session.get(self.link, (principal.account_id, record.id, link_type, member_id))
        if link is None:
            if not member_is_live(session, principal.account_id, link_type, member_id):
                raise NotFound(ErrorCode.RECORD_NOT_FOUND, record=str(link_type))
            return
        session.delete(link)
        record.updated_at = now_ms()
        self.changed(session, principal, record)
