"""Who may do what: the one permission table (rendered into docs/permissions.md).

Roles are UpKeep's account types plus Onsite's site roles (Admin is our ADMIN; MANAGER and STAFF
are derived below, docs/adr/0009-identity-for-three-dialects.md). A grant is either ``ALL`` records
of the account or only the principal's ``OWN`` records (what "own" means is defined per resource in
``OWN_MEANS``). Location-based users are further restricted to their places (see
``Principal.location_ids``) and may hold a different role per site (``Principal.site_roles``).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "ADMIN"
    TECH = "TECH"
    LIMITED_TECH = "LIMITED_TECH"
    VIEW_ONLY = "VIEW_ONLY"
    REQUESTER = "REQUESTER"
    # Onsite's site roles (Onsite's Admin is ADMIN). Not UpKeep account types: /api/v2 refuses them.
    MANAGER = "MANAGER"
    STAFF = "STAFF"


# The account types UpKeep knows, in its order (what /api/v2 accepts as ``accountType``).
UPKEEP_ROLES = (Role.ADMIN, Role.TECH, Role.LIMITED_TECH, Role.VIEW_ONLY, Role.REQUESTER)


class Grant(StrEnum):
    ALL = "all"
    OWN = "own"


A, OWN = Grant.ALL, Grant.OWN
ADMIN, TECH, LTECH, VIEW, REQ = Role.ADMIN, Role.TECH, Role.LIMITED_TECH, Role.VIEW_ONLY, Role.REQUESTER

# (resource, action) -> {role: grant}. A role missing from a row may not do it at all.
PERMISSIONS: dict[tuple[str, str], dict[Role, Grant]] = {
    ("user", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A, REQ: OWN},
    ("user", "create"): {ADMIN: A},
    ("user", "update"): {ADMIN: A},
    ("user", "set_locations"): {ADMIN: A},
    ("customer", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    ("customer", "create"): {ADMIN: A, TECH: A},
    ("customer", "update"): {ADMIN: A, TECH: A},
    ("vendor", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    ("vendor", "create"): {ADMIN: A, TECH: A},
    ("vendor", "update"): {ADMIN: A, TECH: A},
    # Residents: contacts with an occupancy at a site; a location-based principal sees those of its sites
    # (occupancy.visibility), with the role it holds there. Every contact (/v1/contacts): "contact".
    ("resident", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    ("resident", "create"): {ADMIN: A, TECH: A},
    ("resident", "update"): {ADMIN: A, TECH: A},
    ("resident", "delete"): {ADMIN: A},
    ("contact", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    ("team", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    ("team", "create"): {ADMIN: A},
    ("team", "update"): {ADMIN: A},
    ("team", "delete"): {ADMIN: A},
    ("file", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A, REQ: OWN},
    ("file", "create"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A, REQ: A},
    ("location", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A, REQ: A},
    ("location", "create"): {ADMIN: A, TECH: A},
    ("location", "update"): {ADMIN: A, TECH: A},
    ("location", "delete"): {ADMIN: A},
    ("asset", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A, REQ: A},
    ("asset", "create"): {ADMIN: A, TECH: A},
    ("asset", "update"): {ADMIN: A, TECH: A},
    ("asset", "delete"): {ADMIN: A},
    ("asset", "record_downtime"): {ADMIN: A, TECH: A, LTECH: A},
    ("asset_setting", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    ("asset_setting", "write"): {ADMIN: A},
    ("meter", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    ("meter", "create"): {ADMIN: A, TECH: A},
    ("meter", "update"): {ADMIN: A, TECH: A},
    ("meter", "delete"): {ADMIN: A},
    ("meter_reading", "create"): {ADMIN: A, TECH: A, LTECH: A},
    ("meter_reading", "update"): {ADMIN: A, TECH: A, LTECH: OWN},
    ("meter_reading", "delete"): {ADMIN: A, TECH: A},
    ("meter_notification", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    ("meter_notification", "write"): {ADMIN: A, TECH: A},
    ("request", "read"): {ADMIN: A, TECH: A, LTECH: OWN, VIEW: OWN, REQ: OWN},
    ("request", "create"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A, REQ: A},
    ("request", "cancel"): {ADMIN: A, TECH: A, LTECH: OWN, VIEW: OWN, REQ: OWN},
    ("request", "decide"): {ADMIN: A, TECH: A},
    ("request", "delete"): {ADMIN: A},
    ("work_order", "read"): {ADMIN: A, TECH: A, LTECH: OWN, VIEW: A, REQ: OWN},
    ("work_order", "create"): {ADMIN: A, TECH: A},
    ("work_order", "update"): {ADMIN: A, TECH: A, LTECH: OWN},
    ("work_order", "delete"): {ADMIN: A},
    ("work_order", "assign"): {ADMIN: A, TECH: A},
    ("work_order", "comment"): {ADMIN: A, TECH: A, LTECH: OWN},
    ("cost_category", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    # Parts: the count on hand moves with work orders (work_order: update) through the inventory ledger.
    ("part", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    ("part", "create"): {ADMIN: A, TECH: A},
    ("part", "update"): {ADMIN: A, TECH: A},
    ("part", "delete"): {ADMIN: A},
    ("part_category", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    ("part_category", "write"): {ADMIN: A},
    # Purchase orders: technicians raise and receive them; only admins approve or decline (and reopen a
    # decided one). Receiving increases inventory through the ledger (part.inventory).
    ("purchase_order", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    ("purchase_order", "create"): {ADMIN: A, TECH: A},
    ("purchase_order", "update"): {ADMIN: A, TECH: A},
    ("purchase_order", "approve"): {ADMIN: A},
    ("purchase_order", "fulfill"): {ADMIN: A, TECH: A},
    ("purchase_order", "delete"): {ADMIN: A},
    ("purchase_order_category", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    ("purchase_order_category", "write"): {ADMIN: A},
    # Checklists: everyone who works on work orders reads the templates; admins write them (Premises endpoints).
    ("form_template", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    ("form_template", "write"): {ADMIN: A},
    # Preventive maintenance: the triggers that create work orders on a schedule (the sweep creates them
    # as the account). Location-based users see the triggers of their places (preventive.visibility).
    ("preventive_maintenance", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    ("preventive_maintenance", "create"): {ADMIN: A, TECH: A},
    ("preventive_maintenance", "update"): {ADMIN: A, TECH: A},
    ("preventive_maintenance", "delete"): {ADMIN: A},
    # Cases (/v1, Onsite's building issues) and their sites' case types: a location-based principal acts
    # on the cases of its sites with the role it holds there (case.visibility).
    ("case", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    ("case", "create"): {ADMIN: A, TECH: A, LTECH: A},
    ("case", "update"): {ADMIN: A, TECH: A, LTECH: A},
    ("case", "comment"): {ADMIN: A, TECH: A, LTECH: A},
    ("case", "delete"): {ADMIN: A},
    ("case_type", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
    ("case_type", "create"): {ADMIN: A},
    # Webhook endpoints carry a signing secret and see every change of the account: admins only.
    ("webhook", "read"): {ADMIN: A},
    ("webhook", "create"): {ADMIN: A},
    ("webhook", "update"): {ADMIN: A},
    ("webhook", "delete"): {ADMIN: A},
}

# Onsite's site roles (reference §2.2): Manager is "everything except managing users", Staff is "most
# features". Derived, so they follow the table: MANAGER has ADMIN's grants but the user-management
# rows; STAFF has TECH's grants (create and update, decide requests, assign; no deletes, no settings).
USER_MANAGEMENT = {("user", "create"), ("user", "update"), ("user", "set_locations")}
for _key, _grants in PERMISSIONS.items():
    if ADMIN in _grants and _key not in USER_MANAGEMENT:
        _grants[Role.MANAGER] = _grants[ADMIN]
    if TECH in _grants:
        _grants[Role.STAFF] = _grants[TECH]

OWN_MEANS = {
    "user": "the user's own record",
    "file": "files the user uploaded",
    "request": "requests the user raised",
    "meter_reading": "readings the user recorded",
    "work_order": (
        "work orders assigned to the user, to one of the user's teams, or with the user as an additional worker;"
        " for a REQUESTER, work orders created from a request the user raised (work_order.visibility)"
    ),
}


# Who may change a user's scope (enforced in premises.user.service; docs/permissions.md embeds it).
SCOPE_RULE = """\
Changing a user's scope — `accountType`, `isLocationBased`, locations (`PUT /users/{id}/locations`):

- An admin that is not location-based may change any user's scope, except its own `accountType`.
- Nobody may change their own `accountType`.
- A location-based admin manages only location-based users whose locations are all among its own
  (any other user: 403). It may not change anyone's `accountType` or `isLocationBased`, may not
  change its own locations, may give others only locations it has itself, and creates only
  location-based users.
- Refusals answer 403. A changed email or `accountType` ends every session of the user; a changed
  `isLocationBased` or location list applies from the user's next request.
"""


def grant_for(role: Role, resource: str, action: str) -> Grant | None:
    return PERMISSIONS.get((resource, action), {}).get(role)


def markdown_table() -> str:
    """The permission table as Markdown (docs/permissions.md embeds exactly this)."""
    roles = list(Role)
    lines = ["| resource | action | " + " | ".join(roles) + " |", "|---|---|" + "---|" * len(roles)]
    for (resource, action), grants in PERMISSIONS.items():
        cells = [grants[r].value if r in grants else "—" for r in roles]
        lines.append(f"| {resource} | {action} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
