"""Places, write side: create, update, move and delete places of the one hierarchy
(site > building > floor > unit > area, or UpKeep's generic "location"), their free custom fields,
and the users, teams, customers, vendors and files assigned to them.

Rules:
* A place without a parent is a ``site``; a place created under a parent is a generic ``location``
  unless a native API gives a more specific kind. Moving a site under a parent makes it a
  ``location``; detaching a ``location`` from its parent makes it a ``site``; other kinds keep theirs.
* A place cannot become its own ancestor.
* A building is under a site, a floor under a site or building, a unit under a site, building or floor
  (``PARENT_KINDS``: checked on create with a kind and on every move under a parent).
* Every place keeps the id of its site (the top of its branch: its own id for a site) in ``site_id``;
  a move updates the moved branch.
* A site's ``time_zone`` is an IANA name (None: UTC).
* A place that still has live sub-places cannot be deleted (Conflict: "location has sub-locations").
* Location-based principals may only touch places inside their places (others are NotFound), and
  may only create places under one of them.

Every change records LOCATION_CREATED / LOCATION_UPDATED / LOCATION_DELETED in the same transaction.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Select, delete, select, update
from sqlalchemy.orm import Session, aliased

from premises.assignment.service import Assignments
from premises.errors import Conflict, DomainValidation, ErrorCode, NotFound, PermissionDenied
from premises.event.service import record_change
from premises.event.types import EventType
from premises.identity.principal import Principal
from premises.identity.service import invalidate_principals
from premises.kit.commands import given
from premises.kit.counters import next_value
from premises.kit.ids import new_id
from premises.kit.references import require_all_live
from premises.kit.text import required_text
from premises.kit.time import now_ms
from premises.models import CustomFieldValue, Place, PlaceLink, StoredFile
from premises.place.commands import CustomFieldChanges, CustomFieldPut, PlaceChanges, PlaceCreate, PlaceKind
from premises.place.fields import PLACES
from premises.preventive.recurrence import zone

# The writable fields an update stores as given (declared writable in ``place.fields``); a place's
# kind and parent change only by the hierarchy's rules (create_location, _move).
OWN_RULES = frozenset({"kind", "parent_id", "code", "time_zone"})
SIMPLE_FIELDS = tuple(f.name for f in PLACES if f.writable and f.name not in OWN_RULES)
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
    """The place, locked, if the principal sees it and its role there allows ``action`` (a role that
    may not do it anywhere hears so before a missing place is reported)."""
    place = session.get(Place, (principal.account_id, place_id), with_for_update=True)
    if place is None or place.deleted_at is not None or not _sees(session, principal, place):
        principal.require("location", action)
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="location")
    principal.require("location", action, at=place.id)  # the role at this place (ADR 9: per-site roles)
    return place


def _parent(session: Session, principal: Principal, parent_id: str) -> Place:
    parent = session.get(Place, (principal.account_id, parent_id))
    if parent is None or parent.deleted_at is not None or not _sees(session, principal, parent):
        raise DomainValidation(ErrorCode.NOT_FOUND, field="parent_id", id=parent_id)
    return parent


def _placement(session: Session, principal: Principal, parent_id: str | None, in_site: str | None) -> Place | None:
    """The place a place goes under: ``parent_id``, which must be in the site ``in_site`` when both are
    given; the site itself without a parent; None (top-level) without either."""
    site = None
    if in_site:
        site = check_location(session, principal, in_site, "in_site")
        if site.parent_id is not None:
            raise DomainValidation(ErrorCode.NOT_A_SITE, field="in_site")
    if not parent_id:
        return site
    parent = check_location(session, principal, parent_id, "parent_id")
    if site is not None and site_of(session, parent) != site.id:
        raise DomainValidation(ErrorCode.NOT_FOUND, field="parent_id", id=parent_id)
    return parent


def site_of(session: Session, place: Place) -> str:
    """The id of the site (top-level place) a place is under: its stored ``site_id``, else its root."""
    if place.site_id:
        return place.site_id
    *_, root = _ancestry(session, place)
    return root.id


def _below(place: Place) -> Select[tuple[str]]:
    """The ids of every place under ``place``, at any depth (a recursive walk down; UNION stops on a cycle)."""
    tree = (
        select(Place.id)
        .where(Place.account_id == place.account_id, Place.parent_id == place.id)
        .cte("below", recursive=True)
    )
    child = aliased(Place)
    tree = tree.union(select(child.id).where(child.account_id == place.account_id, child.parent_id == tree.c.id))
    return select(tree.c.id)


def _set_site(session: Session, place: Place, site_id: str) -> None:
    """Put a place and every place under it on ``site_id`` (after a move).

    The places below are locked first, then updated by a second statement: a place being created under
    one of them holds its parent's lock (``create_location``), so the update waits for it and then sees
    it; one created after the update waits for the lock and reads the new site from its parent."""
    if place.site_id == site_id:
        return
    place.site_id = site_id
    below = Place.account_id == place.account_id, Place.id.in_(_below(place))
    session.execute(select(Place.id).where(*below).with_for_update()).all()
    session.execute(update(Place).where(*below).values(site_id=site_id).execution_options(synchronize_session=False))


# ------------------------------------------------------------------------------------------ validation


def check_time_zone(value: str | None, field: str = "time_zone") -> str | None:
    """An IANA time zone name as given (trimmed), or None; else NOT_A_TIME_ZONE naming ``field``."""
    if value is None:
        return None
    return zone(value, field).key


def check_location(session: Session, principal: Principal, location_id: str, field: str = "location_id") -> Place:
    """A place another record names in ``field`` (a domain name): live and among the principal's places,
    else ``NOT_FOUND``. A place a location-based principal may not see is reported exactly like a missing one.
    """
    place = session.get(Place, (principal.account_id, location_id))
    if place is None or place.deleted_at is not None or not _sees(session, principal, place):
        raise DomainValidation(ErrorCode.NOT_FOUND, field=field, id=location_id)
    return place


def require_location(principal: Principal, location_id: str | None) -> None:
    """Location-based principals must put what they create at one of their places (else they could not see it)."""
    if principal.location_ids is not None and not location_id:
        raise DomainValidation(ErrorCode.LOCATION_REQUIRED_FOR_LOCATION_BASED, field="location_id")


def _require_name(value: Any, field: str) -> None:
    """Custom field names are stored as given, but never blank."""
    if not isinstance(value, str) or not value.strip():
        raise DomainValidation(ErrorCode.REQUIRED, field=field)


def _check_coordinates(fields: Mapping[str, Any]) -> None:
    for name, limit in (("latitude", 90), ("longitude", 180)):
        value = fields.get(name)
        if value is not None and not -limit <= value <= limit:
            raise DomainValidation(ErrorCode.NOT_BETWEEN, field=name, min=-limit, max=limit)


def _event(session: Session, principal: Principal, place: Place, type: EventType) -> None:
    record_change(session, principal, type, "location", place)


# ------------------------------------------------------------------------------------------ custom fields


def _put_custom_fields(
    session: Session, principal: Principal, place: Place, items: Sequence[CustomFieldPut], now: int
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
    for index, item in enumerate(items):
        changes = {name: value for name, value in given(item).items() if name != "id"}
        if "name" in changes or item.id is None:
            _require_name(changes.get("name"), f"custom_fields[{index}].name")
        field: CustomFieldValue | None
        if item.id is not None:
            field = by_id.get(item.id)
            if field is None:
                raise DomainValidation(ErrorCode.CUSTOM_FIELD_ITEM_NOT_FOUND, field="custom_fields", id=item.id)
        else:
            field = by_name.get(changes["name"])
        if field is None:
            field = CustomFieldValue(
                account_id=principal.account_id,
                id=new_id(),
                owner_type="place",
                owner_id=place.id,
                name=changes["name"],
                value=changes.get("value"),
                unit=changes.get("unit"),
                created_by_user_id=principal.user_id,
                created_at=now,
                updated_at=now,
            )
            session.add(field)
            by_id[field.id] = field
        else:
            for name, value in changes.items():
                setattr(field, name, value)
            field.updated_at = now
        if field.name is not None:
            by_name[field.name] = field


def _load_custom_field(session: Session, principal: Principal, place: Place, field_id: str) -> CustomFieldValue:
    field = session.get(CustomFieldValue, (principal.account_id, field_id))
    if field is None or field.owner_type != "place" or field.owner_id != place.id:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="custom field")
    return field


def update_custom_field(
    session: Session, principal: Principal, place_id: str, field_id: str, changes: CustomFieldChanges
) -> CustomFieldValue:
    place = _load(session, principal, place_id, "update")
    field = _load_custom_field(session, principal, place, field_id)
    fields = given(changes)
    if "name" in fields:
        _require_name(fields["name"], "name")
    now = now_ms()
    for name, value in fields.items():
        setattr(field, name, value)
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
    require_all_live(session, StoredFile, principal.account_id, wanted, "file_ids")
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


# ------------------------------------------------------------------------------------------ codes

CODE_MAX = 12  # a site's code: 1 to 12 letters or digits, stored upper-case ("LA" for Lux Apartments)
_CODE = re.compile(rf"[A-Z0-9]{{1,{CODE_MAX}}}", re.ASCII)


def clean_code(value: Any, field: str = "code") -> str:
    """A code as stored (upper-case), or NOT_A_CODE."""
    code = value.strip().upper() if isinstance(value, str) else ""
    if not _CODE.fullmatch(code):
        raise DomainValidation(ErrorCode.NOT_A_CODE, field=field, max=CODE_MAX)
    return code


def initials(name: str) -> str:
    """The initials of a name's words, upper-case ("Lux Apartments" -> "LA"); "S" when it has none."""
    letters = [word[0] for word in re.findall(r"[A-Za-z0-9]+", name, re.ASCII)]
    return "".join(letters).upper()[: CODE_MAX - 3] or "S"


