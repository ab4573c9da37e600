"""Parts used on work orders: the ``work_order_parts`` lines and the inventory they take.

``use_parts`` is the one function that changes a work order's lines, called by the work-order
service with the work order's row locked (or new). Each line has a ``quantity`` and what it
``taken`` from the part's count. With ``decrease_inventory`` auto, every line takes exactly its
quantity: adding a part takes it, raising a quantity takes the difference, lowering it or removing
the part gives back. With manual, nothing new is taken; a removed or lowered line still gives back
what it had taken. Switching to auto takes what the lines have not taken yet. Counts move through
``part.inventory.move`` (locked, ledger row, refused below zero), parts in id order. Deleting a work
order leaves the inventory as it is (the parts were used).

``work_orders.part_ids`` / ``part_quantities`` (the list page's copy) are rewritten from the lines
here, under the same lock.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from premises.errors import DomainValidation, ErrorCode
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.models import WorkOrder, WorkOrderPart
from premises.part import inventory
from premises.part.service import check_part

AUTO = "auto"
MAX_PARTS = 500  # lines per work order


def _lines(session: Session, work_order: WorkOrder) -> list[WorkOrderPart]:
    return list(
        session.scalars(
            select(WorkOrderPart)
            .where(WorkOrderPart.account_id == work_order.account_id, WorkOrderPart.work_order_id == work_order.id)
            .order_by(WorkOrderPart.position, WorkOrderPart.part_id)
        )
    )


def _wanted(
    part_ids: Sequence[str] | None, quantities: Sequence[float] | None, existing: Sequence[WorkOrderPart]
) -> dict[str, float]:
    """The lines asked for, part id -> quantity, in order. Without ``part_ids``: the existing parts with
    ``quantities``; without ``quantities``: 1 of each new part and the kept quantity of each existing one."""
    current = {line.part_id: line.quantity for line in existing}
    ids = list(part_ids) if part_ids is not None else list(current)
    if len(ids) > MAX_PARTS:
        raise DomainValidation(ErrorCode.TOO_MANY_GIVEN, field="parts", maximum=MAX_PARTS, items="parts")
    if quantities is not None and len(quantities) != len(ids):
        raise DomainValidation(
            ErrorCode.QUANTITIES_DO_NOT_MATCH, field="part_quantities", count=len(ids), items="parts"
        )
    wanted: dict[str, float] = {}
    for index, part_id in enumerate(ids):
        if quantities is not None:
            quantity = inventory.rounded(quantities[index])
            if quantity < 0:
                raise DomainValidation(ErrorCode.NEGATIVE, field=f"part_quantities[{index}]")
        else:
            quantity = current.get(part_id, 1.0)
        wanted[part_id] = inventory.rounded(wanted.get(part_id, 0.0) + quantity)  # a repeated part adds up
    return wanted


def use_parts(
    session: Session,
    principal: Principal,
    work_order: WorkOrder,
    part_ids: Sequence[str] | None,
    quantities: Sequence[float] | None,
) -> None:
    """Make the work order's lines ``part_ids`` x ``quantities`` (None: keep that side) and move inventory
    as ``work_order.decrease_inventory`` says. Parts new to the work order must be live and visible."""
    existing = _lines(session, work_order)
    by_part = {line.part_id: line for line in existing}
    if part_ids is None and quantities is None:
        wanted = {line.part_id: line.quantity for line in existing}
    else:
        wanted = _wanted(part_ids, quantities, existing)
    index_of = {part_id: index for index, part_id in enumerate(wanted)}
    for part_id, index in index_of.items():
        if part_id not in by_part:
            check_part(session, principal, part_id, f"parts[{index}]")
    auto = work_order.decrease_inventory == AUTO
    for part_id in sorted(set(wanted) | set(by_part)):
        line = by_part.get(part_id)
        taken = line.taken if line is not None else 0.0
        quantity = wanted.get(part_id)
        if quantity is None:
            target = 0.0
        else:
            target = quantity if auto else min(taken, quantity)
        inventory.move(
            session,
            account_id=work_order.account_id,
            part_id=part_id,
            delta=taken - target,
            reason=inventory.Reason.WORK_ORDER,
            user_id=principal.user_id,
            source_type="work_order",
            source_id=work_order.id,
            field=f"parts[{index_of.get(part_id, 0)}]",
        )
        if quantity is None:
            assert line is not None
            session.delete(line)
            continue
        if line is None:
            line = WorkOrderPart(account_id=work_order.account_id, work_order_id=work_order.id, part_id=part_id)
            session.add(line)
        line.position = index_of[part_id]
        line.quantity = quantity
        line.taken = target
    session.flush()
    _project(session, work_order)


def _project(session: Session, work_order: WorkOrder) -> None:
    """Rewrite the list page's copy (``part_ids``, ``part_quantities``) from the lines."""
    lines = _lines(session, work_order)
    work_order.part_ids = jsonutil.dumps([line.part_id for line in lines])
    work_order.part_quantities = jsonutil.dumps([_number(line.quantity) for line in lines])


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value
