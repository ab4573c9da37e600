"""PM rules at the service layer: permissions, visibility (write and read side agree), events, and what the
sweep makes (late sweeps, pauses, completion-based schedules, stale templates).

The recurrence itself: test_recurrence.py; the wire: tests/api/upkeep/test_preventive_maintenance.py;
parallel sweeps: tests/concurrency/test_pm_sweep.py.
"""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from premises.api.jobs import load_handlers
from premises.config import Settings
from premises.errors import DomainValidation, NotFound, PermissionDenied
from premises.identity.permissions import Role
from premises.job.service import ClaimedJob
from premises.job.worker import JobRun
from premises.kit.listing import ListQuery
from premises.kit.time import now_ms, parse_instant
from premises.models import Category, Place, PmTrigger, PmWorkOrder, WorkOrder
from premises.preventive import queries, service
from premises.preventive.commands import TriggerChanges, TriggerCreate
from premises.preventive.sweep import sweep
from premises.work_order import service as work_orders
from premises.work_order.commands import Status, WorkOrderChanges
from tests.domain.conftest import DomainAccount
from tests.domain.reading import read
from tests.support.factories import make_place

DAY = 86_400_000
JAN_1 = parse_instant("2031-01-01T08:00:00Z")


def _create(account: DomainAccount, principal: Any = None, **fields: Any) -> PmTrigger:
    command = TriggerCreate(
        **{
            "name": "Daily round",
            "schedule_type": "EVERY_N_DAYS",
            "rrdtstart": "2031-01-01T08:00:00",
            "rrtzid": "UTC",
            "wo_title": "Round",
            **fields,
        }
    )
    return account.write(lambda s: service.create_trigger(s, principal or account.admin, command))


def _sweep(account: DomainAccount, now: int) -> int:
    return account.write(lambda s: sweep(s, now, account_id=account.account_id)).created


def _trigger(account: DomainAccount, trigger_id: str) -> PmTrigger:
    with account.db.unit_of_work() as session:
        trigger = session.get(PmTrigger, (account.account_id, trigger_id))
        assert trigger is not None
        session.expunge(trigger)
        return trigger


def _made(account: DomainAccount, trigger_id: str) -> list[tuple[int, WorkOrder]]:
    with account.db.unit_of_work() as session:
        links = session.scalars(
            select(PmWorkOrder)
            .where(PmWorkOrder.account_id == account.account_id, PmWorkOrder.trigger_id == trigger_id)
            .order_by(PmWorkOrder.due_at)
        ).all()
        out = []
        for link in links:
            work_order = session.get(WorkOrder, (account.account_id, link.work_order_id))
            assert work_order is not None
            session.expunge(work_order)
            out.append((link.due_at, work_order))
        return out


def test_roles_first(account: DomainAccount, database_url: str) -> None:
    viewer, tech = account.principal(Role.VIEW_ONLY), account.principal(Role.TECH)
    with pytest.raises(PermissionDenied):
        _create(account, viewer)
    trigger = _create(account, tech)
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.update_trigger(s, viewer, trigger.id, TriggerChanges(name="x")))
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.delete_trigger(s, tech, trigger.id))
    with pytest.raises(PermissionDenied):
        read(
            database_url,
            lambda r: queries.list_triggers(r, account.principal(Role.REQUESTER), ListQuery(limit=5)),
        )


def test_write_and_read_side_agree_on_visibility(account: DomainAccount, database_url: str) -> None:
    mine, other = make_place(account.db, account.account_id, "Mine"), make_place(account.db, account.account_id, "B")
    triggers = {
        "mine": _create(account, wo_location_id=mine).id,
        "other": _create(account, wo_location_id=other).id,
        "nowhere": _create(account).id,
    }
    tech = account.principal(Role.TECH, location_ids=frozenset({mine}))
    listed = read(database_url, lambda r: queries.list_triggers(r, tech, ListQuery(limit=100)))
    assert [t["id"] for t in listed] == [triggers["mine"]]
    for name, trigger_id in triggers.items():
        try:
            account.write(lambda s, t=trigger_id: service.update_trigger(s, tech, t, TriggerChanges(name="Seen")))  # type: ignore[misc]
            written = True
        except NotFound:
            written = False
        assert written is (name == "mine"), name
    with pytest.raises(DomainValidation):
        _create(account, tech)  # a location-based user puts it at one of its places


