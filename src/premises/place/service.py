"""Places, write side: create, update, move and delete places of the one hierarchy
(site > building > floor > unit > area, or UpKeep's generic "location"), their free custom fields,
and the users, teams, customers, vendors and files assigned to them.

Rules:
* A place without a parent is a ``site``; a place created under a parent is a generic ``location``
  unless a native API gives a more specific kind. Moving a site under a parent makes it a
  ``location``; detaching a ``location`` from its parent makes it a ``site``; other kinds keep theirs.
* A place cannot become its own ancestor.
* A place that still has live sub-places cannot be deleted (Conflict: "location has sub-locations").
* Location-based principals may only touch places inside their places (others are NotFound), and
  may only create places under one of them.

Every change records LOCATION_CREATED / LOCATION_UPDATED / LOCATION_DELETED in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from premises.assignment.service import Assignments
from premises.errors import Conflict, DomainValidation, NotFound, PermissionDenied
from premises.event.service import record_event, snapshot
from premises.event.types import EventType
from premises.identity.principal import Principal
from premises.identity.service import invalidate_principals
from premises.kit.counters import next_value
from premises.kit.ids import new_id
from premises.kit.references import require_all_live
from premises.kit.time import now_ms
from premises.models import CustomFieldValue, Place, PlaceLink, StoredFile
from premises.models.place import PLACE_KINDS

SIMPLE_FIELDS = ("name", "address", "latitude", "longitude", "hide_map")
MAX_DEPTH = 1000  # a guard against corrupt data; real hierarchies are a handful of levels deep


# ------------------------------------------------------------------------------------------ loading


def _ancestry(session: Session, place: Place) -> Iterator[Place]:
    """The place itself, then its parent, grandparent, ... up to the top (stops on a cycle)."""
    seen: set[str] = set()
    node: Place | None = place
    while node is not None and node.id not in seen and len(seen) < MAX_DEPTH:
        yield node
        seen.add(node.id)
        node = session.get(Place, (place.account_id, node.parent_id)) if node.parent_id else None


def _sees(session: Session, principal: Principal, place: Place) -> bool:
    """Whether a location-based principal's places contain this place (walks up, so it never goes stale)."""
    if principal.location_ids is None:
        return True
    return any(node.id in principal.location_ids for node in _ancestry(session, place))


def _load(session: Session, principal: Principal, place_id: str, action: str) -> Place:
    principal.require("location", action)
    place = session.get(Place, (principal.account_id, place_id), with_for_update=True)
    if place is None or place.deleted_at is not None or not _sees(session, principal, place):
        raise NotFound("location not found")
    return place


def _parent(session: Session, principal: Principal, parent_id: str) -> Place:
    parent = session.get(Place, (principal.account_id, parent_id))
    if parent is None or parent.deleted_at is not None or not _sees(session, principal, parent):
        raise DomainValidation(f"parentLocation {parent_id} not found", field="parentLocation")
    return parent


# ------------------------------------------------------------------------------------------ validation


def check_location(session: Session, principal: Principal, location_id: str, field: str = "location") -> Place:
    """A place another record names in a body: live and among the principal's places, else 400 "not found".

    A place a location-based principal may not see is reported exactly like a missing one.
    """
    place = session.get(Place, (principal.account_id, location_id))
    if place is None or place.deleted_at is not None or not _sees(session, principal, place):
        raise DomainValidation(f"{field} {location_id} not found", field=field)
    return place


def require_location(principal: Principal, location_id: str | None) -> None:
    """Location-based principals must put what they create at one of their places (else they could not see it)."""
    if principal.location_ids is not None and not location_id:
        raise DomainValidation("location cannot be null for location-based users", field="location")


def _check_fields(fields: Mapping[str, Any]) -> None:
    if "name" in fields and (fields["name"] is None or not str(fields["name"]).strip()):
        raise DomainValidation("name cannot be null", field="name")
    latitude = fields.get("latitude")
    if latitude is not None and not -90 <= latitude <= 90:
        raise DomainValidation("latitude must be between -90 and 90", field="latitude")
    longitude = fields.get("longitude")
    if longitude is not None and not -180 <= longitude <= 180:
        raise DomainValidation("longitude must be between -180 and 180", field="longitude")


