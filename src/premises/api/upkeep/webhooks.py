"""UpKeep's webhooks: its event names and the body its receivers get (``premises.webhook.dialects``).

UpKeep documents 20 event names (``UPKEEP_EVENTS``, what ``"events": ["*"]`` means); Premises also
offers the low-stock, meter and resident events (``EXTRA_EVENTS``), which a webhook receives only when it names
them. A domain event is delivered under its own name when that name is offered (the domain's names
for these changes are UpKeep's, ``event.types``).

The body is the changed resource as this API renders it, at the top level (receivers read ``id``,
``title``, ``status``, ``createdAt``, ``updatedAt`` there and de-duplicate on ``id``), plus
``event``: the event's name. It is rendered from the event's snapshot (the resource as the change
left it), so joined values that are not columns of the resource (an assignee's email, a custom
status's name) are null; a resource this module has no renderer for is its snapshot in camelCase.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from premises.api.kit.webhooks import Renderer, event_body, renderer
from premises.api.upkeep.mappers import meters as meter_wire
from premises.api.upkeep.mappers import parts as part_wire
from premises.api.upkeep.mappers import preventive_maintenance as pm_wire
from premises.api.upkeep.mappers import purchase_orders as purchase_order_wire
from premises.api.upkeep.mappers import requests as request_wire
from premises.api.upkeep.mappers import work_orders as work_order_wire
from premises.event.types import EventType
from premises.meter import queries as meter_queries
from premises.part import queries as part_queries
from premises.purchase_order import queries as purchase_order_queries
from premises.request import queries as request_queries
from premises.webhook import dialects
from premises.webhook.dialects import EventView
from premises.work_order import queries as work_order_queries

UPKEEP_EVENTS = (
    "WORK_ORDER_CREATED",
    "WORK_ORDER_UPDATED",
    "WORK_ORDER_STATUS_UPDATED",
    "WORK_ORDER_DELETED",
    "PM_WORK_ORDER_CREATED",
    "PM_WORK_ORDER_UPDATED",
    "PM_WORK_ORDER_DELETED",
    "WORK_ORDER_SCHEDULE_CREATED",
    "WORK_ORDER_SCHEDULE_UPDATED",
    "WORK_ORDER_SCHEDULE_STATUS_UPDATED",
    "WORK_ORDER_SCHEDULE_DELETED",
    "PURCHASE_ORDER_UPDATED",
    "PURCHASE_ORDER_CREATED",
    "PURCHASE_ORDER_DELETED",
    "PURCHASE_ORDER_APPROVED",
    "PURCHASE_ORDER_DECLINED",
    "REQUEST_CREATED",
    "REQUEST_UPDATED",
    "REQUEST_APPROVED",
    "REQUEST_REJECTED",
)
# Premises' own: low stock, meters and residents (whatever of these the domain records).
EXTRA_EVENTS = tuple(
    t.value for t in EventType if t.value == "PART_LOW_STOCK" or t.value.startswith(("METER_", "RESIDENT_"))
)
OFFERED = frozenset(UPKEEP_EVENTS + EXTRA_EVENTS)


# resource type (event.resource_type) -> its UpKeep object from the event's snapshot
RESOURCES: dict[str, Renderer] = {
    "work_order": renderer(work_order_wire.UPKEEP, work_order_queries.ALL_COLUMNS, work_order_wire.to_upkeep),
    "request": renderer(request_wire.UPKEEP, request_queries.ALL_COLUMNS, request_wire.to_upkeep),
    "part": renderer(part_wire.UPKEEP, part_queries.COLUMNS, part_wire.to_upkeep),
    "meter": renderer(meter_wire.METER_FIELDS, meter_queries.ALL_COLUMNS, meter_wire.meter_to_upkeep),
    "meter_reading": renderer(meter_wire.READING_FIELDS, meter_queries.READING_COLUMNS, meter_wire.reading_to_upkeep),
    "meter_notification": meter_wire.notification_event_body,
    "pm_trigger": pm_wire.event_body,
    # The order as the change left it (its part lines and custom fields are no columns: empty here).
    "purchase_order": renderer(
        purchase_order_wire.UPKEEP, purchase_order_queries.COLUMNS, purchase_order_wire.to_upkeep
    ),
}


class UpkeepWebhooks:
    def event_name(self, event: EventView) -> str | None:
        return event.type if event.type in OFFERED else None

    def body(self, event: EventView, name: str) -> dict[str, Any]:
        return event_body(RESOURCES, event, name)


def expand_events(names: Sequence[str]) -> tuple[str, ...]:
    """``*`` is UpKeep's 20 names; the rest in order, once each (checked by the caller)."""
    out: list[str] = []
    for name in names:
        for one in UPKEEP_EVENTS if name == "*" else (name,):
            if one not in out:
                out.append(one)
    return tuple(out)


dialects.register("upkeep", UpkeepWebhooks())
