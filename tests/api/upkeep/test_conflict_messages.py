"""A write that a uniqueness constraint refuses (``db.integrity``) reads in UpKeep exactly as the service's
own check words it: the rule's domain field and record, UpKeep's sentence."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

import premises.models  # noqa: F401  (registers every unique rule)
from premises.api.upkeep.messages import message_for
from premises.db.integrity import as_conflict
from premises.models._helpers import UNIQUE_RULES

EMAIL_TAKEN = "a user with this email already exists"
UPKEEP_MESSAGES = {
    "ix_users_account_email": EMAIL_TAKEN,
    "pk_logins": EMAIL_TAKEN,
    "ix_places_account_code": "a site with this code already exists",  # /v1 writes codes; UpKeep never sends one
    "uq_asset_downtime_statuses_live_name": "a downtime status with this name already exists",
    "uq_custom_field_definitions_live_name": "a custom field with this name already exists",
    # /v1's cases: UpKeep never writes them, but the rule reads the same in every dialect's words
    "ix_cases_account_site_number": "a case with this number already exists",
    "ix_case_types_account_site_name": "a case type with this name already exists",
}


class _Diagnostics:
    def __init__(self, constraint_name: str) -> None:
        self.constraint_name = constraint_name


class _PostgresError(Exception):
    def __init__(self, constraint_name: str) -> None:
        super().__init__("duplicate key value violates unique constraint")
        self.diag = _Diagnostics(constraint_name)


def test_every_unique_rule_reads_as_upkeep_words_it() -> None:
    assert set(UNIQUE_RULES) == set(UPKEEP_MESSAGES)
    for name, expected in UPKEEP_MESSAGES.items():
        conflict = as_conflict(IntegrityError("INSERT ...", {}, _PostgresError(name)))
        assert (conflict.field, message_for(conflict)) == (UNIQUE_RULES[name].field, expected)


def test_an_unregistered_constraint_reads_as_a_generic_conflict() -> None:
    conflict = as_conflict(IntegrityError("INSERT ...", {}, _PostgresError("ix_something_else")))
    assert message_for(conflict) == "the change conflicts with the current data; reload and try again"
