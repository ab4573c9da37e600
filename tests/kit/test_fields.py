"""Field declarations (premises.kit.fields) and the work-order catalogue that uses them."""

from __future__ import annotations

import pytest

from premises.kit.fields import Catalogue, Field, FieldType, Op
from premises.models.work_order import WORK_ORDER_STATUSES, WorkOrder
from premises.work_order import queries
from premises.work_order.fields import WORK_ORDERS
from tests.support.catalogues import assert_agrees_with_table


def test_the_work_order_catalogue_declares_every_column_of_the_read_model_in_order() -> None:
    assert WORK_ORDERS.columns == queries.COLUMNS


def test_the_work_order_catalogue_agrees_with_the_table() -> None:
    assert_agrees_with_table(WORK_ORDERS, WorkOrder.__table__)
    assert WORK_ORDERS.by_name["status"].choices == WORK_ORDER_STATUSES


def test_capability_sets() -> None:
    assert {"title", "status", "priority", "created_at", "is_complete"} <= WORK_ORDERS.filterable
    assert {"additional_user_ids", "file_ids", "form_items"}.isdisjoint(WORK_ORDERS.filterable)
    assert {"id", "created_at", "priority", "due_date"} <= WORK_ORDERS.sortable
    assert {"form_items", "description", "is_complete"}.isdisjoint(WORK_ORDERS.sortable)
    assert [f.name for f in WORK_ORDERS.searchable] == [
        "work_order_no",
        "title",
        "description",
        "public_requester_email",
        "location_name",  # related records' names (/v1 searches them)
        "asset_name",
        "assignee_first_name",
        "assignee_last_name",
    ]
    assert "title" in WORK_ORDERS.writable and "id" not in WORK_ORDERS.writable
    assert WORK_ORDERS.by_name["category"].operators == frozenset(
        {Op.EQ, Op.NE, Op.IN, Op.NOT_IN, Op.LIKE, Op.NOT_LIKE, Op.IS_NULL, Op.IS_NOT_NULL}
    )
    assert Op.IS_NULL not in WORK_ORDERS.by_name["status"].operators  # not nullable


def test_fields_compile_to_their_column_or_expression_only() -> None:
    assert WORK_ORDERS.by_name["custom_status_id"].sql("t") == "t.custom_status_id"
    assert WORK_ORDERS.by_name["is_complete"].sql("w") == "(w.status = 'complete')"


def test_a_dialect_attaches_its_names_to_declared_fields_only() -> None:
    catalogue = Catalogue(
        "thing",
        (Field("id", FieldType.ID, nullable=False), Field("created_at", FieldType.INSTANT, nullable=False)),
    )
    names = catalogue.attach("wire", {"id": "id", "created_at": "createdAt"})
    assert (names.wire("created_at"), names.domain("createdAt"), names.domain("nope")) == (
        "createdAt",
        "created_at",
        None,
    )
    assert catalogue.attachments["wire"] is names
    with pytest.raises(ValueError, match="undeclared thing fields: updated_at"):
        catalogue.attach("wire", {"updated_at": "updatedAt"})