def _code_taken(session: Session, account_id: str, code: str, place_id: str | None) -> bool:
    query = select(Place.id).where(Place.account_id == account_id, Place.code == code, Place.deleted_at.is_(None))
    if place_id is not None:
        query = query.where(Place.id != place_id)
    return session.scalar(query.limit(1)) is not None


def _derived_code(session: Session, account_id: str, name: str) -> str:
    """The name's initials, followed by 2, 3, ... when a live place of the account has them already."""
    base = initials(name)
    code, n = base, 1
    while _code_taken(session, account_id, code, None):
        n += 1
        code = f"{base}{n}"
    return code


def _set_code(session: Session, place: Place, value: Any) -> None:
    """Give a place a code (None: none); unique among the account's live places (the index decides
    under a race: ``ix_places_account_code``)."""
    code = None if value is None else clean_code(value)
    if code is not None and _code_taken(session, place.account_id, code, place.id):
        raise Conflict(ErrorCode.DUPLICATE, field="code", record="site")
    place.code = code


# ------------------------------------------------------------------------------------------ places


def _kind(value: PlaceKind | str | None) -> PlaceKind | None:
    if value is None:
        return None
    try:
        return PlaceKind(value)
    except ValueError:
        raise DomainValidation(ErrorCode.NOT_ONE_OF, field="kind", choices=", ".join(PlaceKind)) from None


