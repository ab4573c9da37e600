"""Assets, write side: create, update, delete; assignments; single custom field values.

Every change records ASSET_CREATED / ASSET_UPDATED / ASSET_DELETED in the same transaction.
Location-based principals may only touch assets at their places, and may only put assets there.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from premises.asset import custom_fields
from premises.assignment.service import Assignments
from premises.errors import DomainValidation, NotFound
from premises.event.service import record_event, snapshot
from premises.event.types import EventType
from premises.identity.principal import Principal
from premises.kit.ids import new_id
from premises.kit.references import require_all_live, require_live
from premises.kit.time import now_ms
from premises.models import (
    Asset,
    AssetDowntime,
    AssetDowntimeStatus,
    AssetFile,
    AssetLink,
    Category,
    Contact,
    CustomFieldValue,
    StoredFile,
    User,
)
from premises.place.service import check_location, require_location

ASSET_STATUSES = ("active", "inactive")
BUILT_IN_DOWNTIME_STATUSES = ("available", "not-available")
USEFUL_LIFE_UNITS = ("days", "weeks", "months", "years")
IMAGE_FIELDS = {
    "image_file_id": "image",
    "purchase_receipt_file_id": "purchaseReceipt",
    "warranty_file_id": "warrantyFile",
}
SIMPLE_FIELDS = (
    "description",
    "model",
    "serial",
    "serial_number",
    "additional_information",
    "notes",
    "area",
    "purchase_date",
    "placed_in_service_date",
    "warranty_expiration",
    "purchase_price",
    "residual_value",
    "check_in_procedure",
    "check_out_procedure",
    "availability_status",
    "manufacturer_vendor_id",
    "assigned_to_user_id",
    *IMAGE_FIELDS,
)


# ------------------------------------------------------------------------------------------ loading


def visible(principal: Principal, asset: Asset) -> bool:
    return principal.location_ids is None or (
        asset.location_id is not None and asset.location_id in principal.location_ids
    )


def check_asset(session: Session, principal: Principal, asset_id: str, field: str = "asset") -> Asset:
    """An asset another record names in a body: live and visible to the principal, else 400 "not found"."""
    asset = session.get(Asset, (principal.account_id, asset_id))
    if asset is None or asset.deleted_at is not None or not visible(principal, asset):
        raise DomainValidation(f"{field} {asset_id} not found", field=field)
    return asset


def load_asset(session: Session, principal: Principal, asset_id: str, action: str) -> Asset:
    """A live asset the principal may ``action``, locked for the rest of the transaction; else NotFound."""
    principal.require("asset", action)
    asset = session.get(Asset, (principal.account_id, asset_id), with_for_update=True)
    if asset is None or asset.deleted_at is not None or not visible(principal, asset):
        raise NotFound("asset not found")
    return asset


def _event(session: Session, principal: Principal, asset: Asset, type: EventType) -> None:
    session.flush()
    record_event(
        session,
        account_id=principal.account_id,
        type=type,
        resource_type="asset",
        resource_id=asset.id,
        payload=snapshot(asset),
        actor_user_id=principal.user_id,
    )


# ------------------------------------------------------------------------------------------ validation


def _check_category(session: Session, account_id: str, name: str) -> None:
    found = session.scalar(
        select(Category.id).where(Category.account_id == account_id, Category.kind == "asset", Category.name == name)
    )
    if found is None:
        raise DomainValidation(f"category {name} is not one of the account's asset categories", field="category")


def _check_parent(session: Session, principal: Principal, asset_id: str | None, parent_id: str) -> None:
    """The parent must be a live asset the principal sees, and neither the asset nor one of its descendants."""
    parent = session.get(Asset, (principal.account_id, parent_id))
    if parent is None or parent.deleted_at is not None or not visible(principal, parent):
        raise DomainValidation(f"parentAsset {parent_id} not found", field="parentAsset")
    seen: set[str] = set()
    current: Asset | None = parent
    while current is not None and current.id not in seen:
        if current.id == asset_id:
            raise DomainValidation(
                "parentAsset cannot be the asset itself or one of its sub-assets", field="parentAsset"
            )
        seen.add(current.id)
        current = (
            session.get(Asset, (principal.account_id, current.parent_asset_id)) if current.parent_asset_id else None
        )


def _check_vendor(session: Session, account_id: str, vendor_id: str) -> None:
    contact = session.get(Contact, (account_id, vendor_id))
    if contact is None or contact.deleted_at is not None or not contact.is_vendor:
        raise DomainValidation(f"manufacturerVendor {vendor_id} not found", field="manufacturerVendor")


def _downtime_status(session: Session, account_id: str, value: str) -> str:
    if value in BUILT_IN_DOWNTIME_STATUSES:
        return value
    status = session.get(AssetDowntimeStatus, (account_id, value))
    if status is None or status.deleted_at is not None:
        raise DomainValidation(
            "downtimeStatus must be available, not-available or the ID of an asset downtime status",
            field="downtimeStatus",
        )
    return status.id


def _useful_life(value: Mapping[str, Any] | None) -> tuple[int | None, str | None]:
    if value is None:
        return None, None
    quantity, units = value.get("quantity"), value.get("units")
    if quantity is None:
        raise DomainValidation("usefulLife.quantity cannot be null", field="usefulLife")
    if units is None:
        raise DomainValidation("usefulLife.units cannot be null", field="usefulLife")
    if isinstance(quantity, bool) or not isinstance(quantity, int) or quantity < 0 or quantity > 1_000_000:
        raise DomainValidation("usefulLife.quantity must be a non-negative integer", field="usefulLife")
    if units not in USEFUL_LIFE_UNITS:
        raise DomainValidation("usefulLife.units must be one of " + ", ".join(USEFUL_LIFE_UNITS), field="usefulLife")
    return quantity, units


def _check_fields(session: Session, principal: Principal, asset_id: str | None, fields: Mapping[str, Any]) -> None:
    account_id = principal.account_id
    if "name" in fields and (fields["name"] is None or not str(fields["name"]).strip()):
        raise DomainValidation("name cannot be null", field="name")
    if "status" in fields and fields["status"] not in ASSET_STATUSES:
        raise DomainValidation("status must be either active or inactive", field="status")
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
        require_live(session, User, account_id, fields["assigned_to_user_id"], "assignedToUser")
    for column, wire in IMAGE_FIELDS.items():
        if fields.get(column):
            require_live(session, StoredFile, account_id, fields[column], wire)
    if fields.get("file_ids"):
        require_all_live(session, StoredFile, account_id, fields["file_ids"], "file")
    for column in ("purchase_price", "residual_value"):
        value = fields.get(column)
        if value is not None and value < 0:
            wire = "purchasePrice" if column == "purchase_price" else "residualValue"
            raise DomainValidation(f"{wire} must not be negative", field=wire)


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
            status="not-available" if custom else asset.downtime_status,
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
    for name in ("status", "location_id", "parent_asset_id"):
        if name in fields:
            setattr(asset, name, fields[name])
    if "name" in fields:
        asset.name = str(fields["name"]).strip()
    if "category" in fields:
        asset.category = fields["category"] or None
    if "availability_tracking_on" in fields:
        asset.availability_tracking_on = bool(fields["availability_tracking_on"])
    if "useful_life" in fields:
        asset.useful_life_quantity, asset.useful_life_units = _useful_life(fields["useful_life"])


def create_asset(session: Session, principal: Principal, fields: Mapping[str, Any]) -> Asset:
    principal.require("asset", "create")
    require_location(principal, fields.get("location_id"))
    _check_fields(session, principal, None, fields)
    now = now_ms()
    asset = Asset(
        account_id=principal.account_id,
        id=new_id(),
        status="active",
        downtime_status="available",
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
    if asset.downtime_status != "available":
        _record_downtime_change(session, principal, asset, now)
    _set_files(session, asset, fields.get("file_ids") or [])
    if fields.get("custom_fields"):
        custom_fields.put_values(session, principal, "asset", asset.id, fields["custom_fields"], now)
    if fields.get("legacy_custom_fields"):
        custom_fields.put_free_fields(session, principal, "asset", asset.id, fields["legacy_custom_fields"], now)
    _event(session, principal, asset, EventType.ASSET_CREATED)
    return asset


def update_asset(session: Session, principal: Principal, asset_id: str, changes: Mapping[str, Any]) -> Asset:
    asset = load_asset(session, principal, asset_id, "update")
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
    if changes.get("legacy_custom_fields"):
        custom_fields.put_free_fields(session, principal, "asset", asset.id, changes["legacy_custom_fields"], now)
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
        raise NotFound("custom field not found")
    return value


def update_custom_field(
    session: Session, principal: Principal, asset_id: str, field_id: str, changes: Mapping[str, Any]
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
