"""Place rules at the service layer: the hierarchy, kinds, location-based scope, custom fields, events.

The UpKeep wire behaviour is in tests/api/upkeep/test_locations.py.
"""

from __future__ import annotations

import pytest

from premises.errors import Conflict, DomainValidation, ErrorCode, NotFound, PermissionDenied
from premises.identity.permissions import Role
from premises.models import CustomFieldValue
from premises.models.place import PLACE_KINDS
from premises.place import service
from premises.place.commands import CustomFieldChanges, CustomFieldPut, PlaceChanges, PlaceCreate, PlaceKind
from tests.domain.conftest import DomainAccount
from tests.domain.place.helpers import new_place


def _move(account: DomainAccount, place_id: str, parent_id: str | None) -> str:
    changes = PlaceChanges(parent_id=parent_id)
    return account.write(lambda s: service.update_location(s, account.admin, place_id, changes).kind)


# ------------------------------------------------------------------------------------------ hierarchy and kinds


def test_a_top_level_place_is_a_site_and_a_child_a_location_unless_a_kind_is_given(account: DomainAccount) -> None:
    site = new_place(account, " Campus ")
    child = new_place(account, "Somewhere", site)
    building = account.write(
        lambda s: service.create_location(
            s, account.admin, PlaceCreate(name="Hall", parent_id=site.id, kind=PlaceKind.BUILDING)
        )
    )
    assert (site.name, site.kind, site.parent_id) == ("Campus", "site", None)
    assert (child.kind, child.parent_id) == ("location", site.id)
    assert building.kind == "building"


def test_an_unknown_kind_is_not_one_of_the_kinds(account: DomainAccount) -> None:
    command = PlaceCreate(name="X", kind="castle")  # type: ignore[arg-type]  # what an untyped caller may send
    with pytest.raises(DomainValidation) as raised:
        account.write(lambda s: service.create_location(s, account.admin, command))
    assert (raised.value.code, raised.value.field) == (ErrorCode.NOT_ONE_OF, "kind")
    assert raised.value.params["choices"] == "site, building, floor, unit, area, location"


def test_moving_changes_generic_kinds_and_keeps_specific_ones(account: DomainAccount) -> None:
    campus, other = new_place(account, "Campus"), new_place(account, "Other")
    hall = account.write(
        lambda s: service.create_location(
            s, account.admin, PlaceCreate(name="Hall", parent_id=campus.id, kind=PlaceKind.BUILDING)
        )
    )
    assert _move(account, other.id, campus.id) == "location"  # a site moved under a parent
    assert _move(account, other.id, None) == "site"  # a location detached from its parent
    assert _move(account, hall.id, None) == "building"  # other kinds keep theirs


@pytest.mark.parametrize("depth", [0, 1, 2])
def test_a_place_cannot_become_its_own_ancestor(account: DomainAccount, depth: int) -> None:
    top = new_place(account, "Top")
    chain = [top]
    for level in range(depth):
        chain.append(new_place(account, f"Level {level}", chain[-1]))
    with pytest.raises(DomainValidation) as raised:
        _move(account, top.id, chain[-1].id)
    assert (raised.value.code, raised.value.field) == (ErrorCode.PLACE_UNDER_ITSELF, "parent_id")


def test_a_place_with_live_sub_places_cannot_be_deleted(account: DomainAccount) -> None:
    site = new_place(account, "Site")
    child = new_place(account, "Child", site)
    with pytest.raises(Conflict) as raised:
        account.write(lambda s: service.delete_location(s, account.admin, site.id))
    assert raised.value.code is ErrorCode.HAS_SUB_PLACES
    account.write(lambda s: service.delete_location(s, account.admin, child.id))
    account.write(lambda s: service.delete_location(s, account.admin, site.id))
    with pytest.raises(NotFound):
        account.write(lambda s: service.delete_location(s, account.admin, site.id))


