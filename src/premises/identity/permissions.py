"""Who may do what: the one permission table (rendered into docs/permissions.md).

Roles are UpKeep's account types. A grant is either ``ALL`` records of the account or only the
principal's ``OWN`` records (what "own" means is defined per resource in ``OWN_MEANS``).
Location-based users are further restricted to their places (see ``Principal.location_ids``).
"""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    ADMIN = "ADMIN"
    TECH = "TECH"
    LIMITED_TECH = "LIMITED_TECH"
    VIEW_ONLY = "VIEW_ONLY"
    REQUESTER = "REQUESTER"


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
    ("request", "read"): {ADMIN: A, TECH: A, LTECH: OWN, VIEW: OWN, REQ: OWN},
    ("request", "create"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A, REQ: A},
    ("request", "cancel"): {ADMIN: A, TECH: A, LTECH: OWN, VIEW: OWN, REQ: OWN},
    ("request", "decide"): {ADMIN: A, TECH: A},
    ("request", "delete"): {ADMIN: A},
    ("work_order", "read"): {ADMIN: A, TECH: A, LTECH: OWN, VIEW: A},
    ("work_order", "create"): {ADMIN: A, TECH: A},
    ("work_order", "update"): {ADMIN: A, TECH: A, LTECH: OWN},
    ("work_order", "delete"): {ADMIN: A},
    ("work_order", "assign"): {ADMIN: A, TECH: A},
    ("work_order", "comment"): {ADMIN: A, TECH: A, LTECH: OWN},
    ("cost_category", "read"): {ADMIN: A, TECH: A, LTECH: A, VIEW: A},
}

OWN_MEANS = {
    "user": "the user's own record",
    "file": "files the user uploaded",
    "request": "requests the user raised",
    "work_order": (
        "work orders assigned to the user, to one of the user's teams, or with the user as an additional worker"
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
