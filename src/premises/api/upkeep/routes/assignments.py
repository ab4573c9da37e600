"""Assignment routes, the same for every resource that has assigned users, teams, customers and vendors:
POST (assign) and DELETE (remove) /<resource>s/{<resource>_id}/<users|teams|customers|vendors>/{member_id}.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Path
from sqlalchemy.orm import Session
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.upkeep.security import PrincipalDep
from premises.api.upkeep.wire import MESSAGE_SCHEMA, ok_message, responses
from premises.assignment.service import MemberType
from premises.identity.principal import Principal

MEMBERS = tuple((f"{member}s", member) for member in MemberType)

# (session, principal, resource id, link type, member id): the domain's assign or unassign.
Change = Callable[[Session, Principal, str, str, str], None]


def add_assignment_routes(router: APIRouter, resource: str, *, assign: Change, unassign: Change) -> None:
    """Register the assign and remove routes of every member type for ``resource`` ("asset", "location")."""
    for segment, link_type in MEMBERS:
        _add_routes(router, resource, segment, link_type, assign, unassign)


def _add_routes(
    router: APIRouter, resource: str, segment: str, link_type: MemberType, assign: Change, unassign: Change
) -> None:
    id_name = f"{resource}_id"
    path = f"/{resource}s/{{{id_name}}}/{segment}/{{member_id}}"

    async def assign_member(
        *, resource_id: str = Path(alias=id_name), member_id: str, runtime: RuntimeDep, principal: PrincipalDep
    ) -> Response:
        await runtime.write(lambda s: assign(s, principal, resource_id, link_type, member_id))
        return ok_message(f"{link_type} {member_id} assigned to {resource} {resource_id}")

    async def remove_member(
        *, resource_id: str = Path(alias=id_name), member_id: str, runtime: RuntimeDep, principal: PrincipalDep
    ) -> Response:
        await runtime.write(lambda s: unassign(s, principal, resource_id, link_type, member_id))
        return ok_message(f"{link_type} {member_id} removed from {resource} {resource_id}")

    router.add_api_route(
        path,
        assign_member,
        methods=["POST"],
        responses=responses(MESSAGE_SCHEMA),
        name=f"assign_{link_type}_to_{resource}",
        summary=f"Assign {link_type.title()} To {resource.title()}",
    )
    router.add_api_route(
        path,
        remove_member,
        methods=["DELETE"],
        responses=responses(MESSAGE_SCHEMA),
        name=f"remove_{link_type}_from_{resource}",
        summary=f"Remove {link_type.title()} From {resource.title()}",
    )
