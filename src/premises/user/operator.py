"""The operator: whoever runs ``premises user ...`` on the server (shell access to the install is the
credential). The operator acts through the same services as an admin of the account, as a system
principal that is no user of it (so it can disable any user, itself never being one)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from premises.errors import ErrorCode, NotFound
from premises.identity.passwords import NewPassword
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.identity.service import find_login
from premises.models import Account, User
from premises.user.commands import UserCreate
from premises.user.service import create_user, deactivate_user, set_password

OPERATOR_USER_ID = "operator"  # no user has this id (kit.ids never makes it)


def operator_of(account_id: str) -> Principal:
    """An account-wide admin of ``account_id`` that is no user of it."""
    return Principal(account_id, OPERATOR_USER_ID, Role.ADMIN)


def user_by_email(session: Session, email: str) -> User:
    """The live user that logs in with ``email``, in whichever account."""
    login = find_login(session, email)
    user = None if login is None else session.get(User, (login.account_id, login.user_id))
    if user is None or user.deleted_at is not None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="user")
    return user


def create_user_as_operator(session: Session, account_id: str, command: UserCreate, password: NewPassword) -> User:
    if session.get(Account, account_id) is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="account")
    return create_user(session, operator_of(account_id), command, password)


def set_password_as_operator(session: Session, email: str, password: NewPassword) -> User:
    """Replace the password of the user that logs in with ``email``; every session of it ends."""
    user = user_by_email(session, email)
    set_password(session, user.account_id, user.id, password)
    return user


def disable_as_operator(session: Session, email: str) -> User:
    """Deactivate the user that logs in with ``email``: it can no longer log in, its sessions end."""
    user = user_by_email(session, email)
    deactivate_user(session, operator_of(user.account_id), user.id)
    return user
