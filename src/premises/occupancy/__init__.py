"""Occupancies and residents: a contact at a unit (or a site) as its owner, tenant, occupant, ... (docs/glossary.md)."""