# Where a place of these kinds may be: the kinds its parent may have (None: top-level). Areas and
# UpKeep's generic locations may be anywhere, and /api/v2 never gives a kind.
PARENT_KINDS: Mapping[PlaceKind, tuple[PlaceKind | None, ...]] = {
    PlaceKind.SITE: (None,),
    PlaceKind.BUILDING: (PlaceKind.SITE,),
    PlaceKind.FLOOR: (PlaceKind.SITE, PlaceKind.BUILDING),
    PlaceKind.UNIT: (PlaceKind.SITE, PlaceKind.BUILDING, PlaceKind.FLOOR),
}


def check_parent_kind(kind: PlaceKind | str | None, parent: Place | None) -> None:
    """A place of ``kind`` may be under ``parent`` (``PARENT_KINDS``), else NOT_ONE_OF naming the parent."""
    allowed = PARENT_KINDS.get(PlaceKind(kind)) if kind is not None else None
    if allowed is None:
        return
    if parent is None and None not in allowed:
        raise DomainValidation(ErrorCode.REQUIRED, field="parent_id")
    if parent is not None and parent.kind not in allowed:
        choices = ", ".join(k.value for k in allowed if k is not None) or "none (top-level)"
        raise DomainValidation(ErrorCode.NOT_ONE_OF, field="parent_id", choices=choices)


