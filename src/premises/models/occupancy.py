"""Occupancies: a contact living at (or owning, letting, ...) a unit of a site, from a move-in to a move-out.

A resident on ``/v1`` is a contact with its occupancy (``premises.occupancy``); the contact is the
same row UpKeep's ``/api/v2/customers`` shows. One occupancy per contact: a person at two units is two
residents, as in Onsite's model (reference §3.1: the resident carries its site and unit).
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from premises.models._helpers import tenant_fk
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin

OCCUPANCY_TYPES = ("owner", "tenant", "occupant", "agent", "other")


class Occupancy(TenantMixin, TimestampMixin, Base):
    __tablename__ = "occupancies"
    contact_id: Mapped[str] = mapped_column(IdColumn())
    site_id: Mapped[str] = mapped_column(IdColumn())  # a top-level place
    unit_id: Mapped[str | None] = mapped_column(IdColumn())  # a place of kind unit under the site; None: the site
    type: Mapped[str] = mapped_column(String(16))  # OCCUPANCY_TYPES
    move_in_at: Mapped[int | None] = mapped_column(BigInteger)
    move_out_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("contact_id", "contacts"),
        tenant_fk("site_id", "places"),
        tenant_fk("unit_id", "places"),
        Index("ix_occupancies_account_contact", "account_id", "contact_id", unique=True),
        Index("ix_occupancies_account_site", "account_id", "site_id"),
        Index("ix_occupancies_account_unit", "account_id", "unit_id"),
    )
