"""/v1 custom fields, the same for every resource that has them (assets, purchase orders): a custom field
value's wire shape (``SCHEMA``, ``to_v1``), the body of one field's change (``CHANGE``), a resource body's
``customFields`` list (``CustomFields``), and the routes of one resource's fields
(``add_custom_field_routes``): ``GET /v1/<resources>/{id}/customFields`` lists them (all on one page),
``PATCH /v1/<resources>/{id}/customFields/{fieldId}`` changes one (a free field's ``name``, ``value``,
``unit``; a typed field's ``value``; the field as the list shows it) and ``DELETE`` removes it (204).
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Path, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import COERCERS, Field, Spec, read_body
from premises.api.kit.errors import WireInputError
from premises.api.kit.listing import check_keys
from premises.api.v1.listing import whole_list
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, camel, instant, list_schema, responses
from premises.asset.commands import CustomValueChange, FreeFieldChange, ValueChanges
from premises.db.reader import Reader
from premises.errors import ErrorCode
from premises.identity.principal import Principal
from premises.kit.commands import build
from premises.models import CustomFieldValue

# One custom field value: a typed field's (``definition`` set; its value as text) or a free one.
_TEXT = {"type": ["string", "null"]}
SCHEMA = {
    "type": "object",
    "required": ["id", "definition", "name", "value", "unit", "createdAt", "updatedAt"],
    "properties": {
        "id": {"type": "string"},
        "definition": _TEXT,
        "name": _TEXT,
        "value": _TEXT,
        "unit": _TEXT,
        "createdAt": INSTANT_SCHEMA,
        "updatedAt": INSTANT_SCHEMA,
    },
}
# The body of PATCH .../customFields/{fieldId}.
CHANGE = Spec(
    Field("name", max_length=200, nullable=False),
    Field("value", max_length=5000),
    Field("unit", max_length=100),
    model=CustomFieldValue,
)

# The resource's custom fields as the list shows them, in order (its 404 for an id the caller does not see);
# one of them by its id (reader, principal, resource id, field id); the resource service's change and removal.
ReadAll = Callable[[Reader, Principal, str], Awaitable[Sequence[Mapping[str, Any]]]]
Read = Callable[[Reader, Principal, str, str], Awaitable[Mapping[str, Any]]]
Render = Callable[[Mapping[str, Any]], dict[str, Any]]
Update = Callable[[Session, Principal, str, str, ValueChanges], CustomFieldValue]
Delete = Callable[[Session, Principal, str, str], None]


def to_v1(value: Mapping[str, Any]) -> dict[str, Any]:
    """A custom field value as /v1 shows it: a typed field is named by its definition's id and name."""
    typed = value["definition_id"] is not None
    return {
        "id": value["definition_id"] if typed else value["id"],
        "definition": value["definition_id"],
        "name": value["definition_name"] if typed else value["name"],
        "value": value["value"],
        "unit": None if typed else value["unit"],
        "createdAt": instant(value["created_at"]),
        "updatedAt": instant(value["updated_at"]),
    }


def free_to_v1(row: Mapping[str, Any]) -> dict[str, Any]:
    """A free custom field (a resource with no typed fields) as ``to_v1`` shows one (``definition`` null)."""
    return to_v1({**row, "definition_id": None, "definition_name": None})


# ``customFields`` items in a resource's body: a typed field's value ``{"definition", "value"}``, or a free field
# ``{"name", "value", "unit"}`` (``id``: change that free field; else the one of that ``name``, or a new one).
# The other keys GET .../customFields answers are taken back unread; only named parts change.
_CUSTOM_KEYS = frozenset({"id", "definition", "name", "value", "unit", "createdAt", "updatedAt"})
_FREE_PARTS = (("name", 200), ("value", 5000), ("unit", 100))
# A domain error about one of the command's custom fields: the list, the item's index there, the part.
_DOMAIN_ITEM = re.compile(r"^(custom_fields|free_fields)\[([0-9]+)\]\.([a-z_]+)")
_ITEM_PARTS = {"definition_id": "definition"}


