"""Session tokens: ``r:`` + 32 random lowercase alphanumerics (UpKeep's shape), stored as SHA-256."""

from __future__ import annotations

import hashlib
import secrets
import string

_ALPHABET = string.ascii_lowercase + string.digits


def new_session_token() -> str:
    return "r:" + "".join(secrets.choice(_ALPHABET) for _ in range(32))


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
