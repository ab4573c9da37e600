"""Downtime rules at the service layer: the account's statuses, and recorded availability changes."""

from __future__ import annotations

import pytest

from premises.asset import downtime
from premises.asset.commands import Availability, DowntimeEvent, DowntimeStatusChanges, DowntimeStatusCreate
from premises.errors import Conflict, DomainValidation, ErrorCode, NotFound, PermissionDenied
from premises.identity.permissions import Role
from premises.models import Asset, AssetDowntime, AssetDowntimeStatus
from tests.domain.asset.helpers import new_asset
from tests.domain.conftest import DomainAccount
from tests.support.factories import make_place


def new_status(account: DomainAccount, name: str) -> AssetDowntimeStatus:
    return account.write(lambda s: downtime.create_status(s, account.admin, DowntimeStatusCreate(name)))


def record(account: DomainAccount, *events: DowntimeEvent, role: Role | None = None) -> list[downtime.DowntimeOutcome]:
    principal = account.admin if role is None else account.principal(role)
    return account.write(lambda s: downtime.record_downtime(s, principal, events))


def current(account: DomainAccount, asset_id: str) -> str:
    with account.db.unit_of_work() as session:
        asset = session.get(Asset, (account.account_id, asset_id))
        assert asset is not None
        return asset.downtime_status


# ------------------------------------------------------------------------------------------ statuses


def test_status_names_are_unique_and_not_built_in(account: DomainAccount) -> None:
    broken = new_status(account, "Broken")
    assert account.event_types(broken.id) == ["ASSET_DOWNTIME_STATUS_CREATED"]
    with pytest.raises(Conflict) as conflict:
        new_status(account, "broken")
    assert (conflict.value.code, conflict.value.params["record"]) == (ErrorCode.DUPLICATE, "downtime status")
    with pytest.raises(DomainValidation) as raised:
        new_status(account, "Available")
    assert (raised.value.code, raised.value.field) == (ErrorCode.BUILT_IN_DOWNTIME_STATUS, "name")
    with pytest.raises(DomainValidation) as raised:
        account.write(lambda s: downtime.update_status(s, account.admin, broken.id, DowntimeStatusChanges(name=None)))
    assert raised.value.code is ErrorCode.REQUIRED


def test_deleting_a_status_leaves_its_assets_not_available(account: DomainAccount) -> None:
    waiting = new_status(account, "Waiting for parts")
    asset = new_asset(account, downtime_status=waiting.id)
    account.write(lambda s: downtime.delete_status(s, account.admin, waiting.id))
    assert current(account, asset.id) == Availability.NOT_AVAILABLE
    with pytest.raises(NotFound):
        account.write(lambda s: downtime.delete_status(s, account.admin, waiting.id))


def test_only_admins_manage_statuses_and_other_accounts_are_not_found(
    account: DomainAccount, other_account: DomainAccount
) -> None:
    theirs = new_status(other_account, "Theirs")
    with pytest.raises(NotFound):
        account.write(lambda s: downtime.update_status(s, account.admin, theirs.id, DowntimeStatusChanges(name="x")))
    tech = account.principal(Role.TECH)
    with pytest.raises(PermissionDenied):
        account.write(lambda s: downtime.create_status(s, tech, DowntimeStatusCreate("x")))


# ------------------------------------------------------------------------------------------ events


def test_the_newest_event_moves_the_asset_and_older_ones_are_only_history(account: DomainAccount) -> None:
    asset = new_asset(account)
    maintenance = new_status(account, "Maintenance")
    outcomes = record(
        account,
        DowntimeEvent(asset.id, "not-available", 1698276359999, status_category_id=maintenance.id),
        DowntimeEvent(asset.id, Availability.AVAILABLE, "2020-01-01T00:00:00Z"),
        role=Role.LIMITED_TECH,
    )
    assert [o.errors for o in outcomes] == [[], []] and all(o.recorded_id for o in outcomes)
    assert current(account, asset.id) == maintenance.id
    assert account.event_types(asset.id) == ["ASSET_CREATED", "ASSET_UPDATED"]
    record(account, DowntimeEvent(asset.id, "available", 1698276360000))
    assert current(account, asset.id) == "available"
    with account.db.unit_of_work() as session:
        assert session.query(AssetDowntime).filter_by(account_id=account.account_id, asset_id=asset.id).count() == 3


def test_each_event_is_refused_on_its_own_with_codes_and_domain_fields(
    account: DomainAccount, other_account: DomainAccount
) -> None:
    asset, theirs = new_asset(account), new_asset(other_account)
    theirs_status = new_status(other_account, "Theirs")
    mine = new_status(account, "Mine")
    outcomes = record(
        account,
        DowntimeEvent(theirs.id, "available", 1),
        DowntimeEvent(None, "available", 1),
        DowntimeEvent(asset.id, "broken", 1),
        DowntimeEvent(asset.id, "available", "not a date"),
        DowntimeEvent(asset.id, "not-available", 1, status_category_id=theirs_status.id),
        DowntimeEvent(asset.id, "available", 1, status_category_id=mine.id),
        DowntimeEvent(asset.id, "available", 1, user_id=other_account.admin.user_id),
        DowntimeEvent(asset.id, "available", 1, unknown_fields=["colour"]),
        DowntimeEvent(asset.id, "not-available", 2),
    )
    assert [[(e.code, e.field) for e in o.errors] for o in outcomes] == [
        [(ErrorCode.NOT_FOUND, "asset_id")],
        [(ErrorCode.REQUIRED, "asset_id")],
        [(ErrorCode.NOT_ONE_OF, "status")],
        [(ErrorCode.WRONG_TYPE, "recorded_on")],
        [(ErrorCode.NOT_FOUND, "status_category_id")],
        [(ErrorCode.CATEGORY_ONLY_WHEN_NOT_AVAILABLE, "status_category_id")],
        [(ErrorCode.NOT_FOUND, "user_id")],
        [(ErrorCode.UNKNOWN_FIELD, "colour")],
        [],
    ]
    assert current(account, asset.id) == "not-available" and current(other_account, theirs.id) == "available"


def test_events_for_assets_outside_a_location_based_users_places_are_refused(account: DomainAccount) -> None:
    site, other = make_place(account.db, account.account_id, "Site"), make_place(account.db, account.account_id)
    hidden = new_asset(account, location_id=other)
    tech = account.principal(Role.TECH, location_ids=frozenset({site}))
    [outcome] = account.write(
        lambda s: downtime.record_downtime(s, tech, [DowntimeEvent(hidden.id, "not-available", 1)])
    )
    assert [(e.code, e.field) for e in outcome.errors] == [(ErrorCode.NOT_FOUND, "asset_id")]


def test_batches_are_bounded_and_weaker_roles_refused(account: DomainAccount) -> None:
    with pytest.raises(DomainValidation) as raised:
        record(account)
    assert raised.value.code is ErrorCode.NONE_GIVEN
    with pytest.raises(DomainValidation) as raised:
        record(account, *[DowntimeEvent("x", "available", 1)] * (downtime.MAX_EVENTS + 1))
    assert raised.value.code is ErrorCode.TOO_MANY_GIVEN
    asset = new_asset(account)
    with pytest.raises(PermissionDenied):
        record(account, DowntimeEvent(asset.id, "available", 1), role=Role.VIEW_ONLY)
