"""The one check of an email address, on every path that stores one (users, customers, vendors, CLI).

An address goes into mail headers one day: a CR/LF there injects headers (``a@b\r\nBcc: x@y``).
So an address is one token: no whitespace and no control or format characters anywhere.
"""

from __future__ import annotations

import unicodedata

from premises.errors import DomainValidation, ErrorCode


def is_plausible_email(email: str) -> bool:
    local, at, domain = email.rpartition("@")
    if not at or not local or not domain:
        return False
    return not any(c.isspace() or unicodedata.category(c)[0] == "C" for c in email)


def clean_email(value: object, *, field: str = "email") -> str:
    """``value`` stripped of surrounding spaces, or ``INVALID_EMAIL`` for ``field`` (a domain name)."""
    email = str(value).strip()
    if not is_plausible_email(email):
        raise DomainValidation(ErrorCode.INVALID_EMAIL, field=field)
    return email
