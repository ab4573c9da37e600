"""File rules at the service layer: uploads, who may read a file (requesters: their own), references.

The UpKeep wire behaviour is in tests/api/upkeep/test_files.py.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from premises.errors import DomainValidation, ErrorCode, NotFound
from premises.file import queries, service
from premises.file.commands import FileUpload
from premises.file.storage import FileTooLarge, LocalFileStore
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.kit.listing import ListQuery
from tests.domain.conftest import DomainAccount
from tests.domain.reading import read


def _upload(account: DomainAccount, store: LocalFileStore, principal: Principal, data: bytes = b"hello") -> str:
    upload = FileUpload(io.BytesIO(data), "notes", "notes.txt", "text/plain")
    return service.upload_file(account.db.unit_of_work, store, principal, upload, max_bytes=1024)


@pytest.fixture
def store(tmp_path: Path) -> LocalFileStore:
    return LocalFileStore(tmp_path)


def test_an_upload_stores_the_bytes_and_the_record_and_its_event(
    account: DomainAccount, store: LocalFileStore, database_url: str
) -> None:
    file_id = _upload(account, store, account.admin)
    row = read(database_url, lambda r: queries.get_file(r, account.admin, file_id))
    assert (row["filename"], row["content_type"], row["size_bytes"]) == ("notes.txt", "text/plain", 5)
    assert store.open(row["storage_key"]).read() == b"hello"
    assert account.event_types(file_id) == ["FILE_CREATED"]


def test_a_file_over_the_limit_is_refused_and_nothing_is_stored(
    account: DomainAccount, store: LocalFileStore, tmp_path: Path
) -> None:
    with pytest.raises(FileTooLarge) as raised:
        _upload(account, store, account.admin, b"x" * 1025)
    assert (raised.value.code, raised.value.field, raised.value.params["max_size"]) == (
        ErrorCode.FILE_TOO_LARGE,
        "file",
        "1 KB",
    )
    assert list((tmp_path / account.account_id).iterdir()) == []


def test_a_requester_reads_only_its_own_files(account: DomainAccount, store: LocalFileStore, database_url: str) -> None:
    requester = account.principal(Role.REQUESTER)
    own, admins = _upload(account, store, requester), _upload(account, store, account.admin)
    listed = read(database_url, lambda r: queries.list_files(r, requester, ListQuery()))
    assert [row["id"] for row in listed] == [own]
    assert set(read(database_url, lambda r: queries.files_by_ids(r, requester, [own, admins]))) == {own}
    assert set(read(database_url, lambda r: queries.files_by_ids(r, account.admin, [own, admins]))) == {own, admins}
    with pytest.raises(NotFound) as raised:
        read(database_url, lambda r: queries.get_file(r, requester, admins))
    assert (raised.value.code, raised.value.params["record"]) == (ErrorCode.RECORD_NOT_FOUND, "file")


def test_a_file_a_body_names_must_be_readable_by_the_principal(account: DomainAccount, store: LocalFileStore) -> None:
    requester = account.principal(Role.REQUESTER)
    own, admins = _upload(account, store, requester), _upload(account, store, account.admin)
    account.write(lambda s: service.require_readable_files(s, requester, [own], "file_ids"))
    account.write(lambda s: service.require_readable_files(s, account.admin, [own, admins], "file_ids"))
    with pytest.raises(DomainValidation) as raised:
        account.write(lambda s: service.require_readable_files(s, requester, [own, admins], "file_ids"))
    assert (raised.value.code, raised.value.field, raised.value.params["id"]) == (
        ErrorCode.NOT_FOUND,
        "file_ids",
        admins,
    )


def test_another_accounts_file_is_not_found(
    account: DomainAccount, other_account: DomainAccount, store: LocalFileStore, database_url: str
) -> None:
    file_id = _upload(account, store, account.admin)
    with pytest.raises(NotFound):
        read(database_url, lambda r: queries.get_file(r, other_account.admin, file_id))
    assert read(database_url, lambda r: queries.files_by_ids(r, other_account.admin, [file_id])) == {}
    with pytest.raises(DomainValidation):
        other_account.write(lambda s: service.require_readable_files(s, other_account.admin, [file_id], "image"))


def test_a_signed_link_reads_the_file_without_a_principal(
    account: DomainAccount, store: LocalFileStore, database_url: str
) -> None:
    file_id = _upload(account, store, account.admin)
    row = read(database_url, lambda r: queries.file_for_signed_link(r, account.account_id, file_id))
    assert row is not None and row["id"] == file_id
    assert read(database_url, lambda r: queries.file_for_signed_link(r, "another", file_id)) is None
