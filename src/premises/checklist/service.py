"""Form templates (checklists), write side: admins create, change and delete them; work orders copy them.

A template's lines are checked exactly as a work order's (``work_order.form_items``: name, type,
options of a MULTIPLE_CHOICE line, meter of a METER line) and stored without ids or values: a work
order that names the template copies them as new lines (``checklist.filling``). A METER line's meter
must be a live meter the principal sees. Changes record FORM_TEMPLATE_* events in the same
transaction; a work order keeps the lines it copied when its template changes or is deleted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.orm import Session

from premises.checklist.commands import FormTemplateChanges, FormTemplateCreate
from premises.errors import DomainValidation, ErrorCode, NotFound
from premises.event.service import record_change
from premises.event.types import EventType
from premises.identity.principal import Principal
from premises.kit import jsonutil
from premises.kit.commands import given
from premises.kit.ids import new_id
from premises.kit.text import required_text
from premises.kit.time import now_ms
from premises.meter import visibility as meter_visibility
from premises.models import FormTemplate, Meter
from premises.work_order import form_items
from premises.work_order.commands import FormItem

TEMPLATE = "form template"  # the record name in NotFound errors
TEMPLATE_KEYS = ("name", "type", "options", "meter")  # what a template keeps of a line


def meter_visible(session: Session, principal: Principal, meter_id: str) -> bool:
    """Whether ``meter_id`` names a live meter of the account that the principal sees."""
    meter = session.get(Meter, (principal.account_id, meter_id))
    return meter is not None and meter.deleted_at is None and meter_visibility.visible(principal, meter)


def check_meters(
    session: Session, principal: Principal, lines: Sequence[Mapping[str, Any]], known: Sequence[Mapping[str, Any]] = ()
) -> None:
    """Each METER line names a live meter the principal sees (``form_items[i].meter <id> not found``);
    a line that kept its id and its meter is not checked again (its meter may have gone since)."""
    kept = {(line["id"], line.get("meter")) for line in known}
    for index, line in enumerate(lines):
        meter_id = line.get("meter")
        if meter_id is None or (line.get("id"), meter_id) in kept:
            continue
        if not meter_visible(session, principal, meter_id):
            raise DomainValidation(ErrorCode.NOT_FOUND, field=f"form_items[{index}].meter", id=meter_id)


def _template_lines(session: Session, principal: Principal, items: Sequence[FormItem]) -> list[dict[str, Any]]:
    checked = form_items.normalise(items)
    check_meters(session, principal, checked)
    return [{key: line[key] for key in TEMPLATE_KEYS if key in line} for line in checked]


def _event(session: Session, principal: Principal, type: EventType, template: FormTemplate) -> None:
    record_change(session, principal, type, "form_template", template)


def create_form_template(session: Session, principal: Principal, command: FormTemplateCreate) -> FormTemplate:
    principal.require("form_template", "write")
    now = now_ms()
    template = FormTemplate(
        account_id=principal.account_id,
        id=new_id(),
        name=required_text(command.name, "name"),
        description=command.description,
        form_items=jsonutil.dumps(_template_lines(session, principal, command.form_items or [])),
        created_by_user_id=principal.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(template)
    session.flush()
    _event(session, principal, EventType.FORM_TEMPLATE_CREATED, template)
    return template


def _load(session: Session, principal: Principal, template_id: str) -> FormTemplate:
    """The live template, locked, if the principal may change templates; else NotFound / PermissionDenied."""
    principal.require("form_template", "write")
    template = session.get(FormTemplate, (principal.account_id, template_id), with_for_update=True)
    if template is None or template.deleted_at is not None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record=TEMPLATE)
    return template


def update_form_template(
    session: Session, principal: Principal, template_id: str, command: FormTemplateChanges
) -> FormTemplate:
    template = _load(session, principal, template_id)
    changes = given(command)
    if "name" in changes:
        template.name = required_text(changes["name"], "name")
    if "description" in changes:
        template.description = changes["description"]
    if "form_items" in changes:
        template.form_items = jsonutil.dumps(_template_lines(session, principal, changes["form_items"] or []))
    template.updated_at = max(now_ms(), template.updated_at)
    _event(session, principal, EventType.FORM_TEMPLATE_UPDATED, template)
    return template


def delete_form_template(session: Session, principal: Principal, template_id: str) -> None:
    """Soft-delete the template; work orders keep the lines they copied (and the id they name)."""
    template = _load(session, principal, template_id)
    now = now_ms()
    template.deleted_at = now
    template.updated_at = max(now, template.updated_at)
    _event(session, principal, EventType.FORM_TEMPLATE_DELETED, template)


def template_lines(session: Session, account_id: str, template_id: str) -> list[FormItem]:
    """The lines a work order copies from a live template (``form_template_id <id> not found`` otherwise)."""
    template = session.get(FormTemplate, (account_id, template_id))
    if template is None or template.deleted_at is not None:
        raise DomainValidation(ErrorCode.NOT_FOUND, field="form_template_id", id=template_id)
    return [FormItem(**line) for line in jsonutil.loads(template.form_items) or []]
