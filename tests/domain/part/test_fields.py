"""The part fields are declared once (part.fields) and agree with the tables."""

from __future__ import annotations

import dataclasses

from premises.api.upkeep.mappers import parts as wire
from premises.models import Category, Part, PartInventoryMove
from premises.part import queries, service
from premises.part.commands import PartChanges, PartCreate
from premises.part.fields import INVENTORY_MOVES, PART_CATEGORIES, PARTS
from tests.support.catalogues import assert_agrees_with_table

NOT_READ = {"account_id", "deleted_at"}


def test_every_column_of_the_table_is_declared_once_in_select_order() -> None:
    declared = [f.name for f in PARTS]
    assert len(declared) == len(set(declared))
    assert set(PARTS.columns) == {c.name for c in Part.__table__.columns} - NOT_READ
    assert PARTS.columns == queries.COLUMNS
    assert set(INVENTORY_MOVES.columns) == {c.name for c in PartInventoryMove.__table__.columns} - NOT_READ
    assert set(PART_CATEGORIES.columns) <= {c.name for c in Category.__table__.columns}


def test_the_declarations_agree_with_the_tables() -> None:
    assert_agrees_with_table(PARTS, Part.__table__)
    assert_agrees_with_table(INVENTORY_MOVES, PartInventoryMove.__table__)
    assert_agrees_with_table(PART_CATEGORIES, Category.__table__)


def test_writable_fields_are_what_the_commands_carry() -> None:
    body_only = {"file_ids", "custom_fields"}
    for command in (PartCreate, PartChanges):
        carried = {f.name for f in dataclasses.fields(command)} - body_only
        assert carried == PARTS.writable, command
    assert set(service.SIMPLE_FIELDS) == PARTS.writable - service.OWN_RULES


def test_every_field_has_an_upkeep_name() -> None:
    named = {f.name for f, _ in wire.UPKEEP.items}
    assert named == {f.name for f in PARTS}
