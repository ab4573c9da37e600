"""Vendor (a contact in the vendor role: an organisation; ``name`` is the businessName) <-> UpKeep wire."""

from __future__ import annotations

from premises.api.kit.representation import Wire
from premises.api.upkeep.mappers.common import iso
from premises.api.upkeep.mappers.contacts import ContactWire, custom_fields_key
from premises.contact.commands import ContactRole

# UpKeep's name of every contact field a vendor shows (contact.fields declares them), in the order
# of its objects: bodies, responses, schemas and the list's filters derive from it.
VENDORS = ContactWire(
    ContactRole.VENDOR,
    {
        "id": Wire("id"),
        "name": Wire("businessName", filter="Only vendors with exactly this business name."),
        "email": Wire("email"),
        "description": Wire("description"),
        "address": Wire("businessAddress"),
        "phone_number": Wire("phoneNumber"),
        "website": Wire("website"),
        "vendor_type": Wire("type"),
        "main_point_of_contact": Wire("mainPointOfContact", then=(custom_fields_key(ContactRole.VENDOR),)),
        "created_at": Wire("createdAt", iso, ordered=True),
        "updated_at": Wire("updatedAt", iso, ordered=True),
    },
)
