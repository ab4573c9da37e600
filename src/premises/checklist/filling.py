"""A work order's checklist: the lines it is given, the template lines it copies, the readings of its
METER lines.

``fill`` is the one writer of ``work_orders.form_items`` (called by ``work_order.service`` under the
work order's row lock):

- ``formItems`` given: they are the work order's lines (ids of existing lines are kept);
- a template named that the work order does not name yet: its lines are appended as new lines
  (after the ``formItems`` of the same request);
- a METER (or METER_READING) line whose value is new or changed records that value as a reading of
  its meter through ``meter.service.add_reading``, in this transaction: the one evaluation of
  readings (``meter.evaluation``) runs on it, so a checklist crossing a meter notification's
  threshold creates its work order like any other reading. A line sent again with the same id and
  value records nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from premises.checklist.service import check_meters, meter_visible, template_lines
from premises.errors import DomainValidation, ErrorCode
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.meter.commands import ReadingCreate
from premises.models import WorkOrder
from premises.work_order import form_items
from premises.work_order.commands import FormItem


def fill(
    session: Session,
    principal: Principal,
    work_order: WorkOrder,
    items: Sequence[FormItem] | None,
    template_id: str | None,
) -> None:
    """Set the work order's lines from ``items`` (None: keep its lines) and a newly named template."""
    if items is None and template_id is None:
        return
    existing: list[dict[str, Any]] = jsonutil.loads(work_order.form_items or "[]") or []
    lines = list(items) if items is not None else [FormItem(**line) for line in existing]
    if template_id is not None:
        lines += template_lines(session, principal.account_id, template_id)
    checked = form_items.normalise(lines, existing)
    check_meters(session, principal, checked, existing)
    _record_readings(session, principal, checked, existing)
    work_order.form_items = jsonutil.dumps(checked)


def _record_readings(
    session: Session, principal: Principal, lines: Sequence[Mapping[str, Any]], existing: Sequence[Mapping[str, Any]]
) -> None:
    # meter.service -> meter.evaluation creates work orders through work_order.service, which calls this
    # module: imported when a reading is recorded, not when the modules load.
    from premises.meter import service as meters

    before = {line["id"]: line for line in existing}
    for index, line in enumerate(lines):
        if line.get("meter") is None or line.get("value") is None:
            continue
        old = before.get(line["id"])
        if old is not None and old.get("meter") == line["meter"] and old.get("value") == line["value"]:
            continue
        if not meter_visible(session, principal, line["meter"]):  # a kept line whose meter has gone since
            raise DomainValidation(ErrorCode.NOT_FOUND, field=f"form_items[{index}].meter", id=line["meter"])
        try:
            meters.add_reading(session, principal, line["meter"], ReadingCreate(value=float(line["value"])))
        except DomainValidation as refused:  # a cumulative meter's refusal names the line's value
            if refused.field == "value":
                refused.field = f"form_items[{index}].value"
            raise
