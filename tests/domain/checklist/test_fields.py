"""The form template fields are declared once (checklist.fields) and everything else derives from the declaration."""

from __future__ import annotations

import dataclasses

from premises.api.upkeep.mappers import form_templates as wire
from premises.checklist import queries
from premises.checklist.commands import FormTemplateChanges, FormTemplateCreate
from premises.checklist.fields import FORM_TEMPLATES
from premises.models import FormTemplate
from tests.support.catalogues import assert_agrees_with_table

NOT_READ = {"account_id", "deleted_at"}


def test_every_column_of_the_table_is_declared_once_in_select_order() -> None:
    declared = [f.name for f in FORM_TEMPLATES]
    assert len(declared) == len(set(declared))
    assert set(FORM_TEMPLATES.columns) == {c.name for c in FormTemplate.__table__.columns} - NOT_READ
    assert FORM_TEMPLATES.columns == queries.COLUMNS == tuple(declared)


def test_the_declarations_agree_with_the_table() -> None:
    assert_agrees_with_table(FORM_TEMPLATES, FormTemplate.__table__)


def test_writable_fields_are_what_the_commands_carry() -> None:
    create = {f.name for f in dataclasses.fields(FormTemplateCreate)}
    changes = {f.name for f in dataclasses.fields(FormTemplateChanges)}
    assert FORM_TEMPLATES.writable == create == changes == {"name", "description", "form_items"}


def test_upkeep_shows_the_documented_object() -> None:
    row = {
        "id": "t1",
        "name": "Daily Rounds",
        "description": "d",
        "form_items": [{"name": "Shift", "type": "MULTIPLE_CHOICE", "options": ["1st"]}],
        "created_by_user_id": "u1",
        "created_at": 0,
        "updated_at": 1,
    }
    item = wire.to_upkeep(row)
    assert list(item) == ["Name", "userCreated", "description", "createdAt", "updatedAt", "id", "formItems"]
    assert item["Name"] == "Daily Rounds" and item["userCreated"] == "u1"
    assert item["formItems"] == row["form_items"]
    for spec in (wire.CREATE, wire.UPDATE):
        assert {f.name: f.target for f in spec.fields.values()} == {
            "Name": "name",
            "description": "description",
            "formItems": "form_items",
        }
