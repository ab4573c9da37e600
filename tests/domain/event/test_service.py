"""Events at the service layer: only registered types are recorded, in the change's transaction."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from premises.event.service import record_event
from premises.event.types import EventType
from premises.kit import jsonutil
from premises.models import Event
from tests.domain.conftest import DomainAccount


def test_a_registered_type_is_recorded_with_its_payload_and_actor(account: DomainAccount) -> None:
    def record(session: Session) -> str:
        return record_event(
            session,
            account_id=account.account_id,
            type=EventType.TEAM_CREATED,
            resource_type="team",
            resource_id="t1",
            payload={"name": "Plumbers"},
            actor_user_id=account.admin.user_id,
        ).id

    event_id = account.write(record)
    with account.db.unit_of_work() as session:
        event = session.get(Event, (account.account_id, event_id))
        assert event is not None
        assert (event.type, event.actor_user_id) == ("TEAM_CREATED", account.admin.user_id)
        assert jsonutil.loads(event.payload) == {"name": "Plumbers"}


def test_an_unregistered_type_is_refused_and_nothing_is_written(account: DomainAccount) -> None:
    def record(session: Session) -> None:
        record_event(
            session,
            account_id=account.account_id,
            type="TEAM_RENAMED",  # type: ignore[arg-type]
            resource_type="team",
            resource_id="t2",
            payload={},
        )

    with pytest.raises(ValueError):
        account.write(record)
    assert account.event_types("t2") == []


def test_a_failed_change_leaves_no_event(account: DomainAccount) -> None:
    def record_then_fail(session: Session) -> None:
        record_event(
            session,
            account_id=account.account_id,
            type=EventType.TEAM_UPDATED,
            resource_type="team",
            resource_id="t3",
            payload={},
        )
        raise RuntimeError("the change fails after its event")

    with pytest.raises(RuntimeError):
        account.write(record_then_fail)
    assert account.event_types("t3") == []