# ------------------------------------------------------------------------------------------ fields


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        (PlaceChanges(name="  "), ErrorCode.REQUIRED, "name"),
        (PlaceChanges(latitude=90.5), ErrorCode.NOT_BETWEEN, "latitude"),
        (PlaceChanges(longitude=-180.5), ErrorCode.NOT_BETWEEN, "longitude"),
        (PlaceChanges(parent_id="missing"), ErrorCode.NOT_FOUND, "parent_id"),
        (PlaceChanges(file_ids=["missing"]), ErrorCode.NOT_FOUND, "file_ids"),
        (
            PlaceChanges(custom_fields=[CustomFieldPut(id="missing", value="x")]),
            ErrorCode.CUSTOM_FIELD_ITEM_NOT_FOUND,
            "custom_fields",
        ),
    ],
)
def test_bad_changes_name_the_domain_field(
    account: DomainAccount, changes: PlaceChanges, code: ErrorCode, field: str
) -> None:
    place = new_place(account, "Site")
    with pytest.raises(DomainValidation) as raised:
        account.write(lambda s: service.update_location(s, account.admin, place.id, changes))
    assert (raised.value.code, raised.value.field) == (code, field)


def test_changes_touch_only_the_fields_given(account: DomainAccount) -> None:
    place = account.write(
        lambda s: service.create_location(
            s, account.admin, PlaceCreate(name="Site", address="1 Main St", latitude=1.5, hide_map=True)
        )
    )
    changed = account.write(lambda s: service.update_location(s, account.admin, place.id, PlaceChanges(name="New")))
    assert (changed.name, changed.address, changed.latitude, changed.hide_map) == ("New", "1 Main St", 1.5, True)
    cleared = account.write(lambda s: service.update_location(s, account.admin, place.id, PlaceChanges(address=None)))
    assert (cleared.name, cleared.address) == ("New", None)


def _custom_fields(account: DomainAccount, place_id: str) -> list[tuple[str | None, str | None, str | None]]:
    with account.db.unit_of_work() as session:
        values = session.query(CustomFieldValue).filter_by(account_id=account.account_id, owner_id=place_id)
        return sorted((v.name, v.value, v.unit) for v in values)


def test_custom_fields_are_added_and_changed_by_name_or_id(account: DomainAccount) -> None:
    command = PlaceCreate(name="Site", custom_fields=[CustomFieldPut(name="Area", value="100", unit="m2")])
    place = account.write(lambda s: service.create_location(s, account.admin, command))
    assert _custom_fields(account, place.id) == [("Area", "100", "m2")]
    by_name = PlaceChanges(custom_fields=[CustomFieldPut(name="Area", value="120"), CustomFieldPut(name="Floors")])
    account.write(lambda s: service.update_location(s, account.admin, place.id, by_name))
    assert _custom_fields(account, place.id) == [("Area", "120", "m2"), ("Floors", None, None)]
    with account.db.unit_of_work() as session:
        floors_id = session.query(CustomFieldValue.id).filter_by(account_id=account.account_id, name="Floors").scalar()
    account.write(
        lambda s: service.update_custom_field(s, account.admin, place.id, floors_id, CustomFieldChanges(value="3"))
    )
    assert _custom_fields(account, place.id) == [("Area", "120", "m2"), ("Floors", "3", None)]
    with pytest.raises(DomainValidation) as raised:
        account.write(
            lambda s: service.update_custom_field(s, account.admin, place.id, floors_id, CustomFieldChanges(name=" "))
        )
    assert (raised.value.code, raised.value.field) == (ErrorCode.REQUIRED, "name")


def test_a_new_custom_field_needs_a_name(account: DomainAccount) -> None:
    command = PlaceCreate(name="Site", custom_fields=[CustomFieldPut(value="100")])
    with pytest.raises(DomainValidation) as raised:
        account.write(lambda s: service.create_location(s, account.admin, command))
    assert (raised.value.code, raised.value.field) == (ErrorCode.REQUIRED, "custom_fields[0].name")


# ------------------------------------------------------------------------------------------ permissions and scope


@pytest.mark.parametrize("role", [Role.LIMITED_TECH, Role.VIEW_ONLY, Role.REQUESTER])
def test_weaker_roles_may_not_create_or_change_places(account: DomainAccount, role: Role) -> None:
    place = new_place(account, "Site")
    principal = account.principal(role)
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.create_location(s, principal, PlaceCreate(name="X")))
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.update_location(s, principal, place.id, PlaceChanges(name="X")))


