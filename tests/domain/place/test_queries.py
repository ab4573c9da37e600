"""Place read models: every query applies the principal's role and places itself."""

from __future__ import annotations

import pytest

from premises.errors import NotFound
from premises.identity.permissions import Role
from premises.kit.listing import ListQuery
from premises.place import queries, service
from premises.place.commands import CustomFieldPut, PlaceChanges
from premises.team import service as team_service
from premises.team.commands import TeamCreate
from tests.domain.conftest import DomainAccount
from tests.domain.place.helpers import new_place
from tests.domain.reading import read


def test_a_location_based_principal_reads_only_its_places(account: DomainAccount, database_url: str) -> None:
    mine, theirs = new_place(account, "Mine"), new_place(account, "Theirs")
    child = new_place(account, "Child", mine)
    tech = account.principal(Role.TECH, location_ids=frozenset({mine.id, child.id}))
    listed = read(database_url, lambda r: queries.list_locations(r, tech, ListQuery(limit=100)))
    assert {row["id"] for row in listed} == {mine.id, child.id}
    with pytest.raises(NotFound):
        read(database_url, lambda r: queries.get_location(r, tech, theirs.id))
    by_ids = read(database_url, lambda r: queries.places_by_ids(r, tech, [mine.id, theirs.id, "missing"]))
    assert set(by_ids) == {mine.id}
    fields = read(database_url, lambda r: queries.custom_fields(r, tech, [mine.id, theirs.id]))
    assert fields == {mine.id: [], theirs.id: []}


def test_another_accounts_place_is_not_found(
    account: DomainAccount, other_account: DomainAccount, database_url: str
) -> None:
    place = new_place(account, "Mine")
    with pytest.raises(NotFound):
        read(database_url, lambda r: queries.get_location_detail(r, other_account.admin, place.id))
    assert read(database_url, lambda r: queries.places_by_ids(r, other_account.admin, [place.id])) == {}


def test_the_detail_has_custom_fields_visible_sub_places_and_live_members(
    account: DomainAccount, database_url: str
) -> None:
    site = new_place(account, "Site")
    seen, unseen = new_place(account, "Seen", site), new_place(account, "Unseen", site)
    changes = PlaceChanges(custom_fields=[CustomFieldPut(name="Area", value="100")])
    account.write(lambda s: service.update_location(s, account.admin, site.id, changes))
    tech = account.principal(Role.TECH)
    team = account.write(lambda s: team_service.create_team(s, account.admin, TeamCreate(name="Gone")))
    account.write(lambda s: service.assign_member(s, account.admin, site.id, "user", tech.user_id))
    account.write(lambda s: service.assign_member(s, account.admin, site.id, "team", team.id))
    account.write(lambda s: team_service.delete_team(s, account.admin, team.id))
    scoped = account.principal(Role.TECH, location_ids=frozenset({site.id, seen.id}))
    detail = read(database_url, lambda r: queries.get_location_detail(r, scoped, site.id))
    assert [(f["name"], f["value"]) for f in detail["custom_fields"]] == [("Area", "100")]
    assert detail["sub_location_ids"] == [seen.id]
    assert (detail["links"]["user"], detail["links"]["team"]) == ([tech.user_id], [])
    everything = read(database_url, lambda r: queries.get_location_detail(r, account.admin, site.id))
    assert everything["sub_location_ids"] == [seen.id, unseen.id]


def test_a_principal_sees_the_place_it_has_just_created(account: DomainAccount, database_url: str) -> None:
    """Its place set was resolved before the place existed (and is cached for seconds)."""
    mine = new_place(account, "Mine")
    tech = account.principal(Role.TECH, location_ids=frozenset({mine.id}))
    child = new_place(account, "Child", mine, as_=tech)
    with pytest.raises(NotFound):
        read(database_url, lambda r: queries.get_location_detail(r, tech, child.id))
    detail = read(database_url, lambda r: queries.get_location_detail(r, tech, child.id, created=True))
    assert (detail["id"], detail["parent_id"]) == (child.id, mine.id)
