"""The purchase-order body parts every dialect shares: part lines ``[{"id", "quantity"}]`` and a partial
receipt ``{part id: count}`` (UpKeep's ``parts`` / ``partsReceived``, /v1's ``parts`` / ``receipt``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from premises.api.kit.body import COERCERS
from premises.api.kit.errors import WireInputError
from premises.errors import ErrorCode
from premises.purchase_order.commands import OrderLine, Receipt


def order_lines(items: Sequence[Any]) -> list[OrderLine]:
    """``parts`` items: objects ``{id, quantity}`` (a missing quantity is the domain's error)."""
    out = []
    for index, item in enumerate(items):
        where = f"parts[{index}]"
        entry = COERCERS["object"](where, item)
        if entry.get("id") is None:
            raise WireInputError(ErrorCode.REQUIRED, field=f"{where}.id")
        quantity = entry.get("quantity")
        out.append(
            OrderLine(
                COERCERS["id"](f"{where}.id", entry["id"]),
                None if quantity is None else COERCERS["number"](f"{where}.quantity", quantity),
            )
        )
    return out


def receipt(received: Mapping[Any, Any], field: str) -> Receipt:
    """The counts received, by part id; a count that is no number is the body field ``field``'s error."""
    counts: dict[str, float] = {}
    for part_id, count in received.items():
        try:
            counts[str(part_id)] = COERCERS["number"](field, count)
        except WireInputError:
            raise WireInputError(ErrorCode.RECEIPT_NOT_POSITIVE, field=field) from None
    return Receipt(counts)
