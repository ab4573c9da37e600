"""Asset downtime: the account's own downtime statuses, and recorded availability changes.

An asset's ``downtime_status`` is ``available``, ``not-available`` or the id of one of the account's
downtime statuses (a named kind of not-available). Recording events keeps the history in
``asset_downtimes`` and moves the asset's current status when the event is the newest one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from premises.asset.commands import Availability, DowntimeEvent, DowntimeStatusChanges, DowntimeStatusCreate
from premises.asset.service import BUILT_IN_DOWNTIME_STATUSES, load_asset, visible
from premises.errors import Conflict, DomainValidation, ErrorCode, NotFound
from premises.event.service import record_change
from premises.event.types import EventType
from premises.identity.principal import Principal
from premises.kit.commands import given
from premises.kit.ids import new_id
from premises.kit.time import MAX_MS, now_ms, parse_instant
from premises.models import Asset, AssetDowntime, AssetDowntimeStatus, User

MAX_EVENTS = 1000


# ------------------------------------------------------------------------------------------ statuses


def _status_event(session: Session, principal: Principal, status: AssetDowntimeStatus, action: str) -> None:
    record_change(session, principal, EventType(f"ASSET_DOWNTIME_STATUS_{action}"), "asset_downtime_status", status)


def _name(session: Session, account_id: str, value: Any, exclude_id: str | None) -> str:
    name = str(value or "").strip()
    if not name:
        raise DomainValidation(ErrorCode.REQUIRED, field="name")
    if len(name) > 200:
        raise DomainValidation(ErrorCode.TOO_LONG, field="name")
    if name.lower() in BUILT_IN_DOWNTIME_STATUSES:
        raise DomainValidation(ErrorCode.BUILT_IN_DOWNTIME_STATUS, field="name", name=name)
    statement = select(AssetDowntimeStatus.id).where(
        AssetDowntimeStatus.account_id == account_id,
        AssetDowntimeStatus.deleted_at.is_(None),
        func.lower(AssetDowntimeStatus.name) == name.lower(),
    )
    if exclude_id is not None:
        statement = statement.where(AssetDowntimeStatus.id != exclude_id)
    if session.scalar(statement) is not None:
        raise Conflict(ErrorCode.DUPLICATE, field="name", record="downtime status")
    return name


def _load_status(session: Session, principal: Principal, status_id: str) -> AssetDowntimeStatus:
    principal.require("asset_setting", "write")
    status = session.get(AssetDowntimeStatus, (principal.account_id, status_id), with_for_update=True)
    if status is None or status.deleted_at is not None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="asset downtime status")
    return status


def create_status(session: Session, principal: Principal, command: DowntimeStatusCreate) -> AssetDowntimeStatus:
    principal.require("asset_setting", "write")
    now = now_ms()
    status = AssetDowntimeStatus(
        account_id=principal.account_id,
        id=new_id(),
        name=_name(session, principal.account_id, command.name, None),
        created_at=now,
        updated_at=now,
    )
    session.add(status)
    _status_event(session, principal, status, "CREATED")
    return status


def update_status(
    session: Session, principal: Principal, status_id: str, command: DowntimeStatusChanges
) -> AssetDowntimeStatus:
    status = _load_status(session, principal, status_id)
    changes = given(command)
    if "name" in changes:
        status.name = _name(session, principal.account_id, changes["name"], status.id)
    status.updated_at = now_ms()
    _status_event(session, principal, status, "UPDATED")
    return status


def delete_status(session: Session, principal: Principal, status_id: str) -> None:
    """Soft delete. Assets in this status stay down: they move to the plain ``not-available``."""
    status = _load_status(session, principal, status_id)
    now = now_ms()
    status.deleted_at = now
    status.updated_at = now
    _status_event(session, principal, status, "DELETED")
    assets = session.scalars(
        select(Asset).where(
            Asset.account_id == principal.account_id, Asset.downtime_status == status.id, Asset.deleted_at.is_(None)
        )
    ).all()
    for asset in assets:
        asset.downtime_status = Availability.NOT_AVAILABLE.value
        asset.updated_at = now
        record_change(session, principal, EventType.ASSET_UPDATED, "asset", asset)


# ------------------------------------------------------------------------------------------ events


@dataclass(frozen=True, slots=True)
class RowError:
    """Why one event was refused: a code, the event's domain field it concerns, and the value given."""

    code: ErrorCode
    field: str
    value: Any


@dataclass
class DowntimeOutcome:
    """One input row's result: the new history row's id, or the reasons it was refused."""

    row: int
    recorded_id: str | None = None
    errors: list[RowError] = field(default_factory=list)