def test_another_accounts_trigger_is_not_found(account: DomainAccount, other_account: DomainAccount) -> None:
    trigger = _create(other_account)
    with pytest.raises(NotFound):
        account.write(lambda s: service.update_trigger(s, account.admin, trigger.id, TriggerChanges(name="x")))


def test_events_of_a_trigger(account: DomainAccount) -> None:
    trigger = _create(account)
    account.write(lambda s: service.update_trigger(s, account.admin, trigger.id, TriggerChanges(name="Renamed")))
    account.write(lambda s: service.update_trigger(s, account.admin, trigger.id, TriggerChanges(is_paused=True)))
    account.write(lambda s: service.delete_trigger(s, account.admin, trigger.id))
    assert account.event_types(trigger.id) == [
        "WORK_ORDER_SCHEDULE_CREATED",
        "WORK_ORDER_SCHEDULE_UPDATED",
        "WORK_ORDER_SCHEDULE_STATUS_UPDATED",
        "WORK_ORDER_SCHEDULE_UPDATED",
        "WORK_ORDER_SCHEDULE_DELETED",
    ]


def test_each_occurrence_once_in_order(account: DomainAccount) -> None:
    trigger = _create(account, wo_priority=2, wo_duration=1.5, wo_description="Check the gauges")
    assert trigger.next_due_at == JAN_1
    assert _sweep(account, JAN_1 - 1) == 0
    assert _sweep(account, JAN_1) == 1
    assert _sweep(account, JAN_1 + 1000) == 0  # the same occurrence: nothing more
    assert _sweep(account, JAN_1 + DAY) == 1
    made = _made(account, trigger.id)
    assert [due for due, _ in made] == [JAN_1, JAN_1 + DAY]
    work_order = made[0][1]
    assert (work_order.title, work_order.category, work_order.priority, work_order.due_date) == (
        "Round",
        "Preventative",
        2,
        JAN_1,
    )
    assert (work_order.description, work_order.estimated_duration_hours) == ("Check the gauges", 1.5)
    assert account.event_types(work_order.id) == ["WORK_ORDER_CREATED", "PM_WORK_ORDER_CREATED"]
    after = _trigger(account, trigger.id)
    assert (after.last_due_at, after.next_due_at, after.last_work_order_id) == (
        JAN_1 + DAY,
        JAN_1 + 2 * DAY,
        made[1][1].id,
    )


def test_a_late_sweep_makes_the_latest_due_occurrence_only(account: DomainAccount) -> None:
    trigger = _create(account)
    assert _sweep(account, JAN_1 + 3 * DAY + 5) == 1  # three days late: Jan 1, 2 and 3 are skipped but the 4th
    assert [due for due, _ in _made(account, trigger.id)] == [JAN_1 + 3 * DAY]
    assert _trigger(account, trigger.id).next_due_at == JAN_1 + 4 * DAY


def test_paused_and_archived_triggers_make_nothing_and_resume_from_now(account: DomainAccount) -> None:
    paused = _create(account, is_paused=True)
    archived = _create(account, is_archived=True)
    assert _trigger(account, archived.id).archived_by_user_id == account.admin.user_id
    assert _sweep(account, JAN_1 + DAY) == 0
    account.write(lambda s: service.update_trigger(s, account.admin, paused.id, TriggerChanges(is_paused=False)))
    resumed = _trigger(account, paused.id)
    assert resumed.next_due_at == JAN_1  # still ahead (now is before 2031)
    assert _trigger(account, archived.id).is_archived


