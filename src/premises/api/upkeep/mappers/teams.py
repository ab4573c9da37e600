"""Team <-> UpKeep wire shape."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from premises.api.kit.body import Field, Spec
from premises.api.upkeep.expanders import expander
from premises.api.upkeep.mappers.common import DATE, NSTR, STR, iso, obj
from premises.db.reader import Reader
from premises.errors import DomainValidation, ErrorCode
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models import Team
from premises.team.commands import TeamChanges, TeamCreate
from premises.team.queries import teams_by_ids

CREATE = Spec(Field("name", required=True, max_length=200), Field("description", max_length=5000), model=Team)
# The reference marks both "Required" on update too; as a PATCH that can only mean "not null" for name.
UPDATE = Spec(Field("name", nullable=False, max_length=200), Field("description", max_length=5000), model=Team)


def parse_create(body: Mapping[str, Any]) -> TeamCreate:
    return build(TeamCreate, _check_name(CREATE.parse(body)))


def parse_update(body: Mapping[str, Any]) -> TeamChanges:
    return build(TeamChanges, _check_name(UPDATE.parse(body, partial=True)))


def _check_name(fields: dict[str, Any]) -> dict[str, Any]:
    if "name" in fields and not str(fields["name"]).strip():
        raise DomainValidation(ErrorCode.REQUIRED, field="name")
    return fields


SCHEMA = obj({"id": STR, "name": STR, "description": NSTR, "createdAt": DATE, "updatedAt": DATE})


def to_upkeep(row: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "name": row["name"],
        "description": row["description"],
        "createdAt": iso(row["created_at"]),
        "updatedAt": iso(row["updated_at"]),
    }


@expander("team")
async def expand_teams(reader: Reader, principal: Principal, ids: set[str]) -> dict[str, dict[str, Any]]:
    return {i: to_upkeep(row) for i, row in (await teams_by_ids(reader, principal, ids)).items()}
