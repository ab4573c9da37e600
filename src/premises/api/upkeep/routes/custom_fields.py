"""Single custom field routes, the same for every resource whose custom fields are addressed one by one:
GET, PATCH and DELETE /<resource>s/{<resource>_id}/custom-fields/{field_id}; and the list filters on such
a resource's free custom fields (``custom_field_filters``).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import APIRouter, Path, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Spec, read_body
from premises.api.kit.listing import Filter, check_keys
from premises.api.upkeep.security import PrincipalDep
from premises.api.upkeep.wire import MESSAGE_SCHEMA, ok_message, ok_result, responses, result_schema
from premises.db.reader import Reader
from premises.identity.principal import Principal
from premises.models import CustomFieldValue
from premises.place.queries import CUSTOM_FIELD_FILTERS

# The resource's read (reader, principal, resource id, field id), its wire rendering and its write side.
Read = Callable[[Reader, Principal, str, str], Awaitable[dict[str, Any]]]
Render = Callable[[Mapping[str, Any]], dict[str, Any]]
Update = Callable[[Session, Principal, str, str, Any], CustomFieldValue]  # the last argument: the parsed changes
ParseUpdate = Callable[[Mapping[str, Any]], Any]  # the body -> the changes ``update`` takes
Delete = Callable[[Session, Principal, str, str], None]


def custom_field_filters(prefix: str, noun: str) -> tuple[Filter, ...]:
    """``prefix[name]``, ``prefix[value]``, ``prefix[unit]``: only the ``noun`` ("parts") with a free custom
    field of this name / value / unit (the pseudo-columns ``place.queries.with_free_field`` applies)."""
    return tuple(
        Filter(f"{prefix}[{key}]", column, description=f"Only {noun} with a custom field of this {key}.")
        for column, key in CUSTOM_FIELD_FILTERS.items()
    )


def add_custom_field_routes(
    router: APIRouter,
    resource: str,
    *,
    schema: Mapping[str, Any],
    update_spec: Spec,
    read: Read,
    render: Render,
    update: Update,
    delete: Delete,
    parse_update: ParseUpdate | None = None,
    collection: str | None = None,
) -> None:
    """Register the get, update and delete routes of one custom field of ``resource`` ("asset", "location");
    ``schema`` is the field's wire shape, ``update_spec`` the body an update may carry, ``parse_update``
    what turns that body into the changes ``update`` takes (default: the spec's dict of domain names);
    ``collection`` is the path's plural when it is not ``resource`` + "s" ("purchase-orders")."""
    id_name = f"{resource}_id"
    path = f"/{collection or resource + 's'}/{{{id_name}}}/custom-fields/{{field_id}}"

    async def get_custom_field(
        *,
        resource_id: str = Path(alias=id_name),
        field_id: str,
        request: Request,
        runtime: RuntimeDep,
        principal: PrincipalDep,
    ) -> Response:
        check_keys(request, frozenset())
        return ok_result(render(await read(runtime.reader, principal, resource_id, field_id)))

    async def update_custom_field(
        *,
        resource_id: str = Path(alias=id_name),
        field_id: str,
        request: Request,
        runtime: RuntimeDep,
        principal: PrincipalDep,
    ) -> Response:
        body = await read_body(request)
        changes = parse_update(body) if parse_update is not None else update_spec.parse(body, partial=True)
        await runtime.write(lambda s: update(s, principal, resource_id, field_id, changes).id)
        return ok_result(render(await read(runtime.reader, principal, resource_id, field_id)))

    async def delete_custom_field(
        *, resource_id: str = Path(alias=id_name), field_id: str, runtime: RuntimeDep, principal: PrincipalDep
    ) -> Response:
        await runtime.write(lambda s: delete(s, principal, resource_id, field_id))
        return ok_message("1 custom field deleted")

    item = responses(result_schema(schema))
    router.add_api_route(path, get_custom_field, methods=["GET"], responses=item)
    router.add_api_route(
        path,
        update_custom_field,
        methods=["PATCH"],
        responses=item,
        openapi_extra=update_spec.openapi(partial=True),
    )
    router.add_api_route(path, delete_custom_field, methods=["DELETE"], responses=responses(MESSAGE_SCHEMA))
