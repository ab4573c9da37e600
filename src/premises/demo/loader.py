"""The demo account: sites with buildings, floors, units and plant rooms; users of every role; teams,
vendors, customers, assets, requests in every state and a few hundred work orders in every state.

Everything is created through the domain services (so it obeys the same rules as API traffic),
inside one unit of work. Creation times are then spread over the past year so lists and filters
look like a real account. Loading twice does nothing the second time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

from rich.progress import Progress
from sqlalchemy import update
from sqlalchemy.orm import Session

from premises.account.service import create_account
from premises.asset import service as assets
from premises.asset.commands import AssetCreate, AssetStatus
from premises.checklist import service as checklists
from premises.checklist.commands import FormTemplateCreate
from premises.contact import service as contacts
from premises.contact.commands import ContactCreate, ContactRole
from premises.db.engine import Database
from premises.identity.passwords import NewPassword
from premises.identity.permissions import Role
from premises.identity.principal import Principal
from premises.identity.service import find_login, principal_for_user
from premises.kit.time import now_ms
from premises.models import WorkOrder, WorkRequest
from premises.part import service as parts
from premises.part.commands import PartCreate
from premises.place import service as places
from premises.place.commands import PlaceCreate, PlaceKind
from premises.request import service as requests
from premises.request.commands import RequestApproval, RequestCreate
from premises.team import service as teams
from premises.team.commands import TeamCreate
from premises.user.commands import UserCreate
from premises.user.service import create_user_unchecked, set_user_locations
from premises.work_order import service as work_orders
from premises.work_order.commands import CostAdd, FormItem, FormItemType, Status, WorkOrderChanges, WorkOrderCreate

DEMO_DOMAIN = "demo.premises.test"
DEMO_PASSWORD = "demo-password"
ADMIN_EMAIL = f"admin@{DEMO_DOMAIN}"
DAY_MS = 86_400_000

USERS = (
    ("tech.alex", "TECH", "Alex", "Morgan", "Maintenance Technician"),
    ("tech.sam", "TECH", "Sam", "Okafor", "HVAC Technician"),
    ("tech.riley", "TECH", "Riley", "Chen", "Electrician"),
    ("limited.jordan", "LIMITED_TECH", "Jordan", "Alvarez", "Handyman"),
    ("viewer.casey", "VIEW_ONLY", "Casey", "Novak", "Portfolio Analyst"),
    ("requester.taylor", "REQUESTER", "Taylor", "Brooks", "Concierge"),
    ("site.tech.kim", "TECH", "Kim", "Larsen", "Site Technician (Maple Court only)"),
)
SITES = (
    ("Harbourview Towers", "1 Harbour Street, Sydney NSW 2000"),
    ("Maple Court", "48 Maple Avenue, Toronto ON M4W 1A8"),
    ("Riverside Offices", "12 Riverside Walk, Manchester M3 4JR"),
)
TEAMS = (
    ("Plumbing", "Leaks, drains, hot water"),
    ("Electrical", "Power, lighting, fire panels"),
    ("HVAC", "Heating, cooling, ventilation"),
)
VENDORS = (
    ("Apex Lifts Ltd", "lifts@apex.example", "Maintenance contractor"),
    ("BrightSpark Electrical", "jobs@brightspark.example", "Electrical contractor"),
    ("ClearFlow Plumbing", "office@clearflow.example", "Plumbing contractor"),
    ("CoolAir Mechanical", "service@coolair.example", "HVAC contractor"),
    ("SafeGuard Fire", "inspections@safeguard.example", "Fire safety"),
)
CUSTOMERS = (
    "Maria Rossi",
    "James O'Neill",
    "Aiko Tanaka",
    "Fatima Haddad",
    "Lukas Becker",
    "Priya Natarajan",
    "Tom Williams",
    "Chloe Martin",
)
ASSET_TYPES = (
    ("Gas Boiler", "HVAC", "Viessmann Vitodens 200"),
    ("Passenger Lift", "Equipment", "Otis Gen2"),
    ("Fire Alarm Panel", "Electrical", "Ampac FireFinder"),
    ("Hot Water Cylinder", "Plumbing", "Rheem 315L"),
    ("Rooftop Chiller", "HVAC", "Carrier AquaSnap"),
)
WORK_TITLES = (
    ("Leaking tap in kitchen", "Damage"),
    ("No hot water", "Damage"),
    ("Replace corridor light fittings", "Electrical"),
    ("Quarterly fire panel inspection", "Inspection"),
    ("Boiler annual service", "Preventative"),
    ("Lift out of service", "Safety"),
    ("Blocked drain in bathroom", "Damage"),
    ("Repaint stairwell", "Project"),
    ("Chiller making noise", "Refrigeration"),
    ("Check emergency lighting", "Safety"),
    ("Smoke detector chirping", "Safety"),
    ("Record meter readings", "Meter"),
)
# Parts in stock: name, category, cost per unit, quantity on hand, minimum quantity.
PARTS = (
    ("Air filter 20x25", "Filter", 12.5, 80, 10),
    ("V-belt A42", "Spare Parts", 18.0, 60, 5),
    ("LED tube 4ft", "Consumables", 6.75, 200, 30),
    ("Compressor contactor", "Compressor", 54.0, 40, 2),
)
STATUS_MIX = ("open",) * 5 + ("inProgress",) * 3 + ("onHold",) * 2 + ("complete",) * 6


@dataclass
class Demo:
    admin: Principal
    principals: dict[str, Principal]
    units: list[str]
    buildings: list[str]
    sites: list[str]
    assets: list[str]
    teams: list[str]
    techs: list[str]
    parts: list[str] = field(default_factory=list)
    form_template: str | None = None  # "Daily Rounds": a third of the checklists are copied from it


def load_demo(db: Database, *, work_orders: int = 300, seed: int = 42, base_url: str = "http://127.0.0.1:8000") -> str:
    """Load the demo account; return what to print: the logins and how to try them on ``base_url``
    (the configured address, ``Settings.resolved_public_url``)."""
    with db.unit_of_work() as session:
        if find_login(session, ADMIN_EMAIL) is not None:
            return "The demo account is already loaded.\n" + _logins(base_url)
        rng = random.Random(seed)
        with Progress(transient=True) as progress:
            task = progress.add_task("Loading the demo account", total=work_orders + 60)
            demo = _structure(session, rng)
            progress.advance(task, 40)
            _requests(session, rng, demo)
            progress.advance(task, 20)
            for index in range(work_orders):
                _work_order(session, rng, demo, index)
                progress.advance(task)
    return "Loaded the demo account.\n" + _logins(base_url)


def _logins(base_url: str) -> str:
    lines = ["", "Log in with any of these (password: " + DEMO_PASSWORD + "):", f"  {ADMIN_EMAIL:<38} ADMIN"]
    lines += [f"  {f'{handle}@{DEMO_DOMAIN}':<38} {role}" for handle, role, *_ in USERS]
    lines += [
        "",
        "Then, with the server running (premises serve):",
        f"  curl -s {base_url}/api/v2/auth -d email={ADMIN_EMAIL} -d password={DEMO_PASSWORD}",
        f'  curl -s "{base_url}/api/v2/work-orders?limit=5" -H "Session-Token: <sessionToken>"',
        f"  API docs: {base_url}/api/v2/docs",
    ]
    return "\n".join(lines)


def _structure(session: Session, rng: random.Random) -> Demo:
    created = create_account(
        session,
        name="Harbourview Property Management",
        admin_email=ADMIN_EMAIL,
        admin_password=NewPassword.make(DEMO_PASSWORD, email=ADMIN_EMAIL),
    )
    account_id = created.account_id
    admin = principal_for_user(session, account_id, created.user_id)
    principals: dict[str, Principal] = {}
    for handle, role, first, last, title in USERS:
        user = create_user_unchecked(
            session,
            account_id,
            UserCreate(
                email=f"{handle}@{DEMO_DOMAIN}",
                account_type=Role(role),
                first_name=first,
                last_name=last,
                job_title=title,
                is_location_based=handle.startswith("site."),
            ),
            NewPassword.make(DEMO_PASSWORD, email=f"{handle}@{DEMO_DOMAIN}"),
        )
        principals[handle] = Principal(account_id, user.id, Role(role))
    sites, buildings, units = [], [], []
    for site_name, address in SITES:
        site = places.create_location(session, admin, PlaceCreate(name=site_name, address=address, kind=PlaceKind.SITE))
        sites.append(site.id)
        for building_name in ("Building A", "Building B"):
            building = places.create_location(
                session,
                admin,
                PlaceCreate(name=f"{site_name} — {building_name}", parent_id=site.id, kind=PlaceKind.BUILDING),
            )
            buildings.append(building.id)
            places.create_location(
                session,
                admin,
                PlaceCreate(name=f"{building_name} Plant Room", parent_id=building.id, kind=PlaceKind.AREA),
            )
            for floor_no in range(1, 4):
                floor = places.create_location(
                    session,
                    admin,
                    PlaceCreate(name=f"{building_name} Level {floor_no}", parent_id=building.id, kind=PlaceKind.FLOOR),
                )
                for unit_no in range(1, 5):
                    unit = places.create_location(
                        session,
                        admin,
                        PlaceCreate(
                            name=f"Unit {building_name[-1]}{floor_no}0{unit_no}",
                            parent_id=floor.id,
                            kind=PlaceKind.UNIT,
                        ),
                    )
                    units.append(unit.id)
    set_user_locations(session, admin, principals["site.tech.kim"].user_id, [sites[1]])
    techs = [p.user_id for h, p in principals.items() if p.role.value in ("TECH", "LIMITED_TECH")]
    team_ids = []
    for index, (name, description) in enumerate(TEAMS):
        team = teams.create_team(session, admin, TeamCreate(name=name, description=description))
        team_ids.append(team.id)
        teams.add_team_member(session, admin, team.id, techs[index % len(techs)])
        teams.add_team_member(session, admin, team.id, principals["limited.jordan"].user_id)
    vendor_ids = []
    for name, email, kind in VENDORS:
        vendor = contacts.create_contact(
            session,
            admin,
            ContactRole.VENDOR,
            ContactCreate(name=name, email=email, vendor_type=kind, phone_number="555-0100"),
        )
        vendor_ids.append(vendor.id)
    for index, name in enumerate(CUSTOMERS):
        customer = contacts.create_contact(
            session,
            admin,
            ContactRole.CUSTOMER,
            ContactCreate(
                name=name,
                email=name.lower().replace(" ", ".").replace("'", "") + "@residents.example",
                customer_type="Owner" if index % 3 == 0 else "Tenant",
            ),
        )
        places.assign_member(session, admin, units[index * 7 % len(units)], "customer", customer.id)
    asset_ids = []
    for b_index, building_id in enumerate(buildings):
        for name, category, model in ASSET_TYPES:
            asset = assets.create_asset(
                session,
                admin,
                AssetCreate(
                    name=f"{name} {b_index + 1}",
                    category=category,
                    model=model,
                    location_id=building_id,
                    serial_number=f"SN-{rng.randrange(10**6, 10**7)}",
                    status=AssetStatus.ACTIVE,
                ),
            )
            asset_ids.append(asset.id)
        places.assign_member(session, admin, building_id, "vendor", vendor_ids[b_index % len(vendor_ids)])
    part_ids = []
    for index, (name, category, cost, quantity, minimum) in enumerate(PARTS):
        part = parts.create_part(
            session,
            admin,
            PartCreate(
                name=name,
                category=category,
                cost=cost,
                quantity=quantity,
                minimum_quantity=minimum,
                location_id=sites[index % len(sites)],
                part_number=f"PN-{1000 + index}",
            ),
        )
        part_ids.append(part.id)
    rounds = checklists.create_form_template(
        session,
        admin,
        FormTemplateCreate(
            name="Daily Rounds",
            description="Checks at the end of each shift.",
            form_items=[
                FormItem(name="Check, close, and lock windows", type=FormItemType.TASK),
                FormItem(name="Check office occupancy", type=FormItemType.NUMBER),
                FormItem(name="Inspected by", type=FormItemType.TEXT),
                FormItem(name="Temperature below 90", type=FormItemType.CHECKLIST),
                FormItem(name="Shift", type=FormItemType.MULTIPLE_CHOICE, options=["1st", "2nd", "3rd"]),
            ],
        ),
    )
    return Demo(admin, principals, units, buildings, sites, asset_ids, team_ids, techs, part_ids, rounds.id)


def _backdate(session: Session, model: Any, account_id: str, record_id: str, created_at: int) -> None:
    session.execute(
        update(model)
        .where(model.account_id == account_id, model.id == record_id)
        .values(created_at=created_at, updated_at=created_at)
    )


def _requests(session: Session, rng: random.Random, demo: Demo) -> None:
    requester = demo.principals["requester.taylor"]
    outcomes = ("open",) * 6 + ("approved",) * 6 + ("rejected",) * 4 + ("cancelled",) * 4
    for index, outcome in enumerate(outcomes):
        title, category = WORK_TITLES[index % len(WORK_TITLES)]
        request = requests.create_request(
            session,
            requester,
            RequestCreate(
                title=title,
                description="Reported at the front desk.",
                category=category,
                priority=rng.randrange(4),
                location_id=rng.choice(demo.units),
            ),
        )
        _backdate(session, WorkRequest, demo.admin.account_id, request.id, now_ms() - rng.randrange(1, 60) * DAY_MS)
        if outcome == "approved":
            approval = RequestApproval(assigned_to_user_id=rng.choice(demo.techs))
            requests.approve_request(session, demo.admin, request.id, approval)
        elif outcome == "rejected":
            requests.reject_request(session, demo.admin, request.id, "Resident's own responsibility")
        elif outcome == "cancelled":
            requests.cancel_request(session, requester, request.id, "Fixed itself")


def _work_order(session: Session, rng: random.Random, demo: Demo, index: int) -> None:
    title, category = WORK_TITLES[index % len(WORK_TITLES)]
    now = now_ms()
    created_at = now - rng.randrange(0, 365) * DAY_MS - rng.randrange(DAY_MS)
    location = rng.choice(demo.units + demo.buildings)
    fields: dict[str, Any] = {
        "title": title,
        "description": f"{title} — reported {rng.choice(('by a resident', 'during inspection', 'by the concierge'))}.",
        "priority": rng.choice((0, 1, 1, 2, 3)),
        "category": category,
        "location_id": location,
        "due_date": created_at + rng.randrange(1, 21) * DAY_MS,
        "estimated_duration_hours": rng.choice((0.5, 1, 2, 4)),
    }
    if rng.random() < 0.6:
        fields["asset_id"] = rng.choice(demo.assets)
    if rng.random() < 0.85:
        fields["assigned_to_user_id"] = rng.choice(demo.techs)
    if rng.random() < 0.4:
        fields["team_id"] = rng.choice(demo.teams)
    if demo.parts and rng.random() < 0.25:  # the parts used: each takes 1 from stock (PARTS has enough)
        fields["parts"] = [rng.choice(demo.parts)]
    if demo.form_template and rng.random() < 0.1:
        fields["form_template_id"] = demo.form_template
    elif rng.random() < 0.3:
        fields["form_items"] = [
            FormItem(name="Isolate supply", type=FormItemType.TASK),
            FormItem(name="Condition after repair", type=FormItemType.CHECKLIST),
        ]
    work_order = work_orders.create_work_order(session, demo.admin, WorkOrderCreate(**fields))
    status = rng.choice(STATUS_MIX)
    if status != "open":
        changes: dict[str, Any] = {"status": Status(status)}
        if status == "complete":
            changes["time_spent"] = rng.choice((0.5, 1, 1.5, 3))
            if rng.random() < 0.5:
                changes["additional_costs"] = [
                    CostAdd(
                        amount=float(rng.randrange(20, 400)),
                        info="Parts and call-out",
                        category="Parts Cost",
                        assigned_to_user_id=fields.get("assigned_to_user_id", demo.admin.user_id),
                    )
                ]
        work_orders.update_work_order(session, demo.admin, work_order.id, WorkOrderChanges(**changes))
    if rng.random() < 0.2:
        work_orders.add_update_message(session, demo.admin, work_order.id, "Parts ordered, back on Thursday.")
    if rng.random() < 0.05:
        work_orders.update_work_order(session, demo.admin, work_order.id, WorkOrderChanges(archived=True))
    _backdate(session, WorkOrder, demo.admin.account_id, work_order.id, created_at)
