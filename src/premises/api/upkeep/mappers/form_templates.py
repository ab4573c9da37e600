"""Form template (checklist) <-> UpKeep wire shape.

UpKeep shows a template's name as ``Name`` (capitalised) and its author as ``userCreated``; its lines
are ``{name, type, meter?, options?}``. Creating and changing templates is a Premises extension
(UpKeep documents only the two reads): the body takes the names the response shows (``Name``, or
``name``; ``description``; ``formItems`` lines with ``name``, ``type``, ``options``, ``meter``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from premises.api.kit.body import Spec
from premises.api.kit.errors import WireInputError
from premises.api.kit.form_items import TEMPLATE_ITEM_SCHEMA, parse_template_items
from premises.api.kit.representation import Fields, Wire
from premises.api.upkeep.mappers.common import iso, obj
from premises.checklist.commands import FormTemplateChanges, FormTemplateCreate
from premises.checklist.fields import FORM_TEMPLATES
from premises.errors import ErrorCode
from premises.kit.commands import build
from premises.models import FormTemplate

ITEM_SCHEMA = TEMPLATE_ITEM_SCHEMA

# UpKeep's template, in the order of its object (checklist.fields declares the domain's fields).
UPKEEP = Fields(
    FORM_TEMPLATES.attach(
        "upkeep",
        {
            "name": Wire("Name"),
            "created_by_user_id": Wire("userCreated"),
            "description": Wire("description"),
            "created_at": Wire("createdAt", iso, ordered=True),
            "updated_at": Wire("updatedAt", iso, ordered=True),
            "id": Wire("id"),
            "form_items": Wire(
                "formItems",
                schema={"type": "array", "items": ITEM_SCHEMA},
                body_kind="object_list",
                null_default=True,
            ),
        },
    )
)
CREATE = Spec(*UPKEEP.body_fields(required=("name",)), model=FormTemplate)
UPDATE = Spec(*UPKEEP.body_fields(), model=FormTemplate)


def _named(body: Mapping[str, Any]) -> Mapping[str, Any]:
    """``name`` is taken for ``Name`` (what a client writing a template naturally sends)."""
    if "name" in body and "Name" not in body:
        return {("Name" if key == "name" else key): value for key, value in body.items()}
    return body


def _domain_values(fields: dict[str, Any]) -> dict[str, Any]:
    if "name" in fields and not str(fields["name"] or "").strip():
        raise WireInputError(ErrorCode.REQUIRED, field="Name")
    if "form_items" in fields:
        fields["form_items"] = parse_template_items(fields["form_items"])
    return fields


def parse_create(body: Mapping[str, Any]) -> FormTemplateCreate:
    return build(FormTemplateCreate, _domain_values(CREATE.parse(_named(body))))


def parse_update(body: Mapping[str, Any]) -> FormTemplateChanges:
    return build(FormTemplateChanges, _domain_values(UPDATE.parse(_named(body), partial=True)))


SCHEMA = obj(UPKEEP.schema_properties({}), UPKEEP.required())
to_upkeep = UPKEEP.render


def asset_form_item_to_upkeep(line: Mapping[str, Any]) -> dict[str, Any]:
    """A checklist line of an asset's work order (``checklist.queries.asset_form_items``), with its work order."""
    out = {key: value for key, value in line.items() if key != "work_order_id"}
    out["workOrder"] = line["work_order_id"]
    return out
