"""Resident rules at the service layer: the write side's loader sees exactly the residents the read
side lists (occupancy.visibility), and one resident is one customer. The /v1 wire: tests/api/v1."""

from __future__ import annotations

import pytest

from premises.errors import DomainValidation, NotFound, PermissionDenied
from premises.identity.permissions import Role
from premises.kit.listing import ListQuery
from premises.models import Contact, Place
from premises.occupancy import queries, service
from premises.occupancy.commands import OccupancyType, ResidentChanges, ResidentCreate
from premises.occupancy.fields import RESIDENTS
from tests.domain.conftest import DomainAccount
from tests.domain.identity.helpers import add_place
from tests.domain.reading import read


def _resident(account: DomainAccount, site_id: str, first: str) -> str:
    command = ResidentCreate(site_id=site_id, first_name=first, type=OccupancyType.TENANT)
    return account.write(lambda s: service.create_resident(s, account.admin, command).id)


def test_the_write_side_sees_what_the_read_side_lists(account: DomainAccount, database_url: str) -> None:
    site_a, site_b = add_place(account), add_place(account)
    in_a, in_b = _resident(account, site_a, "Ann"), _resident(account, site_b, "Ben")
    tech = account.principal(Role.TECH, location_ids=frozenset({site_a}))
    rows, count = read(database_url, lambda r: queries.page_of_residents(r, tech, ListQuery.of(RESIDENTS).with_count()))
    assert ([row["id"] for row in rows], count) == ([in_a], 1)
    rename = ResidentChanges(first_name="Anna")
    assert account.write(lambda s: service.update_resident(s, tech, in_a, rename)).first_name == "Anna"
    with pytest.raises(NotFound):
        account.write(lambda s: service.update_resident(s, tech, in_b, rename))
    with pytest.raises(DomainValidation):  # a site it may not see is no site for it
        account.write(lambda s: service.create_resident(s, tech, ResidentCreate(site_b, "Cy", OccupancyType.OWNER)))
    with pytest.raises(PermissionDenied):  # TECH deletes nothing
        account.write(lambda s: service.delete_resident(s, tech, in_a))


def test_a_resident_is_one_customer_named_by_first_and_last_name(account: DomainAccount) -> None:
    site = add_place(account)
    resident_id = _resident(account, site, " Ann ")
    changes = ResidentChanges(last_name="Lee", email=" ann@x.test ")
    account.write(lambda s: service.update_resident(s, account.admin, resident_id, changes))
    with account.db.unit_of_work() as session:
        contact = session.get(Contact, (account.account_id, resident_id))
        assert contact is not None
        assert (contact.name, contact.first_name, contact.last_name, contact.email, contact.is_customer) == (
            "Ann Lee",
            "Ann",
            "Lee",
            "ann@x.test",
            True,
        )
    assert account.event_types(resident_id) == [
        "CUSTOMER_CREATED",
        "RESIDENT_CREATED",
        "CUSTOMER_UPDATED",
        "RESIDENT_UPDATED",
    ]


def test_a_unit_must_be_a_unit_of_the_site(account: DomainAccount) -> None:
    site, other = add_place(account), add_place(account)
    deep = add_place(account, add_place(account, site))  # a floor's child, under the site
    with account.db.unit_of_work() as session:
        place = session.get(Place, (account.account_id, deep))
        assert place is not None
        place.kind = "unit"
    command = ResidentCreate(site_id=site, first_name="Ann", type=OccupancyType.OWNER, unit_id=deep)
    assert account.write(lambda s: service.create_resident(s, account.admin, command).id)
    elsewhere = ResidentCreate(site_id=other, first_name="Ann", type=OccupancyType.OWNER, unit_id=deep)
    with pytest.raises(DomainValidation) as refused:
        account.write(lambda s: service.create_resident(s, account.admin, elsewhere))
    assert refused.value.field == "unit_id"
