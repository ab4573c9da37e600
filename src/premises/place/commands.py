"""What the place services take: typed commands with domain names (style: ``premises.kit.commands``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from premises.kit.commands import UNSET, Unset


class PlaceKind(StrEnum):
    """The levels of the one place hierarchy; ``location`` is UpKeep's generic place under a parent.

    The stored values are ``models.place.PLACE_KINDS``.
    """

    SITE = "site"
    BUILDING = "building"
    FLOOR = "floor"
    UNIT = "unit"
    AREA = "area"
    LOCATION = "location"


@dataclass(frozen=True, slots=True)
class CustomFieldChanges:
    """A change to one free custom field of a place: a field left ``UNSET`` keeps its value."""

    name: str | Unset = UNSET
    value: str | Unset | None = UNSET
    unit: str | Unset | None = UNSET


@dataclass(frozen=True, slots=True)
class CustomFieldPut:
    """One item of a place's ``custom_fields``: with ``id``, a change to that field; else a field by ``name``
    (added when the place has none of that name, changed when it has)."""

    id: str | None = None
    name: str | Unset = UNSET
    value: str | Unset | None = UNSET
    unit: str | Unset | None = UNSET


@dataclass(frozen=True, slots=True)
class PlaceCreate:
    """A new place. Without ``kind``: a ``site`` at the top, a ``location`` under ``parent_id``.
    ``code``: the site's code (the prefix of its case codes); ``derive_code``: without a code, take the
    name's initials, made unique in the account (/v1's sites; /api/v2 sets none). ``in_site``: the site
    the place must be in (/v1's units): under ``parent_id``, which must be in that site, else right
    under the site. ``number``: a unit's number; ``time_zone``: a site's IANA time zone."""

    name: str
    parent_id: str | None = None
    in_site: str | None = None
    kind: PlaceKind | None = None
    code: str | None = None
    derive_code: bool = False
    number: str | None = None
    address: str | None = None
    time_zone: str | None = None
    latitude: float | None = None
    longitude: float | None = None
    hide_map: bool = False
    custom_fields: Sequence[CustomFieldPut] = ()
    file_ids: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class PlaceChanges:
    """A partial update. ``parent_id=None`` makes the place top-level (``in_site``: a move into that
    site, as in ``PlaceCreate``); ``file_ids`` replaces the files (``None`` removes them all);
    ``custom_fields`` adds or changes fields and never removes one."""

    name: str | Unset = UNSET
    parent_id: str | Unset | None = UNSET
    in_site: str | Unset | None = UNSET
    code: str | Unset | None = UNSET
    number: str | Unset | None = UNSET
    address: str | Unset | None = UNSET
    time_zone: str | Unset | None = UNSET
    latitude: float | Unset | None = UNSET
    longitude: float | Unset | None = UNSET
    hide_map: bool | Unset = UNSET
    custom_fields: Sequence[CustomFieldPut] | Unset | None = UNSET
    file_ids: Sequence[str] | Unset | None = UNSET