def test_only_admins_delete_places(account: DomainAccount) -> None:
    place = new_place(account, "Site")
    tech = account.principal(Role.TECH)
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.delete_location(s, tech, place.id))


def test_another_accounts_place_is_not_found(account: DomainAccount, other_account: DomainAccount) -> None:
    place = new_place(account, "Mine")
    with pytest.raises(NotFound):
        other_account.write(lambda s: service.update_location(s, other_account.admin, place.id, PlaceChanges(name="x")))
    with pytest.raises(DomainValidation) as raised:
        other_account.write(
            lambda s: service.create_location(s, other_account.admin, PlaceCreate(name="x", parent_id=place.id))
        )
    assert (raised.value.code, raised.value.field, raised.value.params["id"]) == (
        ErrorCode.NOT_FOUND,
        "parent_id",
        place.id,
    )


def test_a_location_based_user_works_only_under_its_places(account: DomainAccount) -> None:
    mine, theirs = new_place(account, "Mine"), new_place(account, "Theirs")
    tech = account.principal(Role.TECH, location_ids=frozenset({mine.id}))
    child = new_place(account, "Child", mine, as_=tech)  # under one of its places, however new
    grandchild = new_place(account, "Grandchild", child, as_=tech)
    assert grandchild.parent_id == child.id
    with pytest.raises(PermissionDenied) as denied:
        account.write(lambda s: service.create_location(s, tech, PlaceCreate(name="Top")))
    assert denied.value.code is ErrorCode.TOP_LEVEL_CREATE_FOR_LOCATION_BASED
    with pytest.raises(PermissionDenied) as denied:
        account.write(lambda s: service.update_location(s, tech, child.id, PlaceChanges(parent_id=None)))
    assert denied.value.code is ErrorCode.TOP_LEVEL_MOVE_FOR_LOCATION_BASED
    with pytest.raises(NotFound):
        account.write(lambda s: service.update_location(s, tech, theirs.id, PlaceChanges(name="x")))
    with pytest.raises(DomainValidation) as raised:
        account.write(lambda s: service.create_location(s, tech, PlaceCreate(name="x", parent_id=theirs.id)))
    assert (raised.value.code, raised.value.field) == (ErrorCode.NOT_FOUND, "parent_id")


def test_check_location_reports_an_unseen_place_like_a_missing_one(account: DomainAccount) -> None:
    mine, theirs = new_place(account, "Mine"), new_place(account, "Theirs")
    tech = account.principal(Role.TECH, location_ids=frozenset({mine.id}))
    child = new_place(account, "Child", mine)
    assert account.write(lambda s: service.check_location(s, tech, child.id).id) == child.id
    for place_id in (theirs.id, "missing"):
        with pytest.raises(DomainValidation) as raised, account.db.unit_of_work() as session:
            service.check_location(session, tech, place_id)
        assert (raised.value.code, raised.value.field, raised.value.params["id"]) == (
            ErrorCode.NOT_FOUND,
            "location_id",
            place_id,
        )
    with pytest.raises(DomainValidation) as raised:
        service.require_location(tech, None)
    assert (raised.value.code, raised.value.field) == (ErrorCode.LOCATION_REQUIRED_FOR_LOCATION_BASED, "location_id")
    service.require_location(account.admin, None)  # only location-based users must give one


# ------------------------------------------------------------------------------------------ events


def test_every_change_records_its_event(account: DomainAccount) -> None:
    place = new_place(account, "Site")
    account.write(lambda s: service.update_location(s, account.admin, place.id, PlaceChanges(name="New")))
    account.write(lambda s: service.delete_location(s, account.admin, place.id))
    assert account.event_types(place.id) == ["LOCATION_CREATED", "LOCATION_UPDATED", "LOCATION_DELETED"]


def test_a_refused_change_records_nothing(account: DomainAccount) -> None:
    place = new_place(account, "Site")
    with pytest.raises(DomainValidation):
        account.write(lambda s: service.update_location(s, account.admin, place.id, PlaceChanges(latitude=100.0)))
    assert account.event_types(place.id) == ["LOCATION_CREATED"]


def test_the_kinds_are_the_stored_values() -> None:
    assert tuple(PlaceKind) == PLACE_KINDS