def _check_row(
    session: Session, principal: Principal, item: DowntimeEvent, outcome: DowntimeOutcome
) -> tuple[Asset, str, int, str | None, str | None] | None:
    """Validate one event; on failure fill ``outcome.errors`` and return None.

    Codes: UNKNOWN_FIELD (a field the domain does not know), REQUIRED / NOT_FOUND ``asset_id``,
    NOT_ONE_OF ``status``, WRONG_TYPE ``recorded_on``, NOT_FOUND / CATEGORY_ONLY_WHEN_NOT_AVAILABLE
    ``status_category_id``, NOT_FOUND ``user_id``.
    """
    account_id = principal.account_id
    errors = outcome.errors
    for key in item.unknown_fields:
        errors.append(RowError(ErrorCode.UNKNOWN_FIELD, key, key))
    asset: Asset | None = None
    asset_id = item.asset_id
    if not isinstance(asset_id, str) or not asset_id:
        errors.append(RowError(ErrorCode.REQUIRED, "asset_id", asset_id))
    else:
        asset = session.get(Asset, (account_id, asset_id))
        if asset is None or asset.deleted_at is not None or not visible(principal, asset, "record_downtime"):
            errors.append(RowError(ErrorCode.NOT_FOUND, "asset_id", asset_id))
            asset = None
    status = item.status
    if status not in BUILT_IN_DOWNTIME_STATUSES:
        errors.append(RowError(ErrorCode.NOT_ONE_OF, "status", status))
    recorded_on: int | None = None
    raw_date = item.recorded_on
    try:
        recorded_on = parse_instant(raw_date)
        if not 0 <= recorded_on <= MAX_MS:
            raise ValueError("out of range")
    except ValueError:
        errors.append(RowError(ErrorCode.WRONG_TYPE, "recorded_on", raw_date))
    category_id = item.status_category_id
    if category_id is not None:
        category = session.get(AssetDowntimeStatus, (account_id, str(category_id)))
        if category is None or category.deleted_at is not None:
            errors.append(RowError(ErrorCode.NOT_FOUND, "status_category_id", category_id))
        elif status == Availability.AVAILABLE:
            errors.append(RowError(ErrorCode.CATEGORY_ONLY_WHEN_NOT_AVAILABLE, "status_category_id", category_id))
    user_id = item.user_id
    if user_id is not None:
        user = session.get(User, (account_id, str(user_id)))
        if user is None or user.deleted_at is not None:
            errors.append(RowError(ErrorCode.NOT_FOUND, "user_id", user_id))
    if errors or asset is None or recorded_on is None:
        return None
    return asset, Availability(str(status)).value, recorded_on, category_id, user_id


def record_downtime(session: Session, principal: Principal, items: Sequence[DowntimeEvent]) -> list[DowntimeOutcome]:
    """Record availability changes; each event succeeds or fails on its own (valid ones are kept).

    The asset's current status moves only when the event is its newest one.
    """
    principal.require("asset", "record_downtime")
    if not items:
        raise DomainValidation(ErrorCode.NONE_GIVEN, field="events", item="downtime event")
    if len(items) > MAX_EVENTS:
        raise DomainValidation(ErrorCode.TOO_MANY_GIVEN, field="events", maximum=MAX_EVENTS, items="downtime events")
    outcomes: list[DowntimeOutcome] = []
    latest: dict[str, int | None] = {}
    now = now_ms()
    for index, item in enumerate(items):
        outcome = DowntimeOutcome(row=index + 1)
        outcomes.append(outcome)
        checked = _check_row(session, principal, item, outcome)
        if checked is None:
            continue
        asset, status, recorded_on, category_id, user_id = checked
        asset = load_asset(session, principal, asset.id, "record_downtime")
        if asset.id not in latest:
            latest[asset.id] = session.scalar(
                select(func.max(AssetDowntime.recorded_on)).where(
                    AssetDowntime.account_id == principal.account_id, AssetDowntime.asset_id == asset.id
                )
            )
        history = AssetDowntime(
            account_id=principal.account_id,
            id=new_id(),
            asset_id=asset.id,
            status=status,
            status_category_id=category_id,
            user_id=user_id,
            recorded_on=recorded_on,
            created_at=now,
        )
        session.add(history)
        outcome.recorded_id = history.id
        newest = latest[asset.id]
        if newest is None or recorded_on >= newest:
            latest[asset.id] = recorded_on
            current = category_id or status
            if current != asset.downtime_status:
                asset.downtime_status = current
                asset.updated_at = now
                record_change(session, principal, EventType.ASSET_UPDATED, "asset", asset)
    return outcomes
