"""/v1's webhooks: its event names and the body its receivers get (``premises.webhook.dialects``).

/v1 offers every event type the domain records (``event.types``: the maintenance events, the cases'
``CASE_*`` and the residents' ``RESIDENT_*`` included) under the domain's own names; ``"*"`` means all
of them. The body is the changed resource as /v1 renders it (a case as ``GET /v1/cases/{id}`` shows it,
a resident, a part, a request), at the top level, plus ``event``: the event's name (``api.kit.webhooks``:
rendered from the event's snapshot, so the embedded objects' names, e.g. ``Site.label``, are null).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from premises.api.kit.webhooks import Renderer, event_body, renderer, snapshot_row
from premises.api.v1.routes import cases as case_wire
from premises.api.v1.routes import parts as part_wire
from premises.api.v1.routes import requests as request_wire
from premises.api.v1.routes import residents as resident_wire
from premises.case import queries as case_queries
from premises.event.types import EventType
from premises.occupancy import queries as occupancy_queries
from premises.part import queries as part_queries
from premises.webhook import dialects
from premises.webhook.dialects import EventView

V1_EVENTS = tuple(t.value for t in EventType)
OFFERED = frozenset(V1_EVENTS)


def _resident(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A resident's event carries its occupancy's type as ``occupancy_type`` (``occupancy.service``)."""
    row = snapshot_row(resident_wire.V1, occupancy_queries.ALL_COLUMNS, payload)
    row["type"] = payload.get("occupancy_type")
    return resident_wire.to_v1(row)


# resource type (event.resource_type) -> its /v1 object from the event's snapshot
RESOURCES: dict[str, Renderer] = {
    "case": renderer(case_wire.V1, case_queries.ALL_COLUMNS, case_wire.to_v1),
    "resident": _resident,
    "part": renderer(part_wire.V1, part_queries.COLUMNS, part_wire.to_v1),
    "request": renderer(request_wire.V1, request_wire.COLUMNS, request_wire.V1.render),
}


class V1Webhooks:
    def event_name(self, event: EventView) -> str | None:
        return event.type if event.type in OFFERED else None

    def body(self, event: EventView, name: str) -> dict[str, Any]:
        return event_body(RESOURCES, event, name)


def expand_events(names: Sequence[str]) -> tuple[str, ...]:
    """``*`` is every event type; the rest in order, once each (checked by the caller)."""
    return tuple(dict.fromkeys(one for name in names for one in (V1_EVENTS if name == "*" else (name,))))


dialects.register("v1", V1Webhooks())