def _event(session: Session, principal: Principal, place: Place, type: EventType) -> None:
    record_event(
        session,
        account_id=principal.account_id,
        type=type,
        resource_type="location",
        resource_id=place.id,
        payload=snapshot(place),
        actor_user_id=principal.user_id,
    )


# ------------------------------------------------------------------------------------------ custom fields


def _put_custom_fields(
    session: Session, principal: Principal, place: Place, items: Sequence[Mapping[str, Any]], now: int
) -> None:
    """Add custom fields; an item naming an existing field (by ``id``, else by ``name``) updates it."""
    existing = list(
        session.scalars(
            select(CustomFieldValue).where(
                CustomFieldValue.account_id == principal.account_id,
                CustomFieldValue.owner_type == "place",
                CustomFieldValue.owner_id == place.id,
            )
        )
    )
    by_id = {f.id: f for f in existing}
    by_name = {f.name: f for f in existing}
    for item in items:
        field: CustomFieldValue | None
        if item.get("id") is not None:
            field = by_id.get(item["id"])
            if field is None:
                raise DomainValidation(
                    f"customFieldsLocation custom field {item['id']} not found", field="customFieldsLocation"
                )
        else:
            field = by_name.get(item["name"])
        if field is None:
            field = CustomFieldValue(
                account_id=principal.account_id,
                id=new_id(),
                owner_type="place",
                owner_id=place.id,
                name=item["name"],
                value=item.get("value"),
                unit=item.get("unit"),
                created_by_user_id=principal.user_id,
                created_at=now,
                updated_at=now,
            )
            session.add(field)
            by_id[field.id] = field
        else:
            for name in ("name", "value", "unit"):
                if name in item:
                    setattr(field, name, item[name])
            field.updated_at = now
        if field.name is not None:
            by_name[field.name] = field


def _load_custom_field(session: Session, principal: Principal, place: Place, field_id: str) -> CustomFieldValue:
    field = session.get(CustomFieldValue, (principal.account_id, field_id))
    if field is None or field.owner_type != "place" or field.owner_id != place.id:
        raise NotFound("custom field not found")
    return field


def update_custom_field(
    session: Session, principal: Principal, place_id: str, field_id: str, changes: Mapping[str, Any]
) -> CustomFieldValue:
    place = _load(session, principal, place_id, "update")
    field = _load_custom_field(session, principal, place, field_id)
    if "name" in changes and (changes["name"] is None or not str(changes["name"]).strip()):
        raise DomainValidation("name cannot be null", field="name")
    now = now_ms()
    for name in ("name", "value", "unit"):
        if name in changes:
            setattr(field, name, changes[name])
    field.updated_at = now
    place.updated_at = now
    _event(session, principal, place, EventType.LOCATION_UPDATED)
    return field


def delete_custom_field(session: Session, principal: Principal, place_id: str, field_id: str) -> None:
    place = _load(session, principal, place_id, "update")
    field = _load_custom_field(session, principal, place, field_id)
    session.delete(field)
    place.updated_at = now_ms()
    _event(session, principal, place, EventType.LOCATION_UPDATED)


# ------------------------------------------------------------------------------------------ files


def _set_files(session: Session, principal: Principal, place: Place, file_ids: Sequence[str], now: int) -> None:
    """Replace the files attached to a place (kept as ``place_links`` of type ``file``)."""
    wanted = list(dict.fromkeys(file_ids))
    require_all_live(session, StoredFile, principal.account_id, wanted, "files")
    session.execute(
        delete(PlaceLink).where(
            PlaceLink.account_id == principal.account_id,
            PlaceLink.place_id == place.id,
            PlaceLink.link_type == "file",
        )
    )
    for offset, file_id in enumerate(wanted):
        # created_at orders the list: keep the order the client gave.
        session.add(
            PlaceLink(
                account_id=principal.account_id,
                place_id=place.id,
                link_type="file",
                member_id=file_id,
                created_at=now + offset,
            )
        )


# ------------------------------------------------------------------------------------------ places


