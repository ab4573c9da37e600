"""Team <-> UpKeep wire shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from premises.api.kit.body import Spec
from premises.api.kit.representation import Fields, Wire, required_of
from premises.api.upkeep.expanders import expander
from premises.api.upkeep.mappers.common import iso, obj
from premises.db.reader import Reader
from premises.errors import DomainValidation, ErrorCode
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models import Team
from premises.team.commands import TeamChanges, TeamCreate
from premises.team.fields import TEAMS
from premises.team.queries import teams_by_ids

# UpKeep's name and rendering of every team field it shows (team.fields declares them), in the
# order of its objects: bodies, responses, schemas and the list's filters derive from it.
UPKEEP = Fields(
    TEAMS.attach(
        "upkeep",
        {
            "id": Wire("id"),
            "name": Wire("name", filter="Only teams with exactly this name."),
            "description": Wire("description"),
            "created_at": Wire("createdAt", iso, ordered=True),
            "updated_at": Wire("updatedAt", iso, ordered=True),
        },
    )
)
CREATE = Spec(*UPKEEP.body_fields(required=required_of(TeamCreate)), model=Team)
# The reference marks both "Required" on update too; as a PATCH that can only mean "not null" for name.
UPDATE = Spec(*UPKEEP.body_fields(), model=Team)


def parse_create(body: Mapping[str, Any]) -> TeamCreate:
    return build(TeamCreate, _check_name(CREATE.parse(body)))


def parse_update(body: Mapping[str, Any]) -> TeamChanges:
    return build(TeamChanges, _check_name(UPDATE.parse(body, partial=True)))


def _check_name(fields: dict[str, Any]) -> dict[str, Any]:
    if "name" in fields and not str(fields["name"]).strip():
        raise DomainValidation(ErrorCode.REQUIRED, field="name")
    return fields


SCHEMA = obj(UPKEEP.schema_properties({}), UPKEEP.required())
to_upkeep = UPKEEP.render


@expander("team")
async def expand_teams(reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
    return {i: to_upkeep(row) for i, row in (await teams_by_ids(reader, principal, ids)).items()}
