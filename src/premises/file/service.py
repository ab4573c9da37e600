"""Files, write side: uploading (bytes to the store, metadata to the database).

The bytes are written before the row's transaction commits; if that transaction fails for any
reason (including the commit itself), the bytes are removed again, so an error leaves no orphan.
Only a crash between the two steps can; such bytes have no row and are never served.
Uploads record FILE_CREATED.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager

from sqlalchemy import select
from sqlalchemy.orm import Session

from premises.errors import DomainValidation, ErrorCode
from premises.event.service import record_change
from premises.event.types import EventType
from premises.file.commands import FileUpload
from premises.file.names import display_name, media_type
from premises.file.storage import FileStore, storage_key
from premises.identity.permissions import Grant, grant_for
from premises.identity.principal import Principal
from premises.kit.ids import new_id
from premises.kit.time import now_ms
from premises.models import StoredFile

UnitOfWork = Callable[[], AbstractContextManager[Session]]


def require_readable_files(session: Session, principal: Principal, file_ids: Iterable[str], field: str) -> None:
    """Files a body attaches in ``field`` (a domain name): live files of the account the principal may read
    (the ``file.queries`` rule), else ``NOT_FOUND``. A file the principal may not read is reported exactly
    like a missing one.
    """
    wanted = list(dict.fromkeys(file_ids))
    if not wanted:
        return
    grant = grant_for(principal.role, "file", "read")
    statement = select(StoredFile.id).where(
        StoredFile.account_id == principal.account_id, StoredFile.id.in_(wanted), StoredFile.deleted_at.is_(None)
    )
    if grant is Grant.OWN:
        statement = statement.where(StoredFile.created_by_user_id == principal.user_id)
    found = set(session.scalars(statement)) if grant is not None else set()
    for file_id in wanted:
        if file_id not in found:
            raise DomainValidation(ErrorCode.NOT_FOUND, field=field, id=file_id)


def upload_file(
    unit_of_work: UnitOfWork,
    store: FileStore,
    principal: Principal,
    upload: FileUpload,
    *,
    max_bytes: int,
    then: Callable[[Session, str], object] | None = None,
) -> str:
    """Store the bytes, then record the file in one transaction (``then(session, file_id)`` too, e.g. attach
    it to a record: when it fails, nothing is kept); return the new file's id. Blocking."""
    principal.require("file", "create")
    file_id = new_id()
    name = display_name(upload.requested_name, upload.uploaded_name)
    key = storage_key(principal.account_id, file_id)
    size = store.put(key, upload.source, max_bytes=max_bytes)
    try:
        with unit_of_work() as session:
            create_file_record(
                session,
                principal,
                file_id=file_id,
                filename=name,
                content_type=media_type(upload.declared_type, name),
                size_bytes=size,
                key=key,
            )
            if then is not None:
                then(session, file_id)
    except BaseException:
        store.delete(key)
        raise
    return file_id


def create_file_record(
    session: Session,
    principal: Principal,
    *,
    file_id: str,
    filename: str,
    content_type: str,
    size_bytes: int,
    key: str,
) -> StoredFile:
    """The metadata row of bytes already in the store under ``key``."""
    principal.require("file", "create")
    now = now_ms()
    row = StoredFile(
        account_id=principal.account_id,
        id=file_id,
        filename=filename,
        content_type=content_type,
        size_bytes=size_bytes,
        storage_key=key,
        created_by_user_id=principal.user_id,
        created_at=now,
        updated_at=now,
    )
    session.add(row)
    record_change(session, principal, EventType.FILE_CREATED, "file", row)
    return row
