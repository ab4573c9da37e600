"""Parts, write side: create, update, delete; free custom fields; teams; parts assigned to assets; categories.

Every change records PART_CREATED / PART_UPDATED / PART_DELETED in the same transaction. The count on
hand changes only through ``part.inventory.move`` (a ledger row each time): a part created with a
quantity records "created", a quantity set on the part records "adjusted" with the difference.
Location-based principals see and change only the parts at their places (``part.visibility``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from premises.account.categories import category_name, load_category, require_category
from premises.asset import custom_fields
from premises.asset.service import load_asset
from premises.errors import DomainValidation, ErrorCode, NotFound
from premises.event.service import record_change
from premises.event.types import EventType
from premises.identity.principal import Principal
from premises.kit.commands import given, require_non_negative, require_text
from premises.kit.ids import new_id
from premises.kit.references import require_all_live, require_live
from premises.kit.time import now_ms
from premises.models import AssetPart, Category, CustomFieldValue, Part, PartFile, PartTeam, StoredFile, Team
from premises.part import inventory, visibility
from premises.part.commands import PartCategoryCreate, PartChanges, PartCreate, ValueChanges
from premises.part.fields import PARTS
from premises.place.service import check_location, require_location

OWNER = "part"  # custom_field_values.owner_type of a part's fields
# The writable fields the service stores as given; the others have rules of their own.
OWN_RULES = frozenset({"name", "quantity", "category"})
SIMPLE_FIELDS = tuple(f.name for f in PARTS if f.writable and f.name not in OWN_RULES)
NON_NEGATIVE = ("cost", "quantity", "minimum_quantity")


# ------------------------------------------------------------------------------------------ loading


def load_part(session: Session, principal: Principal, part_id: str, action: str) -> Part:
    """A live part the principal may ``action``, locked for the rest of the transaction; else NotFound."""
    principal.require("part", action)
    part = session.get(Part, (principal.account_id, part_id), with_for_update=True)
    if part is None or part.deleted_at is not None or not visibility.visible(principal, part, action):
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="part")
    return part


def check_part(session: Session, principal: Principal, part_id: str, field: str) -> Part:
    """A part another record names in a body: live and visible to the principal, else DomainValidation NOT_FOUND."""
    part = session.get(Part, (principal.account_id, part_id))
    if part is None or part.deleted_at is not None or not visibility.visible(principal, part):
        raise DomainValidation(ErrorCode.NOT_FOUND, field=field, id=part_id)
    return part


def _event(session: Session, principal: Principal, part: Part, type: EventType) -> None:
    record_change(session, principal, type, "part", part)


# ------------------------------------------------------------------------------------------ validation


def _check_category(session: Session, account_id: str, name: str) -> None:
    require_category(session, account_id, "part", name)


def _check_parent(session: Session, principal: Principal, part_id: str | None, parent_id: str) -> None:
    """The parent must be a live part the principal sees, and neither the part nor one of its sub-parts."""
    current: Part | None = check_part(session, principal, parent_id, "parent_part_id")
    seen: set[str] = set()
    while current is not None and current.id not in seen:
        if current.id == part_id:
            raise DomainValidation(ErrorCode.PART_UNDER_ITSELF, field="parent_part_id")
        seen.add(current.id)
        current = session.get(Part, (principal.account_id, current.parent_part_id)) if current.parent_part_id else None


def _check_fields(session: Session, principal: Principal, part_id: str | None, fields: Mapping[str, Any]) -> None:
    account_id = principal.account_id
    require_text(fields, "name")
    require_non_negative(fields, NON_NEGATIVE)
    if fields.get("category"):
        _check_category(session, account_id, fields["category"])
    if fields.get("location_id"):
        check_location(session, principal, fields["location_id"])
    elif "location_id" in fields:
        require_location(principal, None)
    if fields.get("parent_part_id"):
        _check_parent(session, principal, part_id, fields["parent_part_id"])
    if fields.get("image_file_id"):
        require_live(session, StoredFile, account_id, fields["image_file_id"], "image_file_id")
    if fields.get("file_ids"):
        require_all_live(session, StoredFile, account_id, fields["file_ids"], "file")


def _apply(part: Part, fields: Mapping[str, Any]) -> None:
    for name in SIMPLE_FIELDS:
        if name in fields:
            setattr(part, name, fields[name])
    if "name" in fields:
        part.name = str(fields["name"]).strip()
    if "category" in fields:
        part.category = fields["category"] or None
    for name in ("cost", "minimum_quantity"):
        if fields.get(name) is not None:
            setattr(part, name, inventory.rounded(fields[name]))


def _set_files(session: Session, part: Part, file_ids: Sequence[str]) -> None:
    session.execute(delete(PartFile).where(PartFile.account_id == part.account_id, PartFile.part_id == part.id))
    for position, file_id in enumerate(dict.fromkeys(file_ids)):
        session.add(PartFile(account_id=part.account_id, part_id=part.id, file_id=file_id, position=position))


# ------------------------------------------------------------------------------------------ create / update


def create_part(session: Session, principal: Principal, command: PartCreate) -> Part:
    principal.require("part", "create")
    fields = given(command)
    require_location(principal, fields.get("location_id"))
    if command.location_id:
        principal.require("part", "create", at=command.location_id)
    _check_fields(session, principal, None, fields)
    now = now_ms()
    part = Part(
        account_id=principal.account_id,
        id=new_id(),
        quantity=0.0,
        created_by_user_id=principal.user_id,
        created_at=now,
        updated_at=now,
    )
    _apply(part, fields)
    session.add(part)
    session.flush()
    if command.quantity:
        inventory.move(
            session,
            account_id=part.account_id,
            part_id=part.id,
            delta=command.quantity,
            reason=inventory.Reason.CREATED,
            user_id=principal.user_id,
        )
    _set_files(session, part, command.file_ids)
    if command.custom_fields:
        custom_fields.put_free_fields(session, principal, OWNER, part.id, command.custom_fields, now, "custom_fields")
    _event(session, principal, part, EventType.PART_CREATED)
    return part


def update_part(session: Session, principal: Principal, part_id: str, command: PartChanges) -> Part:
    part = load_part(session, principal, part_id, "update")
    changes = given(command)
    if "quantity" in changes and changes["quantity"] is None:
        raise DomainValidation(ErrorCode.REQUIRED, field="quantity")
    _check_fields(session, principal, part.id, changes)
    now = now_ms()
    _apply(part, changes)
    if "quantity" in changes:
        inventory.move(
            session,
            account_id=part.account_id,
            part_id=part.id,
            delta=inventory.rounded(changes["quantity"]) - (part.quantity or 0),
            reason=inventory.Reason.ADJUSTED,
            user_id=principal.user_id,
        )
    if "file_ids" in changes:
        _set_files(session, part, changes["file_ids"] or [])
    if changes.get("custom_fields"):  # null does not delete custom fields (UpKeep)
        custom_fields.put_free_fields(
            session, principal, OWNER, part.id, changes["custom_fields"], now, "custom_fields"
        )
    part.updated_at = now
    _event(session, principal, part, EventType.PART_UPDATED)
    return part


def delete_part(session: Session, principal: Principal, part_id: str) -> None:
    """Soft delete. Work orders that used the part keep it in their history; assets and sub-parts lose it."""
    part = load_part(session, principal, part_id, "delete")
    now = now_ms()
    part.deleted_at = now
    part.updated_at = now
    _event(session, principal, part, EventType.PART_DELETED)
    children = session.scalars(
        select(Part).where(
            Part.account_id == part.account_id, Part.parent_part_id == part.id, Part.deleted_at.is_(None)
        )
    ).all()
    for child in children:
        child.parent_part_id = None
        child.updated_at = now
        _event(session, principal, child, EventType.PART_UPDATED)


# ------------------------------------------------------------------------------------------ one custom field


def update_custom_field(
    session: Session, principal: Principal, part_id: str, field_id: str, changes: ValueChanges
) -> CustomFieldValue:
    part = load_part(session, principal, part_id, "update")
    value = custom_fields.change_owned_value(session, principal.account_id, OWNER, part, field_id, changes)
    _event(session, principal, part, EventType.PART_UPDATED)
    return value


def delete_custom_field(session: Session, principal: Principal, part_id: str, field_id: str) -> None:
    part = load_part(session, principal, part_id, "update")
    custom_fields.delete_owned_value(session, principal.account_id, OWNER, part, field_id)
    _event(session, principal, part, EventType.PART_UPDATED)


# ------------------------------------------------------------------------------------------ teams


def _live_team(session: Session, account_id: str, team_id: str) -> Team:
    team = session.get(Team, (account_id, team_id))
    if team is None or team.deleted_at is not None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="team")
    return team


def assign_team(session: Session, principal: Principal, part_id: str, team_id: str) -> None:
    """Assign a team to the part (idempotent); a missing team is NotFound."""
    part = load_part(session, principal, part_id, "update")
    _live_team(session, principal.account_id, team_id)
    if session.get(PartTeam, (principal.account_id, part.id, team_id)) is not None:
        return
    now = now_ms()
    session.add(PartTeam(account_id=principal.account_id, part_id=part.id, team_id=team_id, created_at=now))
    part.updated_at = now
    _event(session, principal, part, EventType.PART_UPDATED)


def unassign_team(session: Session, principal: Principal, part_id: str, team_id: str) -> None:
    """Remove a team from the part; a live team that is not assigned is a no-op, a missing one NotFound."""
    part = load_part(session, principal, part_id, "update")
    link = session.get(PartTeam, (principal.account_id, part.id, team_id))
    if link is None:
        _live_team(session, principal.account_id, team_id)
        return
    session.delete(link)
    part.updated_at = now_ms()
    _event(session, principal, part, EventType.PART_UPDATED)


# ------------------------------------------------------------------------------------------ parts of assets


def _visible_part(session: Session, principal: Principal, part_id: str) -> Part:
    """A part named in a path: live and visible, else NotFound."""
    principal.require("part", "read")
    part = session.get(Part, (principal.account_id, part_id))
    if part is None or part.deleted_at is not None or not visibility.visible(principal, part):
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="part")
    return part


def assign_to_asset(session: Session, principal: Principal, asset_id: str, part_id: str) -> None:
    """Assign a part to an asset (idempotent): a change of the asset, under its row lock (ASSET_UPDATED)."""
    asset = load_asset(session, principal, asset_id, "update")
    part = _visible_part(session, principal, part_id)
    if session.get(AssetPart, (principal.account_id, asset.id, part.id)) is not None:
        return
    now = now_ms()
    session.add(AssetPart(account_id=principal.account_id, asset_id=asset.id, part_id=part.id, created_at=now))
    asset.updated_at = now
    _asset_event(session, principal, asset)


def remove_from_asset(session: Session, principal: Principal, asset_id: str, part_id: str) -> None:
    """Remove a part from an asset; a visible part that is not assigned is a no-op."""
    asset = load_asset(session, principal, asset_id, "update")
    link = session.get(AssetPart, (principal.account_id, asset.id, part_id))
    if link is None:
        _visible_part(session, principal, part_id)
        return
    session.delete(link)
    asset.updated_at = now_ms()
    _asset_event(session, principal, asset)


def _asset_event(session: Session, principal: Principal, asset: Any) -> None:
    record_change(session, principal, EventType.ASSET_UPDATED, "asset", asset)


# ------------------------------------------------------------------------------------------ categories


def create_category(session: Session, principal: Principal, command: PartCategoryCreate) -> Category:
    """Add a part category at the end of the account's list (names are unique per kind, exactly as written)."""
    principal.require("part_category", "write")
    account_id = principal.account_id
    name = category_name(session, account_id, "part", command.name, record="part category")
    position = session.scalar(
        select(func.coalesce(func.max(Category.position) + 1, 0)).where(
            Category.account_id == account_id, Category.kind == "part"
        )
    )
    category = Category(
        account_id=account_id, id=new_id(), kind="part", name=name, position=int(position or 0), created_at=now_ms()
    )
    session.add(category)
    session.flush()
    return category


def delete_category(session: Session, principal: Principal, category_id: str) -> None:
    """Remove a part category; parts that have it keep the name (as a deleted work-order category does)."""
    principal.require("part_category", "write")
    session.delete(load_category(session, principal.account_id, "part", category_id, record="part category"))
