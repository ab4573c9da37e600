"""User <-> UpKeep wire shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from premises.api.kit.body import Field, Spec
from premises.api.upkeep.expanders import expander
from premises.api.upkeep.mappers.common import BOOL, DATE, NSTR, STR, iso, obj
from premises.db.reader import Reader
from premises.identity.permissions import UPKEEP_ROLES, Role
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models import User
from premises.user.commands import UserChanges, UserCreate
from premises.user.queries import users_by_ids

# UpKeep's account types only: Onsite's MANAGER and STAFF are refused as accountType values.
ROLES = tuple(r.value for r in UPKEEP_ROLES)
# How /api/v2 shows a user whose role UpKeep does not know: the UpKeep type that grants no more.
UPKEEP_ACCOUNT_TYPE = {Role.MANAGER.value: Role.TECH.value, Role.STAFF.value: Role.TECH.value}

CREATE = Spec(
    Field("email", required=True, max_length=320),
    Field("accountType", to="account_type", required=True, choices=ROLES),
    Field("password", required=True, max_length=500),
    Field("firstName", to="first_name", max_length=200),
    Field("lastName", to="last_name", max_length=200),
    Field("phoneNumber", to="phone_number", max_length=64),
    Field("jobTitle", to="job_title", max_length=200),
    Field("isLocationBased", "boolean", to="is_location_based", nullable=False),
    model=User,
)
UPDATE = Spec(
    Field("email", max_length=320, nullable=False),
    Field("accountType", to="account_type", choices=ROLES, nullable=False),
    Field("password", patchable=False),
    Field("firstName", to="first_name", max_length=200),
    Field("lastName", to="last_name", max_length=200),
    Field("phoneNumber", to="phone_number", max_length=64),
    Field("jobTitle", to="job_title", max_length=200),
    Field("isLocationBased", "boolean", to="is_location_based", nullable=False),
    model=User,
)


def parse_create(body: Mapping[str, Any]) -> tuple[UserCreate, str]:
    """The command and the password (kept out of the command)."""
    fields = CREATE.parse(body)
    password = fields.pop("password")
    return build(UserCreate, _typed(fields)), password


def parse_update(body: Mapping[str, Any]) -> UserChanges:
    return build(UserChanges, _typed(UPDATE.parse(body, partial=True)))


def _typed(fields: dict[str, Any]) -> dict[str, Any]:
    if fields.get("account_type") is not None:
        fields["account_type"] = Role(fields["account_type"])
    return fields


SET_LOCATIONS = Spec(Field("locationIds", "id_list", to="location_ids", required=True))

SCHEMA = obj(
    {
        "id": STR,
        "accountType": {"enum": list(ROLES)},
        "email": STR,
        "firstName": NSTR,
        "lastName": NSTR,
        "phoneNumber": NSTR,
        "userStatus": NSTR,
        "jobTitle": NSTR,
        "isLocationBased": BOOL,
        "dateOfLastLogin": DATE,
        "createdAt": DATE,
        "updatedAt": DATE,
    }
)


def to_upkeep(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "accountType": UPKEEP_ACCOUNT_TYPE.get(row["account_type"], row["account_type"]),
        "email": row["email"],
        "firstName": row["first_name"],
        "lastName": row["last_name"],
        "phoneNumber": row["phone_number"],
        "userStatus": row["user_status"],
        "jobTitle": row["job_title"],
        "isLocationBased": bool(row["is_location_based"]),
        "dateOfLastLogin": iso(row["date_of_last_login"]),
        "createdAt": iso(row["created_at"]),
        "updatedAt": iso(row["updated_at"]),
    }


@expander("user")
async def expand_users(reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
    return {i: to_upkeep(row) for i, row in (await users_by_ids(reader, principal, ids)).items()}