class CustomFields:
    """A body's ``customFields`` as the domain's two lists, with each item's index in the body."""

    def __init__(self, items: Sequence[dict[str, Any]]) -> None:
        self.typed: list[CustomValueChange] = []
        self.free: list[FreeFieldChange] = []
        self.at: dict[str, list[int]] = {"custom_fields": [], "free_fields": []}
        for index, item in enumerate(items):
            where = f"customFields[{index}]"
            unknown = sorted(set(item) - _CUSTOM_KEYS)
            if unknown:
                raise WireInputError(ErrorCode.UNKNOWN_FIELD, field=f"{where}.{unknown[0]}")
            if item.get("definition") is not None:
                if item.get("unit") is not None:
                    raise WireInputError(ErrorCode.NOT_OF_TYPED_FIELDS, field=f"{where}.unit")
                definition = COERCERS["id"](f"{where}.definition", item["definition"])
                self.typed.append(CustomValueChange(definition_id=definition, value=item.get("value")))
                self.at["custom_fields"].append(index)
                continue
            parts: dict[str, Any] = {}
            if item.get("id") is not None:
                parts["id"] = COERCERS["id"](f"{where}.id", item["id"])
            for name, longest in _FREE_PARTS:
                if name in item:
                    parts[name] = None if item[name] is None else COERCERS["string"](f"{where}.{name}", item[name])
                    if parts[name] is not None and len(parts[name]) > longest:
                        raise WireInputError(ErrorCode.TOO_LONG, field=f"{where}.{name}")
            self.free.append(FreeFieldChange(**parts))
            self.at["free_fields"].append(index)

    def name_of(self, field: str) -> str | None:
        """The body's ``customFields[i].<part>`` of a domain error's field about one of these, else None."""
        match = _DOMAIN_ITEM.match(field)
        if match is None:
            return None
        kind, index, part = match.groups()
        return f"customFields[{self.at[kind][int(index)]}].{_ITEM_PARTS.get(part, camel(part))}"


def add_custom_field_routes(
    router: APIRouter,
    resource: str,
    *,
    collection: str,
    read_all: ReadAll,
    read: Read,
    update: Update,
    delete: Delete,
    render: Render = to_v1,
    descriptions: Mapping[str, str] | None = None,
) -> None:
    """Register the list, update and delete routes of ``resource``'s ("asset", "purchase_order") custom
    fields under ``/<collection>/{<resource>_id}/customFields`` ("assets", "purchaseOrders"): ``read_all``
    reads the list, ``read`` the field an update answers with, ``render`` shows a row (``to_v1``);
    ``descriptions`` gives a route ("list", "update", "delete") its OpenAPI description."""
    id_name = f"{resource}_id"
    path = f"/{collection}/{{{id_name}}}/customFields"
    described = descriptions or {}

    async def list_custom_fields(
        *, resource_id: str = Path(alias=id_name), request: Request, runtime: RuntimeDep, principal: PrincipalDep
    ) -> Response:
        check_keys(request, frozenset())
        items = [render(row) for row in await read_all(runtime.reader, principal, resource_id)]
        return JSON(whole_list(items))

    async def update_custom_field(
        *,
        resource_id: str = Path(alias=id_name),
        field_id: str,
        request: Request,
        runtime: RuntimeDep,
        principal: PrincipalDep,
    ) -> Response:
        changes = build(ValueChanges, CHANGE.parse(await read_body(request), partial=True))
        await runtime.write(lambda s: update(s, principal, resource_id, field_id, changes).id)
        return JSON(render(await read(runtime.reader, principal, resource_id, field_id)))

    async def delete_custom_field(
        *, resource_id: str = Path(alias=id_name), field_id: str, runtime: RuntimeDep, principal: PrincipalDep
    ) -> Response:
        await runtime.write(lambda s: delete(s, principal, resource_id, field_id))
        return Response(status_code=204)

    router.add_api_route(
        path,
        list_custom_fields,
        methods=["GET"],
        responses=responses(list_schema(SCHEMA)),
        description=described.get("list"),
    )
    router.add_api_route(
        f"{path}/{{field_id}}",
        update_custom_field,
        methods=["PATCH"],
        responses=responses(SCHEMA),
        openapi_extra=CHANGE.openapi(partial=True),
        description=described.get("update"),
    )
    router.add_api_route(
        f"{path}/{{field_id}}",
        delete_custom_field,
        methods=["DELETE"],
        status_code=204,
        responses=responses(None, status=204),
        description=described.get("delete"),
    )
