"""Checklist rules at the service layer: templates (admins write, lines checked like a work order's), the
lines a work order copies from a template, METER lines recorded as readings through the one evaluation,
and the time log behind a work order's ``time``.

UpKeep's wire: tests/api/upkeep/test_form_templates.py.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from premises.checklist import queries, service
from premises.checklist.commands import FormTemplateChanges, FormTemplateCreate
from premises.errors import DomainValidation, ErrorCode, NotFound, PermissionDenied
from premises.identity.permissions import Role
from premises.kit import jsonutil
from premises.kit.listing import ListQuery
from premises.meter import service as meters
from premises.meter.commands import MeterCreate, NotificationCreate, ReadingCreate, TriggerFrequency
from premises.models import MeterReading, WorkOrder, WorkOrderTimeEntry
from premises.work_order import service as work_orders
from premises.work_order import time_log
from premises.work_order.commands import FormItem, FormItemType, WorkOrderChanges, WorkOrderCreate
from tests.domain.conftest import DomainAccount
from tests.domain.reading import read
from tests.support.factories import make_asset, make_place
from tests.support.jobs import run_account_jobs

TASK, METER, CHOICE = FormItemType.TASK, FormItemType.METER_READING, FormItemType.MULTIPLE_CHOICE


def _meter(account: DomainAccount, **fields: object) -> str:
    command = MeterCreate(name="Room temperature", units="C", frequency=1, **fields)  # type: ignore[arg-type]
    return account.write(lambda s: meters.create_meter(s, account.admin, command).id)


def _template(account: DomainAccount, *items: FormItem, name: str = "Daily Rounds") -> str:
    command = FormTemplateCreate(name=name, description="End of shift", form_items=items)
    return account.write(lambda s: service.create_form_template(s, account.admin, command).id)


def _lines(account: DomainAccount, work_order_id: str) -> list[dict[str, object]]:
    with account.db.unit_of_work() as session:
        work_order = session.get(WorkOrder, (account.account_id, work_order_id))
        assert work_order is not None
        return list(jsonutil.loads(work_order.form_items))


def _readings(account: DomainAccount, meter_id: str) -> list[float]:
    with account.db.unit_of_work() as session:
        rows = session.scalars(
            select(MeterReading)
            .where(MeterReading.account_id == account.account_id, MeterReading.meter_id == meter_id)
            .order_by(MeterReading.created_at, MeterReading.id)
        )
        return [r.value for r in rows]


def test_a_template_keeps_checked_lines_without_ids_or_values(account: DomainAccount, database_url: str) -> None:
    meter = _meter(account)
    template_id = _template(
        account,
        FormItem(name="Check, close, and lock windows", type="TASK"),
        FormItem(name="Record room temp", type="METER_READING", meter=meter),
        FormItem(name="Shift", type="MULTIPLE_CHOICE", options=["1st", "2nd", "3rd"]),
        FormItem(name="Inspected by", type="TEXT", options=["ignored"]),
    )
    row = read(database_url, lambda r: queries.get_form_template(r, account.admin, template_id))
    assert row["name"] == "Daily Rounds" and row["created_by_user_id"] == account.admin.user_id
    assert row["form_items"] == [
        {"name": "Check, close, and lock windows", "type": "TASK"},
        {"name": "Record room temp", "type": "METER_READING", "meter": meter},
        {"name": "Shift", "type": "MULTIPLE_CHOICE", "options": ["1st", "2nd", "3rd"]},
        {"name": "Inspected by", "type": "TEXT"},
    ]
    assert account.event_types(template_id) == ["FORM_TEMPLATE_CREATED"]


@pytest.mark.parametrize(
    ("command", "code", "field"),
    [
        (FormTemplateCreate(name=" "), ErrorCode.REQUIRED, "name"),
        (
            FormTemplateCreate(name="t", form_items=[FormItem(name="a", type="DANCE")]),
            ErrorCode.NOT_ONE_OF,
            "form_items[0].type",
        ),
        (
            FormTemplateCreate(name="t", form_items=[FormItem(name="a", type="METER")]),
            ErrorCode.REQUIRED,
            "form_items[0].meter",
        ),
        (
            FormTemplateCreate(
                name="t", form_items=[FormItem(name="a", type="TASK"), FormItem(name="b", type="METER", meter="nope")]
            ),
            ErrorCode.NOT_FOUND,
            "form_items[1].meter",
        ),
        (
            FormTemplateCreate(name="t", form_items=[FormItem(name="a", type="MULTIPLE_CHOICE")]),
            ErrorCode.WRONG_TYPE,
            "form_items[0].options",
        ),
    ],
)
def test_bad_templates_are_refused(
    account: DomainAccount, command: FormTemplateCreate, code: ErrorCode, field: str
) -> None:
    with pytest.raises(DomainValidation) as raised:
        account.write(lambda s: service.create_form_template(s, account.admin, command))
    assert (raised.value.code, raised.value.field) == (code, field)


def test_only_admins_write_templates_and_every_worker_reads_them(account: DomainAccount, database_url: str) -> None:
    template_id = _template(account, FormItem(name="a", type="TASK"))
    for role in (Role.TECH, Role.LIMITED_TECH, Role.VIEW_ONLY, Role.REQUESTER):
        principal = account.principal(role)
        with pytest.raises(PermissionDenied):
            account.write(lambda s, p=principal: service.create_form_template(s, p, FormTemplateCreate(name="x")))
        with pytest.raises(PermissionDenied):
            account.write(lambda s, p=principal: service.delete_form_template(s, p, template_id))
    for role in (Role.TECH, Role.LIMITED_TECH, Role.VIEW_ONLY):
        principal = account.principal(role)
        assert (
            read(database_url, lambda r, p=principal: queries.get_form_template(r, p, template_id))["id"] == template_id
        )
    requester = account.principal(Role.REQUESTER)
    with pytest.raises(PermissionDenied):
        read(database_url, lambda r: queries.get_form_template(r, requester, template_id))


def test_update_and_delete(account: DomainAccount, other_account: DomainAccount, database_url: str) -> None:
    template_id = _template(account, FormItem(name="a", type="TASK"))
    changes = FormTemplateChanges(name=" Weekly ", form_items=[FormItem(name="b", type="CHECKLIST")])
    updated = account.write(lambda s: service.update_form_template(s, account.admin, template_id, changes))
    assert updated.name == "Weekly" and updated.description == "End of shift"
    assert jsonutil.loads(updated.form_items) == [{"name": "b", "type": "CHECKLIST"}]
    with pytest.raises(NotFound):
        other_account.write(lambda s: service.update_form_template(s, other_account.admin, template_id, changes))
    account.write(lambda s: service.delete_form_template(s, account.admin, template_id))
    assert account.event_types(template_id) == [
        "FORM_TEMPLATE_CREATED",
        "FORM_TEMPLATE_UPDATED",
        "FORM_TEMPLATE_DELETED",
    ]
    with pytest.raises(NotFound):
        read(database_url, lambda r: queries.get_form_template(r, account.admin, template_id))
    with pytest.raises(NotFound):
        account.write(lambda s: service.delete_form_template(s, account.admin, template_id))
    rows = read(database_url, lambda r: queries.list_form_templates(r, account.admin, ListQuery()))
    assert rows == []


def test_a_work_order_copies_the_template_after_its_own_lines(account: DomainAccount) -> None:
    template_id = _template(
        account,
        FormItem(name="Shift", type="MULTIPLE_CHOICE", options=["1st", "2nd"]),
        FormItem(name="Lock up", type="TASK"),
    )
    command = WorkOrderCreate(
        title="Rounds", form_template_id=template_id, form_items=[FormItem(name="Check & close all tanks", type="TASK")]
    )
    work_order = account.write(lambda s: work_orders.create_work_order(s, account.admin, command))
    lines = _lines(account, work_order.id)
    assert [(line["name"], line["type"], line["value"]) for line in lines] == [
        ("Check & close all tanks", "TASK", "OPEN"),
        ("Shift", "MULTIPLE_CHOICE", None),
        ("Lock up", "TASK", "OPEN"),
    ]
    assert lines[1]["options"] == ["1st", "2nd"] and len({line["id"] for line in lines}) == 3
    assert work_order.form_template_id == template_id
    # Naming the same template again copies nothing; filling the lines keeps their ids.
    filled = [
        FormItem(**{**line, "value": "2nd" if line["type"] == "MULTIPLE_CHOICE" else line["value"]}) for line in lines
    ]
    changes = WorkOrderChanges(form_template_id=template_id, form_items=filled)
    account.write(lambda s: work_orders.update_work_order(s, account.admin, work_order.id, changes))
    after = _lines(account, work_order.id)
    assert [line["id"] for line in after] == [line["id"] for line in lines] and after[1]["value"] == "2nd"
    # Another template appends its lines to the work order's.
    other = _template(account, FormItem(name="Sign off", type="TEXT"), name="Close")
    account.write(
        lambda s: work_orders.update_work_order(
            s, account.admin, work_order.id, WorkOrderChanges(form_template_id=other)
        )
    )
    assert [line["name"] for line in _lines(account, work_order.id)][-2:] == ["Lock up", "Sign off"]


def test_a_missing_or_deleted_template_is_not_found_but_a_kept_one_is_not_checked(
    account: DomainAccount, other_account: DomainAccount
) -> None:
    theirs = _template(other_account, FormItem(name="a", type="TASK"))
    with pytest.raises(DomainValidation) as raised:
        account.write(
            lambda s: work_orders.create_work_order(
                s, account.admin, WorkOrderCreate(title="w", form_template_id=theirs)
            )
        )
    assert (raised.value.code, raised.value.field) == (ErrorCode.NOT_FOUND, "form_template_id")
    mine = _template(account, FormItem(name="a", type="TASK"))
    work_order = account.write(
        lambda s: work_orders.create_work_order(s, account.admin, WorkOrderCreate(title="w", form_template_id=mine))
    )
    account.write(lambda s: service.delete_form_template(s, account.admin, mine))
    assert len(_lines(account, work_order.id)) == 1  # the copied lines stay
    changes = WorkOrderChanges(form_template_id=mine, title="w2")
    account.write(lambda s: work_orders.update_work_order(s, account.admin, work_order.id, changes))
    other = account.write(lambda s: work_orders.create_work_order(s, account.admin, WorkOrderCreate(title="x")))
    with pytest.raises(DomainValidation):
        account.write(
            lambda s: work_orders.update_work_order(s, account.admin, other.id, WorkOrderChanges(form_template_id=mine))
        )


def test_a_meter_line_records_its_value_as_a_reading_that_is_evaluated(account: DomainAccount) -> None:
    meter = _meter(account)
    trigger = NotificationCreate(
        title="Too hot", trigger_value=30, trigger_frequency=TriggerFrequency.EVERY_TIME_IS_GREATER_THAN
    )
    account.write(lambda s: meters.create_notification(s, account.admin, meter, trigger))
    line = FormItem(name="Record room temp", type="METER_READING", meter=meter)
    work_order = account.write(
        lambda s: work_orders.create_work_order(s, account.admin, WorkOrderCreate(title="Rounds", form_items=[line]))
    )
    assert _readings(account, meter) == []  # no value yet
    [stored] = _lines(account, work_order.id)
    tech = account.principal(Role.TECH)
    filled = WorkOrderChanges(form_items=[FormItem(**{**stored, "value": 90})])
    account.write(lambda s: work_orders.update_work_order(s, tech, work_order.id, filled))
    assert _readings(account, meter) == [90.0]
    run_account_jobs(account.db, account.account_id)  # the reading's meter.evaluate job
    with account.db.unit_of_work() as session:
        created = session.scalars(
            select(WorkOrder).where(WorkOrder.account_id == account.account_id, WorkOrder.title == "Too hot")
        ).all()
        assert len(created) == 1  # the one evaluation ran on the checklist's reading
    # The same line sent again records nothing; a new value records a new reading.
    account.write(lambda s: work_orders.update_work_order(s, tech, work_order.id, filled))
    assert _readings(account, meter) == [90.0]
    again = WorkOrderChanges(form_items=[FormItem(**{**stored, "value": "21.5"})])
    account.write(lambda s: work_orders.update_work_order(s, tech, work_order.id, again))
    assert _readings(account, meter) == [90.0, 21.5]


def test_meter_lines_name_visible_meters_and_keep_the_meter_rules(account: DomainAccount) -> None:
    site, elsewhere = (
        make_place(account.db, account.account_id, "Site"),
        make_place(account.db, account.account_id, "Far"),
    )
    hidden = _meter(account, location_id=elsewhere)
    odometer = _meter(account, location_id=site, cumulative=True)
    account.write(lambda s: meters.add_reading(s, account.admin, odometer, ReadingCreate(value=100)))
    local = account.principal(Role.TECH, location_ids=frozenset({site}))
    bad = [FormItem(name="a", type="METER", meter=hidden, value=1)]
    with pytest.raises(DomainValidation) as raised:
        account.write(
            lambda s: work_orders.create_work_order(
                s, local, WorkOrderCreate(title="w", location_id=site, form_items=bad)
            )
        )
    assert (raised.value.code, raised.value.field) == (ErrorCode.NOT_FOUND, "form_items[0].meter")
    lower = [FormItem(name="t", type="TASK"), FormItem(name="km", type="METER", meter=odometer, value=50)]
    with pytest.raises(DomainValidation) as raised:
        account.write(
            lambda s: work_orders.create_work_order(
                s, local, WorkOrderCreate(title="w", location_id=site, form_items=lower)
            )
        )
    assert (raised.value.code, raised.value.field) == (ErrorCode.READING_BELOW_PREVIOUS, "form_items[1].value")
    assert _readings(account, odometer) == [100.0]


def test_time_is_the_sum_of_the_time_log(account: DomainAccount, database_url: str) -> None:
    worker = account.principal(Role.TECH)
    command = WorkOrderCreate(title="w", time_spent=20, assigned_to_user_id=worker.user_id)
    work_order = account.write(lambda s: work_orders.create_work_order(s, account.admin, command))
    account.write(lambda s: work_orders.update_work_order(s, worker, work_order.id, WorkOrderChanges(time_spent=25.5)))
    account.write(
        lambda s: work_orders.update_work_order(s, worker, work_order.id, WorkOrderChanges(title="same time"))
    )
    entries = read(database_url, lambda r: time_log.time_entries(r, account.admin, work_order.id))
    assert [(e["user_id"], e["duration"], e["status"], e["created_by_user_id"]) for e in entries] == [
        (worker.user_id, 20.0, "adjustment", account.admin.user_id),
        (worker.user_id, 5.5, "adjustment", worker.user_id),
    ]
    account.write(
        lambda s: work_orders.update_work_order(s, account.admin, work_order.id, WorkOrderChanges(time_spent=None))
    )
    with account.db.unit_of_work() as session:
        durations = session.scalars(
            select(WorkOrderTimeEntry.duration).where(
                WorkOrderTimeEntry.account_id == account.account_id, WorkOrderTimeEntry.work_order_id == work_order.id
            )
        ).all()
    assert sum(durations) == 0 and len(durations) == 3


def test_an_asset_shows_the_lines_of_the_work_orders_the_principal_sees(
    account: DomainAccount, database_url: str
) -> None:
    site = make_place(account.db, account.account_id, "Site")
    asset = make_asset(account.db, account.account_id, "Boiler", location_id=site)
    lines = [FormItem(name="Pressure ok", type="CHECKLIST", value="PASS")]
    first = account.write(
        lambda s: work_orders.create_work_order(
            s, account.admin, WorkOrderCreate(title="a", asset_id=asset, form_items=lines)
        )
    )
    account.write(lambda s: work_orders.create_work_order(s, account.admin, WorkOrderCreate(title="b", asset_id=asset)))
    limited = account.principal(Role.LIMITED_TECH)
    assigned = WorkOrderCreate(
        title="c", asset_id=asset, assigned_to_user_id=limited.user_id, form_items=[FormItem(name="Note", type="TEXT")]
    )
    second = account.write(lambda s: work_orders.create_work_order(s, account.admin, assigned))
    seen = read(database_url, lambda r: queries.asset_form_items(r, account.admin, asset))
    assert [(line["name"], line["work_order_id"]) for line in seen] == [("Note", second.id), ("Pressure ok", first.id)]
    assert seen[1]["value"] == "PASS"
    own = read(database_url, lambda r: queries.asset_form_items(r, limited, asset))
    assert [line["work_order_id"] for line in own] == [second.id]


def test_filling_a_line_whose_meter_has_gone_is_a_bad_reference(account: DomainAccount) -> None:
    meter = _meter(account)
    line = FormItem(name="Record room temp", type="METER", meter=meter)
    work_order = account.write(
        lambda s: work_orders.create_work_order(s, account.admin, WorkOrderCreate(title="w", form_items=[line]))
    )
    account.write(lambda s: meters.delete_meter(s, account.admin, meter))
    [stored] = _lines(account, work_order.id)
    account.write(
        lambda s: work_orders.update_work_order(s, account.admin, work_order.id, WorkOrderChanges(title="kept"))
    )
    filled = WorkOrderChanges(form_items=[FormItem(**{**stored, "value": 3})])
    with pytest.raises(DomainValidation) as raised:
        account.write(lambda s: work_orders.update_work_order(s, account.admin, work_order.id, filled))
    assert (raised.value.code, raised.value.field) == (ErrorCode.NOT_FOUND, "form_items[0].meter")
    assert _readings(account, meter) == []
