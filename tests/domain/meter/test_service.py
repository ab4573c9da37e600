"""Meter rules at the service layer: permissions, visibility (write and read side agree), validation.

The evaluation of readings: tests/domain/meter/test_evaluation.py; UpKeep's wire: tests/api/upkeep/test_meters.py.
"""

from __future__ import annotations

import pytest

from premises.errors import DomainValidation, ErrorCode, NotFound, PermissionDenied
from premises.identity.permissions import Role
from premises.kit.listing import ListQuery
from premises.meter import queries, service
from premises.meter.commands import (
    MeterChanges,
    MeterCreate,
    NotificationChanges,
    NotificationCreate,
    ReadingChanges,
    ReadingCreate,
    TriggerFrequency,
)
from tests.domain.conftest import DomainAccount
from tests.domain.reading import read
from tests.support.factories import make_place


def _meter(account: DomainAccount, **fields: object) -> str:
    command = MeterCreate(name="Boiler temperature", units="C", frequency=1, **fields)  # type: ignore[arg-type]
    return account.write(lambda s: service.create_meter(s, account.admin, command).id)


def test_create_trims_and_records_the_event(account: DomainAccount) -> None:
    command = MeterCreate(name="  Odometer ", units=" km ", frequency=30, cumulative=True)
    meter = account.write(lambda s: service.create_meter(s, account.admin, command))
    assert (meter.name, meter.units, meter.frequency, meter.cumulative) == ("Odometer", "km", 30, True)
    assert meter.created_by_user_id == account.admin.user_id
    assert account.event_types(meter.id) == ["METER_CREATED"]


@pytest.mark.parametrize(
    ("command", "code", "field"),
    [
        (MeterCreate(name=None, units="h", frequency=1), ErrorCode.REQUIRED, "name"),
        (MeterCreate(name="m", units=" ", frequency=1), ErrorCode.REQUIRED, "units"),
        (MeterCreate(name="m", units="h", frequency=None), ErrorCode.REQUIRED, "frequency"),
        (MeterCreate(name="m", units="h", frequency=36_501), ErrorCode.NOT_BETWEEN, "frequency"),
        (MeterCreate(name="m", units="h", frequency=1, asset_id="nope"), ErrorCode.NOT_FOUND, "asset_id"),
        (MeterCreate(name="m", units="h", frequency=1, location_id="nope"), ErrorCode.NOT_FOUND, "location_id"),
    ],
)
def test_bad_meters_are_refused(account: DomainAccount, command: MeterCreate, code: ErrorCode, field: str) -> None:
    with pytest.raises(DomainValidation) as raised:
        account.write(lambda s: service.create_meter(s, account.admin, command))
    assert (raised.value.code, raised.value.field) == (code, field)


def test_roles_are_checked_before_anything_else(account: DomainAccount, database_url: str) -> None:
    meter = _meter(account)
    viewer = account.principal(Role.VIEW_ONLY)
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.create_meter(s, viewer, MeterCreate(name="m", units="h", frequency=1)))
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.add_reading(s, viewer, meter, ReadingCreate(value=1)))
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.add_reading(s, viewer, "missing", ReadingCreate(value=1)))
    requester = account.principal(Role.REQUESTER)
    with pytest.raises(PermissionDenied):
        read(database_url, lambda r: queries.get_meter(r, requester, meter))


def test_another_accounts_meter_is_not_found(
    account: DomainAccount, other_account: DomainAccount, database_url: str
) -> None:
    meter = _meter(account)
    with pytest.raises(NotFound):
        other_account.write(lambda s: service.update_meter(s, other_account.admin, meter, MeterChanges(name="x")))
    with pytest.raises(NotFound):
        other_account.write(lambda s: service.add_reading(s, other_account.admin, meter, ReadingCreate(value=1)))
    with pytest.raises(NotFound):
        read(database_url, lambda r: queries.get_meter(r, other_account.admin, meter))


def test_write_and_read_side_agree_on_what_a_location_based_user_sees(
    account: DomainAccount, database_url: str
) -> None:
    mine, other = make_place(account.db, account.account_id, "Mine"), make_place(account.db, account.account_id, "B")
    meters = {"mine": _meter(account, location_id=mine), "other": _meter(account, location_id=other)}
    meters["nowhere"] = _meter(account)
    tech = account.principal(Role.TECH, location_ids=frozenset({mine}))
    listed = read(database_url, lambda r: queries.list_meters(r, tech, ListQuery(limit=100)))
    assert [m["id"] for m in listed] == [meters["mine"]]
    for name, meter_id in meters.items():
        try:
            account.write(lambda s, m=meter_id: service.add_reading(s, tech, m, ReadingCreate(value=1)))  # type: ignore[misc]
            written = True
        except NotFound:
            written = False
        assert written is (name == "mine"), name