def create_location(session: Session, principal: Principal, command: PlaceCreate) -> Place:
    parent_id = command.parent_id or command.in_site or None
    if not (parent_id and principal.site_roles):  # a sub-place under a per-site role: decided at its parent
        principal.require("location", "create")
    name = required_text(command.name, "name")
    _check_coordinates({"latitude": command.latitude, "longitude": command.longitude})
    kind = _kind(command.kind)
    time_zone = check_time_zone(command.time_zone)
    site_id: str | None = None
    parent = _placement(session, principal, command.parent_id, command.in_site)
    check_parent_kind(kind, parent)
    if parent is not None:
        # Locked and read again: a move of the branch above (``_set_site``) is then either done, and its
        # site is read here, or waits for this place and updates it too.
        session.refresh(parent, with_for_update=True)
        parent_id, site_id = parent.id, site_of(session, parent)
        principal.require("location", "create", at=parent_id)
    elif principal.location_ids is not None:
        raise PermissionDenied(ErrorCode.TOP_LEVEL_CREATE_FOR_LOCATION_BASED)
    now = now_ms()
    place = Place(
        account_id=principal.account_id,
        id=new_id(),
        record_no=next_value(session, principal.account_id, "record_no"),
        kind=(kind or (PlaceKind.LOCATION if parent_id else PlaceKind.SITE)).value,
        parent_id=parent_id,
        name=name,
        code=None,
        number=command.number,
        address=command.address,
        time_zone=time_zone,
        latitude=command.latitude,
        longitude=command.longitude,
        hide_map=bool(command.hide_map),
        created_by_user_id=principal.user_id,
        created_at=now,
        updated_at=now,
    )
    if command.code is not None:
        _set_code(session, place, command.code)
    elif command.derive_code:
        # After next_value: the account's counter row stays locked until commit, so parallel creations
        # derive one after another and never take the same code (tests/concurrency/test_v1_sites.py).
        place.code = _derived_code(session, principal.account_id, name)
    place.site_id = site_id or place.id
    session.add(place)
    session.flush()
    if command.custom_fields:
        _put_custom_fields(session, principal, place, command.custom_fields, now)
    if command.file_ids:
        _set_files(session, principal, place, command.file_ids, now)
    _event(session, principal, place, EventType.LOCATION_CREATED)
    invalidate_principals(principal.account_id)
    return place


def _move(session: Session, principal: Principal, place: Place, parent_id: str | None) -> None:
    if parent_id == place.parent_id:
        return
    if parent_id is None:
        if principal.location_ids is not None:
            # Top-level places are granted per user: a detached place would leave the user's reach.
            raise PermissionDenied(ErrorCode.TOP_LEVEL_MOVE_FOR_LOCATION_BASED)
        place.parent_id = None
        if place.kind == PlaceKind.LOCATION:
            place.kind = PlaceKind.SITE.value
        _set_site(session, place, place.id)
        return
    parent = _parent(session, principal, parent_id)
    if any(node.id == place.id for node in _ancestry(session, parent)):
        raise DomainValidation(ErrorCode.PLACE_UNDER_ITSELF, field="parent_id")
    if place.kind != PlaceKind.SITE:  # a site moved under a parent becomes a location (UpKeep)
        check_parent_kind(place.kind, parent)
    place.parent_id = parent.id
    if place.kind == PlaceKind.SITE:
        place.kind = PlaceKind.LOCATION.value
    _set_site(session, place, site_of(session, parent))


def update_location(session: Session, principal: Principal, place_id: str, changes: PlaceChanges) -> Place:
    place = _load(session, principal, place_id, "update")
    fields = given(changes)
    _check_coordinates(fields)
    if "name" in fields:
        fields["name"] = required_text(fields["name"], "name")
    now = now_ms()
    for name in SIMPLE_FIELDS:
        if name in fields:
            setattr(place, name, bool(fields[name]) if name == "hide_map" else fields[name])
    if "code" in fields:
        _set_code(session, place, fields["code"])
    if "time_zone" in fields:
        place.time_zone = check_time_zone(fields["time_zone"])
    if "parent_id" in fields or "in_site" in fields:
        parent = _placement(session, principal, fields.get("parent_id"), fields.get("in_site"))
        _move(session, principal, place, parent.id if parent is not None else None)
        invalidate_principals(principal.account_id)
    if fields.get("custom_fields"):  # null does not delete custom fields (UpKeep)
        _put_custom_fields(session, principal, place, fields["custom_fields"], now)
    if "file_ids" in fields:
        _set_files(session, principal, place, fields["file_ids"] or (), now)
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
        raise Conflict(ErrorCode.HAS_SUB_PLACES, record="location")
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
