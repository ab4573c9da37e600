"""Vendor (a contact in the vendor role: an organisation; ``name`` is the businessName) <-> UpKeep wire."""

from __future__ import annotations

from premises.api.kit.body import Field
from premises.api.upkeep.mappers.contacts import ContactWire
from premises.contact.commands import ContactRole

VENDORS = ContactWire(
    role=ContactRole.VENDOR,
    name_field="businessName",
    fields=(
        Field("email", max_length=320),
        Field("description", max_length=5000),
        Field("businessAddress", to="address", max_length=5000),
        Field("phoneNumber", to="phone_number", max_length=64),
        Field("website", max_length=500),
        Field("type", to="vendor_type", max_length=100),
        Field("mainPointOfContact", to="main_point_of_contact", max_length=300),
    ),
)
