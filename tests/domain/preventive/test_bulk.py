"""The sweep's set-based path (``preventive.bulk``) makes what the single path (``service.generate``)
makes: the same work-order rows, additional users, links, events and fan-out jobs, and the same next
occurrences (DST included), for the same templates, including stale references and duplicates.

Parallel and killed sweeps: tests/concurrency/test_pm_sweep.py."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from premises.identity.permissions import Role
from premises.kit import jsonutil
from premises.kit.time import now_ms, parse_instant
from premises.models import Category, Event, Job, Place, PmTrigger, PmWorkOrder, User, WorkOrder, WorkOrderUser
from premises.preventive import bulk, service
from premises.preventive.commands import TriggerCreate
from premises.preventive.sweep import sweep
from tests.domain.conftest import DomainAccount
from tests.support.factories import make_asset, make_place

# Sunday 2031-03-30 02:00 is when Berlin moves to summer time: a weekly Saturday 09:30 round's next
# occurrence is an hour earlier in UTC.
SATURDAY = parse_instant("2031-03-29T08:30:00Z")
VARYING = (
    "id",
    "work_order_no",
    "created_at",
    "updated_at",
    "occurred_at",
    "run_at",
    "work_order_id",
    "last_work_order_id",
    "pm_trigger_id",
)


def _templates(account: DomainAccount) -> list[dict[str, Any]]:
    place = make_place(account.db, account.account_id, "Plant")
    gone = make_place(account.db, account.account_id, "Old plant")
    asset = make_asset(account.db, account.account_id, "Chiller", location_id=place)
    tech, other, left = (account.principal(Role.TECH).user_id for _ in range(3))
    base = {"schedule_type": "EVERY_N_WEEKS", "rrdtstart": "2031-03-29T09:30:00", "rrtzid": "Europe/Berlin"}
    templates: list[dict[str, Any]] = [
        {**base, "wo_title": "Plain"},
        {
            **base,
            "wo_title": "Full",
            "wo_description": "Check the chiller",
            "wo_priority": 2,
            "wo_duration": 1.5,
            "wo_category": "Electrical",
            "wo_location_id": place,
            "wo_asset_id": asset,
            "wo_assigned_to_user_id": tech,
            "wo_additional_user_ids": [other, left, other],
        },
        {**base, "wo_title": "Stale", "wo_location_id": gone, "wo_assigned_to_user_id": left, "wo_category": "Gone"},
        {**base, "wo_title": "On completion", "next_on_completion": True},
    ]
    with account.db.unit_of_work() as session:
        session.add(
            Category(account_id=account.account_id, id="cat-gone", kind="work_order", name="Gone", created_at=0)
        )
    stale: dict[str, Any] = {"gone": gone, "left": left}
    return [*templates, stale]


def _stale(account: DomainAccount, gone: str, left: str) -> None:
    with account.db.unit_of_work() as session:
        models: tuple[tuple[Any, str], ...] = ((Place, gone), (User, left))
        for model, record_id in models:
            row = session.get(model, (account.account_id, record_id))
            assert row is not None
            row.deleted_at = now_ms()
        session.execute(delete(Category).where(Category.account_id == account.account_id, Category.name == "Gone"))


def _create(account: DomainAccount, templates: list[dict[str, Any]]) -> list[str]:
    ids = []
    for n, template in enumerate(templates):
        command = TriggerCreate(name=f"Round {n}", **template)
        ids.append(account.write(lambda s, c=command: service.create_trigger(s, account.admin, c)).id)  # type: ignore[misc]
    return ids


def _locked(session: Session, account: DomainAccount, ids: list[str]) -> list[tuple[PmTrigger, int]]:
    triggers = [session.get(PmTrigger, (account.account_id, i), with_for_update=True) for i in ids]
    return [(t, t.next_due_at) for t in triggers if t is not None and t.next_due_at is not None]


def _result(session: Session, account: DomainAccount, ids: list[str]) -> list[Any]:
    """What was made for each trigger, without the values that differ between any two runs."""
    out = []
    for trigger_id in ids:
        trigger = session.get(PmTrigger, (account.account_id, trigger_id))
        assert trigger is not None
        link = session.scalar(
            select(PmWorkOrder).where(
                PmWorkOrder.account_id == account.account_id, PmWorkOrder.trigger_id == trigger_id
            )
        )
        assert link is not None
        work_order = session.get(WorkOrder, (account.account_id, link.work_order_id))
        assert work_order is not None and trigger.last_work_order_id == work_order.id
        users = session.scalars(
            select(WorkOrderUser.user_id)
            .where(WorkOrderUser.account_id == account.account_id, WorkOrderUser.work_order_id == work_order.id)
            .order_by(WorkOrderUser.position)
        ).all()
        events = session.scalars(
            select(Event)
            .where(Event.account_id == account.account_id, Event.resource_id == work_order.id)
            .order_by(Event.occurred_at, Event.id)
        ).all()
        jobs = session.scalars(select(Job).where(Job.account_id == account.account_id)).all()
        fanned = {jsonutil.loads(j.payload).get("event_id") for j in jobs if j.kind == "event.fanout"}
        out.append(
            {
                "trigger": _plain(trigger, "name", "wo_title"),
                "link": (link.due_at, link.created_at),
                "work_order": _plain(work_order),
                "users": list(users),
                "events": [(e.type, e.actor_user_id, _payload(e)) for e in events],
                "fanned_out": all(e.id in fanned for e in events),
            }
        )
    return out


def _plain(record: Any, *also: str) -> dict[str, Any]:
    return {c.key: getattr(record, c.key) for c in record.__table__.columns if c.key not in (*VARYING, *also)}


def _payload(event: Event) -> dict[str, Any]:
    payload: dict[str, Any] = jsonutil.loads(event.payload)
    return {k: v for k, v in payload.items() if k not in VARYING}


def test_the_bulk_path_makes_what_the_single_path_makes(account: DomainAccount) -> None:
    *templates, names = _templates(account)
    single, many = _create(account, templates), _create(account, templates)
    _stale(account, names["gone"], names["left"])
    now = SATURDAY + 1000

    def one_by_one(session: Session) -> None:
        for trigger, due_at in _locked(session, account, single):
            service.generate(session, trigger, due_at, now)

    account.write(one_by_one)
    made = account.write(lambda s: bulk.generate_many(s, account.account_id, _locked(s, account, many), now))
    assert made == len(templates)
    with account.db.unit_of_work() as session:
        expected, actual = _result(session, account, single), _result(session, account, many)
        numbers = session.scalars(
            select(WorkOrder.work_order_no)
            .where(WorkOrder.account_id == account.account_id)
            .order_by(WorkOrder.work_order_no)
        ).all()
    assert actual == expected
    assert numbers == list(range(numbers[0], numbers[0] + 2 * len(templates)))  # one sequence, no gaps
    assert expected[0]["trigger"]["next_due_at"] == parse_instant("2031-04-05T07:30:00Z")  # summer time
    assert expected[2]["work_order"]["location_id"] is None and expected[2]["work_order"]["category"] == "Preventative"
    assert len(expected[1]["users"]) == 1  # the live one, once (the other left)
    assert all(r["fanned_out"] and len(r["events"]) == 2 for r in expected)


def test_a_made_occurrence_is_only_moved_past(account: DomainAccount) -> None:
    [trigger_id] = _create(account, [_templates(account)[0]])
    now = SATURDAY + 1000
    assert account.write(lambda s: bulk.generate_many(s, account.account_id, _locked(s, account, [trigger_id]), now))

    def again(session: Session) -> int:
        trigger = session.get(PmTrigger, (account.account_id, trigger_id), with_for_update=True)
        assert trigger is not None
        return bulk.generate_many(session, account.account_id, [(trigger, SATURDAY)], now)

    assert account.write(again) == 0
    assert account.write(lambda s: sweep(s, now, account_id=account.account_id)).created == 0


def test_a_template_with_parts_takes_the_single_path() -> None:
    assert bulk.bulk_ready(PmTrigger(wo_parts=None)) and bulk.bulk_ready(PmTrigger(wo_parts="[]"))
    assert not bulk.bulk_ready(PmTrigger(wo_parts='["part-1"]'))
