"""The set-based ``generate``: the work orders of a chunk of due triggers in a few statements.

``generate_many(session, account_id, due, now)`` makes what ``service.generate`` makes for each
``(trigger, due_at)`` of one account (the trigger rows locked by the caller, the sweep), with the same
rows and events: the work order (numbered from one reservation of the account's ``work_order_no``
counter for the whole chunk), its additional users, the ``pm_work_orders`` link, the
WORK_ORDER_CREATED and PM_WORK_ORDER_CREATED events and their fan-out jobs, each table written by one
multi-row insert. References copied from the templates are checked with one read per table (a stale
one is dropped, as ``live_id`` does), and each trigger moves past its occurrence (``move_past``).

Exactly once as in ``generate``: an occurrence that has its link already is only moved past, and the
unique key (account, trigger, occurrence) of ``pm_work_orders`` refuses a second one whatever
happens (the sweep then makes the chunk one trigger at a time). Triggers whose template has parts
take the single path (parts take stock, which may be out).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from premises.event.service import NewEvent, record_events
from premises.event.types import EventType
from premises.kit import jsonutil
from premises.kit.bulk import insert_rows
from premises.kit.counters import next_values
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import Asset, Category, Place, PmTrigger, PmWorkOrder, User, WorkOrder, WorkOrderUser
from premises.preventive.recurrence import Schedule
from premises.preventive.service import PREVENTATIVE, move_past
from premises.work_order.commands import DecreaseInventory, Status
from premises.work_order.service import check_priority

_COLUMNS = tuple(WorkOrder.__table__.columns)


def bulk_ready(trigger: PmTrigger) -> bool:
    """Whether ``generate_many`` makes this trigger's work order (else ``service.generate`` does)."""
    return not trigger.wo_parts or not jsonutil.loads(trigger.wo_parts)


def generate_many(
    session: Session,
    account_id: str,
    due: Sequence[tuple[PmTrigger, int]],
    now: int,
    schedules: Mapping[str, Schedule] | None = None,
) -> int:
    """Make the work orders of ``due`` (pairs of a locked trigger and its occurrence; ``schedules`` by
    trigger id when the caller has them); the number made."""
    # Only an occurrence at or before the trigger's last one can have its link (``last_due_at`` only
    # grows, with each link): the usual chunk reads nothing here.
    again = [(t, d) for t, d in due if t.last_due_at is not None and t.last_due_at >= d]
    made = set()
    if again:
        found = session.execute(
            select(PmWorkOrder.trigger_id, PmWorkOrder.due_at).where(
                PmWorkOrder.account_id == account_id,
                PmWorkOrder.trigger_id.in_({t.id for t, _ in again}),
                PmWorkOrder.due_at.in_({d for _, d in again}),
            )
        )
        made = {(trigger_id, due_at) for trigger_id, due_at in found}
    todo = [(t, d) for t, d in due if (t.id, d) not in made]
    live = _Live(session, account_id, [t for t, _ in todo])
    first = next_values(session, account_id, "work_order_no", len(todo)) if todo else 0
    created = now_ms()
    work_orders, users, links, events = [], [], [], []
    for n, (trigger, due_at) in enumerate(todo):
        row, additional = _work_order(trigger, due_at, first + n, live, created)
        work_orders.append(row)
        users += [
            {"account_id": account_id, "work_order_id": row["id"], "user_id": u, "position": p}
            for p, u in enumerate(additional)
        ]
        links.append(
            {
                "account_id": account_id,
                "id": new_id(),
                "trigger_id": trigger.id,
                "due_at": due_at,
                "work_order_id": row["id"],
                "created_at": now,
            }
        )
        payload = {c.key: row[c.key] for c in _COLUMNS}
        actor = trigger.created_by_user_id
        events += [
            NewEvent(EventType.WORK_ORDER_CREATED, "work_order", row["id"], payload, actor),
            NewEvent(
                EventType.PM_WORK_ORDER_CREATED,
                "work_order",
                row["id"],
                {**payload, "pm_trigger_id": trigger.id, "pm_due_at": due_at},
                actor,
            ),
        ]
    for model, rows in ((WorkOrder, work_orders), (WorkOrderUser, users), (PmWorkOrder, links)):
        insert_rows(session, model, rows)
    record_events(session, account_id, events)
    ids = iter(row["id"] for row in work_orders)
    todo_ids = {t.id for t, _ in todo}
    for trigger, due_at in due:
        made_id = next(ids) if trigger.id in todo_ids else None
        move_past(trigger, due_at, made_id, now, (schedules or {}).get(trigger.id))
    return len(todo)


