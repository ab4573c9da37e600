"""The work-order fields, declared once (``premises.kit.fields``): domain names, columns, types, capabilities.

Every column of ``work_order.queries.COLUMNS`` is declared here, in the same order
(``tests/kit/test_fields.py`` keeps them in step), plus ``is_complete``, an
expression over ``status``. Dialects attach their own names and renderers with
``WORK_ORDERS.attach(...)``; nothing here knows a wire name.
"""

from __future__ import annotations

from premises.kit.fields import ORDERED, Catalogue, Field, FieldType, Op
from premises.models.work_order import WORK_ORDER_STATUSES
from premises.place.related import related_fields

ID, INSTANT, NUMBER = FieldType.ID, FieldType.INSTANT, FieldType.NUMBER
PRIORITIES = (0, 1, 2, 3)  # lowest .. highest
DECREASE_INVENTORY = ("auto", "manual")


def _id(name: str, *, writable: bool = True) -> Field:
    return Field(name, ID, writable=writable, sortable=False)


WORK_ORDERS = Catalogue(
    "work_order",
    (
        Field("id", ID, nullable=False),
        Field("work_order_no", FieldType.INTEGER, nullable=False, searchable=True),
        Field("title", FieldType.STRING, nullable=False, max_length=500, searchable=True, writable=True),
        Field("description", FieldType.TEXT, max_length=100_000, searchable=True, writable=True),
        Field("status", FieldType.ENUM, nullable=False, choices=WORK_ORDER_STATUSES, writable=True),
        Field("priority", FieldType.ENUM, nullable=False, choices=PRIORITIES, ops=ORDERED, writable=True),
        Field("category", FieldType.STRING, max_length=200, writable=True),
        Field("start_date", INSTANT, writable=True),
        Field("due_date", INSTANT, writable=True),
        Field("end_due_date", INSTANT, writable=True),
        Field("date_completed", INSTANT),
        Field("first_status_change_at", INSTANT),
        _id("location_id"),
        _id("asset_id"),
        _id("team_id"),
        _id("assigned_to_user_id"),
        _id("assigned_by_user_id", writable=False),
        _id("completed_by_user_id", writable=False),
        _id("created_by_user_id", writable=False),
        _id("requested_by_user_id", writable=False),
        _id("request_id", writable=False),
        _id("case_id"),  # the case it was made for: set on create only (``case.service.case_for_work_order``)
        Field("public_requester_email", FieldType.STRING, max_length=320, searchable=True),
        _id("custom_status_id"),
        _id("form_template_id"),
        Field("estimated_duration_hours", NUMBER, writable=True),
        Field("time_spent", NUMBER, writable=True),
        Field("cost", NUMBER, writable=True),
        Field("archived", FieldType.BOOLEAN, nullable=False, writable=True),
        Field("requires_signature", FieldType.BOOLEAN, nullable=False, writable=True),
        Field("decrease_inventory", FieldType.ENUM, nullable=False, choices=DECREASE_INVENTORY, writable=True),
        _id("image_file_id"),
        _id("image2_file_id"),
        _id("image3_file_id"),
        _id("image4_file_id"),
        _id("image5_file_id"),
        _id("signature_file_id"),
        Field("additional_user_ids", FieldType.ID_LIST, nullable=False, writable=True),
        # The parts used and their quantities (part.usage keeps this copy of work_order_parts).
        Field("part_ids", FieldType.ID_LIST, nullable=False),
        Field("part_quantities", FieldType.JSON, nullable=False),
        Field("file_ids", FieldType.ID_LIST, nullable=False, writable=True),
        Field("form_items", FieldType.JSON, nullable=False, writable=True),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
        # The site, the related records' names (the joined assignee ``uto`` of ``queries``).
        *related_fields(),
        # The code of its case ("LA-1"), shown with the case's id.
        Field(
            "case_code",
            ID,
            expression="(SELECT c.code FROM cases c WHERE c.account_id = {a}.account_id AND c.id = {a}.case_id)",
            ops=frozenset(),
            sortable=False,
        ),
        Field(
            "is_complete",
            FieldType.BOOLEAN,
            expression="({a}.status = 'complete')",
            nullable=False,
            ops=frozenset({Op.EQ, Op.NE}),
            sortable=False,
        ),
    ),
    default_sort=(("created_at", True),),
)

# The account's cost categories (Labor Cost, Parts Cost, ...), the ``categories`` rows of kind "cost",
# in the account's order.
COST_CATEGORIES = Catalogue(
    "cost_category",
    (
        Field("id", ID, nullable=False),
        Field("name", FieldType.STRING, nullable=False, max_length=200, searchable=True),
        Field("position", FieldType.INTEGER, nullable=False),
    ),
    default_sort=(("position", False), ("name", False)),
)
