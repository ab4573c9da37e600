"""Webhooks: endpoints, the fan-out of events into deliveries, signed delivery (docs/webhooks.md)."""