class _Live:
    """The template references that still name live records, and the account's work-order categories:
    one read per table for a chunk (``live_id`` and ``first_category`` of the single path)."""

    def __init__(self, session: Session, account_id: str, triggers: Sequence[PmTrigger]) -> None:
        self.assets = _live(session, Asset, account_id, (t.wo_asset_id for t in triggers))
        self.places = _live(session, Place, account_id, (t.wo_location_id for t in triggers))
        user_ids = [t.wo_assigned_to_user_id for t in triggers]
        for t in triggers:
            user_ids += jsonutil.loads(t.wo_additional_user_ids) if t.wo_additional_user_ids else []
        self.users = _live(session, User, account_id, user_ids)
        names = {t.wo_category for t in triggers if t.wo_category} | {PREVENTATIVE}
        self.categories = set(
            session.scalars(
                select(Category.name).where(
                    Category.account_id == account_id, Category.kind == "work_order", Category.name.in_(names)
                )
            )
        )

    def category(self, trigger: PmTrigger) -> str | None:
        return next((n for n in (trigger.wo_category, PREVENTATIVE) if n and n in self.categories), None)


def _live(session: Session, model: Any, account_id: str, ids: Iterable[str | None]) -> set[str]:
    wanted = {i for i in ids if i}
    if not wanted:
        return set()
    statement = select(model.id).where(model.account_id == account_id, model.id.in_(wanted))
    if hasattr(model, "deleted_at"):
        statement = statement.where(model.deleted_at.is_(None))
    return set(session.scalars(statement))


def _work_order(
    trigger: PmTrigger, due_at: int, number: int, live: _Live, now: int
) -> tuple[dict[str, Any], list[str]]:
    """The work-order row ``create_work_order`` writes for the trigger's template (every column, so that
    it is also the event's payload), and its additional users."""
    users = jsonutil.loads(trigger.wo_additional_user_ids) if trigger.wo_additional_user_ids else []
    additional = list(dict.fromkeys(u for u in users if u in live.users))
    assigned = trigger.wo_assigned_to_user_id if trigger.wo_assigned_to_user_id in live.users else None
    values: dict[str, Any] = {
        "account_id": trigger.account_id,
        "id": new_id(),
        "work_order_no": number,
        "title": trigger.wo_title,
        "description": trigger.wo_description,
        "status": Status.OPEN.value,
        "priority": int(check_priority(trigger.wo_priority)),
        "category": live.category(trigger),
        "due_date": due_at,
        "location_id": trigger.wo_location_id if trigger.wo_location_id in live.places else None,
        "asset_id": trigger.wo_asset_id if trigger.wo_asset_id in live.assets else None,
        "assigned_to_user_id": assigned,
        "assigned_by_user_id": trigger.created_by_user_id if assigned else None,
        "created_by_user_id": trigger.created_by_user_id,
        "estimated_duration_hours": trigger.wo_duration,
        "archived": False,
        "requires_signature": False,
        "decrease_inventory": DecreaseInventory.AUTO.value,
        "additional_user_ids": jsonutil.dumps(additional),
        "file_ids": "[]",
        "form_items": "[]",
        "created_at": now,
        "updated_at": now,
    }
    row = {c.key: values[c.key] if c.key in values else _default(c) for c in _COLUMNS}
    return row, additional


def _default(column: Any) -> Any:
    return column.default.arg if column.default is not None and column.default.is_scalar else None
