"""The case fields are declared once (case.fields) and the read model, commands and /v1 derive from them."""

from __future__ import annotations

import dataclasses

from premises.api.v1.routes import cases as routes
from premises.case import queries
from premises.case.commands import PRIORITIES, TRANSITIONS, CaseChanges, CaseCreate, Status
from premises.case.fields import CASE_TYPES, CASES
from premises.models import Case, CaseType
from premises.models.case import CASE_STATUSES
from tests.support.catalogues import assert_agrees_with_table

NOT_READ = {"account_id", "deleted_at"}


def test_every_column_of_the_table_is_declared_once_in_select_order() -> None:
    declared = [f.name for f in CASES]
    assert len(declared) == len(set(declared))
    assert set(CASES.columns) == {c.name for c in Case.__table__.columns} - NOT_READ
    assert CASES.columns == queries.COLUMNS
    assert tuple(declared) == queries.ALL_COLUMNS
    assert set(CASE_TYPES.columns) == {c.name for c in CaseType.__table__.columns} - NOT_READ - {
        "name_key",
        "created_by_user_id",
    }


def test_the_declarations_agree_with_the_tables_statuses_and_priorities() -> None:
    assert_agrees_with_table(CASES, Case.__table__)
    assert_agrees_with_table(CASE_TYPES, CaseType.__table__)
    assert CASES.by_name["status"].choices == CASE_STATUSES == tuple(Status)
    assert CASES.by_name["priority"].choices == PRIORITIES == ("1", "2", "3", "4", "5")
    assert set(TRANSITIONS) == set(Status) and all(s not in TRANSITIONS[s] for s in Status)


def test_writable_fields_are_what_the_commands_carry() -> None:
    assert CASES.writable == {f.name for f in dataclasses.fields(CaseCreate)}
    assert CASES.writable - {"site_id"} == {f.name for f in dataclasses.fields(CaseChanges)}


def test_v1_bodies_name_every_writable_field() -> None:
    assert {f.name: f.target for f in routes.CREATE.fields.values()} == {
        "site": "site_id",
        "type": "case_type",
        "title": "title",
        "description": "description",
        "status": "status",
        "due": "due",
        "priority": "priority",
        "assignee": "assignee_user_id",
        "unit": "unit_id",
        "resident": "resident_id",
        "contractor": "contractor_id",
        "asset": "asset_id",
    }
    assert set(routes.UPDATE.fields) == set(routes.CREATE.fields) - {"site"}
