"""Domain errors in UpKeep's words: UpKeep's field names and, where UpKeep words it differently, its messages.

A domain error names a domain field (``custom_status_id``, ``custom_fields[0].definition_id``);
UpKeep clients see the wire name (``customWOStatusId``, ``customFields[0].id``). The names come
from UpKeep's body ``Spec`` declarations (``Field(wire, to=domain)``; another dialect's never), plus
``EXTRA_NAMES`` for fields no single body declares. Codes without an UpKeep template use the domain's template.

Errors the API kit raises (``premises.api.kit.errors.WireInputError``: bad bodies and query
strings) already name the field as the client sent it, so their names are shown untranslated.
"""

from __future__ import annotations

import re
from functools import cache

from premises.api.kit.body import specs_of
from premises.api.kit.errors import WireInputError
from premises.asset.commands import CustomFieldType
from premises.errors import TEMPLATES, ErrorCode, PremisesError, render

# UpKeep's own wording of some codes (documented in UpKeep's API reference).
UPKEEP_TEMPLATES: dict[ErrorCode, str] = {
    ErrorCode.UNKNOWN_FIELD: "{field} not in schema",
    ErrorCode.READ_ONLY: "{field} is not allowed to be set!",
    # Places and contacts: the unique rules (db.integrity) and services say which record; locations name their
    # custom fields customFieldsLocation.
    ErrorCode.DUPLICATE: "a {record} with this {field} already exists",
    ErrorCode.CUSTOM_FIELD_ITEM_NOT_FOUND: "customFieldsLocation custom field {id} not found",
    # Identity: UpKeep says location where the domain says site, and names its header.
    ErrorCode.CREDENTIALS_REQUIRED: "session token required: send the Session-Token header",
    ErrorCode.SITE_NOT_FOUND: "location {id} not found",
    ErrorCode.NOT_A_SITE: "only parent location IDs are allowed",
    # List parameters (the kit's codes, UpKeep's documented words and its orderBy convention).
    ErrorCode.UNKNOWN_PARAMETER: "invalid filter key: {field}",
    ErrorCode.INVALID_INCLUDE: "invalid includes value: {value}",
    ErrorCode.INVALID_SORT: "{field} must be 'field ASC|DESC' with field one of {choices}",
    ErrorCode.INVALID_SORT_DIRECTION: "{field} direction must be ASC or DESC",
    # Assets: a custom field value sent under another type's key (fieldValue.numberValue for a date field).
    ErrorCode.VALUE_OF_OTHER_TYPE: "{field} must set {type}Value for this {type} field",
    # Permissions: the resource as the API names it (RESOURCE_NAMES), never the table's name.
    ErrorCode.ROLE_MAY_NOT: "{role} users may not {action} {resource}",
}

# The permission table's resources (premises.identity.permissions), in the plural the API's paths use:
# "REQUESTER users may not read customers", not the table's "customer" or "work_order".
RESOURCE_NAMES: dict[str, str] = {
    "user": "users",
    "customer": "customers",
    "vendor": "vendors",
    "team": "teams",
    "file": "files",
    "location": "locations",
    "asset": "assets",
    "asset_setting": "asset settings",
    "meter": "meters",
    "meter_reading": "meter readings",
    "meter_notification": "meter notifications",
    "request": "requests",
    "work_order": "work orders",
    "cost_category": "work order cost categories",
    "part": "parts",
    "part_category": "part categories",
    "purchase_order": "purchase orders",
    "purchase_order_category": "purchase order categories",
    "preventive_maintenance": "preventive maintenance",
    "form_template": "form templates",
    "webhook": "webhooks",
    # /v1's resources (UpKeep serves none of them; a 403 words them all the same)
    "case": "cases",
    "case_type": "case types",
    "contact": "contacts",
    "resident": "residents",
}

# Domain names -> UpKeep names that no body Spec declares, or that several declare differently
# (the entry decides). A nested name is keyed by its path without indexes: ``custom_fields[].definition_id``.
EXTRA_NAMES: dict[str, str] = {
    # Customers say businessName and businessAddress, locations customFieldsLocation; errors use the common name.
    "name": "name",
    "address": "address",
    "custom_fields": "customFields",
    # Parts: a body may name the part number partName or partNumber, the barcode serial or barcode.
    "part_number": "partNumber",
    "serial": "serial",
    # Work orders: cost lines (additionalCosts items are no body Spec).
    "additional_costs[].assigned_to_user_id": "assignedToUser",
    "additional_costs.assigned_to_user_id": "additionalCosts.assignedToUser",  # a cost line's assignee, any line
    # Assets: a typed custom field value is customFields[i].fieldValue.<type>Value on the wire.
    "custom_fields[].definition_id": "id",
    "custom_fields[].value": "fieldValue",
    **{f"custom_fields[].value.{kind}": f"{kind}Value" for kind in map(str, CustomFieldType)},
}

_SEGMENT = re.compile(r"^(?P<name>[^\[\]]+)(?P<index>(\[\d*\])*)$")


@cache
def field_names() -> dict[str, str]:
    """Domain field name -> UpKeep wire name, from every body Spec (first declaration wins) and EXTRA_NAMES."""
    names: dict[str, str] = {}
    for spec in specs_of("premises.api.upkeep"):
        for field in spec.fields.values():
            names.setdefault(field.target, field.name)
    names.update(EXTRA_NAMES)
    return names


def wire_name(path: str | None) -> str | None:
    """The UpKeep name of a domain field path; parts nobody renamed stay as they are."""
    if path is None:
        return None
    names = field_names()
    if path in names:
        return names[path]
    out: list[str] = []
    generic: list[str] = []
    for part in path.split("."):
        match = _SEGMENT.match(part)
        if match is None:
            out.append(part)
            generic.append(part)
            continue
        name, index = match["name"], match["index"] or ""
        key = ".".join([*generic, name]) if generic else name
        wire = names.get(key, name)
        out.append(wire + index)
        generic.append(name + re.sub(r"\d+", "", index))
    return ".".join(out)


def message_for(exc: PremisesError) -> str:
    """What an UpKeep client reads in ``message``."""
    if exc.sentence is not None:
        return exc.sentence
    template = UPKEEP_TEMPLATES.get(exc.code) or TEMPLATES.get(exc.code, "{field} is not valid")
    if isinstance(exc, WireInputError):  # the client's own names, shown as sent (even an empty key)
        wire_params = dict(exc.params) if exc.field is None else {**exc.params, "field": exc.field}
        return render(template, exc.field, wire_params)
    params = {
        key: wire_name(value) if key.endswith("field") and isinstance(value, str) else value
        for key, value in exc.params.items()
    }
    resource = params.get("resource")
    if isinstance(resource, str):
        params["resource"] = RESOURCE_NAMES.get(resource, resource)
    return render(template, wire_name(exc.field), params)
