from __future__ import annotations

from sqlalchemy import BigInteger, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from premises.models.base import Base, TenantMixin

CATEGORY_KINDS = ("work_order", "asset", "part", "cost", "purchase_order")


class Category(TenantMixin, Base):
    """An account's named categories, per kind (work orders, assets, parts, cost lines, purchase orders)."""

    __tablename__ = "categories"
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[int] = mapped_column(BigInteger)
    updated_at: Mapped[int | None] = mapped_column(BigInteger)  # the last rename (purchase-order categories)
    __table_args__ = (Index("ix_categories_account_kind_name", "account_id", "kind", "name", unique=True),)
