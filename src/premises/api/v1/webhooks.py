"""/v1's webhooks: its event names and the body its receivers get (``premises.webhook.dialects``).

/v1 offers every event type the domain records (``event.types``: the maintenance events, the cases'
``CASE_*`` and the residents' ``RESIDENT_*`` included) under the domain's own names; ``"*"`` means all
of them. The body is the changed resource as /v1 renders it (a case as ``GET /v1/cases/{id}`` shows it,
a resident, a part, a request, a work order, an asset, a meter, a purchase order, a preventive-maintenance
schedule, a site; any other place as ``/v1/places`` shows it), at the top level, plus ``event``: the
event's name (``api.kit.webhooks``: rendered from the event's snapshot, so the embedded objects' names,
e.g. ``Site.label``, are null). What the snapshot, the record's own columns, cannot give is null too:
a work order's ``Site`` (the top-level place above its location); an asset's ``customFields`` and
``incompleteWorkOrders``; a meter's ``lastReading``; a purchase order's ``totalQuantity``,
``totalCost`` and ``parts`` (its lines); a place's ``Parent.kind``. A meter reading is rendered as
``GET /v1/meters/{id}/readings/{readingId}`` shows it, a contact (``CUSTOMER_*``, ``VENDOR_*``) as
``GET /v1/contacts/{id}``, a team as ``GET /v1/teams/{id}``: a contact's ``types`` come from its own
flags, so they never name ``resident`` (the occupancy is no column of the contact; the ``RESIDENT_*``
events carry residents), and a team's ``members`` is null. Other resources (meter notifications, users,
files, ...) are their snapshot in camelCase.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from premises.api.kit.webhooks import Renderer, event_body, renderer, snapshot_row
from premises.api.v1.routes import assets as asset_wire
from premises.api.v1.routes import cases as case_wire
from premises.api.v1.routes import contacts as contact_wire
from premises.api.v1.routes import meters as meter_wire
from premises.api.v1.routes import parts as part_wire
from premises.api.v1.routes import places as place_wire
from premises.api.v1.routes import preventive_maintenance as pm_wire
from premises.api.v1.routes import purchase_orders as purchase_order_wire
from premises.api.v1.routes import requests as request_wire
from premises.api.v1.routes import residents as resident_wire
from premises.api.v1.routes import sites as site_wire
from premises.api.v1.routes import teams as team_wire
from premises.api.v1.routes import work_orders as work_order_wire
from premises.asset import queries as asset_queries
from premises.case import queries as case_queries
from premises.event.types import EventType
from premises.meter import queries as meter_queries
from premises.occupancy import queries as occupancy_queries
from premises.part import queries as part_queries
from premises.place import queries as place_queries
from premises.preventive import queries as pm_queries
from premises.purchase_order import queries as purchase_order_queries
from premises.team import queries as team_queries
from premises.webhook import dialects
from premises.webhook.dialects import EventView

V1_EVENTS = tuple(t.value for t in EventType)
OFFERED = frozenset(V1_EVENTS)


def _resident(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A resident's event carries its occupancy's type as ``occupancy_type`` (``occupancy.service``)."""
    row = snapshot_row(resident_wire.V1, occupancy_queries.ALL_COLUMNS, payload)
    row["type"] = payload.get("occupancy_type")
    return resident_wire.to_v1(row)


def _trigger(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A preventive-maintenance schedule: /v1 parses its JSON lists itself (as the read model stores them)."""
    return pm_wire.V1.render({column: payload.get(column) for column in pm_queries.COLUMNS})


def _place(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A place at the top is a site as ``GET /v1/sites/{id}`` shows it; any other one a ``/v1/places``
    item, its ``Site`` and ``Parent`` by id (their names and the parent's kind are no columns of it)."""
    row = snapshot_row(site_wire.V1, place_queries.ALL_COLUMNS, payload)
    if row["parent_id"] is None:
        return site_wire.to_v1(row)
    site, parent = row["site_id"], row["parent_id"]
    objects = {
        "site": {site: {"id": site, "label": None}} if site else {},
        "parent": {parent: {"id": parent, "label": None, "kind": None}},
    }
    return place_wire.PLACES_V1.render(row, objects)


def _team(payload: Mapping[str, Any]) -> dict[str, Any]:
    """A team: its members are no columns of it (null)."""
    return {**team_wire.V1.render(snapshot_row(team_wire.V1, team_queries.COLUMNS, payload)), "members": None}


# resource type (event.resource_type) -> its /v1 object from the event's snapshot
RESOURCES: dict[str, Renderer] = {
    "case": renderer(case_wire.V1, case_queries.ALL_COLUMNS, case_wire.to_v1),
    "resident": _resident,
    "part": renderer(part_wire.V1, part_queries.COLUMNS, part_wire.to_v1),
    "request": renderer(request_wire.V1, request_wire.COLUMNS, request_wire.V1.render),
    "work_order": renderer(work_order_wire.V1, work_order_wire.COLUMNS, work_order_wire.V1.render),
    "asset": renderer(asset_wire.V1, asset_queries.ALL_COLUMNS, asset_wire.V1.render),
    "meter": renderer(meter_wire.V1, meter_queries.ALL_COLUMNS, meter_wire.V1.render),
    "meter_reading": renderer(meter_wire.READING, meter_queries.READING_COLUMNS, meter_wire.READING.render),
    "contact": renderer(contact_wire.V1, occupancy_queries.CONTACT_ALL_COLUMNS, contact_wire.to_v1),
    "team": _team,
    "purchase_order": renderer(purchase_order_wire.V1, purchase_order_queries.COLUMNS, purchase_order_wire.V1.render),
    "pm_trigger": _trigger,
    "location": _place,
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
