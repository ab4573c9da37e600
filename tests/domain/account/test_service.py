"""Account rules at the service layer: what a new account starts with, and how a write that breaks a
uniqueness rule is reported (``db.integrity``)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from premises.account.service import COUNTERS, DEFAULT_CATEGORIES, create_account
from premises.db.engine import Database
from premises.errors import Conflict, DomainValidation, ErrorCode
from premises.identity.permissions import Role
from premises.kit.ids import new_id
from premises.models import AccountCounter, Category, Login, User
from tests.domain.conftest import DomainAccount
from tests.support.factories import new_password


def test_a_new_account_has_its_admin_counters_and_default_categories(account: DomainAccount) -> None:
    with account.db.unit_of_work() as session:
        admin = session.get(User, (account.account_id, account.admin.user_id))
        counters = session.scalars(select(AccountCounter.name).where(AccountCounter.account_id == account.account_id))
        categories = session.execute(
            select(Category.kind, func.count()).where(Category.account_id == account.account_id).group_by(Category.kind)
        )
        assert admin is not None and admin.account_type == Role.ADMIN.value
        assert sorted(counters) == sorted(COUNTERS)
        assert dict(categories.all()) == {kind: len(names) for kind, names in DEFAULT_CATEGORIES.items()}


def test_an_account_needs_a_name(db: Database) -> None:
    email = f"a-{new_id().lower()}@example.test"
    with pytest.raises(DomainValidation) as raised, db.unit_of_work() as session:
        create_account(session, name="  ", admin_email=email, admin_password=new_password(email))
    assert (raised.value.code, raised.value.field) == (ErrorCode.REQUIRED, "name")


def test_an_email_already_in_use_is_refused(account: DomainAccount, db: Database) -> None:
    with db.unit_of_work() as session:
        email = session.scalars(select(Login.email).where(Login.user_id == account.admin.user_id)).one()
    with pytest.raises(Conflict) as raised, db.unit_of_work() as session:
        create_account(session, name="Again", admin_email=email, admin_password=new_password(email))
    assert raised.value.field == "email"


def test_a_violated_unique_rule_is_a_conflict_naming_the_domain_field(account: DomainAccount, db: Database) -> None:
    """What a race leaves to the constraint (the service's friendly check has not seen the other write)."""
    with db.unit_of_work() as session:
        login = session.scalars(select(Login).where(Login.user_id == account.admin.user_id)).one()
        email, now = login.email, login.created_at
    with pytest.raises(Conflict) as raised, db.unit_of_work() as session:
        session.add(
            Login(
                email=email,
                account_id=account.account_id,
                user_id=new_id(),
                password_hash="x",
                created_at=now,
                updated_at=now,
            )
        )
    assert (raised.value.code, raised.value.field, raised.value.params) == (
        ErrorCode.DUPLICATE,
        "email",
        {"record": "user"},
    )


def test_a_violated_constraint_without_a_rule_is_a_generic_conflict(account: DomainAccount, db: Database) -> None:
    with pytest.raises(Conflict) as raised, db.unit_of_work() as session:
        for _ in range(2):
            session.add(Category(account_id=account.account_id, id=new_id(), kind="asset", name="Twice", created_at=1))
        session.flush()
    assert (raised.value.code, raised.value.field) == (ErrorCode.CONFLICTING_CHANGE, None)
