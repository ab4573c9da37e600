"""The meter, reading and notification fields, declared once (``premises.kit.fields``).

Every column of each read model is declared here in the order ``meter.queries`` selects it (the
table's columns, then joined values); ``tests/domain/meter/test_fields.py`` keeps the declarations
equal to the tables. Dialects attach their own names and renderers with ``.attach(...)``; nothing
here knows a wire name.
"""

from __future__ import annotations

from premises.kit.fields import Catalogue, Field, FieldType, Op
from premises.meter.commands import TriggerFrequency

ID, INSTANT, NUMBER, STRING, BOOLEAN = (
    FieldType.ID,
    FieldType.INSTANT,
    FieldType.NUMBER,
    FieldType.STRING,
    FieldType.BOOLEAN,
)
FREQUENCY_MAX = 36_500  # days between readings: at most a century
NOT_FILTERED: frozenset[Op] = frozenset()

# The meter's latest live reading (by date, then arrival): UpKeep's ``lastReading``.
LAST_READING = (
    "(SELECT r.id FROM meter_readings r WHERE r.account_id = {a}.account_id AND r.meter_id = {a}.id "
    "AND r.deleted_at IS NULL ORDER BY r.date DESC, r.created_at DESC, r.id DESC LIMIT 1)"
)

METERS = Catalogue(
    "meter",
    (
        Field("id", ID, nullable=False),
        Field("name", STRING, nullable=False, max_length=200, searchable=True, writable=True),
        Field("units", STRING, nullable=False, max_length=100, writable=True),
        Field("frequency", FieldType.INTEGER, nullable=False, minimum=0, maximum=FREQUENCY_MAX, writable=True),
        Field("asset_id", ID, writable=True, sortable=False),
        Field("location_id", ID, writable=True, sortable=False),
        Field("cumulative", BOOLEAN, nullable=False, writable=True),
        Field("created_by_user_id", ID, sortable=False),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
        Field("last_reading_id", ID, expression=LAST_READING, ops=NOT_FILTERED, sortable=False),
    ),
    default_sort=(("created_at", True),),
)

READINGS = Catalogue(
    "meter_reading",
    (
        Field("id", ID, nullable=False),
        Field("meter_id", ID, nullable=False, sortable=False),
        Field("value", NUMBER, nullable=False, writable=True),
        Field("date", INSTANT, nullable=False, writable=True),
        Field("is_reset", BOOLEAN, nullable=False, writable=True),
        Field("evaluated_at", INSTANT),  # when meter.evaluation took the reading (None: not yet)
        Field("created_by_user_id", ID, sortable=False),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
    ),
    default_sort=(("created_at", True),),
)

NOTIFICATIONS = Catalogue(
    "meter_notification",
    (
        Field("id", ID, nullable=False),
        Field("meter_id", ID, nullable=False, sortable=False),
        Field("title", STRING, nullable=False, max_length=500, searchable=True, writable=True),
        Field("description", FieldType.TEXT, writable=True),
        Field("trigger_value", NUMBER, nullable=False, writable=True),
        Field(
            "trigger_frequency",
            FieldType.ENUM,
            nullable=False,
            choices=tuple(t.value for t in TriggerFrequency),
            writable=True,
        ),
        Field("last_value_for_work_order", NUMBER, nullable=False, writable=True),
        Field("assigned_to_user_id", ID, writable=True, sortable=False),
        Field("category", STRING, max_length=200, writable=True),
        Field("one_open_work_order", BOOLEAN, nullable=False, writable=True),
        Field("fired_at", INSTANT),
        Field("last_work_order_id", ID, sortable=False),
        Field("created_by_user_id", ID, sortable=False),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
    ),
    default_sort=(("created_at", True),),
)
