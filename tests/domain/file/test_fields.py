"""The file fields are declared once (file.fields) and everything else derives from the declaration."""

from __future__ import annotations

from pathlib import Path

from premises.api.upkeep.mappers import files as wire
from premises.config import Settings
from premises.file import queries
from premises.file.fields import FILES
from premises.models import StoredFile
from tests.support.catalogues import assert_agrees_with_table


def test_every_column_of_the_table_is_declared_once_in_select_order() -> None:
    declared = [f.name for f in FILES]
    assert len(declared) == len(set(declared))
    assert set(FILES.columns) == {c.name for c in StoredFile.__table__.columns} - {"deleted_at"}
    assert FILES.columns == queries.COLUMNS == tuple(declared)
    assert declared[0] == "account_id"  # a signed download link names the tenant


def test_the_declarations_agree_with_the_table() -> None:
    assert_agrees_with_table(FILES, StoredFile.__table__)


def test_nothing_is_written_as_given_and_the_tenant_and_storage_key_are_never_listed_by() -> None:
    assert FILES.writable == frozenset()
    assert {"account_id", "storage_key"}.isdisjoint(FILES.filterable | FILES.sortable)


def test_upkeep_names_only_declared_fields_and_its_schema_derives_from_them() -> None:
    names = wire.UPKEEP.attachment
    assert FILES.attachments["upkeep"] is names
    assert {name: w.name for name, w in names.entries.items()} == {
        "id": "id",
        "filename": "filename",
        "content_type": "mimeType",
        "created_at": "createdAt",
    }
    assert list(wire.SCHEMA["properties"]) == ["id", "filename", "url", "mimeType", "createdAt"]
    assert wire.SCHEMA["required"] == ["id", "filename", "mimeType", "createdAt"]


def test_the_rendered_object_follows_the_schema_order_with_a_signed_url(tmp_path: Path) -> None:
    row = dict.fromkeys(queries.COLUMNS)
    row.update(account_id="a1", id="f1", filename="plan.pdf", content_type="application/pdf", created_at=0)
    settings = Settings(secret_key="k" * 32, data_dir=tmp_path)
    item = wire.to_upkeep(row, settings)
    assert list(item) == list(wire.SCHEMA["properties"])
    assert (item["id"], item["filename"], item["mimeType"]) == ("f1", "plan.pdf", "application/pdf")
    assert item["url"].startswith(f"{settings.resolved_public_url}/files/a1/f1/plan.pdf?expires=")
    assert item["createdAt"] == "1970-01-01T00:00:00.000Z"
