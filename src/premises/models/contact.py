"""Contacts: people and organisations. UpKeep customers and vendors are contacts with a flag."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premises.models._helpers import live_index, tenant_fk
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin


class Contact(TenantMixin, TimestampMixin, Base):
    __tablename__ = "contacts"
    record_no: Mapped[int] = mapped_column(Integer)  # integer id for the onOffice dialect
    kind: Mapped[str] = mapped_column(String(16), default="person")  # person | organisation
    is_customer: Mapped[bool] = mapped_column(Boolean, default=False)
    is_vendor: Mapped[bool] = mapped_column(Boolean, default=False)
    name: Mapped[str] = mapped_column(String(300))
    first_name: Mapped[str | None] = mapped_column(String(200))
    last_name: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    phone_number: Mapped[str | None] = mapped_column(String(64))
    address: Mapped[str | None] = mapped_column(Text)
    website: Mapped[str | None] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text)
    customer_type: Mapped[str | None] = mapped_column(String(100))
    billing_name: Mapped[str | None] = mapped_column(String(300))
    billing_address_line1: Mapped[str | None] = mapped_column(String(500))
    billing_address_line2: Mapped[str | None] = mapped_column(String(500))
    billing_address_line3: Mapped[str | None] = mapped_column(String(500))
    vendor_type: Mapped[str | None] = mapped_column(String(100))
    main_point_of_contact: Mapped[str | None] = mapped_column(String(300))
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("created_by_user_id", "users"),
        Index("ix_contacts_account_record_no", "account_id", "record_no", unique=True),
        live_index("ix_contacts_account_created", "created_at"),
    )
