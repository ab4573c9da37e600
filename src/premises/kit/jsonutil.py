"""JSON helpers (orjson) shared by storage and the dialects."""

from __future__ import annotations

from typing import Any

import orjson


def dumps(value: Any) -> str:
    return orjson.dumps(value).decode()


def loads(text: str | bytes | None) -> Any:
    if text is None:
        return None
    return orjson.loads(text)
