"""/vendors: create, list, get, update."""

from __future__ import annotations

from premises.api.kit.listing import Filter
from premises.api.upkeep.listing import ListSpec
from premises.api.upkeep.mappers.vendors import VENDORS
from premises.api.upkeep.routes.contacts import contact_router

router = contact_router(
    VENDORS,
    plural="vendors",
    list_spec=ListSpec(
        filters=(Filter("businessName", "name", description="Only vendors with exactly this business name."),)
    ),
)
