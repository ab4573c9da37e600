"""The meter fields are declared once (meter.fields) and the rest derives from the declarations."""

from __future__ import annotations

import dataclasses

import pytest

from premises.api.upkeep.mappers import meters as wire
from premises.kit.fields import Catalogue
from premises.meter import queries
from premises.meter.commands import (
    MeterChanges,
    MeterCreate,
    NotificationChanges,
    NotificationCreate,
    ReadingChanges,
    ReadingCreate,
    TriggerFrequency,
)
from premises.meter.fields import METERS, NOTIFICATIONS, READINGS
from premises.models import Meter, MeterNotification, MeterReading
from tests.support.catalogues import assert_agrees_with_table

NOT_READ = {"account_id", "deleted_at"}
TABLES = [(METERS, Meter), (READINGS, MeterReading), (NOTIFICATIONS, MeterNotification)]


@pytest.mark.parametrize(("catalogue", "model"), TABLES, ids=lambda x: getattr(x, "resource", ""))
def test_every_column_is_declared_once_and_agrees_with_the_table(catalogue: Catalogue, model: type) -> None:
    assert set(catalogue.columns) == {c.name for c in model.__table__.columns} - NOT_READ  # type: ignore[attr-defined]
    assert_agrees_with_table(catalogue, model.__table__)  # type: ignore[attr-defined]


def test_the_queries_select_the_declared_columns() -> None:
    assert METERS.columns == queries.COLUMNS
    assert (*METERS.columns, "last_reading_id") == queries.ALL_COLUMNS
    assert (READINGS.columns, NOTIFICATIONS.columns) == (queries.READING_COLUMNS, queries.NOTIFICATION_COLUMNS)


@pytest.mark.parametrize(
    ("catalogue", "create", "changes"),
    [
        (METERS, MeterCreate, MeterChanges),
        (READINGS, ReadingCreate, ReadingChanges),
        (NOTIFICATIONS, NotificationCreate, NotificationChanges),
    ],
)
def test_writable_fields_are_what_the_commands_carry(catalogue: Catalogue, create: type, changes: type) -> None:
    assert catalogue.writable == {f.name for f in dataclasses.fields(create)}
    # A reading's is_reset is what it was recorded as: corrections change value and date only.
    assert {f.name for f in dataclasses.fields(changes)} == catalogue.writable - ({"is_reset"} & catalogue.writable)


def test_trigger_frequencies_are_the_documented_six() -> None:
    assert [t.value for t in TriggerFrequency] == [
        "ONE_TIME_IS_GREATER_THAN",
        "ONE_TIME_IS_LESS_THAN",
        "EVERY_TIME_IS_LESS_THAN",
        "EVERY_TIME_IS_GREATER_THAN",
        "EVERY_TIME_IS_EQUAL_TO",
        "EVERY_TIME_REACHES",
    ]
    assert NOTIFICATIONS.by_name["trigger_frequency"].choices == tuple(t.value for t in TriggerFrequency)


def test_upkeep_bodies_name_the_documented_fields() -> None:
    assert {f.name for f in wire.CREATE.fields.values()} == {
        "name",
        "units",
        "frequency",
        "asset",
        "location",
        "isCumulative",
    }
    assert {f.name for f in wire.CREATE.fields.values() if f.required} == {"name", "units", "frequency"}
    assert {f.name for f in wire.ADD_READING.fields.values() if f.required} == {"value"}
    assert {f.name for f in wire.CREATE_NOTIFICATION.fields.values() if f.required} == {
        "title",
        "triggerValue",
        "triggerFrequency",
    }
