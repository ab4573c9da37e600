"""The account's own fields: typed definitions (asset custom fields) and per-record values."""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, validates

from premises.models._helpers import name_key_of, tenant_fk, unique_live_name_index
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin

CUSTOM_FIELD_TYPES = ("singleLineText", "multiLineText", "dropdown", "date", "number", "currency")


class CustomFieldDefinition(TenantMixin, TimestampMixin, Base):
    __tablename__ = "custom_field_definitions"
    resource: Mapped[str] = mapped_column(String(40))  # asset (locations, parts, ... later)
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))  # lower(name), for the unique index

    @validates("name")
    def _keep_name_key(self, _key: str, value: str) -> str:
        self.name_key = name_key_of(value) or ""
        return value

    type: Mapped[str] = mapped_column(String(20))
    options: Mapped[str | None] = mapped_column(Text)  # JSON list, dropdown only
    decimal_precision: Mapped[int | None] = mapped_column(Integer)
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("created_by_user_id", "users"),
        Index("ix_custom_field_definitions_account_resource", "account_id", "resource"),
        unique_live_name_index(
            "uq_custom_field_definitions_live_name",
            "resource",
            record="custom field",
        ),
    )


class CustomFieldValue(TenantMixin, TimestampMixin, Base):
    """A value on one record: either of a typed definition, or a free ``name``/``value``/``unit`` triple."""

    __tablename__ = "custom_field_values"
    owner_type: Mapped[str] = mapped_column(String(40))  # asset | place
    owner_id: Mapped[str] = mapped_column(IdColumn())
    definition_id: Mapped[str | None] = mapped_column(IdColumn())
    name: Mapped[str | None] = mapped_column(String(200))
    value: Mapped[str | None] = mapped_column(Text)
    unit: Mapped[str | None] = mapped_column(String(100))
    # Typed values of a definition: text and dropdown values live in ``value``, numbers and currency
    # amounts in ``number_value``, dates (epoch ms) in ``date_value``, so range filters compare natively.
    number_value: Mapped[float | None] = mapped_column(Float)
    date_value: Mapped[int | None] = mapped_column(BigInteger)
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())  # UpKeep's "user" of a custom field
    __table_args__ = (
        tenant_fk("definition_id", "custom_field_definitions"),
        tenant_fk("created_by_user_id", "users"),
        Index("ix_custom_field_values_owner", "account_id", "owner_type", "owner_id"),
    )
