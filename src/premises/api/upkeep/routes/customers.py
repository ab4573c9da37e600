"""/customers: create, list, get, update (also PATCH /customer/{id}, the reference's other spelling)."""

from __future__ import annotations

from premises.api.upkeep.mappers.customers import CUSTOMERS
from premises.api.upkeep.routes.contacts import contact_router

router = contact_router(
    CUSTOMERS,
    plural="customers",
    other_update_paths=("/customer/{customer_id}",),
)
