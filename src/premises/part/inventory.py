"""The one function that changes a part's count on hand, and writes the inventory ledger.

Every change of ``parts.quantity`` goes through ``move``: it locks the part row (``SELECT ... FOR
UPDATE``; SQLite's writers already hold the database lock), refuses a count below zero when the
change takes stock, writes one ``part_inventory_moves`` row (who, when, why, delta, resulting count)
and records ``PART_LOW_STOCK`` when the count falls below the part's minimum. Parallel work orders on
one part serialise on its row, so N uses of 1 from a count of N leave exactly 0, and the N+1st is
refused (``tests/concurrency/test_part_inventory.py``). Callers that move several parts lock them in
id order (``sorted``), so two transactions never wait for each other's parts.

The purchase-order workflow increases inventory on fulfilment through ``move`` too (reason
``purchase_order``).
"""

from __future__ import annotations

from enum import StrEnum

from sqlalchemy.orm import Session

from premises.errors import DomainValidation, ErrorCode, NotFound
from premises.event.service import record_event, snapshot
from premises.event.types import EventType
from premises.kit.ids import new_sortable_id
from premises.kit.time import now_ms
from premises.models import Part, PartInventoryMove

# Counts are kept to this many decimals (a part may be counted in litres or metres).
PRECISION = 6


class Reason(StrEnum):
    """Why a count changed (``models.part.INVENTORY_REASONS``)."""

    CREATED = "created"  # the count a part was created with
    ADJUSTED = "adjusted"  # set on the part itself (a stock take)
    WORK_ORDER = "work_order"  # used on (or given back by) a work order
    PURCHASE_ORDER = "purchase_order"  # received on a purchase order


def rounded(value: float) -> float:
    return round(float(value), PRECISION) + 0.0  # + 0.0: no negative zero


def lock_part(session: Session, account_id: str, part_id: str) -> Part:
    """The part row, locked for the rest of the transaction (live or not); NotFound when there is none.

    The row is read again even when the session holds it (``populate_existing``): a part read earlier
    without the lock may be stale once the lock is granted. Pending changes are flushed first so that
    the re-read never discards them."""
    session.flush()
    part = session.get(Part, (account_id, part_id), with_for_update=True, populate_existing=True)
    if part is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="part")
    return part


def move(
    session: Session,
    *,
    account_id: str,
    part_id: str,
    delta: float,
    reason: Reason,
    user_id: str | None,
    source_type: str | None = None,
    source_id: str | None = None,
    field: str = "quantity",
) -> PartInventoryMove | None:
    """Change the part's count by ``delta`` under its row lock and write the ledger row; None when ``delta`` is 0.

    A decrease below zero is refused (``DomainValidation(NOT_ENOUGH_STOCK, field=field)``) and changes
    nothing; an increase is always taken (a count that is already negative is never made worse).
    """
    delta = rounded(delta)
    if delta == 0:
        return None
    part = lock_part(session, account_id, part_id)
    before = rounded(part.quantity or 0)
    after = rounded(before + delta)
    if delta < 0 and after < 0:
        raise DomainValidation(
            ErrorCode.NOT_ENOUGH_STOCK,
            field=field,
            part=part.name,
            id=part.id,
            available=_text(before),
            wanted=_text(-delta),
        )
    now = now_ms()
    part.quantity = after
    part.updated_at = now
    row = PartInventoryMove(
        account_id=account_id,
        id=new_sortable_id(),
        part_id=part.id,
        delta=delta,
        quantity_after=after,
        reason=Reason(reason).value,
        source_type=source_type,
        source_id=source_id,
        user_id=user_id,
        created_at=now,
    )
    session.add(row)
    minimum = part.minimum_quantity
    if minimum is not None and after < minimum <= before:
        session.flush()
        record_event(
            session,
            account_id=account_id,
            type=EventType.PART_LOW_STOCK,
            resource_type="part",
            resource_id=part.id,
            payload={**snapshot(part), "previous_quantity": before},
            actor_user_id=user_id,
        )
    return row


def _text(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
