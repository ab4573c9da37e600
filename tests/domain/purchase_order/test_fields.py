"""The purchase-order fields are declared once (purchase_order.fields) and agree with the tables."""

from __future__ import annotations

import dataclasses

from premises.api.upkeep.mappers import purchase_orders as wire
from premises.models import Category, PartInventoryMove, PurchaseOrder, PurchaseOrderUpdate
from premises.purchase_order import queries, service
from premises.purchase_order.commands import PurchaseOrderChanges, PurchaseOrderCreate
from premises.purchase_order.fields import PURCHASE_ORDER_CATEGORIES, PURCHASE_ORDERS, RECEIPTS, UPDATE_MESSAGES
from tests.support.catalogues import assert_agrees_with_table

NOT_READ = {"account_id", "deleted_at"}


def test_every_column_of_the_table_is_declared_once_in_select_order() -> None:
    declared = [f.name for f in PURCHASE_ORDERS]
    assert len(declared) == len(set(declared))
    assert set(PURCHASE_ORDERS.columns) == {c.name for c in PurchaseOrder.__table__.columns} - NOT_READ
    assert PURCHASE_ORDERS.columns == queries.COLUMNS
    assert set(PURCHASE_ORDER_CATEGORIES.columns) <= {c.name for c in Category.__table__.columns}
    assert set(UPDATE_MESSAGES.columns) == {c.name for c in PurchaseOrderUpdate.__table__.columns} - {"account_id"}
    assert set(RECEIPTS.columns) <= {c.name for c in PartInventoryMove.__table__.columns}


def test_the_declarations_agree_with_the_tables() -> None:
    assert_agrees_with_table(PURCHASE_ORDERS, PurchaseOrder.__table__)
    assert_agrees_with_table(PURCHASE_ORDER_CATEGORIES, Category.__table__)
    assert_agrees_with_table(UPDATE_MESSAGES, PurchaseOrderUpdate.__table__)
    assert_agrees_with_table(RECEIPTS, PartInventoryMove.__table__)


def test_writable_fields_are_what_the_commands_carry() -> None:
    body_only = {"parts", "custom_fields", "receipt"}
    for command in (PurchaseOrderCreate, PurchaseOrderChanges):
        carried = {f.name for f in dataclasses.fields(command)} - body_only
        assert carried | {"status"} == PURCHASE_ORDERS.writable, command
    assert set(service.SIMPLE_FIELDS) == PURCHASE_ORDERS.writable - service.OWN_RULES


def test_every_field_has_an_upkeep_name() -> None:
    assert {f.name for f, _ in wire.UPKEEP.items} == {f.name for f in PURCHASE_ORDERS}


def test_every_status_has_its_transitions() -> None:
    assert set(service.TRANSITIONS) == set(PURCHASE_ORDERS.by_name["status"].choices)
