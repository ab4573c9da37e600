"""/vendors: create, list, get, update."""

from __future__ import annotations

from premises.api.upkeep.mappers.vendors import VENDORS
from premises.api.upkeep.routes.contacts import contact_router

router = contact_router(VENDORS, plural="vendors")
