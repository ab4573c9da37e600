"""Assets, their links, files, downtime and downtime statuses."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Float, Index, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column, validates

from premises.models._helpers import live_index, name_key_of, tenant_fk, unique_live_name_index
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin


class Asset(TenantMixin, TimestampMixin, Base):
    __tablename__ = "assets"
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    model: Mapped[str | None] = mapped_column(String(200))
    serial: Mapped[str | None] = mapped_column(String(200))  # barcode
    serial_number: Mapped[str | None] = mapped_column(String(200))
    additional_information: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    area: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[str] = mapped_column(String(20), default="active")  # active | inactive
    category: Mapped[str | None] = mapped_column(String(200))
    location_id: Mapped[str | None] = mapped_column(IdColumn())
    parent_asset_id: Mapped[str | None] = mapped_column(IdColumn())
    manufacturer_vendor_id: Mapped[str | None] = mapped_column(IdColumn())
    assigned_to_user_id: Mapped[str | None] = mapped_column(IdColumn())
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    image_file_id: Mapped[str | None] = mapped_column(IdColumn())
    purchase_receipt_file_id: Mapped[str | None] = mapped_column(IdColumn())
    warranty_file_id: Mapped[str | None] = mapped_column(IdColumn())
    purchase_date: Mapped[int | None] = mapped_column(BigInteger)
    placed_in_service_date: Mapped[int | None] = mapped_column(BigInteger)
    warranty_expiration: Mapped[int | None] = mapped_column(BigInteger)
    purchase_price: Mapped[float | None] = mapped_column(Float)
    residual_value: Mapped[float | None] = mapped_column(Float)
    useful_life_quantity: Mapped[int | None] = mapped_column(Integer)
    useful_life_units: Mapped[str | None] = mapped_column(String(10))
    downtime_status: Mapped[str] = mapped_column(String(40), default="available")  # or a custom status id
    check_in_procedure: Mapped[str | None] = mapped_column(Text)
    check_out_procedure: Mapped[str | None] = mapped_column(Text)
    availability_status: Mapped[str | None] = mapped_column(String(100))
    availability_tracking_on: Mapped[bool] = mapped_column(Boolean, default=False)
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("location_id", "places"),
        tenant_fk("parent_asset_id", "assets"),
        tenant_fk("manufacturer_vendor_id", "contacts"),
        tenant_fk("assigned_to_user_id", "users"),
        tenant_fk("created_by_user_id", "users"),
        live_index("ix_assets_account_created", "created_at"),
        live_index("ix_assets_account_location", "location_id"),
    )


class AssetLink(Base):
    """A user, team, customer, vendor or part assigned to an asset (``link_type`` names which)."""

    __tablename__ = "asset_links"
    account_id: Mapped[str] = mapped_column(IdColumn())
    asset_id: Mapped[str] = mapped_column(IdColumn())
    link_type: Mapped[str] = mapped_column(String(40))
    member_id: Mapped[str] = mapped_column(IdColumn())
    created_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "asset_id", "link_type", "member_id"),
        tenant_fk("asset_id", "assets"),
        Index("ix_asset_links_member", "account_id", "member_id"),
    )


class AssetFile(Base):
    __tablename__ = "asset_files"
    account_id: Mapped[str] = mapped_column(IdColumn())
    asset_id: Mapped[str] = mapped_column(IdColumn())
    file_id: Mapped[str] = mapped_column(IdColumn())
    position: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "asset_id", "file_id"),
        tenant_fk("asset_id", "assets"),
        tenant_fk("file_id", "files"),
    )


class AssetDowntimeStatus(TenantMixin, TimestampMixin, Base):
    """An account's own downtime status (besides the built-in available / not-available)."""

    __tablename__ = "asset_downtime_statuses"
    name: Mapped[str] = mapped_column(String(200))
    name_key: Mapped[str] = mapped_column(String(200))  # lower(name), for the unique index

    @validates("name")
    def _keep_name_key(self, _key: str, value: str) -> str:
        self.name_key = name_key_of(value) or ""
        return value

    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (unique_live_name_index("uq_asset_downtime_statuses_live_name", record="downtime status"),)


class AssetDowntime(TenantMixin, Base):
    """One recorded change of an asset's availability."""

    __tablename__ = "asset_downtimes"
    asset_id: Mapped[str] = mapped_column(IdColumn())
    status: Mapped[str] = mapped_column(String(20))  # available | not-available
    status_category_id: Mapped[str | None] = mapped_column(IdColumn())
    user_id: Mapped[str | None] = mapped_column(IdColumn())
    recorded_on: Mapped[int] = mapped_column(BigInteger)
    created_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("asset_id", "assets"),
        tenant_fk("status_category_id", "asset_downtime_statuses"),
        Index("ix_asset_downtimes_account_asset", "account_id", "asset_id", "recorded_on"),
    )
