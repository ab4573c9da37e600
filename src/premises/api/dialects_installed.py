"""The dialects this server mounts, in order.

The one module outside a dialect's own package that imports it (``tests/test_architecture.py``):
adding a dialect is adding its ``Dialect`` here (docs/architecture.md, "Adding a dialect").
"""

from __future__ import annotations

from premises.api.kit.dialects import Dialect
from premises.api.upkeep.dialect import UPKEEP
from premises.api.v1.dialect import V1

DIALECTS: tuple[Dialect, ...] = (UPKEEP, V1)
