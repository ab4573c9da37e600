from __future__ import annotations

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from premises.models._helpers import live_index, tenant_fk
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin


class StoredFile(TenantMixin, TimestampMixin, Base):
    """Metadata of an uploaded file; the bytes live in the file store under ``storage_key``."""

    __tablename__ = "files"
    filename: Mapped[str] = mapped_column(String(500))
    content_type: Mapped[str] = mapped_column(String(200))
    size_bytes: Mapped[int] = mapped_column(BigInteger)
    storage_key: Mapped[str] = mapped_column(String(300))
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("created_by_user_id", "users"),
        live_index("ix_files_account_created", "created_at"),
    )
