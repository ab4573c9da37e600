"""The preventive-maintenance trigger's fields, declared once (``premises.kit.fields``).

Every column of ``pm_triggers`` but the account and the deletion mark, in the table's order;
``tests/domain/preventive/test_fields.py`` keeps the declaration equal to the table. The by-lists and
dates of the schedule are JSON lists (``rrbyweekday`` ...), its dates wall-clock text in ``rrtzid``.
"""

from __future__ import annotations

from premises.kit.fields import Catalogue, Field, FieldType, Op
from premises.preventive.recurrence import FREQUENCIES, MAX_INTERVAL, SCHEDULE_TYPES

ID, INSTANT, STRING, BOOLEAN, JSON, INTEGER, NUMBER = (
    FieldType.ID,
    FieldType.INSTANT,
    FieldType.STRING,
    FieldType.BOOLEAN,
    FieldType.JSON,
    FieldType.INTEGER,
    FieldType.NUMBER,
)
NOT_FILTERED: frozenset[Op] = frozenset()
LOCAL_TIME = 19  # YYYY-MM-DDTHH:MM:SS

PM_TRIGGERS = Catalogue(
    "pm_trigger",
    (
        Field("id", ID, nullable=False),
        Field("name", STRING, nullable=False, max_length=500, searchable=True, writable=True),
        Field("schedule_type", FieldType.ENUM, nullable=False, choices=tuple(SCHEDULE_TYPES), writable=True),
        Field("rrfreq", FieldType.ENUM, nullable=False, choices=tuple(FREQUENCIES), writable=True),
        Field("rrinterval", INTEGER, nullable=False, minimum=1, maximum=MAX_INTERVAL, writable=True),
        Field("rrbyweekday", JSON, writable=True),
        Field("rrbymonthday", JSON, writable=True),
        Field("rrbysetpos", JSON, writable=True),
        Field("rrdtstart", STRING, nullable=False, max_length=LOCAL_TIME, writable=True),
        Field("rruntil", STRING, max_length=LOCAL_TIME, writable=True),
        Field("rrtzid", STRING, nullable=False, max_length=64, writable=True),
        Field("rdates", JSON, writable=True),
        Field("exdates", JSON, writable=True),
        Field("create_first_wo", BOOLEAN, nullable=False, writable=True),
        Field("next_on_completion", BOOLEAN, nullable=False, writable=True),
        Field("cadence_type", STRING, max_length=60, writable=True),
        Field("cadence_freq", FieldType.ENUM, choices=tuple(FREQUENCIES), writable=True),
        Field("cadence_interval", INTEGER, minimum=1, maximum=MAX_INTERVAL, writable=True),
        Field("meter_id", ID, writable=True, sortable=False),
        Field("meter_condition", STRING, max_length=40, writable=True),
        Field("meter_condition_value", NUMBER, writable=True),
        Field("meter_due_interval", INTEGER, minimum=1, maximum=MAX_INTERVAL, writable=True),
        Field("meter_due_frequency", FieldType.ENUM, choices=tuple(FREQUENCIES), writable=True),
        Field("meter_baseline", NUMBER),
        Field("next_due_at", INSTANT),
        Field("last_due_at", INSTANT),
        Field("schedule_has_ended", BOOLEAN, nullable=False),
        Field("is_paused", BOOLEAN, nullable=False, writable=True),
        Field("is_archived", BOOLEAN, nullable=False, writable=True),
        Field("archived_at", INSTANT),
        Field("archived_by_user_id", ID, sortable=False),
        Field("last_work_order_id", ID, sortable=False),
        Field("legacy_work_order_id", ID, sortable=False),
        Field("wo_title", STRING, nullable=False, max_length=500, writable=True),
        Field("wo_description", FieldType.TEXT, writable=True),
        Field("wo_priority", INTEGER, minimum=0, maximum=3, writable=True),
        Field("wo_category", STRING, max_length=200, writable=True),
        Field("wo_asset_id", ID, writable=True, sortable=False),
        Field("wo_location_id", ID, writable=True, sortable=False),
        Field("wo_assigned_to_user_id", ID, writable=True, sortable=False),
        Field("wo_additional_user_ids", FieldType.ID_LIST, writable=True),
        Field("wo_parts", FieldType.ID_LIST, writable=True),
        Field("wo_part_quantities", JSON, writable=True),
        Field("wo_duration", NUMBER, writable=True),
        Field("created_by_user_id", ID, nullable=False, sortable=False),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
    ),
    default_sort=(("created_at", True),),
)
