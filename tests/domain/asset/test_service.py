"""Asset rules at the service layer (the UpKeep wire behaviour is in tests/api/upkeep/test_assets.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest

from premises.asset import queries, service
from premises.asset.commands import AssetChanges, AssetCreate, AssetStatus, Availability, UsefulLife
from premises.errors import DomainValidation, ErrorCode, NotFound, PermissionDenied
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery
from premises.models import Asset, AssetDowntime
from tests.domain.asset.helpers import new_asset
from tests.domain.conftest import DomainAccount
from tests.domain.reading import read
from tests.support.factories import make_place


def _refused(
    account: DomainAccount, principal: Principal, command: AssetCreate | AssetChanges, asset_id: str = ""
) -> DomainValidation:
    with pytest.raises(DomainValidation) as raised:
        if isinstance(command, AssetCreate):
            account.write(lambda s: service.create_asset(s, principal, command))
        else:
            account.write(lambda s: service.update_asset(s, principal, asset_id, command))
    return raised.value


# ------------------------------------------------------------------------------------------ create / update


def test_create_trims_the_name_takes_defaults_and_records_the_event(account: DomainAccount) -> None:
    asset = new_asset(account, "  Boiler  ", category="Plumbing", purchase_price=10.5)
    assert (asset.name, asset.status, asset.downtime_status) == ("Boiler", "active", "available")
    assert (asset.category, asset.purchase_price, asset.availability_tracking_on) == ("Plumbing", 10.5, False)
    assert account.event_types(asset.id) == ["ASSET_CREATED"]


def test_changes_touch_only_the_fields_given(account: DomainAccount) -> None:
    asset = new_asset(account, model="M1", notes="n")
    changed = account.write(
        lambda s: service.update_asset(
            s, account.admin, asset.id, AssetChanges(model=None, status=AssetStatus.INACTIVE)
        )
    )
    assert (changed.name, changed.model, changed.notes, changed.status) == ("Boiler", None, "n", "inactive")
    assert account.event_types(asset.id) == ["ASSET_CREATED", "ASSET_UPDATED"]


@pytest.mark.parametrize(
    ("command", "code", "field"),
    [
        (AssetCreate(name="  "), ErrorCode.REQUIRED, "name"),
        (AssetCreate(name=None), ErrorCode.REQUIRED, "name"),
        (AssetCreate(name="x", status="broken"), ErrorCode.NOT_ONE_OF, "status"),
        (AssetCreate(name="x", category="Spaceships"), ErrorCode.NOT_A_CATEGORY, "category"),
        (AssetCreate(name="x", purchase_price=-1), ErrorCode.NEGATIVE, "purchase_price"),
        (AssetCreate(name="x", residual_value=-0.5), ErrorCode.NEGATIVE, "residual_value"),
        (AssetCreate(name="x", useful_life=UsefulLife(None, "days")), ErrorCode.REQUIRED, "useful_life.quantity"),
        (AssetCreate(name="x", useful_life=UsefulLife(1, None)), ErrorCode.REQUIRED, "useful_life.units"),
        (AssetCreate(name="x", useful_life=UsefulLife(-1, "days")), ErrorCode.WRONG_TYPE, "useful_life.quantity"),
        (AssetCreate(name="x", useful_life=UsefulLife(1, "decades")), ErrorCode.NOT_ONE_OF, "useful_life.units"),
        (AssetCreate(name="x", downtime_status="broken"), ErrorCode.NOT_A_DOWNTIME_STATUS, "downtime_status"),
        (AssetCreate(name="x", location_id="missing123"), ErrorCode.NOT_FOUND, "location_id"),
        (AssetCreate(name="x", parent_asset_id="missing123"), ErrorCode.NOT_FOUND, "parent_asset_id"),
        (AssetCreate(name="x", manufacturer_vendor_id="missing123"), ErrorCode.NOT_FOUND, "manufacturer_vendor_id"),
        (AssetCreate(name="x", assigned_to_user_id="missing123"), ErrorCode.NOT_FOUND, "assigned_to_user_id"),
        (AssetCreate(name="x", image_file_id="missing123"), ErrorCode.NOT_FOUND, "image_file_id"),
    ],
)
def test_bad_input_names_the_domain_field(
    account: DomainAccount, command: AssetCreate, code: ErrorCode, field: str
) -> None:
    error = _refused(account, account.admin, command)
    assert (error.code, error.field) == (code, field)


def test_useful_life_is_stored_in_two_columns_and_cleared_with_none(account: DomainAccount) -> None:
    asset = new_asset(account, useful_life=UsefulLife(5, "years"))
    assert (asset.useful_life_quantity, asset.useful_life_units) == (5, "years")
    cleared = account.write(lambda s: service.update_asset(s, account.admin, asset.id, AssetChanges(useful_life=None)))
    assert (cleared.useful_life_quantity, cleared.useful_life_units) == (None, None)


def test_a_downtime_status_given_on_create_or_update_is_history(account: DomainAccount) -> None:
    asset = new_asset(account, downtime_status=Availability.NOT_AVAILABLE)
    account.write(lambda s: service.update_asset(s, account.admin, asset.id, AssetChanges(downtime_status="available")))
    with account.db.unit_of_work() as session:
        history = session.query(AssetDowntime).filter_by(account_id=account.account_id, asset_id=asset.id)
        assert sorted(h.status for h in history) == ["available", "not-available"]


# ------------------------------------------------------------------------------------------ hierarchy


def test_no_cycles_in_the_hierarchy(account: DomainAccount) -> None:
    top = new_asset(account, "top")
    middle = new_asset(account, "middle", parent_asset_id=top.id)
    bottom = new_asset(account, "bottom", parent_asset_id=middle.id)
    for parent in (bottom.id, middle.id, top.id):
        error = _refused(account, account.admin, AssetChanges(parent_asset_id=parent), top.id)
        assert (error.code, error.field) == (ErrorCode.ASSET_UNDER_ITSELF, "parent_asset_id")
    moved = account.write(
        lambda s: service.update_asset(s, account.admin, bottom.id, AssetChanges(parent_asset_id=None))
    )
    assert moved.parent_asset_id is None
    account.write(lambda s: service.update_asset(s, account.admin, top.id, AssetChanges(parent_asset_id=bottom.id)))


def test_deleting_a_parent_lifts_its_children_to_the_top(account: DomainAccount) -> None:
    parent = new_asset(account, "parent")
    child = new_asset(account, "child", parent_asset_id=parent.id)
    account.write(lambda s: service.delete_asset(s, account.admin, parent.id))
    with account.db.unit_of_work() as session:
        assert session.get(Asset, (account.account_id, child.id)).parent_asset_id is None  # type: ignore[union-attr]
    assert account.event_types(parent.id)[-1] == "ASSET_DELETED"
    assert account.event_types(child.id) == ["ASSET_CREATED", "ASSET_UPDATED"]
    with pytest.raises(NotFound):
        account.write(lambda s: service.delete_asset(s, account.admin, parent.id))


# ------------------------------------------------------------------------------------------ who may


@pytest.mark.parametrize("role", [Role.LIMITED_TECH, Role.VIEW_ONLY, Role.REQUESTER])
def test_weaker_roles_may_not_create_or_change_assets(account: DomainAccount, role: Role) -> None:
    asset = new_asset(account)
    principal = account.principal(role)
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.create_asset(s, principal, AssetCreate(name="x")))
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.update_asset(s, principal, asset.id, AssetChanges(name="x")))


def test_only_admins_delete(account: DomainAccount) -> None:
    asset = new_asset(account)
    tech = account.principal(Role.TECH)
    account.write(lambda s: service.update_asset(s, tech, asset.id, AssetChanges(name="y")))
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.delete_asset(s, tech, asset.id))


def test_another_accounts_assets_are_not_found(account: DomainAccount, other_account: DomainAccount) -> None:
    theirs = new_asset(other_account, "Theirs")
    with pytest.raises(NotFound) as raised:
        account.write(lambda s: service.update_asset(s, account.admin, theirs.id, AssetChanges(name="x")))
    assert raised.value.code is ErrorCode.RECORD_NOT_FOUND
    with pytest.raises(NotFound):
        account.write(lambda s: service.delete_asset(s, account.admin, theirs.id))
    error = _refused(account, account.admin, AssetCreate(name="x", parent_asset_id=theirs.id))
    assert (error.code, error.field, error.params["id"]) == (ErrorCode.NOT_FOUND, "parent_asset_id", theirs.id)


# ------------------------------------------------------------------------------------------ places


def test_location_based_principals_see_and_place_assets_only_at_their_places(account: DomainAccount) -> None:
    mine, elsewhere = make_place(account.db, account.account_id, "Mine"), make_place(account.db, account.account_id)
    tech = account.principal(Role.TECH, location_ids=frozenset({mine}))
    hidden = new_asset(account, "hidden", location_id=elsewhere)
    nowhere = new_asset(account, "nowhere")
    for asset in (hidden, nowhere):
        with pytest.raises(NotFound):
            account.write(lambda s, asset=asset: service.update_asset(s, tech, asset.id, AssetChanges(name="x")))
    error = _refused(account, tech, AssetCreate(name="x"))
    assert (error.code, error.field) == (ErrorCode.LOCATION_REQUIRED_FOR_LOCATION_BASED, "location_id")
    error = _refused(account, tech, AssetCreate(name="x", location_id=elsewhere))
    assert (error.code, error.field) == (ErrorCode.NOT_FOUND, "location_id")
    error = _refused(account, tech, AssetCreate(name="x", location_id=mine, parent_asset_id=hidden.id))
    assert (error.code, error.field) == (ErrorCode.NOT_FOUND, "parent_asset_id")
    created = account.write(lambda s: service.create_asset(s, tech, AssetCreate(name="x", location_id=mine)))
    assert created.location_id == mine


def test_the_visibility_rule_is_the_same_on_both_sides(account: DomainAccount, database_url: str) -> None:
    """``service.visible`` (write side, Python) and ``queries`` (read side, SQL) agree for every principal."""
    site, other = make_place(account.db, account.account_id, "Site"), make_place(account.db, account.account_id)
    assets = [new_asset(account, f"a{i}", location_id=place) for i, place in enumerate((site, other, None))]
    principals = [
        account.admin,
        account.principal(Role.TECH, location_ids=frozenset({site})),
        account.principal(Role.VIEW_ONLY, location_ids=frozenset({site, other})),
        account.principal(Role.TECH, location_ids=frozenset()),
    ]
    ids = [a.id for a in assets]
    for principal in principals:
        written = {a.id for a in assets if service.visible(principal, a)}
        listed = read(database_url, lambda r, p=principal: queries.list_assets(r, p, ListQuery(limit=100)))
        by_ids = read(database_url, lambda r, p=principal: queries.assets_by_ids(r, p, ids))
        assert {row["id"] for row in listed} & set(ids) == written == set(by_ids)


def test_the_role_at_each_place_decides(account: DomainAccount, database_url: str) -> None:
    """A technician who is only a viewer at one site reads its assets there but may not change them."""
    tech_site, view_site = make_place(account.db, account.account_id, "T"), make_place(account.db, account.account_id)
    here, there = new_asset(account, "here", location_id=tech_site), new_asset(account, "there", location_id=view_site)
    tech = replace(
        account.principal(Role.TECH, location_ids=frozenset({tech_site, view_site})),
        site_roles={view_site: Role.VIEW_ONLY},
    )
    account.write(lambda s: service.update_asset(s, tech, here.id, AssetChanges(name="changed")))
    with pytest.raises(NotFound):
        account.write(lambda s: service.update_asset(s, tech, there.id, AssetChanges(name="changed")))
    with pytest.raises(PermissionDenied):
        account.write(lambda s: service.create_asset(s, tech, AssetCreate(name="x", location_id=view_site)))
    assert [service.visible(tech, a, "update") for a in (here, there)] == [True, False]
    listed = read(database_url, lambda r: queries.list_assets(r, tech, ListQuery(limit=100)))
    assert {row["id"] for row in listed} == {here.id, there.id}


# ------------------------------------------------------------------------------------------ read models


def test_the_detail_read_model_holds_what_the_principal_may_see(account: DomainAccount, database_url: str) -> None:
    site, other = make_place(account.db, account.account_id, "Site"), make_place(account.db, account.account_id)
    parent = new_asset(account, "parent", location_id=site)
    seen = new_asset(account, "seen", location_id=site, parent_asset_id=parent.id)
    new_asset(account, "unseen", location_id=other, parent_asset_id=parent.id)
    tech = account.principal(Role.TECH, location_ids=frozenset({site}))
    account.write(lambda s: service.assign_member(s, account.admin, parent.id, "user", tech.user_id))
    detail = read(database_url, lambda r: queries.asset_detail(r, tech, parent.id))
    assert detail.asset["name"] == "parent" and detail.sub_asset_ids == [seen.id]
    assert detail.members["user"] == [tech.user_id] and detail.members["team"] == []
    assert len(read(database_url, lambda r: queries.asset_detail(r, account.admin, parent.id)).sub_asset_ids) == 2


def test_queries_apply_role_and_visibility(
    account: DomainAccount, other_account: DomainAccount, database_url: str
) -> None:
    site, other = make_place(account.db, account.account_id, "Site"), make_place(account.db, account.account_id)
    hidden = new_asset(account, "hidden", location_id=other)
    theirs = new_asset(other_account, "theirs")
    tech = account.principal(Role.TECH, location_ids=frozenset({site}))
    for principal, asset_id in ((tech, hidden.id), (account.admin, theirs.id)):
        with pytest.raises(NotFound):
            read(database_url, lambda r, p=principal, a=asset_id: queries.asset_detail(r, p, a))
        assert read(database_url, lambda r, p=principal, a=asset_id: queries.links(r, p, a))["user"] == []
        assert read(database_url, lambda r, p=principal, a=asset_id: queries.custom_values(r, p, [a])) == {asset_id: []}
