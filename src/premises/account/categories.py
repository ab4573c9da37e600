"""The account's named lists (``categories`` rows by kind: asset, part, work_order, cost, ...)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from premises.errors import DomainValidation, ErrorCode
from premises.models import Category


def category_id(session: Session, account_id: str, kind: str, name: str) -> str | None:
    """The id of the account's ``kind`` category named exactly ``name``, or None."""
    return session.scalar(
        select(Category.id).where(Category.account_id == account_id, Category.kind == kind, Category.name == name)
    )


def first_category(session: Session, account_id: str, kind: str, names: Iterable[str | None]) -> str | None:
    """The first of ``names`` that is one of the account's ``kind`` categories, or None."""
    return next((name for name in names if name and category_id(session, account_id, kind, name)), None)


def require_category(session: Session, account_id: str, kind: str, name: str, *, label: str | None = None) -> None:
    """``name`` must be one of the account's ``kind`` categories; else NOT_A_CATEGORY on ``category``
    (``label`` names the kind in the message, e.g. "work order")."""
    if category_id(session, account_id, kind, name) is None:
        raise DomainValidation(ErrorCode.NOT_A_CATEGORY, field="category", value=name, kind=label or kind)
