"""The cost categories are declared once (work_order.fields) and UpKeep's shape derives from it."""

from __future__ import annotations

from premises.api.upkeep.mappers import cost_categories as wire
from premises.models.category import Category
from premises.work_order.fields import COST_CATEGORIES
from tests.support.catalogues import assert_agrees_with_table


def test_cost_categories_agree_with_the_table() -> None:
    assert_agrees_with_table(COST_CATEGORIES, Category.__table__)


def test_upkeep_shows_a_cost_category_as_name_and_object_id() -> None:
    row = {"id": "c1", "name": "Labor Cost", "position": 0}
    assert list(wire.UPKEEP.render(row).items()) == [("name", "Labor Cost"), ("objectId", "c1")]
    assert wire.SCHEMA["required"] == ["name", "objectId"]
