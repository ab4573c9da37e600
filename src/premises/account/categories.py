"""The account's named lists (``categories`` rows by kind: asset, part, work_order, cost, ...): lookups, and the
checks the services that write a kind's list share (``category_name``, ``load_category``)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from premises.errors import Conflict, DomainValidation, ErrorCode, NotFound
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


def category_name(
    session: Session, account_id: str, kind: str, name: str | None, *, record: str, exclude_id: str | None = None
) -> str:
    """A new name for a ``kind`` category, stripped: not blank (REQUIRED on ``name``), and no other category of
    the kind (than ``exclude_id``) has it exactly (Conflict DUPLICATE naming ``record``, e.g. "part category")."""
    text = str(name or "").strip()
    if not text:
        raise DomainValidation(ErrorCode.REQUIRED, field="name")
    other = category_id(session, account_id, kind, text)
    if other is not None and other != exclude_id:
        raise Conflict(ErrorCode.DUPLICATE, field="name", record=record)
    return text


def load_category(session: Session, account_id: str, kind: str, wanted_id: str, *, record: str) -> Category:
    """The account's ``kind`` category ``wanted_id``, locked for the rest of the transaction; else NotFound
    naming ``record``."""
    category = session.get(Category, (account_id, wanted_id), with_for_update=True)
    if category is None or category.kind != kind:
        raise NotFound(ErrorCode.RECORD_NOT_FOUND, record=record)
    return category
