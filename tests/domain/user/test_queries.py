"""User read models apply the principal's grant themselves (item 5 of issue 6)."""

from __future__ import annotations

from premises.identity.permissions import Role
from premises.user import queries
from tests.domain.conftest import DomainAccount
from tests.domain.reading import read


def test_users_by_ids_gives_each_role_only_the_users_it_may_read(
    account: DomainAccount, other_account: DomainAccount, database_url: str
) -> None:
    tech = account.principal(Role.TECH)
    requester = account.principal(Role.REQUESTER)
    stranger = other_account.principal(Role.TECH)
    ids = {account.admin.user_id, tech.user_id, requester.user_id, stranger.user_id}

    def visible(principal_role: Role) -> set[str]:
        principal = {Role.TECH: tech, Role.REQUESTER: requester}[principal_role]
        return set(read(database_url, lambda r: queries.users_by_ids(r, principal, ids)))

    assert visible(Role.TECH) == {account.admin.user_id, tech.user_id, requester.user_id}
    assert visible(Role.REQUESTER) == {requester.user_id}
