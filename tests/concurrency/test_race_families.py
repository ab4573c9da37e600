"""One generic race per state-changing endpoint family of ``/api/v2`` (issue 5, "then, beyond these
five"): 20 identical or competing calls at once against a real two-process server, and exactly what
they must leave behind. What each family must produce:

=========================================  ====================================================
endpoint family                            20 parallel calls must produce
=========================================  ====================================================
DELETE /<resource>/{id} (assets,           one 200 and 19 404s; the record is gone; exactly one
locations, requests, teams,                ``*_DELETED`` event for it (customers and vendors
asset-downtime-statuses,                   have no DELETE endpoint)
custom-fields/assets, meters, parts,
form-templates, purchase-orders)
PATCH /<resource>/{id}, each call a        20 200s; the stored name/title is one of those sent;
different name/title (work-orders,         one ``*_UPDATED`` event per call, whose payloads
assets, locations, teams, customers,       carry exactly the 20 values sent (each call saw and
vendors, meters, parts, form-templates,    wrote the row in turn, none lost)
purchase-orders)
POST /teams/{id}/users/{userId}, the same  20 200s; one membership row; one TEAM_UPDATED event
user                                       (adding a member again is not a change)
POST /assets|locations/{id}/<users|teams|  20 200s; one link row; one ``*_UPDATED`` event
customers|vendors>/{memberId}, the same    (assigning again is not a change)
member
POST /work-orders/{id}/teams/{teamId},     20 200s; the work order's team is that team; one
the same team                              WORK_ORDER_UPDATED per call (the service touches the
                                           work order on every assign, as it always has)
PATCH /requests/{id}/decline               one 200 and 19 400s; one REQUEST_REJECTED event
decline and approve mixed (10 + 10)        one 200 and 19 400s; one decision event in total, and
                                           a work order only if the approval won
POST /requests|assets|locations|meters     20 200s; 20 distinct ids; 20 ``*_CREATED`` events
=========================================  ====================================================
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select

from premises.models import AssetLink, Event, PlaceLink, TeamMember, WorkOrder
from tests.support.client import Tenant, UpKeep
from tests.support.races import Call, RaceServer, messages, statuses

pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Family:
    """One resource: where it lives on the wire, how to make one, and its event type prefix."""

    path: str
    body: dict[str, Any]
    event: str
    field: str = "name"  # the wire name of the field a PATCH changes
    domain_field: str = ""  # its name in event payloads, when not the same

    @property
    def payload_field(self) -> str:
        return self.domain_field or self.field

    def create(self, client: UpKeep) -> str:
        response = client.post(self.path, json=self.body)
        assert response.status_code == 200, response.text
        created: str = response.json()["result"]["id"]
        return created

    def __str__(self) -> str:
        return self.path.strip("/")


ASSETS = Family("/assets", {"name": "Boiler"}, "ASSET")
LOCATIONS = Family("/locations", {"name": "Block A"}, "LOCATION")
REQUESTS = Family("/requests", {"title": "Leaking tap"}, "REQUEST", "title")
TEAMS = Family("/teams", {"name": "Night shift"}, "TEAM")
CUSTOMERS = Family("/customers", {"name": "Acme"}, "CUSTOMER")
VENDORS = Family("/vendors", {"businessName": "Parts Ltd"}, "VENDOR", "businessName", "name")
DOWNTIME_STATUSES = Family("/asset-downtime-statuses", {"name": "Waiting"}, "ASSET_DOWNTIME_STATUS")
ASSET_FIELDS = Family("/custom-fields/assets", {"name": "Serial", "type": "singleLineText"}, "ASSET_CUSTOM_FIELD")
WORK_ORDERS = Family("/work-orders", {"title": "Paint the lobby"}, "WORK_ORDER", "title")
METERS = Family("/meters", {"name": "Mileage", "units": "km", "frequency": 7}, "METER")
PARTS = Family("/parts", {"name": "Air filter"}, "PART")
FORM_TEMPLATES = Family("/form-templates", {"Name": "Daily rounds"}, "FORM_TEMPLATE", "Name", "name")
PURCHASE_ORDERS = Family("/purchase-orders", {"title": "Air filters"}, "PURCHASE_ORDER", "title")


def _count(server: RaceServer, statement: Any) -> int:
    with server.db.unit_of_work() as session:
        return int(session.scalar(statement) or 0)


def _payloads(server: RaceServer, account_id: str, type_: str, resource_id: str) -> list[dict[str, Any]]:
    rows = select(Event.payload).where(
        Event.account_id == account_id, Event.type == type_, Event.resource_id == resource_id
    )
    with server.db.unit_of_work() as session:
        return [json.loads(payload) for payload in session.scalars(rows)]


def _problems(responses: list[Any]) -> list[str]:
    return [f"{r.status_code} {r.text}" for r in responses if r.status_code >= 500]


@pytest.mark.parametrize(
    "family",
    [
        ASSETS,
        LOCATIONS,
        REQUESTS,
        TEAMS,
        DOWNTIME_STATUSES,
        ASSET_FIELDS,
        METERS,
        PARTS,
        FORM_TEMPLATES,
        PURCHASE_ORDERS,
    ],
    ids=str,
)
def test_parallel_deletes_delete_once(server: RaceServer, tenant: Tenant, family: Family) -> None:
    record_id = family.create(tenant.admin)
    responses = server.same(tenant.admin.token, lambda c: c.delete(f"{family.path}/{record_id}"))
    assert statuses(responses) == {200: 1, 404: 19}, _problems(responses) or statuses(responses)
    assert tenant.admin.get(f"{family.path}/{record_id}").status_code == 404
    assert server.events(tenant.account_id, f"{family.event}_DELETED", record_id) == 1


@pytest.mark.parametrize(
    "family",
    [WORK_ORDERS, ASSETS, LOCATIONS, TEAMS, CUSTOMERS, VENDORS, METERS, PARTS, FORM_TEMPLATES, PURCHASE_ORDERS],
    ids=str,
)
def test_parallel_renames_each_apply_in_turn(server: RaceServer, tenant: Tenant, family: Family) -> None:
    record_id = family.create(tenant.admin)
    sent = [f"{family.body[family.field]} {i}" for i in range(20)]

    def rename(value: str) -> Call:
        return lambda c: c.patch(f"{family.path}/{record_id}", json={family.field: value})

    responses = server.race(tenant.admin.token, [rename(v) for v in sent])
    assert statuses(responses) == {200: 20}, _problems(responses) or statuses(responses)
    stored = tenant.admin.get(f"{family.path}/{record_id}").json()["result"][family.field]
    assert stored in sent
    updates = _payloads(server, tenant.account_id, f"{family.event}_UPDATED", record_id)
    assert sorted(p[family.payload_field] for p in updates) == sorted(sent)


def test_parallel_adds_of_one_team_member_add_one(server: RaceServer, tenant: Tenant) -> None:
    team_id = TEAMS.create(tenant.admin)
    user_id = tenant.as_role("TECH").user_id
    responses = server.same(tenant.admin.token, lambda c: c.post(f"/teams/{team_id}/users/{user_id}"))
    assert statuses(responses) == {200: 20}, _problems(responses) or statuses(responses)
    rows = (
        select(func.count())
        .select_from(TeamMember)
        .where(TeamMember.account_id == tenant.account_id, TeamMember.team_id == team_id)
    )
    assert _count(server, rows) == 1
    assert server.events(tenant.account_id, "TEAM_UPDATED", team_id) == 1


MEMBERS: dict[str, Callable[[Tenant], str]] = {
    "users": lambda t: t.as_role("TECH").user_id,
    "teams": lambda t: TEAMS.create(t.admin),
    "customers": lambda t: CUSTOMERS.create(t.admin),
    "vendors": lambda t: VENDORS.create(t.admin),
}


@pytest.mark.parametrize("segment", sorted(MEMBERS))
@pytest.mark.parametrize(("family", "link"), [(ASSETS, AssetLink), (LOCATIONS, PlaceLink)], ids=["assets", "locations"])
def test_parallel_assignments_of_one_member_assign_once(
    server: RaceServer, tenant: Tenant, family: Family, link: type[AssetLink] | type[PlaceLink], segment: str
) -> None:
    record_id = family.create(tenant.admin)
    member_id = MEMBERS[segment](tenant)
    responses = server.same(tenant.admin.token, lambda c: c.post(f"{family.path}/{record_id}/{segment}/{member_id}"))
    assert statuses(responses) == {200: 20}, _problems(responses) or statuses(responses)
    record_column = getattr(link, "asset_id" if link is AssetLink else "place_id")
    rows = (
        select(func.count())
        .select_from(link)
        .where(link.account_id == tenant.account_id, record_column == record_id, link.member_id == member_id)
    )
    assert _count(server, rows) == 1
    assert server.events(tenant.account_id, f"{family.event}_UPDATED", record_id) == 1


def test_parallel_assigns_of_one_team_to_a_work_order(server: RaceServer, tenant: Tenant) -> None:
    work_order_id = WORK_ORDERS.create(tenant.admin)
    team_id = TEAMS.create(tenant.admin)
    responses = server.same(tenant.admin.token, lambda c: c.post(f"/work-orders/{work_order_id}/teams/{team_id}"))
    assert statuses(responses) == {200: 20}, _problems(responses) or statuses(responses)
    assert tenant.admin.get(f"/work-orders/{work_order_id}").json()["result"]["team"] == team_id
    assert server.events(tenant.account_id, "WORK_ORDER_UPDATED", work_order_id) == 20


def test_parallel_declines_decline_once(server: RaceServer, tenant: Tenant) -> None:
    request_id = REQUESTS.create(tenant.admin)
    responses = server.same(tenant.admin.token, lambda c: c.patch(f"/requests/{request_id}/decline", json={}))
    assert statuses(responses) == {200: 1, 400: 19}, _problems(responses) or statuses(responses)
    assert messages(responses, 400) == {"only open requests can be rejected; this request is rejected"}
    assert server.events(tenant.account_id, "REQUEST_REJECTED", request_id) == 1


def test_decline_and_approve_in_parallel_only_one_wins(server: RaceServer, tenant: Tenant) -> None:
    request_id = REQUESTS.create(tenant.admin)
    calls = [lambda c: c.patch(f"/requests/{request_id}/decline", json={})] * 10
    calls += [lambda c: c.patch(f"/requests/{request_id}/approve")] * 10
    responses = server.race(tenant.admin.token, calls)
    assert statuses(responses) == {200: 1, 400: 19}, _problems(responses) or statuses(responses)
    approved = server.events(tenant.account_id, "REQUEST_APPROVED", request_id)
    rejected = server.events(tenant.account_id, "REQUEST_REJECTED", request_id)
    assert approved + rejected == 1
    made = (
        select(func.count())
        .select_from(WorkOrder)
        .where(WorkOrder.account_id == tenant.account_id, WorkOrder.request_id == request_id)
    )
    assert _count(server, made) == approved
    winner = next(i for i, r in enumerate(responses) if r.status_code == 200)
    assert (winner >= 10) == bool(approved)


@pytest.mark.parametrize("family", [REQUESTS, ASSETS, LOCATIONS, METERS], ids=str)
def test_parallel_creates_create_distinct_records(server: RaceServer, tenant: Tenant, family: Family) -> None:
    responses = server.same(tenant.admin.token, lambda c: c.post(family.path, json=family.body))
    assert statuses(responses) == {200: 20}, _problems(responses) or statuses(responses)
    ids = {r.json()["result"]["id"] for r in responses}
    assert len(ids) == 20
    assert server.events(tenant.account_id, f"{family.event}_CREATED") == 20
