"""The routes of a contact kind (customers, vendors): create, list, get, update."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import APIRouter, Path, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import read_body
from premises.api.kit.listing import check_keys
from premises.api.runtime import Runtime
from premises.api.upkeep.listing import ListSpec, parse_list
from premises.api.upkeep.mappers.contacts import ContactWire
from premises.api.upkeep.security import PrincipalDep
from premises.api.upkeep.wire import ok_result, ok_results, responses, result_schema, results_schema
from premises.contact import queries, service
from premises.identity.principal import Principal


def contact_router(wire: ContactWire, *, plural: str, other_update_paths: Sequence[str] = ()) -> APIRouter:
    """``/{plural}`` and ``/{plural}/{<role>_id}``; ``other_update_paths`` are PATCHed too (registered first).
    The list's filters and ``orderBy`` fields are those of the kind's attachment (``wire.upkeep``).

    Endpoint names (hence OpenAPI operation ids and summaries) are ``create_{role}``,
    ``list_{plural}``, ``get_{role}`` and ``update_{role}``.
    """
    role = wire.role
    id_name = f"{role}_id"
    item_path = f"/{plural}/{{{id_name}}}"
    item = responses(result_schema(wire.schema))
    list_spec = ListSpec(
        filters=wire.upkeep.filters(), ranges=wire.upkeep.ordered(), order_fields=wire.upkeep.ordered()
    )
    router = APIRouter(tags=[plural])

    async def one(runtime: Runtime, principal: Principal, contact_id: str) -> dict[str, Any]:
        return wire.to_upkeep(await queries.get_contact(runtime.reader, principal, role, contact_id))

    @router.post(f"/{plural}", name=f"create_{role}", responses=item, openapi_extra=wire.create.openapi())
    async def create(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
        fields = wire.parse_create(await read_body(request))
        contact_id = await runtime.write(lambda s: service.create_contact(s, principal, role, fields).id)
        return ok_result(await one(runtime, principal, contact_id))

    @router.get(
        f"/{plural}",
        name=f"list_{plural}",
        responses=responses(results_schema(wire.schema)),
        openapi_extra=list_spec.openapi(),
    )
    async def list_(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
        parsed = parse_list(request, list_spec, default_limit=runtime.settings.list_default_limit)
        rows = await queries.list_contacts(runtime.reader, principal, role, parsed.query)
        return ok_results(wire.render(rows))

    @router.get(item_path, name=f"get_{role}", responses=item)
    async def get(
        *, contact_id: str = Path(alias=id_name), request: Request, runtime: RuntimeDep, principal: PrincipalDep
    ) -> Response:
        check_keys(request, frozenset())
        return ok_result(await one(runtime, principal, contact_id))

    async def update(
        *, contact_id: str = Path(alias=id_name), request: Request, runtime: RuntimeDep, principal: PrincipalDep
    ) -> Response:
        changes = wire.parse_update(await read_body(request))
        await runtime.write(lambda s: service.update_contact(s, principal, role, contact_id, changes).id)
        return ok_result(await one(runtime, principal, contact_id))

    for path in (*other_update_paths, item_path):
        router.patch(path, name=f"update_{role}", responses=item, openapi_extra=wire.update.openapi(partial=True))(
            update
        )
    return router