def create_location(session: Session, principal: Principal, fields: Mapping[str, Any]) -> Place:
    principal.require("location", "create")
    _check_fields({"name": fields.get("name"), **fields})
    kind = fields.get("kind")
    if kind is not None and kind not in PLACE_KINDS:
        raise DomainValidation("kind must be one of " + ", ".join(PLACE_KINDS), field="kind")
    parent_id = fields.get("parent_id")
    if parent_id:
        _parent(session, principal, parent_id)
    elif principal.location_ids is not None:
        raise PermissionDenied("location-based users may only create sub-locations of their locations")
    now = now_ms()
    place = Place(
        account_id=principal.account_id,
        id=new_id(),
        record_no=next_value(session, principal.account_id, "record_no"),
        kind=kind or ("location" if parent_id else "site"),
        parent_id=parent_id or None,
        name=str(fields["name"]).strip(),
        address=fields.get("address"),
        latitude=fields.get("latitude"),
        longitude=fields.get("longitude"),
        hide_map=bool(fields.get("hide_map") or False),
        created_by_user_id=principal.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(place)
    session.flush()
    if fields.get("custom_fields"):
        _put_custom_fields(session, principal, place, fields["custom_fields"], now)
    if fields.get("file_ids"):
        _set_files(session, principal, place, fields["file_ids"], now)
    _event(session, principal, place, EventType.LOCATION_CREATED)
    invalidate_principals(principal.account_id)
    return place


def _move(session: Session, principal: Principal, place: Place, parent_id: str | None) -> None:
    if parent_id == place.parent_id:
        return
    if parent_id is None:
        if principal.location_ids is not None:
            # Top-level places are granted per user: a detached place would leave the user's reach.
            raise PermissionDenied("location-based users cannot make a location top-level")
        place.parent_id = None
        if place.kind == "location":
            place.kind = "site"
        return
    parent = _parent(session, principal, parent_id)
    if any(node.id == place.id for node in _ancestry(session, parent)):
        raise DomainValidation(
            "parentLocation cannot be the location itself or one of its sub-locations", field="parentLocation"
        )
    place.parent_id = parent.id
    if place.kind == "site":
        place.kind = "location"


def update_location(session: Session, principal: Principal, place_id: str, changes: Mapping[str, Any]) -> Place:
    place = _load(session, principal, place_id, "update")
    _check_fields(changes)
    now = now_ms()
    for name in SIMPLE_FIELDS:
        if name in changes:
            value = changes[name]
            if name == "name":
                value = str(value).strip()
            elif name == "hide_map":
                value = bool(value)
            setattr(place, name, value)
    if "parent_id" in changes:
        _move(session, principal, place, changes["parent_id"] or None)
        invalidate_principals(principal.account_id)
    if changes.get("custom_fields"):  # null does not delete custom fields (UpKeep)
        _put_custom_fields(session, principal, place, changes["custom_fields"], now)
    if "file_ids" in changes:
        _set_files(session, principal, place, changes["file_ids"] or [], now)
    place.updated_at = now
    _event(session, principal, place, EventType.LOCATION_UPDATED)
    return place


def delete_location(session: Session, principal: Principal, place_id: str) -> None:
    place = _load(session, principal, place_id, "delete")
    child = session.scalar(
        select(Place.id)
        .where(Place.account_id == principal.account_id, Place.parent_id == place.id, Place.deleted_at.is_(None))
        .limit(1)
    )
    if child is not None:
        raise Conflict("location has sub-locations")
    now = now_ms()
    place.deleted_at = now
    place.updated_at = now
    _event(session, principal, place, EventType.LOCATION_DELETED)
    invalidate_principals(principal.account_id)


# ------------------------------------------------------------------------------------------ assignments

MEMBERS: Assignments[Place] = Assignments(
    noun="a location",
    link=PlaceLink,
    record_column="place_id",
    load=lambda session, principal, place_id: _load(session, principal, place_id, "update"),
    changed=lambda session, principal, place: _event(session, principal, place, EventType.LOCATION_UPDATED),
)
assign_member = MEMBERS.assign
unassign_member = MEMBERS.unassign
