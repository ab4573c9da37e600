"""/v1/cases: building issues at a site (reference §2.3, §3.2; docs/dialects/v1.md "Cases"), their
comments, links between cases, the activity log (the three paged as every /v1 list), and each site's case
types (``/v1/sites/{id}/caseTypes``).

A case shows the seed's item (``id``, ``code``, ``type``, ``title``, ``status``, ``due``, ``priority``,
``Assignee``, ``Site``, ``createdAt``, ``updatedAt``) with its other members in between: ``description``,
the embedded ``Unit``, ``Resident``, ``Contractor`` and ``Asset`` (null when not linked), ``closedAt``.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from premises.api.kit.auth import RuntimeDep
from premises.api.kit.body import Field, Spec, read_body
from premises.api.kit.listing import check_keys
from premises.api.kit.representation import Fields, Wire
from premises.api.runtime import Runtime
from premises.api.v1.listing import ListSpec, each, get_route, list_route, whole_list
from premises.api.v1.security import PrincipalDep
from premises.api.v1.wire import INSTANT_SCHEMA, JSON, instant, list_schema, object_schema, responses
from premises.case import queries, service
from premises.case.commands import CaseChanges, CaseCreate
from premises.case.fields import CASE_ACTIVITY, CASE_COMMENTS, CASE_TYPES, CASES, LINKED_CASES
from premises.identity.principal import Principal
from premises.kit.commands import UNSET
from premises.models import Case, CaseComment, CaseType

router = APIRouter(tags=["cases"])

NULL_INSTANT = {"type": ["string", "null"], "format": "date-time"}
EMBEDDED = ("Assignee", "Site", "Unit", "Resident", "Contractor", "Asset")
V1 = Fields(
    CASES.attach(
        "v1",
        {
            "id": Wire("id"),
            "code": Wire(
                "code", filter="The case's code (a comma list: any of)", schema={"type": "string", "examples": ["LA-1"]}
            ),
            "case_type": Wire("type", filter="The case type's name (a comma list: any of)"),
            "title": Wire("title", sort=True),
            "description": Wire("description"),
            "status": Wire("status", filter="todo, inProgress or closed (a comma list: any of)", sort=True),
            "due": Wire("due", instant, sort=True, schema=NULL_INSTANT),
            "priority": Wire(
                "priority", filter='"1" (most urgent) to "5" (a comma list: any of)', sort=True, then=EMBEDDED
            ),
            "site_id": Wire("site", response=False),
            "assignee_user_id": Wire("assignee", response=False),
            "unit_id": Wire("unit", response=False),
            "resident_id": Wire("resident", response=False),
            "contractor_id": Wire("contractor", response=False),
            "asset_id": Wire("asset", response=False),
            "closed_at": Wire("closedAt", instant, schema=NULL_INSTANT),
            "created_at": Wire("createdAt", instant, sort=True, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, sort=True, schema=INSTANT_SCHEMA),
        },
    )
)
CREATE = Spec(*V1.body_fields(required=("site_id", "title")), model=Case)
UPDATE = Spec(*V1.body_fields(without=("site_id",), not_null=("title", "case_type", "status", "priority")), model=Case)
# The links a list filters on (no response member of their own: the embedded objects show them), and
# ``code`` sorts by the number ("LA-2" before "LA-10").
LINK_FILTERS = {
    "assignee": "assignee_user_id",
    "unit": "unit_id",
    "resident": "resident_id",
    "contractor": "contractor_id",
    "asset": "asset_id",
}
LIST = ListSpec(CASES, "site_id", {**V1.filter_names(), **LINK_FILTERS}, {"code": "number", **V1.sort_keys()})


def _nullable(properties: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [{"type": "object", "properties": properties}, {"type": "null"}]}


PERSON = {"id": {"type": "string"}, "first": {"type": ["string", "null"]}, "last": {"type": ["string", "null"]}}
LABELLED = {"id": {"type": "string"}, "label": {"type": ["string", "null"]}}
SCHEMA = object_schema(
    V1,
    {
        "Assignee": _nullable(PERSON),
        "Site": {"type": "object", "properties": LABELLED},
        "Unit": _nullable(LABELLED),
        "Resident": _nullable(PERSON),
        "Contractor": _nullable(LABELLED),
        "Asset": _nullable(LABELLED),
    },
)


def _person(record_id: str | None, first: str | None, last: str | None) -> dict[str, Any] | None:
    return None if record_id is None else {"id": record_id, "first": first, "last": last}


def _labelled(record_id: str | None, label: str | None) -> dict[str, Any] | None:
    return None if record_id is None else {"id": record_id, "label": label}


def to_v1(row: dict[str, Any]) -> dict[str, Any]:
    item = V1.render(row)
    item["Assignee"] = _person(row["assignee_user_id"], row["assignee_first"], row["assignee_last"])
    item["Site"] = {"id": row["site_id"], "label": row["site_name"]}
    item["Unit"] = _labelled(row["unit_id"], row["unit_name"])
    resident_first = row["resident_first"] if row["resident_first"] or row["resident_last"] else row["resident_name"]
    item["Resident"] = _person(row["resident_id"], resident_first, row["resident_last"])
    item["Contractor"] = _labelled(row["contractor_id"], row["contractor_name"])
    item["Asset"] = _labelled(row["asset_id"], row["asset_name"])
    return item


# ------------------------------------------------------------------------------------------ cases


@router.get("/cases", responses=responses(list_schema(SCHEMA)), openapi_extra=LIST.openapi())
async def list_cases(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    return await list_route(request, runtime.reader, principal, LIST, queries.page_of_cases, each(to_v1))


@router.get("/cases/{case_id}", responses=responses(SCHEMA))
async def get_case(case_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    return await get_route(request, lambda: queries.get_case(runtime.reader, principal, case_id), to_v1)


@router.post("/cases", status_code=201, responses=responses(SCHEMA, status=201), openapi_extra=CREATE.openapi())
async def create_case(request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    command = CaseCreate(**CREATE.parse(await read_body(request)))
    case_id = await runtime.write(lambda s: service.create_case(s, principal, command).id)
    return JSON(to_v1(await queries.get_case(runtime.reader, principal, case_id)), status_code=201)


@router.patch("/cases/{case_id}", responses=responses(SCHEMA, extra=(422,)), openapi_extra=UPDATE.openapi(partial=True))
async def update_case(case_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fields = UPDATE.parse(await read_body(request), partial=True)
    await queries.get_case(runtime.reader, principal, case_id)
    changes = CaseChanges(**{name: fields.get(name, UNSET) for name in fields})
    await runtime.write(lambda s: service.update_case(s, principal, case_id, changes))
    return JSON(to_v1(await queries.get_case(runtime.reader, principal, case_id)))


@router.delete("/cases/{case_id}", status_code=204, responses=responses(None, status=204))
async def delete_case(case_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await queries.get_case(runtime.reader, principal, case_id)
    await runtime.write(lambda s: service.delete_case(s, principal, case_id))
    return Response(status_code=204)


# ------------------------------------------------------------------------------------------ comments

COMMENT = Spec(Field("body", "string", required=True, nullable=False), model=CaseComment)
COMMENT_SCHEMA = {
    "type": "object",
    "required": ["id", "body", "Author", "createdAt", "updatedAt"],
    "properties": {
        "id": {"type": "string"},
        "body": {"type": "string"},
        "Author": _nullable(PERSON),
        "createdAt": INSTANT_SCHEMA,
        "updatedAt": INSTANT_SCHEMA,
    },
}


def _comment(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "body": row["body"],
        "Author": _person(row["author_user_id"], row["first_name"], row["last_name"]),
        "createdAt": instant(row["created_at"]),
        "updatedAt": instant(row["updated_at"]),
    }


COMMENTS = ListSpec(CASE_COMMENTS, None, sortable={"createdAt": "created_at", "updatedAt": "updated_at"}, sited=False)


@router.get(
    "/cases/{case_id}/comments",
    responses=responses(list_schema(COMMENT_SCHEMA)),
    openapi_extra=COMMENTS.openapi(),
)
async def list_comments(case_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fetch = lambda r, p, q: queries.page_of_comments(r, p, case_id, q)  # noqa: E731
    return await list_route(request, runtime.reader, principal, COMMENTS, fetch, each(_comment))


@router.post(
    "/cases/{case_id}/comments",
    status_code=201,
    responses=responses(COMMENT_SCHEMA, status=201),
    openapi_extra=COMMENT.openapi(),
)
async def add_comment(case_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    body = COMMENT.parse(await read_body(request))["body"]
    await queries.get_case(runtime.reader, principal, case_id)
    comment_id = await runtime.write(lambda s: service.add_comment(s, principal, case_id, body).id)
    return JSON(_comment(await queries.get_comment(runtime.reader, principal, case_id, comment_id)), status_code=201)


# ------------------------------------------------------------------------------------------ links

LINK = Spec(Field("case", "id", to="linked_case_id", required=True, nullable=False))
LINKS = ListSpec(LINKED_CASES, "site_id", LIST.filters, LIST.sortable)  # as /v1/cases, oldest first


@router.get("/cases/{case_id}/links", responses=responses(list_schema(SCHEMA)), openapi_extra=LINKS.openapi())
async def list_links(case_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fetch = lambda r, p, q: queries.page_of_linked_cases(r, p, case_id, q)  # noqa: E731
    return await list_route(request, runtime.reader, principal, LINKS, fetch, each(to_v1))


@router.post(
    "/cases/{case_id}/links", status_code=201, responses=responses(SCHEMA, status=201), openapi_extra=LINK.openapi()
)
async def link_case(case_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    """Link another case (both ways); answers the linked case."""
    other_id = LINK.parse(await read_body(request))["linked_case_id"]
    await queries.get_case(runtime.reader, principal, case_id)
    await runtime.write(lambda s: service.link_cases(s, principal, case_id, other_id))
    return JSON(to_v1(await queries.get_case(runtime.reader, principal, other_id)), status_code=201)


@router.delete("/cases/{case_id}/links/{other_id}", status_code=204, responses=responses(None, status=204))
async def unlink_case(case_id: str, other_id: str, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    await queries.get_case(runtime.reader, principal, case_id)
    await runtime.write(lambda s: service.unlink_cases(s, principal, case_id, other_id))
    return Response(status_code=204)


# ------------------------------------------------------------------------------------------ activity

ACTIVITY_SCHEMA = {
    "type": "object",
    "required": ["id", "action", "field", "from", "to", "User", "at"],
    "properties": {
        "id": {"type": "string"},
        "action": {"enum": ["created", "updated", "commented", "linked", "unlinked", "deleted"]},
        "field": {"type": ["string", "null"]},
        "from": {"type": ["string", "null"]},
        "to": {"type": ["string", "null"]},
        "User": _nullable(PERSON),
        "at": INSTANT_SCHEMA,
    },
}
ACTIVITY_FIELDS = {"comment": "comment", "linked_case_id": "case", "work_order_id": "workOrder"}
ACTIVITY = ListSpec(CASE_ACTIVITY, None, {"action": "action"}, {"at": "at"}, sited=False)


def _field(name: str | None) -> str | None:
    if name is None:
        return None
    wire = V1.attachment.wire(name)
    return wire.name if wire is not None else ACTIVITY_FIELDS.get(name, name)


def _activity(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "action": row["action"],
        "field": _field(row["field"]),
        "from": row["old_value"],
        "to": row["new_value"],
        "User": _person(row["actor_user_id"], row["first_name"], row["last_name"]),
        "at": instant(row["at"]),
    }


@router.get(
    "/cases/{case_id}/activity", responses=responses(list_schema(ACTIVITY_SCHEMA)), openapi_extra=ACTIVITY.openapi()
)
async def list_activity(case_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    fetch = lambda r, p, q: queries.page_of_activity(r, p, case_id, q)  # noqa: E731
    return await list_route(request, runtime.reader, principal, ACTIVITY, fetch, each(_activity))


# ------------------------------------------------------------------------------------------ case types

TYPES_V1 = Fields(
    CASE_TYPES.attach(
        "v1",
        {
            "id": Wire("id"),
            "name": Wire("name", schema={"type": "string", "examples": ["Waste Management"]}),
            "is_default": Wire("default"),
            "created_at": Wire("createdAt", instant, schema=INSTANT_SCHEMA),
            "updated_at": Wire("updatedAt", instant, schema=INSTANT_SCHEMA),
        },
    )
)
TYPE_CREATE = Spec(*TYPES_V1.body_fields(required=("name",)), model=CaseType)
TYPE_SCHEMA = object_schema(TYPES_V1)


async def _case_types(runtime: Runtime, principal: Principal, site_id: str) -> list[dict[str, Any]]:
    """The site's case types; a site that has none yet is given the defaults first (once)."""
    rows = await queries.case_types(runtime.reader, principal, site_id)
    if not rows:
        await runtime.write(lambda s: service.ensure_case_types(s, principal, site_id))
        rows = await queries.case_types(runtime.reader, principal, site_id)
    return rows


@router.get("/sites/{site_id}/caseTypes", responses=responses(list_schema(TYPE_SCHEMA)))
async def list_case_types(site_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    check_keys(request, frozenset())
    rows = await _case_types(runtime, principal, site_id)
    return JSON(whole_list([TYPES_V1.render(r) for r in rows]))


@router.post(
    "/sites/{site_id}/caseTypes",
    status_code=201,
    responses=responses(TYPE_SCHEMA, status=201, extra=(409,)),
    openapi_extra=TYPE_CREATE.openapi(),
)
async def add_case_type(site_id: str, request: Request, runtime: RuntimeDep, principal: PrincipalDep) -> Response:
    name = TYPE_CREATE.parse(await read_body(request))["name"]
    await queries.case_types(runtime.reader, principal, site_id)  # 404 for a site the caller is not a member of
    type_id = await runtime.write(lambda s: service.add_case_type(s, principal, site_id, name).id)
    rows = await queries.case_types(runtime.reader, principal, site_id)
    return JSON(TYPES_V1.render(next(r for r in rows if r["id"] == type_id)), status_code=201)
