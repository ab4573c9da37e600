"""The resident fields (occupancy.fields) agree with the contacts and occupancies tables and the commands."""

from __future__ import annotations

import dataclasses

from premises.models import Contact, Occupancy
from premises.models.occupancy import OCCUPANCY_TYPES
from premises.occupancy import queries
from premises.occupancy.commands import OccupancyType, ResidentChanges, ResidentCreate
from premises.occupancy.fields import OCCUPANCY_FIELDS, RESIDENTS
from tests.support.catalogues import assert_agrees_with_table


def test_the_contact_columns_agree_with_the_contacts_table() -> None:
    assert_agrees_with_table(RESIDENTS, Contact.__table__)
    assert queries.COLUMNS + tuple(f.name for f in queries.JOINED) == queries.ALL_COLUMNS


def test_the_occupancy_fields_are_the_occupancy_columns() -> None:
    columns = {c.name for c in Occupancy.__table__.columns}
    assert set(OCCUPANCY_FIELDS) <= columns
    assert all(RESIDENTS.by_name[name].expression == f"o.{name}" for name in OCCUPANCY_FIELDS)
    assert tuple(t.value for t in OccupancyType) == OCCUPANCY_TYPES


def test_the_commands_carry_every_writable_field() -> None:
    assert {f.name for f in dataclasses.fields(ResidentChanges)} == set(RESIDENTS.writable)
    assert {f.name for f in dataclasses.fields(ResidentCreate)} == set(RESIDENTS.writable)
