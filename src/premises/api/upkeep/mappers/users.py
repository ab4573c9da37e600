"""User <-> UpKeep wire shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from premises.api.kit.body import Field, Spec
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.upkeep.expanders import expander
from premises.api.upkeep.mappers.common import iso, obj
from premises.db.reader import Reader
from premises.identity.permissions import UPKEEP_ROLES, Role
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models import User
from premises.user.commands import UserChanges, UserCreate
from premises.user.fields import USERS
from premises.user.queries import users_by_ids

# UpKeep's account types only: Onsite's MANAGER and STAFF are refused as accountType values.
ROLES = tuple(r.value for r in UPKEEP_ROLES)
# How /api/v2 shows a user whose role UpKeep does not know: the UpKeep type that grants no more.
UPKEEP_ACCOUNT_TYPE = {Role.MANAGER.value: Role.TECH.value, Role.STAFF.value: Role.TECH.value}


def _account_type(value: str) -> str:
    return UPKEEP_ACCOUNT_TYPE.get(value, value)


# UpKeep's name and rendering of every user field it shows (user.fields declares them), in the
# order of its objects: bodies, responses, schemas and the list's filters derive from it.
UPKEEP = Fields(
    USERS.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "account_type": Wire("accountType", _account_type, choices=ROLES, filter=""),
            "email": Wire("email", filter="Only the user with this email."),
            "first_name": Wire("firstName"),
            "last_name": Wire("lastName"),
            "phone_number": Wire("phoneNumber"),
            "user_status": Wire("userStatus"),
            "job_title": Wire("jobTitle"),
            "is_location_based": Wire("isLocationBased", bool),
            "date_of_last_login": Wire("dateOfLastLogin", iso),
            "created_at": Wire("createdAt", iso, ordered=True),
            "updated_at": Wire("updatedAt", iso, ordered=True),
        },
    )
)
# The password is no field of the user (it is hashed into its login) and never shown.
CREATE = Spec(
    *UPKEEP.body_fields(required=required_of(UserCreate)), Field("password", required=True, max_length=500), model=User
)
UPDATE = Spec(*UPKEEP.body_fields(), Field("password", patchable=False), model=User)


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

SCHEMA = obj(UPKEEP.schema_properties({}), UPKEEP.required())


def to_upkeep(row: dict[str, Any]) -> dict[str, Any]:
    return UPKEEP.render(row)


@expander("user")
async def expand_users(reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
    return {i: to_upkeep(row) for i, row in (await users_by_ids(reader, principal, ids)).items()}
