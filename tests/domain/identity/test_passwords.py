"""The password policy and ``NewPassword``: what every path that sets a password goes through (no HTTP)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy.orm import Session

from premises.demo.loader import DEMO_PASSWORD
from premises.errors import DomainValidation, ErrorCode
from premises.identity import service as identity
from premises.identity.passwords import (
    DEFAULT_POLICY,
    NewPassword,
    PasswordPolicy,
    common_passwords,
    hash_password,
    verify_password,
)
from premises.identity.permissions import Role
from premises.models import Login
from tests.domain.conftest import DomainAccount
from tests.domain.identity.helpers import new_user
from tests.support.factories import PASSWORD

EMAIL = "maintenance.lead@example.test"


def _refusal(password: str, policy: PasswordPolicy = DEFAULT_POLICY, email: str = EMAIL) -> tuple[object, ...]:
    with pytest.raises(DomainValidation) as refused:
        policy.check(password, email=email)
    return refused.value.code, refused.value.field, dict(refused.value.params), refused.value.message


def test_the_default_minimum_is_ten_characters() -> None:
    assert _refusal("nine-char") == (
        ErrorCode.PASSWORD_TOO_SHORT,
        "password",
        {"min_length": 10},
        "password must be at least 10 characters long",
    )
    assert DEFAULT_POLICY.check("ten-chars!", email=EMAIL) == EMAIL


def test_the_minimum_comes_from_the_caller() -> None:
    policy = PasswordPolicy(min_length=16)
    assert _refusal("fifteen-chars-x", policy)[:3] == (ErrorCode.PASSWORD_TOO_SHORT, "password", {"min_length": 16})
    policy.check("sixteen-chars-xy", email=EMAIL)


@pytest.mark.parametrize("password", ["          ", " \t\n" * 5, "\u3000" * 12])
def test_whitespace_alone_is_refused_whatever_its_length(password: str) -> None:
    code, field, _, message = _refusal(password)
    assert (code, field, message) == (ErrorCode.PASSWORD_BLANK, "password", "password must not be only whitespace")


@pytest.mark.parametrize("password", [EMAIL, "Maintenance.Lead@Example.TEST", "maintenance.lead", " MAINTENANCE.LEAD "])
def test_the_email_or_its_local_part_is_refused_in_any_case(password: str) -> None:
    assert _refusal(password)[:2] == (ErrorCode.PASSWORD_IS_EMAIL, "password")
    assert _refusal(password, email=" Maintenance.Lead@EXAMPLE.test ")[0] == ErrorCode.PASSWORD_IS_EMAIL


def test_a_password_containing_the_local_part_is_allowed() -> None:
    DEFAULT_POLICY.check("maintenance.lead 2026!", email=EMAIL)


@pytest.mark.parametrize("password", ["password123", "PassWord123", "1234567890", "qwertyuiop", " iloveyou12 "])
def test_common_passwords_are_refused_in_any_case(password: str) -> None:
    code, field, _, message = _refusal(password)
    assert (code, field) == (ErrorCode.PASSWORD_TOO_COMMON, "password")
    assert message == "password is too common: choose one that is not on lists of common passwords"


def test_the_common_list_ships_with_the_package() -> None:
    listed = common_passwords()
    assert len(listed) > 19_000
    assert {"123456", "password", "qwerty"} <= listed
    assert all(entry == entry.lower() for entry in listed)
    # The passwords the project itself documents are not on it.
    assert DEMO_PASSWORD.lower() not in listed
    assert PASSWORD.lower() not in listed


def test_an_over_long_password_is_refused() -> None:
    assert _refusal("x" * 1025)[:2] == (ErrorCode.TOO_LONG, "password")


def test_an_invalid_email_is_refused_before_the_password() -> None:
    with pytest.raises(DomainValidation) as refused:
        DEFAULT_POLICY.check("x", email="not an email")
    assert (refused.value.code, refused.value.field) == (ErrorCode.INVALID_EMAIL, "email")


def test_a_new_password_is_checked_hashed_and_bound_to_its_email() -> None:
    made = NewPassword.make(PASSWORD, email=" Pat@Example.TEST ")
    assert made.email == "pat@example.test"
    assert verify_password(made.hash, PASSWORD)
    assert PASSWORD not in repr(made) and made.hash not in repr(made)
    assert made.require_email("PAT@example.test") == made.hash
    with pytest.raises(ValueError, match="another email"):
        made.require_email("someone@example.test")
    with pytest.raises(DomainValidation):
        NewPassword.make("short", email=EMAIL)


def test_a_new_password_cannot_be_built_around_the_policy() -> None:
    with pytest.raises(TypeError, match=r"NewPassword\.make"):
        NewPassword(EMAIL, hash_password("x"))


def test_off_the_loop_the_policy_is_the_same() -> None:
    made = asyncio.run(NewPassword.make_off_loop(PASSWORD, email=EMAIL, policy=PasswordPolicy(min_length=12)))
    assert verify_password(made.hash, PASSWORD)
    with pytest.raises(DomainValidation) as refused:
        asyncio.run(NewPassword.make_off_loop(PASSWORD, email=EMAIL, policy=PasswordPolicy(min_length=40)))
    assert refused.value.code == ErrorCode.PASSWORD_TOO_SHORT


def test_a_weak_password_set_before_the_policy_still_logs_in(account: DomainAccount) -> None:
    """The policy applies when a password is set, never when one is checked."""
    _, email = new_user(account, Role.TECH)

    def weaken(session: Session) -> None:
        login = session.get(Login, email)
        assert login is not None
        login.password_hash = hash_password("pw")

    account.write(weaken)
    assert account.write(lambda s: identity.login(s, email, "pw", ttl_hours=1)).token