def test_create_first_wo(account: DomainAccount) -> None:
    trigger = _create(account, create_first_wo=True)
    made = _made(account, trigger.id)
    assert [due for due, _ in made] == [JAN_1]
    assert trigger.next_due_at == JAN_1 + DAY and trigger.last_work_order_id == made[0][1].id


def test_completion_based_waits_for_the_work_order(account: DomainAccount) -> None:
    trigger = _create(account, schedule_type="EVERY_N_DAYS", rrinterval=30, next_on_completion=True)
    assert _sweep(account, JAN_1) == 1
    assert _trigger(account, trigger.id).next_due_at is None  # waits for its work order
    assert _sweep(account, JAN_1 + 90 * DAY) == 0
    [(_, work_order)] = _made(account, trigger.id)
    account.write(
        lambda s: work_orders.update_work_order(
            s, account.admin, work_order.id, WorkOrderChanges(status=Status.COMPLETE)
        )
    )
    completed = _made(account, trigger.id)[0][1].date_completed
    assert completed is not None
    assert _sweep(account, completed) == 0  # the next occurrence is set: 30 days after the day it was completed
    after = _trigger(account, trigger.id)
    assert after.next_due_at is not None and after.next_due_at > now_ms() + 29 * DAY
    assert _sweep(account, after.next_due_at) == 1


def test_a_changed_schedule_runs_from_now(account: DomainAccount) -> None:
    trigger = _create(account)
    changes = TriggerChanges(schedule_type="EVERY_N_WEEKS", rrdtstart="2031-02-02T09:30:00", rrtzid="Europe/Berlin")
    changed = account.write(lambda s: service.update_trigger(s, account.admin, trigger.id, changes))
    assert (changed.rrfreq, changed.rrtzid, changed.rrdtstart) == ("WEEKLY", "Europe/Berlin", "2031-02-02T09:30:00")
    assert changed.next_due_at == parse_instant("2031-02-02T08:30:00Z")


def test_a_stale_template_still_makes_its_work_order(account: DomainAccount) -> None:
    place = make_place(account.db, account.account_id, "Plant")
    user = account.principal(Role.TECH)
    trigger = _create(account, wo_location_id=place, wo_assigned_to_user_id=user.user_id, wo_category="Electrical")
    with account.db.unit_of_work() as session:
        place_row = session.get(Place, (account.account_id, place))
        assert place_row is not None
        place_row.deleted_at = now_ms()
        session.execute(
            Category.__table__.delete().where(Category.account_id == account.account_id, Category.name == "Electrical")
        )
    assert _sweep(account, JAN_1) == 1
    [(_, work_order)] = _made(account, trigger.id)
    assert (work_order.location_id, work_order.assigned_to_user_id, work_order.category) == (
        None,
        user.user_id,
        "Preventative",
    )


def test_a_deleted_trigger_makes_nothing(account: DomainAccount) -> None:
    trigger = _create(account)
    account.write(lambda s: service.delete_trigger(s, account.admin, trigger.id))
    assert _sweep(account, JAN_1) == 0
    with pytest.raises(NotFound):
        account.write(lambda s: service.delete_trigger(s, account.admin, trigger.id))


def test_the_periodic_job_sweeps_what_is_due_now(account: DomainAccount, settings: Settings) -> None:
    handlers = load_handlers()
    assert handlers["pm.sweep"].every_ms == 60_000
    trigger = _create(account)
    with account.db.unit_of_work() as session:
        row = session.get(PmTrigger, (account.account_id, trigger.id))
        assert row is not None
        row.next_due_at = now_ms() - 1000  # due a second ago
    job = ClaimedJob("periodic:pm.sweep", None, "pm.sweep", {}, 1, 1_000_000, "test")
    handlers["pm.sweep"].run(JobRun(job, account.db, settings))
    [(due, _)] = _made(account, trigger.id)
    assert _trigger(account, trigger.id).next_due_at == JAN_1  # past it: the next occurrence
    assert due < now_ms()
