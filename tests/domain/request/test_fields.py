"""The request fields are declared once (request.fields) and everything else derives from the declaration."""

from __future__ import annotations

import dataclasses

from premises.api.upkeep.mappers import requests as wire
from premises.api.upkeep.routes import requests as routes
from premises.models import WorkRequest
from premises.models.request import REQUEST_STATUSES
from premises.place.related import related_fields
from premises.request import queries
from premises.request.commands import RequestCreate
from premises.request.fields import REQUESTS
from premises.work_order.commands import Priority
from tests.support.catalogues import assert_agrees_with_table

NOT_READ = {"account_id", "deleted_at"}


def test_every_column_of_the_table_is_declared_once_in_select_order() -> None:
    declared = [f.name for f in REQUESTS]
    assert len(declared) == len(set(declared))
    assert set(REQUESTS.columns) == {c.name for c in WorkRequest.__table__.columns} - NOT_READ
    assert REQUESTS.columns == queries.COLUMNS
    assert queries.JOINED == ("assigned_to_email",)
    # After them the site and related names of place.related, which only a /v1 page selects.
    related = tuple(f.name for f in related_fields())
    assert tuple(declared) == queries.ALL_COLUMNS + related


def test_the_declarations_agree_with_the_table_the_statuses_and_the_priorities() -> None:
    assert_agrees_with_table(REQUESTS, WorkRequest.__table__)
    assert REQUESTS.by_name["status"].choices == REQUEST_STATUSES
    assert REQUESTS.by_name["priority"].choices == tuple(Priority) == (0, 1, 2, 3)


def test_writable_fields_are_what_a_create_command_carries() -> None:
    assert REQUESTS.writable == {f.name for f in dataclasses.fields(RequestCreate)}


def test_upkeep_names_only_declared_fields_and_its_bodies_lists_and_schema_derive_from_them() -> None:
    names = wire.UPKEEP.attachment
    assert REQUESTS.attachments["upkeep"] is names
    # The decision columns show as UpKeep's approved / declined / cancelled keys, which the mapper fills.
    not_shown = {f.name for f in REQUESTS} - set(names.entries) - {f.name for f in related_fields()}
    assert not_shown == {"decided_by_user_id", "decided_at", "decision_reason"}
    assert {f.name: f.target for f in wire.CREATE.fields.values()} == {
        "title": "title",
        "description": "description",
        "priority": "priority",
        "category": "category",
        "location": "location_id",
        "asset": "asset_id",
        "team": "team_id",
        "assignedToUser": "assigned_to_user_id",
        "dueDate": "due_date",
        "endDueDate": "end_due_date",
        "image": "image_file_id",
        "files": "file_ids",
    }
    fields = wire.CREATE.fields
    assert [f.name for f in fields.values() if f.required] == ["title"]
    assert (fields["title"].max_length, fields["description"].max_length, fields["category"].max_length) == (
        500,
        100_000,
        200,
    )
    # null is "the default" for the priority (0) and the files (none), though neither is stored null
    assert fields["priority"].nullable and fields["files"].nullable
    assert tuple(fields["priority"].choices or ()) == (0, 1, 2, 3)
    assert {f.name: (f.column, f.choices) for f in routes.LIST.filters} == {
        "title": ("title", None),
        "status": ("status", REQUEST_STATUSES),
        "category": ("category", None),
        "location": ("location_id", None),
        "asset": ("asset_id", None),
        "team": ("team_id", None),
        "assignedToUser": ("assigned_to_user_id", None),
        "requestedByUser": ("requested_by_user_id", None),
        "publicRequesterEmail": ("public_requester_email", None),
    }
    dates = {"dueDate": "due_date", "endDueDate": "end_due_date", "createdAt": "created_at", "updatedAt": "updated_at"}
    assert dict(routes.LIST.order_fields) == dict(routes.LIST.ranges) == dates
    assert wire.SCHEMA["required"] == ["id", "title", "status", "priority", "files", "createdAt", "updatedAt"]


def test_the_rendered_object_follows_the_schema_order_and_shows_the_decision() -> None:
    row = dict.fromkeys(queries.ALL_COLUMNS)
    row.update(id="r1", title="Leak", status="rejected", priority=0, file_ids=[], created_at=0, updated_at=0)
    row.update(decided_by_user_id="u1", decided_at=0, decision_reason="duplicate", image_file_id="f1")
    item = wire.to_upkeep(row, {"f1": {"id": "f1"}})
    assert list(item) == list(wire.SCHEMA["properties"])
    assert (item["declinedByUser"], item["declinedAt"], item["declineReason"]) == (
        "u1",
        "1970-01-01T00:00:00.000Z",
        "duplicate",
    )
    assert item["approvedByUser"] is item["cancelledByUser"] is item["cancelReason"] is None
    assert (item["image"], item["files"], item["formItems"], item["parts"]) == ({"id": "f1"}, [], [], [])