def test_updating_a_meter_leaves_its_readings(account: DomainAccount, database_url: str) -> None:
    meter = _meter(account)
    reading = account.write(lambda s: service.add_reading(s, account.admin, meter, ReadingCreate(value=7, date=1000)))
    account.write(lambda s: service.update_meter(s, account.admin, meter, MeterChanges(units="F", frequency=2)))
    [row] = read(database_url, lambda r: queries.list_readings(r, account.admin, meter, ListQuery(limit=10)))
    assert (row["id"], row["value"], row["date"]) == (reading.id, 7.0, 1000)


def test_a_deleted_meter_takes_its_readings_and_notifications_out_of_sight(
    account: DomainAccount, database_url: str
) -> None:
    meter = _meter(account)
    reading = account.write(lambda s: service.add_reading(s, account.admin, meter, ReadingCreate(value=7)))
    account.write(lambda s: service.delete_meter(s, account.admin, meter))
    with pytest.raises(NotFound):
        read(database_url, lambda r: queries.get_reading(r, account.admin, meter, reading.id))
    with pytest.raises(NotFound):
        account.write(lambda s: service.update_reading(s, account.admin, meter, reading.id, ReadingChanges(value=1)))


def test_an_own_grant_corrects_only_the_users_readings(account: DomainAccount) -> None:
    meter = _meter(account)
    limited = account.principal(Role.LIMITED_TECH)
    own = account.write(lambda s: service.add_reading(s, limited, meter, ReadingCreate(value=1)))
    theirs = account.write(lambda s: service.add_reading(s, account.admin, meter, ReadingCreate(value=1)))
    changed = account.write(lambda s: service.update_reading(s, limited, meter, own.id, ReadingChanges(value=2)))
    assert changed.value == 2
    with pytest.raises(NotFound):
        account.write(lambda s: service.update_reading(s, limited, meter, theirs.id, ReadingChanges(value=2)))
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.delete_reading(s, limited, meter, own.id))


@pytest.mark.parametrize(
    ("command", "code", "field"),
    [
        (
            NotificationCreate(title=" ", trigger_value=1, trigger_frequency="EVERY_TIME_REACHES"),
            ErrorCode.REQUIRED,
            "title",
        ),
        (
            NotificationCreate(title="t", trigger_value=None, trigger_frequency="EVERY_TIME_REACHES"),
            ErrorCode.REQUIRED,
            "trigger_value",
        ),
        (
            NotificationCreate(title="t", trigger_value=1, trigger_frequency="NEVER"),
            ErrorCode.NOT_ONE_OF,
            "trigger_frequency",
        ),
        (
            NotificationCreate(title="t", trigger_value=-1, trigger_frequency="EVERY_TIME_REACHES"),
            ErrorCode.WRONG_TYPE,
            "trigger_value",
        ),
        (
            NotificationCreate(
                title="t", trigger_value=1, trigger_frequency="EVERY_TIME_REACHES", assigned_to_user_id="x"
            ),
            ErrorCode.NOT_FOUND,
            "assigned_to_user_id",
        ),
        (
            NotificationCreate(title="t", trigger_value=1, trigger_frequency="EVERY_TIME_REACHES", category="Nope"),
            ErrorCode.NOT_A_CATEGORY,
            "category",
        ),
    ],
)
def test_bad_notifications_are_refused(
    account: DomainAccount, command: NotificationCreate, code: ErrorCode, field: str
) -> None:
    meter = _meter(account)
    with pytest.raises(DomainValidation) as raised:
        account.write(lambda s: service.create_notification(s, account.admin, meter, command))
    assert (raised.value.code, raised.value.field) == (code, field)


def test_an_edit_that_makes_an_interval_of_zero_is_refused(account: DomainAccount) -> None:
    meter = _meter(account)
    command = NotificationCreate(title="t", trigger_value=0, trigger_frequency=TriggerFrequency.EVERY_TIME_IS_EQUAL_TO)
    notification = account.write(lambda s: service.create_notification(s, account.admin, meter, command))
    assert notification.last_value_for_work_order == 0
    change = NotificationChanges(trigger_frequency=TriggerFrequency.EVERY_TIME_REACHES)
    with pytest.raises(DomainValidation):
        account.write(lambda s: service.update_notification(s, account.admin, meter, notification.id, change))
