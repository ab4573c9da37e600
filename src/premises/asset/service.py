"""Assets, write side: create, update, delete; assignments; single custom field values; single files
(``attach_file``, ``detach_file``: one file of the asset's list, the others kept in their order).

Every change records ASSET_CREATED / ASSET_UPDATED / ASSET_DELETED in the same transaction.
Location-based principals may only touch assets at their places where their role there allows the
action (``asset.visibility``), and may only put assets there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from premises.account.categories import require_category
from premises.asset import custom_fields, visibility
from premises.asset.commands import (
    AssetChanges,
    AssetCreate,
    AssetStatus,
    Availability,
    UsefulLife,
    UsefulLifeUnit,
    ValueChanges,
    values_of,
)
from premises.asset.fields import ASSETS, USEFUL_LIFE_MAX
from premises.assignment.service import Assignments
from premises.errors import DomainValidation, ErrorCode, NotFound
from premises.event.service import record_change
from premises.event.types import EventType
from premises.file.service import require_readable_files
from premises.identity.principal import Principal
from premises.kit.commands import given, require_non_negative, require_text
from premises.kit.ids import new_id
from premises.kit.references import require_all_live, require_live
from premises.kit.time import now_ms
from premises.models import (
    Asset,
    AssetDowntime,
    AssetDowntimeStatus,
    AssetFile,
    AssetLink,
    Contact,
    CustomFieldValue,
    StoredFile,
    User,
)
from premises.place.service import check_location, require_location

ASSET_STATUSES = values_of(AssetStatus)
BUILT_IN_DOWNTIME_STATUSES = values_of(Availability)
USEFUL_LIFE_UNITS = values_of(UsefulLifeUnit)
IMAGE_FIELDS = ("image_file_id", "purchase_receipt_file_id", "warranty_file_id")
# The writable fields the service stores as given (declared writable in ``asset.fields``); the others
# have rules of their own in ``_apply`` and the create / update functions.
OWN_RULES = frozenset(
    {
        "name",
        "status",
        "category",
        "availability_tracking_on",
        "downtime_status",
        "useful_life_quantity",
        "useful_life_units",
    }
)
SIMPLE_FIELDS = tuple(f.name for f in ASSETS if f.writable and f.name not in OWN_RULES)


# ------------------------------------------------------------------------------------------ loading


def visible(principal: Principal, asset: Asset, action: str = "read") -> bool:
    """Whether the principal sees the asset for ``action`` (the rule: ``asset.visibility``)."""
    return visibility.visible(principal, asset, action)


def check_asset(session: Session, principal: Principal, asset_id: str, field: str = "asset_id") -> Asset:
    """An asset another record names in a body: live and visible to the principal, else DomainValidation NOT_FOUND."""
    asset = session.get(Asset, (principal.account_id, asset_id))
    if asset is None or asset.deleted_at is not None or not visible(principal, asset):
        raise DomainValidation(ErrorCode.NOT_FOUND, field=field, id=asset_id)
    return asset


def load_asset(session: Session, principal: Principal, asset_id: str, action: str) -> Asset:
    """A live asset the principal may ``action``, locked for the rest of the transaction; else NotFound."""
    principal.require("asset", action)
    asset = session.get(Asset, (principal.account_id, asset_id), with_for_update=True)
    if asset is None or asset.deleted_at is not None or not visible(principal, asset, action):
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="asset")
    return asset


def _event(session: Session, principal: Principal, asset: Asset, type: EventType) -> None:
    record_change(session, principal, type, "asset", asset)


# ------------------------------------------------------------------------------------------ validation


def _check_category(session: Session, account_id: str, name: str) -> None:
    require_category(session, account_id, "asset", name)


def _check_parent(session: Session, principal: Principal, asset_id: str | None, parent_id: str) -> None:
    """The parent must be a live asset the principal sees, and neither the asset nor one of its descendants."""
    parent = check_asset(session, principal, parent_id, "parent_asset_id")
    seen: set[str] = set()
    current: Asset | None = parent
    while current is not None and current.id not in seen:
        if current.id == asset_id:
            raise DomainValidation(ErrorCode.ASSET_UNDER_ITSELF, field="parent_asset_id")
        seen.add(current.id)
        current = (
            session.get(Asset, (principal.account_id, current.parent_asset_id)) if current.parent_asset_id else None
        )


def _check_vendor(session: Session, account_id: str, vendor_id: str) -> None:
    contact = session.get(Contact, (account_id, vendor_id))
    if contact is None or contact.deleted_at is not None or not contact.is_vendor:
        raise DomainValidation(ErrorCode.NOT_FOUND, field="manufacturer_vendor_id", id=vendor_id)


def _downtime_status(session: Session, account_id: str, value: str) -> str:
    if value in BUILT_IN_DOWNTIME_STATUSES:
        return value
    status = session.get(AssetDowntimeStatus, (account_id, value))
    if status is None or status.deleted_at is not None:
        raise DomainValidation(ErrorCode.NOT_A_DOWNTIME_STATUS, field="downtime_status", value=value)
    return status.id


def _useful_life(value: UsefulLife | None) -> tuple[int | None, str | None]:
    if value is None:
        return None, None
    quantity, units = value.quantity, value.units
    if quantity is None:
        raise DomainValidation(ErrorCode.REQUIRED, field="useful_life.quantity")
    if units is None:
        raise DomainValidation(ErrorCode.REQUIRED, field="useful_life.units")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0 or quantity > USEFUL_LIFE_MAX:
        raise DomainValidation(ErrorCode.WRONG_TYPE, field="useful_life.quantity", expected="a non-negative integer")
    if units not in USEFUL_LIFE_UNITS:
        raise DomainValidation(ErrorCode.NOT_ONE_OF, field="useful_life.units", choices=", ".join(USEFUL_LIFE_UNITS))
    return quantity, str(units)


def _check_fields(session: Session, principal: Principal, asset_id: str | None, fields: Mapping[str, Any]) -> None:
    account_id = principal.account_id
    require_text(fields, "name")
    if "status" in fields and fields["status"] not in ASSET_STATUSES:
        raise DomainValidation(ErrorCode.NOT_ONE_OF, field="status", choices=", ".join(ASSET_STATUSES))
    if fields.get("category"):
        _check_category(session, account_id, fields["category"])
    if fields.get("location_id"):
        check_location(session, principal, fields["location_id"])
    elif "location_id" in fields:
        require_location(principal, None)
    if fields.get("parent_asset_id"):
        _check_parent(session, principal, asset_id, fields["parent_asset_id"])
    if fields.get("manufacturer_vendor_id"):
        _check_vendor(session, account_id, fields["manufacturer_vendor_id"])
    if fields.get("assigned_to_user_id"):
        require_live(session, User, account_id, fields["assigned_to_user_id"], "assigned_to_user_id")
    for column in IMAGE_FIELDS:
        if fields.get(column):
            require_live(session, StoredFile, account_id, fields[column], column)
    if fields.get("file_ids"):
        require_all_live(session, StoredFile, account_id, fields["file_ids"], "file")
    require_non_negative(fields, ("purchase_price", "residual_value"))


# ------------------------------------------------------------------------------------------ create / update


def _set_files(session: Session, asset: Asset, file_ids: Sequence[str]) -> None:
    session.execute(delete(AssetFile).where(AssetFile.account_id == asset.account_id, AssetFile.asset_id == asset.id))
    for position, file_id in enumerate(dict.fromkeys(file_ids)):
        session.add(AssetFile(account_id=asset.account_id, asset_id=asset.id, file_id=file_id, position=position))


def _record_downtime_change(session: Session, principal: Principal, asset: Asset, now: int) -> None:
    """An availability change made by editing the asset is history too."""
    custom = asset.downtime_status not in BUILT_IN_DOWNTIME_STATUSES
    session.add(
        AssetDowntime(
            account_id=asset.account_id,
            id=new_id(),
            asset_id=asset.id,
            status=Availability.NOT_AVAILABLE.value if custom else asset.downtime_status,
            status_category_id=asset.downtime_status if custom else None,
            user_id=principal.user_id,
            recorded_on=now,
            created_at=now,
        )
    )


def _apply(asset: Asset, fields: Mapping[str, Any]) -> None:
    for name in SIMPLE_FIELDS:
        if name in fields:
            setattr(asset, name, fields[name])
    if "status" in fields:
        asset.status = AssetStatus(fields["status"]).value
    if "name" in fields:
        asset.name = str(fields["name"]).strip()
    if "category" in fields:
        asset.category = fields["category"] or None
    if "availability_tracking_on" in fields:
        asset.availability_tracking_on = bool(fields["availability_tracking_on"])
    if "useful_life" in fields:
        asset.useful_life_quantity, asset.useful_life_units = _useful_life(fields["useful_life"])


def create_asset(session: Session, principal: Principal, command: AssetCreate) -> Asset:
    principal.require("asset", "create")
    fields = given(command)
    require_location(principal, fields.get("location_id"))
    if command.location_id:
        principal.require("asset", "create", at=command.location_id)  # the role at that place
    _check_fields(session, principal, None, fields)
    now = now_ms()
    asset = Asset(
        account_id=principal.account_id,
        id=new_id(),
        status=AssetStatus.ACTIVE.value,
        downtime_status=Availability.AVAILABLE.value,
        availability_tracking_on=False,
        created_by_user_id=principal.user_id,
        created_at=now,
        updated_at=now,
    )
    _apply(asset, fields)
    if fields.get("downtime_status"):
        asset.downtime_status = _downtime_status(session, principal.account_id, fields["downtime_status"])
    session.add(asset)
    session.flush()
    if asset.downtime_status != Availability.AVAILABLE:
        _record_downtime_change(session, principal, asset, now)
    _set_files(session, asset, fields.get("file_ids") or [])
    if command.custom_fields:
        custom_fields.put_values(session, principal, "asset", asset.id, command.custom_fields, now)
    if command.free_fields:
        custom_fields.put_free_fields(session, principal, "asset", asset.id, command.free_fields, now)
    _event(session, principal, asset, EventType.ASSET_CREATED)
    return asset


def update_asset(session: Session, principal: Principal, asset_id: str, command: AssetChanges) -> Asset:
    asset = load_asset(session, principal, asset_id, "update")
    changes = given(command)
    _check_fields(session, principal, asset.id, changes)
    now = now_ms()
    _apply(asset, changes)
    if changes.get("downtime_status"):
        status = _downtime_status(session, principal.account_id, changes["downtime_status"])
        if status != asset.downtime_status:
            asset.downtime_status = status
            _record_downtime_change(session, principal, asset, now)
    if "file_ids" in changes:
        _set_files(session, asset, changes["file_ids"] or [])
    if changes.get("custom_fields"):
        custom_fields.put_values(session, principal, "asset", asset.id, changes["custom_fields"], now)
    if changes.get("free_fields"):
        custom_fields.put_free_fields(session, principal, "asset", asset.id, changes["free_fields"], now)
    asset.updated_at = now
    _event(session, principal, asset, EventType.ASSET_UPDATED)
    return asset


def delete_asset(session: Session, principal: Principal, asset_id: str) -> None:
    """Soft delete. Sub-assets lose their parent (they stay, at the top of the hierarchy)."""
    asset = load_asset(session, principal, asset_id, "delete")
    now = now_ms()
    asset.deleted_at = now
    asset.updated_at = now
    _event(session, principal, asset, EventType.ASSET_DELETED)
    children = session.scalars(
        select(Asset).where(
            Asset.account_id == principal.account_id, Asset.parent_asset_id == asset.id, Asset.deleted_at.is_(None)
        )
    ).all()
    for child in children:
        child.parent_asset_id = None
        child.updated_at = now
        _event(session, principal, child, EventType.ASSET_UPDATED)


# ------------------------------------------------------------------------------------------ assignments

MEMBERS: Assignments[Asset] = Assignments(
    noun="an asset",
    link=AssetLink,
    record_column="asset_id",
    load=lambda session, principal, asset_id: load_asset(session, principal, asset_id, "update"),
    changed=lambda session, principal, asset: _event(session, principal, asset, EventType.ASSET_UPDATED),
)
assign_member = MEMBERS.assign
unassign_member = MEMBERS.unassign

# ------------------------------------------------------------------------------------------ one custom field


def _load_value(session: Session, principal: Principal, asset: Asset, field_id: str) -> CustomFieldValue:
    """A custom field value of the asset, by its own id or by the id of its typed definition."""
    value = session.get(CustomFieldValue, (principal.account_id, field_id))
    if value is None or value.owner_type != "asset" or value.owner_id != asset.id:
        value = session.scalars(
            select(CustomFieldValue).where(
                CustomFieldValue.account_id == principal.account_id,
                CustomFieldValue.owner_type == "asset",
                CustomFieldValue.owner_id == asset.id,
                CustomFieldValue.definition_id == field_id,
            )
        ).first()
    if value is None or (value.definition_id is not None and custom_fields.live_definition(session, value) is None):
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="custom field")
    return value


def update_custom_field(
    session: Session, principal: Principal, asset_id: str, field_id: str, changes: ValueChanges
) -> CustomFieldValue:
    asset = load_asset(session, principal, asset_id, "update")
    value = _load_value(session, principal, asset, field_id)
    now = now_ms()
    custom_fields.change_value(session, value, changes, now)
    asset.updated_at = now
    _event(session, principal, asset, EventType.ASSET_UPDATED)
    return value


def delete_custom_field(session: Session, principal: Principal, asset_id: str, field_id: str) -> None:
    asset = load_asset(session, principal, asset_id, "update")
    value = _load_value(session, principal, asset, field_id)
    session.delete(value)
    asset.updated_at = now_ms()
    _event(session, principal, asset, EventType.ASSET_UPDATED)


# ------------------------------------------------------------------------------------------ one file


def attach_file(session: Session, principal: Principal, asset_id: str, file_id: str) -> Asset:
    """Attach a live file the principal may read (``file``; else DomainValidation, as a missing one) after
    the asset's files. A file already attached stays where it is, and nothing is recorded."""
    asset = load_asset(session, principal, asset_id, "update")
    principal.require("file", "read")
    require_readable_files(session, principal, [file_id], "file")
    if session.get(AssetFile, (asset.account_id, asset.id, file_id)) is not None:
        return asset
    mine = (AssetFile.account_id == asset.account_id, AssetFile.asset_id == asset.id)
    last = session.scalar(select(func.max(AssetFile.position)).where(*mine))
    position = 0 if last is None else last + 1
    session.add(AssetFile(account_id=asset.account_id, asset_id=asset.id, file_id=file_id, position=position))
    asset.updated_at = now_ms()
    _event(session, principal, asset, EventType.ASSET_UPDATED)
    return asset


def detach_file(session: Session, principal: Principal, asset_id: str, file_id: str) -> None:
    """Take one file off the asset (the file itself stays); NotFound when it is not one of its files."""
    asset = load_asset(session, principal, asset_id, "update")
    link = session.get(AssetFile, (asset.account_id, asset.id, file_id))
    if link is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="file")
    session.delete(link)
    asset.updated_at = now_ms()
    _event(session, principal, asset, EventType.ASSET_UPDATED)
