"""UpKeep's ``includes`` expanders (``premises.api.kit.expand.Expanders``): the objects that replace
ids have UpKeep's wire shape, so the registry is the dialect's. Mappers register with ``@expander``,
routes call ``expand`` (docs/dialects/upkeep.md: the object replaces the id in place)."""

from __future__ import annotations

from premises.api.kit.expand import Expanders

UPKEEP_EXPANDERS = Expanders()
EXPANDERS = UPKEEP_EXPANDERS.by_kind
expander = UPKEEP_EXPANDERS.register
expand = UPKEEP_EXPANDERS.expand
objects_for_columns = UPKEEP_EXPANDERS.objects_for_columns
