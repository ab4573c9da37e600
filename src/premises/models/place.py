"""Places: one hierarchy for sites, buildings, floors, units, areas and any UpKeep location."""

from __future__ import annotations

from sqlalchemy import BigInteger, Boolean, Float, Index, Integer, PrimaryKeyConstraint, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from premises.models._helpers import live_index, tenant_fk, unique_rule
from premises.models.base import Base, IdColumn, TenantMixin, TimestampMixin

PLACE_KINDS = ("site", "building", "floor", "unit", "area", "location")


class Place(TenantMixin, TimestampMixin, Base):
    __tablename__ = "places"
    record_no: Mapped[int] = mapped_column(Integer)  # integer id for the onOffice dialect
    kind: Mapped[str] = mapped_column(String(16))
    parent_id: Mapped[str | None] = mapped_column(IdColumn())
    name: Mapped[str] = mapped_column(String(300))
    code: Mapped[str | None] = mapped_column(String(32))
    number: Mapped[str | None] = mapped_column(String(32))  # a unit's number ("4B"): not unique
    address: Mapped[str | None] = mapped_column(Text)
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    hide_map: Mapped[bool] = mapped_column(Boolean, default=False)
    description: Mapped[str | None] = mapped_column(Text)
    # The site (top-level place) the place is under, its own id for a site: kept by place.service on
    # create and move, so "the records of these sites" is one indexed equality at any depth.
    site_id: Mapped[str | None] = mapped_column(IdColumn())
    time_zone: Mapped[str | None] = mapped_column(String(64))  # a site's IANA time zone (None: UTC)
    created_by_user_id: Mapped[str | None] = mapped_column(IdColumn())
    deleted_at: Mapped[int | None] = mapped_column(BigInteger)
    __table_args__ = (
        tenant_fk("parent_id", "places"),
        tenant_fk("created_by_user_id", "users"),
        Index("ix_places_account_record_no", "account_id", "record_no", unique=True),
        live_index("ix_places_account_parent", "parent_id"),
        live_index("ix_places_account_created", "created_at"),
        live_index("ix_places_account_site", "site_id"),
        # A site's code (the prefix of its case codes on /v1) is unique among the account's live places.
        Index(
            unique_rule("ix_places_account_code", record="site", field="code"),
            "account_id",
            "code",
            unique=True,
            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("deleted_at IS NULL"),
        ),
    )


class PlaceLink(Base):
    """A user, team or contact assigned to a place; ``link_type`` says in which role.

    UpKeep assignments use ``user``, ``team``, ``customer`` and ``vendor``. A resident's unit (owner,
    tenant, ...) is no link but its occupancy (``models.occupancy``: type, move-in and move-out).
    """

    __tablename__ = "place_links"
    account_id: Mapped[str] = mapped_column(IdColumn())
    place_id: Mapped[str] = mapped_column(IdColumn())
    link_type: Mapped[str] = mapped_column(String(40))
    member_id: Mapped[str] = mapped_column(IdColumn())
    created_at: Mapped[int] = mapped_column(BigInteger)
    __table_args__ = (
        PrimaryKeyConstraint("account_id", "place_id", "link_type", "member_id"),
        tenant_fk("place_id", "places"),
        Index("ix_place_links_member", "account_id", "member_id"),
    )
