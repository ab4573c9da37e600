"""Time spent on a work order (UpKeep's ``timeLog``): entries per user, the source of the work order's ``time``.

Premises has no timers yet, so the only entries are adjustments: setting a work order's ``time``
(hours) records the difference from the previous total as an ``adjustment`` entry of the acting
user, for the work order's assignee (else the acting user). ``time`` is therefore always the sum of
the entries (null once erased, its entries then summing to 0). Entries are written under the work
order's row lock, by ``log_change`` only; ``time_entries`` reads them for the detail.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from premises.db.reader import Reader
from premises.db.sql import Select
from premises.identity.principal import Principal
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import WorkOrder, WorkOrderTimeEntry

ADJUSTMENT = "adjustment"
COLUMNS = ("id", "user_id", "duration", "status", "hourly_cost", "created_by_user_id", "created_at")


def log_change(session: Session, principal: Principal, work_order: WorkOrder, before: float | None) -> None:
    """Record the change of ``work_order.time_spent`` from ``before`` (the work order is locked and flushed)."""
    delta = (work_order.time_spent or 0.0) - (before or 0.0)
    if delta == 0:
        return
    session.add(
        WorkOrderTimeEntry(
            account_id=work_order.account_id,
            id=new_id(),
            work_order_id=work_order.id,
            user_id=work_order.assigned_to_user_id or principal.user_id,
            duration=delta,
            status=ADJUSTMENT,
            created_by_user_id=principal.user_id,
            created_at=now_ms(),
        )
    )


async def time_entries(reader: Reader, principal: Principal, work_order_id: str) -> list[dict[str, Any]]:
    """The entries of a work order the caller has already read (``work_order.queries``), oldest first."""
    select = Select("work_order_time_entries", COLUMNS, principal.account_id).where_eq("work_order_id", work_order_id)
    select.order_by("created_at", False).order_by("id", False)
    return [dict(zip(COLUMNS, row, strict=True)) for row in await reader.fetch(select.sql(), select.params)]
