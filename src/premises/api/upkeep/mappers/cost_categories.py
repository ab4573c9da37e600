"""Cost category <-> UpKeep wire shape: ``{name, objectId}`` (work_order.fields.COST_CATEGORIES)."""

from __future__ import annotations

from premises.api.kit.representation import Fields, Wire
from premises.api.upkeep.mappers.common import obj
from premises.work_order.fields import COST_CATEGORIES

UPKEEP = Fields(COST_CATEGORIES.attach("upkeep", {"name": Wire("name"), "id": Wire("objectId")}))
SCHEMA = obj(UPKEEP.schema_properties({}), ("name", "objectId"))
