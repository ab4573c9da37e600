"""Parts (inventory), their team and asset links, the parts used on work orders, and the inventory ledger."""

from __future__ import annotations

from sqlalchemy import BigInteger, Float, Index, Integer, PrimaryKeyConstraint, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from premises.models._helpers import live_index, tenant_fk
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin

# Why an inventory count changed (``part_inventory_moves.reason``).
INVENTORY_REASONS = ("created", "adjusted", "work_order", "purchase_order")


class Part(TenantMixin, TimestampMixin, Base):
    __tablename__ = "parts"
    name: Mapped[str] = mapped_column(String(300))
    description: Mapped[str | None] = mapped_column(Text)
    cost: Mapped[float | None] = mapped_column(Float)  # per unit
    # The count on hand: changed only by ``part.inventory.move`` (every change has a ledger row).
    quantity: Mapped[float] = mapped_column(Float, default=0)
    minimum_quantity: Mapped[float | None] = mapped_column(Float)
    serial: Mapped[str | None] = mapped_column(String(200))  # the barcode
    area: Mapped[str | None] = mapped_column(String(200))
    details: Mapped[str | None] = mapped_column(Text)
    category: Mapped[str | None] = mapped_column(String(200))
    location_id: Mapped[str | None] = mapped_column(IdColumn())
    parent_part_id: Mapped[str | None] = mapped_column(IdColumn())
    part_number: Mapped[str | None] = mapped_column(String(200))
    image_file_id: Mapped[str | None] = mapped_column(IdColumn())
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("location_id", "places"),
        tenant_fk("parent_part_id", "parts"),
        tenant_fk("image_file_id", "files"),
        tenant_fk("created_by_user_id", "users"),
        live_index("ix_parts_account_created", "created_at"),
        live_index("ix_parts_account_location", "location_id"),
    )


class PartFile(Base):
    __tablename__ = "part_files"
    account_id: Mapped[str] = mapped_column(IdColumn())
    part_id: Mapped[str] = mapped_column(IdColumn())
    file_id: Mapped[str] = mapped_column(IdColumn())
    position: Mapped[int] = mapped_column(Integer, default=0)
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "part_id", "file_id"),
        tenant_fk("part_id", "parts"),
        tenant_fk("file_id", "files"),
    )


class PartTeam(Base):
    """A team assigned to a part."""

    __tablename__ = "part_teams"
    account_id: Mapped[str] = mapped_column(IdColumn())
    part_id: Mapped[str] = mapped_column(IdColumn())
    team_id: Mapped[str] = mapped_column(IdColumn())
    created_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "part_id", "team_id"),
        tenant_fk("part_id", "parts"),
        tenant_fk("team_id", "teams"),
    )


class AssetPart(Base):
    """A part assigned to an asset (the asset's ``parts``); changed under the asset's row lock."""

    __tablename__ = "asset_parts"
    account_id: Mapped[str] = mapped_column(IdColumn())
    asset_id: Mapped[str] = mapped_column(IdColumn())
    part_id: Mapped[str] = mapped_column(IdColumn())
    created_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "asset_id", "part_id"),
        tenant_fk("asset_id", "assets"),
        tenant_fk("part_id", "parts"),
        Index("ix_asset_parts_part", "account_id", "part_id"),
    )


class WorkOrderPart(Base):
    """A part used on a work order: how many, and how many of them were taken from the part's stock.

    Changed only under the work order's row lock; ``work_orders.part_ids`` / ``part_quantities`` are
    the list page's copy of these rows, rewritten by ``part.usage`` from them.
    """

    __tablename__ = "work_order_parts"
    account_id: Mapped[str] = mapped_column(IdColumn())
    work_order_id: Mapped[str] = mapped_column(IdColumn())
    part_id: Mapped[str] = mapped_column(IdColumn())
    position: Mapped[int] = mapped_column(Integer, default=0)
    quantity: Mapped[float] = mapped_column(Float)
    taken: Mapped[float] = mapped_column(Float, default=0)  # what the part's inventory was decreased by
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "work_order_id", "part_id"),
        tenant_fk("work_order_id", "work_orders"),
        tenant_fk("part_id", "parts"),
        Index("ix_work_order_parts_part", "account_id", "part_id"),
    )


class PartInventoryMove(TenantMixin, Base):
    """One change of a part's count: who, when, why, by how much, and the count it left (the ledger)."""

    __tablename__ = "part_inventory_moves"
    part_id: Mapped[str] = mapped_column(IdColumn())
    delta: Mapped[float] = mapped_column(Float)
    quantity_after: Mapped[float] = mapped_column(Float)
    reason: Mapped[str] = mapped_column(String(20))  # INVENTORY_REASONS
    source_type: Mapped[str | None] = mapped_column(String(40))  # work_order | purchase_order
    source_id: Mapped[str | None] = mapped_column(IdColumn())
    user_id: Mapped[str | None] = mapped_column(IdColumn())
    created_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("part_id", "parts"),
        tenant_fk("user_id", "users"),
        Index("ix_part_inventory_moves_account_part", "account_id", "part_id", "created_at", "id"),
        # A purchase order's receipts (purchase_order.queries.page_of_receipts): the moves whose source it is.
        Index("ix_part_inventory_moves_account_source", "account_id", "source_id", "created_at", "id"),
    )
