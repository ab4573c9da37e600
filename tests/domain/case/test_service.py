"""Case rules at the service layer (the /v1 wire behaviour is in tests/api/v1/test_cases.py)."""

from __future__ import annotations

from typing import Any

import pytest

from premises.case import queries, service
from premises.case.commands import CaseChanges, CaseCreate
from premises.errors import DomainValidation, ErrorCode, InvalidState, NotFound, PermissionDenied
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery
from premises.models import Case
from tests.domain.conftest import DomainAccount
from tests.domain.reading import read
from tests.support.factories import make_place


def _create(account: DomainAccount, principal: Principal, site: str, **fields: Any) -> Case:
    command = CaseCreate(site_id=site, **{"title": "Leak", **fields})
    return account.write(lambda s: service.create_case(s, principal, command))


def _change(account: DomainAccount, principal: Principal, case_id: str, **fields: Any) -> Case:
    return account.write(lambda s: service.update_case(s, principal, case_id, CaseChanges(**fields)))


def test_numbers_count_per_site_and_codes_take_the_sites_initials(account: DomainAccount) -> None:
    lux, quay = (
        make_place(account.db, account.account_id, "Lux Apartments"),
        make_place(account.db, account.account_id, "Quay"),
    )
    codes = [_create(account, account.admin, site).code for site in (lux, lux, quay, lux)]
    assert codes == ["LA-1", "LA-2", "Q-1", "LA-3"]
    assert account.event_types(_create(account, account.admin, quay).id) == ["CASE_CREATED"]


def test_a_failed_change_leaves_no_event_and_no_number(account: DomainAccount) -> None:
    site = make_place(account.db, account.account_id, "Lux Apartments")
    with pytest.raises(DomainValidation) as raised:
        _create(account, account.admin, site, case_type="Noise")
    assert (raised.value.code, raised.value.field) == (ErrorCode.NOT_ONE_OF, "case_type")
    assert _create(account, account.admin, site).code == "LA-1"  # the refused case took no number


def test_transitions_close_reopen_and_refuse(account: DomainAccount) -> None:
    site = make_place(account.db, account.account_id, "Lux Apartments")
    case = _create(account, account.admin, site)
    closed = _change(account, account.admin, case.id, status="closed")
    assert closed.closed_at is not None
    with pytest.raises(InvalidState) as raised:
        _change(account, account.admin, case.id, status="inProgress")
    assert raised.value.code is ErrorCode.INVALID_TRANSITION
    reopened = _change(account, account.admin, case.id, status="todo")
    assert (reopened.closed_at, reopened.reopen_count) == (None, 1)
    assert account.event_types(case.id) == ["CASE_CREATED", "CASE_CLOSED", "CASE_UPDATED"]


def test_the_read_and_write_sides_see_the_same_cases(account: DomainAccount, database_url: str) -> None:
    mine, other = (make_place(account.db, account.account_id, name) for name in ("Lux", "Quay"))
    theirs = _create(account, account.admin, other)
    staff = account.principal(Role.STAFF, location_ids=frozenset({mine}))
    own = _create(account, staff, mine)
    rows, count = read(
        database_url,
        lambda reader: queries.page_of_cases(reader, staff, ListQuery.of(queries.CASES).with_count()),
    )
    assert [r["id"] for r in rows] == [own.id] and count == 1
    with pytest.raises(NotFound):
        _change(account, staff, theirs.id, title="x")
    with pytest.raises(PermissionDenied) as refused:
        _create(account, staff, other)
    assert refused.value.code is ErrorCode.NOT_A_SITE_MEMBER
