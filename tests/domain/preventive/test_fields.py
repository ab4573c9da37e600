"""The trigger's fields are declared once (preventive.fields) and the rest derives from the declaration."""

from __future__ import annotations

import dataclasses

from premises.api.upkeep.mappers import preventive_maintenance as wire
from premises.models import PmTrigger
from premises.preventive import queries
from premises.preventive.commands import TriggerChanges, TriggerCreate
from premises.preventive.fields import PM_TRIGGERS
from tests.support.catalogues import assert_agrees_with_table

NOT_READ = {"account_id", "deleted_at"}


def test_every_column_is_declared_once_and_agrees_with_the_table() -> None:
    assert set(PM_TRIGGERS.columns) == {c.name for c in PmTrigger.__table__.columns} - NOT_READ
    assert_agrees_with_table(PM_TRIGGERS, PmTrigger.__table__)
    assert PM_TRIGGERS.columns == queries.COLUMNS


def test_the_commands_name_the_writable_fields() -> None:
    writable = {f.name for f in PM_TRIGGERS if f.writable}
    assert {f.name for f in dataclasses.fields(TriggerCreate)} == writable
    assert {f.name for f in dataclasses.fields(TriggerChanges)} == writable


def test_the_wire_covers_every_writable_field_once() -> None:
    trigger = {f.target for f in wire.UPDATE_TRIGGER.fields.values()}
    work_order = {f.target for f in wire.UPDATE_WORK_ORDER.fields.values()}
    assert not trigger & work_order
    assert trigger | work_order == {f.name for f in PM_TRIGGERS if f.writable}
