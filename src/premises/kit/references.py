"""Checking that ids given in a request body name live records of the same account.

A reference in a body that names nothing is bad input (``DomainValidation`` with ``ErrorCode.NOT_FOUND``,
400 in UpKeep), unlike an id in the path, which is NotFound. ``field`` is the domain name of the field
that holds the reference (``assigned_to_user_id``); each dialect words the message with its own name.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from premises.errors import DomainValidation, ErrorCode

M = TypeVar("M")


def require_live(session: Session, model: type[M], account_id: str, record_id: str, field: str) -> M:
    record = session.get(model, (account_id, record_id))
    if record is None or getattr(record, "deleted_at", None) is not None:
        raise DomainValidation(ErrorCode.NOT_FOUND, field=field, id=record_id)
    return record


def live_id(session: Session, model: Any, account_id: str, record_id: str | None) -> str | None:
    """``record_id`` if it still names a live record, else None (for links copied from a template or a
    notification: a generated record never fails on a stale one)."""
    record = None if record_id is None else session.get(model, (account_id, record_id))
    return record_id if record is not None and getattr(record, "deleted_at", None) is None else None


def require_all_live(session: Session, model: Any, account_id: str, ids: Iterable[str], field: str) -> None:
    wanted = list(dict.fromkeys(ids))
    if not wanted:
        return
    statement = select(model.id).where(model.account_id == account_id, model.id.in_(wanted))
    if hasattr(model, "deleted_at"):
        statement = statement.where(model.deleted_at.is_(None))
    found = set(session.scalars(statement))
    for record_id in wanted:
        if record_id not in found:
            raise DomainValidation(ErrorCode.NOT_FOUND, field=field, id=record_id)
