"""Accounts (tenants): creation with an admin user and the default categories every account starts with."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from sqlalchemy.orm import Session

from premises.errors import DomainValidation, ErrorCode, NotFound
from premises.identity.passwords import NewPassword
from premises.identity.permissions import Role
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import Account, AccountCounter, Category
from premises.user.commands import UserCreate
from premises.user.service import create_user_unchecked

DEFAULT_CATEGORIES: dict[str, tuple[str, ...]] = {
    "work_order": (
        "Damage",
        "Electrical",
        "Inspection",
        "Meter",
        "Preventative",
        "Project",
        "Refrigeration",
        "Safety",
        "Standard Operating Procedure",
    ),
    "asset": ("Equipment", "Vehicles", "Tools", "Facilities", "HVAC", "Plumbing", "Electrical"),
    "part": ("Consumables", "Spare Parts", "Tools", "Compressor", "Filter"),  # the last two: UpKeep's examples
    "cost": ("Labor Cost", "Parts Cost", "Travel Cost", "Tax", "Other"),
}
COUNTERS = ("work_order_no", "record_no")


@dataclass(frozen=True)
class NewAccount:
    account_id: str
    user_id: str


def create_account(session: Session, *, name: str, admin_email: str, admin_password: NewPassword) -> NewAccount:
    """A new account with its first admin. ``admin_password`` is made for ``admin_email`` beforehand
    (``NewPassword.make``: the password policy, then the hash, outside the transaction)."""
    if not name.strip():
        raise DomainValidation(ErrorCode.REQUIRED, field="name")
    now = now_ms()
    account = Account(id=new_id(), name=name.strip(), settings="{}", created_at=now, updated_at=now)
    session.add(account)
    session.flush()
    for counter in COUNTERS:
        session.add(AccountCounter(account_id=account.id, name=counter, value=0))
    for kind, names in DEFAULT_CATEGORIES.items():
        for position, category_name in enumerate(names):
            session.add(
                Category(
                    account_id=account.id,
                    id=new_id(),
                    kind=kind,
                    name=category_name,
                    position=position,
                    created_at=now,
                )
            )
    admin = create_user_unchecked(
        session,
        account.id,
        UserCreate(email=admin_email, account_type=Role.ADMIN, first_name="Admin"),
        admin_password,
    )
    return NewAccount(account.id, admin.id)


API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_api_version(value: object, field: str = "upkeep_api_version") -> str:
    """An UpKeep API version: a date ``YYYY-MM-DD`` (quotes around it, as UpKeep's example shows, dropped)."""
    text = value.strip().strip("'\"").strip() if isinstance(value, str) else ""
    try:
        if API_VERSION.match(text):
            dt.date.fromisoformat(text)
            return text
    except ValueError:
        pass
    raise DomainValidation(ErrorCode.WRONG_TYPE, field=field, expected="a date such as 2022-09-14")


def set_upkeep_api_version(session: Session, account_id: str, version: str | None) -> str | None:
    """Set the account's default UpKeep API version (None: always the current one); an operator's command
    (``premises account set-api-version``)."""
    account = session.get(Account, account_id, with_for_update=True)
    if account is None:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record="account")
    account.upkeep_api_version = None if version is None else check_api_version(version)
    account.updated_at = max(now_ms(), account.updated_at)
    return account.upkeep_api_version
