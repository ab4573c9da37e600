"""The asset fields, declared once (``premises.kit.fields``): domain names, columns, types, capabilities.

Every column of the asset read model is declared here, in the order ``asset.queries`` selects it:
the ``assets`` table's columns (``queries.COLUMNS`` is ``ASSETS.columns``), then the joined values
(``queries.JOINED``: the assignee's and creator's emails, the number of incomplete work orders),
read-only expressions over the joins ``queries`` adds. The service's plainly written fields derive
from ``writable`` (``service.SIMPLE_FIELDS``); ``tests/domain/asset/test_fields.py`` keeps the
declarations equal to the table (nullability, ``String(n)`` lengths) and the enums. Dialects attach
their own names and renderers with ``ASSETS.attach(...)``; nothing here knows a wire name.
"""

from __future__ import annotations

from premises.asset.commands import AssetStatus, Availability, CustomFieldType, UsefulLifeUnit, values_of
from premises.kit.fields import Catalogue, Field, FieldType, Op

ID, INSTANT, NUMBER, STRING, TEXT = FieldType.ID, FieldType.INSTANT, FieldType.NUMBER, FieldType.STRING, FieldType.TEXT
LONG_TEXT = 100_000  # an asset's long texts (description, notes, procedures) hold this many characters
USEFUL_LIFE_MAX = 1_000_000  # useful_life_quantity, in its units
NOT_FILTERED: frozenset[Op] = frozenset()


def _id(name: str, *, writable: bool = True) -> Field:
    return Field(name, ID, writable=writable, sortable=False)


def _text(name: str, *, searchable: bool = False) -> Field:
    return Field(name, TEXT, max_length=LONG_TEXT, searchable=searchable, writable=True)


def _string(name: str, length: int, *, searchable: bool = False) -> Field:
    return Field(name, STRING, max_length=length, searchable=searchable, writable=True)


def _joined(name: str, type: FieldType, expression: str, *, nullable: bool = True) -> Field:
    """A value ``queries`` joins in: read-only, neither filtered nor sorted."""
    return Field(name, type, expression=expression, nullable=nullable, ops=NOT_FILTERED, sortable=False)


ASSETS = Catalogue(
    "asset",
    (
        Field("id", ID, nullable=False),
        Field("name", STRING, nullable=False, max_length=300, searchable=True, writable=True),
        _text("description", searchable=True),
        _string("model", 200, searchable=True),
        _string("serial", 200, searchable=True),  # the barcode
        _string("serial_number", 200, searchable=True),
        _text("additional_information"),
        _text("notes"),
        _string("area", 200),
        Field("status", FieldType.ENUM, nullable=False, choices=values_of(AssetStatus), writable=True),
        _string("category", 200),
        _id("location_id"),
        _id("parent_asset_id"),
        _id("manufacturer_vendor_id"),
        _id("assigned_to_user_id"),
        _id("created_by_user_id", writable=False),
        _id("image_file_id"),
        _id("purchase_receipt_file_id"),
        _id("warranty_file_id"),
        Field("purchase_date", INSTANT, writable=True),
        Field("placed_in_service_date", INSTANT, writable=True),
        Field("warranty_expiration", INSTANT, writable=True),
        Field("purchase_price", NUMBER, writable=True),
        Field("residual_value", NUMBER, writable=True),
        Field("useful_life_quantity", FieldType.INTEGER, minimum=0, maximum=USEFUL_LIFE_MAX, writable=True),
        Field("useful_life_units", FieldType.ENUM, choices=values_of(UsefulLifeUnit), writable=True),
        # available, not-available, or the id of one of the account's downtime statuses
        Field("downtime_status", STRING, nullable=False, max_length=40, writable=True),
        _text("check_in_procedure"),
        _text("check_out_procedure"),
        _string("availability_status", 100),
        Field("availability_tracking_on", FieldType.BOOLEAN, nullable=False, writable=True),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
        _joined("assigned_to_email", STRING, "uto.email"),
        _joined("created_by_email", STRING, "ucb.email"),
        _joined(
            "incomplete_work_orders",
            FieldType.INTEGER,
            "(SELECT COUNT(*) FROM work_orders w WHERE w.account_id = {a}.account_id AND w.asset_id = {a}.id "
            "AND w.deleted_at IS NULL AND w.status <> 'complete')",
            nullable=False,
        ),
    ),
    default_sort=(("created_at", True),),
)

# The account's asset downtime statuses (the reasons an asset is not available).
DOWNTIME_STATUSES = Catalogue(
    "asset_downtime_status",
    (
        Field("id", ID, nullable=False),
        Field("name", STRING, nullable=False, max_length=200, searchable=True, writable=True),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
    ),
    default_sort=(("name", False),),
)

# An asset's downtime history (``asset_downtimes``: ``asset.downtime`` records it), paged under the asset,
# newest first; ``status`` is the built-in availability, ``status_category_id`` a downtime status's id.
DOWNTIMES = Catalogue(
    "asset_downtime",
    (
        Field("id", ID, nullable=False),
        Field("asset_id", ID, nullable=False, sortable=False),
        Field("status", FieldType.ENUM, nullable=False, choices=values_of(Availability)),
        _id("status_category_id", writable=False),
        _id("user_id", writable=False),
        Field("recorded_on", INSTANT, nullable=False),
        Field("created_at", INSTANT, nullable=False),
    ),
    default_sort=(("recorded_on", True),),
)

# The account's typed custom fields of assets (their values are ``asset.custom_fields``'s).
CUSTOM_FIELD_DEFINITIONS = Catalogue(
    "custom_field_definition",
    (
        Field("id", ID, nullable=False),
        Field("name", STRING, nullable=False, max_length=200, searchable=True, writable=True),
        Field("type", FieldType.ENUM, nullable=False, choices=values_of(CustomFieldType), writable=True),
        Field("options", FieldType.JSON, writable=True),  # a dropdown's choices
        Field("decimal_precision", FieldType.INTEGER, writable=True),  # numbers: 0 .. custom_fields.MAX_PRECISION
        _id("created_by_user_id", writable=False),
        Field("created_at", INSTANT, nullable=False),
        Field("updated_at", INSTANT, nullable=False),
    ),
    default_sort=(("name", False),),
)
