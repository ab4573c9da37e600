"""Customer (a contact in the customer role) <-> UpKeep wire shape."""

from __future__ import annotations

from premises.api.kit.representation import Wire
from premises.api.upkeep.mappers.common import iso
from premises.api.upkeep.mappers.contacts import ContactWire, custom_fields_key
from premises.contact.commands import ContactRole

# UpKeep's name of every contact field a customer shows (contact.fields declares them), in the
# order of its objects: bodies, responses, schemas and the list's filters derive from it.
CUSTOMERS = ContactWire(
    ContactRole.CUSTOMER,
    {
        "id": Wire("id"),
        "name": Wire("name", filter="Only customers with exactly this name."),
        "email": Wire("email"),
        "description": Wire("description"),
        "address": Wire("address"),
        "phone_number": Wire("phoneNumber"),
        "website": Wire("website"),
        "customer_type": Wire("type"),
        "billing_name": Wire("billingName"),
        "billing_address_line1": Wire("billingAddressLine1"),
        "billing_address_line2": Wire("billingAddressLine2"),
        "billing_address_line3": Wire("billingAddressLine3", then=(custom_fields_key(ContactRole.CUSTOMER),)),
        "created_at": Wire("createdAt", iso, ordered=True),
        "updated_at": Wire("updatedAt", iso, ordered=True),
    },
)
