"""Asset downtime: the account's own downtime statuses, and recorded availability changes.

An asset's ``downtime_status`` is ``available``, ``not-available`` or the id of one of the account's
downtime statuses (a named kind of not-available). Recording events keeps the history in
``asset_downtimes`` and moves the asset's current status when the event is the newest one.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from premises.asset.service import BUILT_IN_DOWNTIME_STATUSES, load_asset, visible
from premises.errors import Conflict, DomainValidation, NotFound
from premises.event.service import record_event, snapshot
from premises.event.types import EventType
from premises.identity.principal import Principal
from premises.kit.ids import new_id
from premises.kit.time import MAX_MS, now_ms, parse_instant
from premises.models import Asset, AssetDowntime, AssetDowntimeStatus, User

MAX_EVENTS = 1000


# ------------------------------------------------------------------------------------------ statuses


def _status_event(session: Session, principal: Principal, status: AssetDowntimeStatus, action: str) -> None:
    session.flush()
    record_event(
        session,
        account_id=principal.account_id,
        type=EventType(f"ASSET_DOWNTIME_STATUS_{action}"),
        resource_type="asset_downtime_status",
        resource_id=status.id,
        payload=snapshot(status),
        actor_user_id=principal.user_id,
    )


def _name(session: Session, account_id: str, value: Any, exclude_id: str | None) -> str:
    name = str(value or "").strip()
    if not name:
        raise DomainValidation("name cannot be null", field="name")
    if len(name) > 200:
        raise DomainValidation("name is too long", field="name")
    if name.lower() in BUILT_IN_DOWNTIME_STATUSES:
        raise DomainValidation(f"{name} is a built-in downtime status", field="name")
    statement = select(AssetDowntimeStatus.id).where(
        AssetDowntimeStatus.account_id == account_id,
        AssetDowntimeStatus.deleted_at.is_(None),
        func.lower(AssetDowntimeStatus.name) == name.lower(),
    )
    if exclude_id is not None:
        statement = statement.where(AssetDowntimeStatus.id != exclude_id)
    if session.scalar(statement) is not None:
        raise Conflict("a downtime status with this name already exists", field="name")
    return name


def _load_status(session: Session, principal: Principal, status_id: str) -> AssetDowntimeStatus:
    principal.require("asset_setting", "write")
    status = session.get(AssetDowntimeStatus, (principal.account_id, status_id), with_for_update=True)
    if status is None or status.deleted_at is not None:
        raise NotFound("asset downtime status not found")
    return status


def create_status(session: Session, principal: Principal, fields: Mapping[str, Any]) -> AssetDowntimeStatus:
    principal.require("asset_setting", "write")
    now = now_ms()
    status = AssetDowntimeStatus(
        account_id=principal.account_id,
        id=new_id(),
        name=_name(session, principal.account_id, fields.get("name"), None),
        created_at=now,
        updated_at=now,
    )
    session.add(status)
    _status_event(session, principal, status, "CREATED")
    return status


def update_status(
    session: Session, principal: Principal, status_id: str, changes: Mapping[str, Any]
) -> AssetDowntimeStatus:
    status = _load_status(session, principal, status_id)
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
        asset.downtime_status = "not-available"
        asset.updated_at = now
        session.flush()
        record_event(
            session,
            account_id=principal.account_id,
            type=EventType.ASSET_UPDATED,
            resource_type="asset",
            resource_id=asset.id,
            payload=snapshot(asset),
            actor_user_id=principal.user_id,
        )


# ------------------------------------------------------------------------------------------ events


@dataclass
class DowntimeOutcome:
    """One input row's result: the new history row's id, or the reasons it was refused."""

    row: int
    recorded_id: str | None = None
    errors: list[tuple[str, str, Any]] = field(default_factory=list)  # (message, slug, offending value)


def _check_row(
    session: Session, principal: Principal, item: Mapping[str, Any], outcome: DowntimeOutcome
) -> tuple[Asset, str, int, str | None, str | None] | None:
    """Validate one event; on failure fill ``outcome.errors`` and return None."""
    account_id = principal.account_id
    errors = outcome.errors
    for key in item.get("unknown_keys", ()):
        errors.append((f"{key} not in schema", "not-in-schema", key))
    asset: Asset | None = None
    asset_id = item.get("asset_id")
    if not isinstance(asset_id, str) or not asset_id:
        errors.append(("assetId is required", "missing-asset-id", asset_id))
    else:
        asset = session.get(Asset, (account_id, asset_id))
        if asset is None or asset.deleted_at is not None or not visible(principal, asset):
            errors.append(("Asset not found", "asset-not-found", asset_id))
            asset = None
    status = item.get("status")
    if status not in BUILT_IN_DOWNTIME_STATUSES:
        errors.append(("Invalid status: must be available or not-available", "invalid-status", status))
    recorded_on: int | None = None
    raw_date = item.get("recorded_on")
    try:
        recorded_on = parse_instant(raw_date)
        if not 0 <= recorded_on <= MAX_MS:
            raise ValueError("out of range")
    except ValueError:
        errors.append(("Invalid recordedOn date", "invalid-recorded-on", raw_date))
    category_id = item.get("status_category_id")
    if category_id is not None:
        category = session.get(AssetDowntimeStatus, (account_id, str(category_id)))
        if category is None or category.deleted_at is not None:
            errors.append(("Invalid statusCategory", "invalid-status-category", category_id))
        elif status == "available":
            errors.append(
                ("statusCategory is only allowed with status not-available", "invalid-status-category", category_id)
            )
    user_id = item.get("user_id")
    if user_id is not None:
        user = session.get(User, (account_id, str(user_id)))
        if user is None or user.deleted_at is not None:
            errors.append(("User not found", "user-not-found", user_id))
    if errors or asset is None or recorded_on is None:
        return None
    return asset, str(status), recorded_on, category_id, user_id


def record_downtime(
    session: Session, principal: Principal, items: Sequence[Mapping[str, Any]]
) -> list[DowntimeOutcome]:
    """Record availability changes; each row succeeds or fails on its own (valid rows are kept).

    Items carry ``asset_id``, ``status``, ``recorded_on`` (raw), ``status_category_id``, ``user_id``
    and ``unknown_keys`` (keys the caller did not recognise).
    """
    principal.require("asset", "record_downtime")
    if not items:
        raise DomainValidation("at least one downtime event is required")
    if len(items) > MAX_EVENTS:
        raise DomainValidation(f"at most {MAX_EVENTS} downtime events per request")
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
                session.flush()
                record_event(
                    session,
                    account_id=principal.account_id,
                    type=EventType.ASSET_UPDATED,
                    resource_type="asset",
                    resource_id=asset.id,
                    payload=snapshot(asset),
                    actor_user_id=principal.user_id,
                )
    return outcomes
