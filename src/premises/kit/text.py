"""Text values every domain checks the same way."""

from __future__ import annotations

from premises.errors import DomainValidation, ErrorCode


def required_text(value: object, field: str) -> str:
    """``value`` stripped; a missing, non-text or blank value is ``REQUIRED`` naming ``field``."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise DomainValidation(ErrorCode.REQUIRED, field=field)
    return text
