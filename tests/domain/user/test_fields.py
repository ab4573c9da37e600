"""The user fields are declared once (user.fields) and everything else derives from the declaration."""

from __future__ import annotations

import dataclasses

from premises.api.upkeep.mappers import users as wire
from premises.api.upkeep.routes import users as routes
from premises.identity.permissions import Role
from premises.models import User
from premises.user import queries, service
from premises.user.commands import UserChanges, UserCreate
from premises.user.fields import USERS
from tests.support.catalogues import assert_agrees_with_table

NOT_READ = {"account_id", "deleted_at"}


def test_every_column_of_the_table_is_declared_once_in_select_order() -> None:
    declared = [f.name for f in USERS]
    assert len(declared) == len(set(declared))
    assert set(USERS.columns) == {c.name for c in User.__table__.columns} - NOT_READ
    assert USERS.columns == queries.COLUMNS


def test_the_declarations_agree_with_the_table_and_the_roles() -> None:
    assert_agrees_with_table(USERS, User.__table__)
    assert USERS.by_name["account_type"].choices == tuple(r.value for r in Role)


def test_writable_fields_are_what_the_commands_carry() -> None:
    create = {f.name for f in dataclasses.fields(UserCreate)}
    changes = {f.name for f in dataclasses.fields(UserChanges)}
    assert USERS.writable == create == changes
    assert service.PROFILE_FIELDS == ("first_name", "last_name", "phone_number", "job_title")
    assert set(service.PROFILE_FIELDS) == USERS.writable - service.OWN_RULES


def test_upkeep_names_every_field_and_its_bodies_lists_and_schema_derive_from_them() -> None:
    assert USERS.attachments["upkeep"] is wire.UPKEEP.attachment
    assert set(wire.UPKEEP.attachment.entries) == {f.name for f in USERS}
    for spec in (wire.CREATE, wire.UPDATE):
        assert {f.target: f.name for f in spec.fields.values() if f.target in USERS} == {
            "account_type": "accountType",
            "email": "email",
            "first_name": "firstName",
            "last_name": "lastName",
            "phone_number": "phoneNumber",
            "job_title": "jobTitle",
            "is_location_based": "isLocationBased",
        }
        assert {f.target for f in spec.fields.values()} - set(USERS.columns) == {"password"}
        # UpKeep's account types only: Onsite's roles are no accountType on /api/v2.
        assert spec.fields["accountType"].choices == wire.ROLES
    assert sorted(f.name for f in wire.CREATE.fields.values() if f.required) == ["accountType", "email", "password"]
    assert {f.name: f.column for f in routes.LIST.filters} == {"accountType": "account_type", "email": "email"}
    assert list(wire.SCHEMA["properties"]) == list(wire.UPKEEP.keys)
