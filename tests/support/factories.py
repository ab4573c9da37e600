"""Direct-to-database builders for records a test needs as context (not the thing under test)."""

from __future__ import annotations

from premises.db.engine import Database
from premises.identity.passwords import NewPassword
from premises.kit.counters import next_value
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import Asset, Place, Team, TeamMember, WorkOrderStatus

# Every test user's password: long enough, not on the common list, not an email (the password policy).
PASSWORD = "correct horse battery staple"


def new_password(email: str, password: str = PASSWORD) -> NewPassword:
    """``password`` checked against the policy and hashed for ``email``: what the services take."""
    return NewPassword.make(password, email=email)


def make_place(db: Database, account_id: str, name: str = "Main Site", parent_id: str | None = None) -> str:
    with db.unit_of_work() as session:
        now = now_ms()
        place = Place(
            account_id=account_id,
            id=new_id(),
            record_no=next_value(session, account_id, "record_no"),
            kind="site" if parent_id is None else "location",
            parent_id=parent_id,
            name=name,
            hide_map=False,
            created_at=now,
            updated_at=now,
        )
        parent = session.get(Place, (account_id, parent_id)) if parent_id else None
        place.site_id = parent.site_id if parent is not None else place.id
        session.add(place)
        return place.id


def make_asset(db: Database, account_id: str, name: str = "Boiler", location_id: str | None = None) -> str:
    with db.unit_of_work() as session:
        now = now_ms()
        asset = Asset(
            account_id=account_id,
            id=new_id(),
            name=name,
            status="active",
            location_id=location_id,
            downtime_status="available",
            availability_tracking_on=False,
            created_at=now,
            updated_at=now,
        )
        session.add(asset)
        return asset.id


def make_team(db: Database, account_id: str, name: str = "Plumbers", members: tuple[str, ...] = ()) -> str:
    with db.unit_of_work() as session:
        now = now_ms()
        team = Team(account_id=account_id, id=new_id(), name=name, created_at=now, updated_at=now)
        session.add(team)
        session.flush()
        for user_id in members:
            session.add(TeamMember(account_id=account_id, team_id=team.id, user_id=user_id, created_at=now))
        return team.id


def make_custom_status(db: Database, account_id: str, name: str, status_type: str) -> str:
    with db.unit_of_work() as session:
        now = now_ms()
        status = WorkOrderStatus(
            account_id=account_id, id=new_id(), name=name, type=status_type, created_at=now, updated_at=now
        )
        session.add(status)
        return status.id
