"""Customer (a contact in the customer role) <-> UpKeep wire shape."""

from __future__ import annotations

from premises.api.kit.body import Field
from premises.api.upkeep.mappers.contacts import ContactWire
from premises.contact.commands import ContactRole

CUSTOMERS = ContactWire(
    role=ContactRole.CUSTOMER,
    name_field="name",
    fields=(
        Field("email", max_length=320),
        Field("description", max_length=5000),
        Field("address", max_length=5000),
        Field("phoneNumber", to="phone_number", max_length=64),
        Field("website", max_length=500),
        Field("type", to="customer_type", max_length=100),
        Field("billingName", to="billing_name", max_length=300),
        Field("billingAddressLine1", to="billing_address_line1", max_length=500),
        Field("billingAddressLine2", to="billing_address_line2", max_length=500),
        Field("billingAddressLine3", to="billing_address_line3", max_length=500),
    ),
)
