"""Domain errors in UpKeep's words: field names come from the body declarations, templates from the codes."""

from __future__ import annotations

import premises.api.app  # noqa: F401  (imports every mapper, so every body Spec is declared)
from premises.api.kit.body import specs_of
from premises.api.upkeep.messages import EXTRA_NAMES, message_for, wire_name
from premises.errors import DomainValidation, ErrorCode, NotFound


def test_every_domain_name_has_one_upkeep_name() -> None:
    wire_names: dict[str, set[str]] = {}
    for spec in specs_of("premises.api.upkeep"):  # /v1 names its fields its own way
        for field in spec.fields.values():
            wire_names.setdefault(field.target, set()).add(field.name)
    ambiguous = {name for name, names in wire_names.items() if len(names) > 1 and name not in EXTRA_NAMES}
    assert not ambiguous, f"declare the UpKeep name of these in messages.EXTRA_NAMES: {ambiguous}"


def test_field_paths_are_renamed_part_by_part() -> None:
    assert wire_name("location_id") == "location"
    assert wire_name("additional_user_ids") == "additionalUsers"
    assert wire_name("custom_fields[3]") == "customFields[3]"
    assert wire_name("not_a_declared_name") == "not_a_declared_name"


def test_messages_use_upkeep_names_and_wording() -> None:
    assert message_for(DomainValidation(ErrorCode.NOT_FOUND, field="location_id", id="x1")) == "location x1 not found"
    assert message_for(DomainValidation(ErrorCode.READ_ONLY, field="title")) == "title is not allowed to be set!"
    assert message_for(NotFound(ErrorCode.RECORD_NOT_FOUND, record="team")) == "team not found"
    # The domain's own wording keeps domain names.
    assert DomainValidation(ErrorCode.NOT_FOUND, field="location_id", id="x1").message == "location_id x1 not found"
