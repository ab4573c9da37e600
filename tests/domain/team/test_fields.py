"""The team fields are declared once (team.fields) and everything else derives from the declaration."""

from __future__ import annotations

import dataclasses

from premises.api.upkeep.mappers import teams as wire
from premises.api.upkeep.routes import teams as routes
from premises.models import Team
from premises.team import queries
from premises.team.commands import TeamChanges, TeamCreate
from premises.team.fields import TEAMS
from tests.support.catalogues import assert_agrees_with_table

NOT_READ = {"account_id", "deleted_at"}


def test_every_column_of_the_table_is_declared_once_in_select_order() -> None:
    declared = [f.name for f in TEAMS]
    assert len(declared) == len(set(declared))
    assert set(TEAMS.columns) == {c.name for c in Team.__table__.columns} - NOT_READ
    assert TEAMS.columns == queries.COLUMNS == tuple(declared)


def test_the_declarations_agree_with_the_table() -> None:
    assert_agrees_with_table(TEAMS, Team.__table__)


def test_writable_fields_are_what_the_commands_carry() -> None:
    create = {f.name for f in dataclasses.fields(TeamCreate)}
    changes = {f.name for f in dataclasses.fields(TeamChanges)}
    assert TEAMS.writable == create == changes == {"name", "description"}


def test_upkeep_names_only_declared_fields_and_its_bodies_lists_and_schema_derive_from_them() -> None:
    names = wire.UPKEEP.attachment
    assert TEAMS.attachments["upkeep"] is names
    assert {f.name for f in TEAMS} - set(names.entries) == {"created_by_user_id"}
    for spec in (wire.CREATE, wire.UPDATE):
        assert {f.name: f.target for f in spec.fields.values()} == {"name": "name", "description": "description"}
        assert (spec.fields["name"].max_length, spec.fields["description"].max_length) == (200, 5000)
        assert not spec.fields["name"].nullable
    assert [f.name for f in wire.CREATE.fields.values() if f.required] == ["name"]
    assert not any(f.required for f in wire.UPDATE.fields.values())
    assert {f.name: f.column for f in routes.LIST.filters} == {"name": "name"}
    assert dict(routes.LIST.order_fields) == {"createdAt": "created_at", "updatedAt": "updated_at"}
    assert dict(routes.LIST.ranges) == {"createdAt": "created_at", "updatedAt": "updated_at"}
    assert wire.SCHEMA["required"] == ["id", "name", "createdAt", "updatedAt"]


def test_the_rendered_object_follows_the_schema_order() -> None:
    row = dict.fromkeys(queries.COLUMNS)
    row.update(id="t1", name="Night shift", created_at=0, updated_at=86_400_000)
    item = wire.to_upkeep(row)
    assert list(item) == list(wire.SCHEMA["properties"]) == ["id", "name", "description", "createdAt", "updatedAt"]
    assert item == {
        "id": "t1",
        "name": "Night shift",
        "description": None,
        "createdAt": "1970-01-01T00:00:00.000Z",
        "updatedAt": "1970-01-02T00:00:00.000Z",
    }
