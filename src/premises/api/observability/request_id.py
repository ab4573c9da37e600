"""The request id: the client's ``X-Request-Id`` when it is sane, otherwise a fresh one."""

from __future__ import annotations

import re
import secrets

from starlette.types import Scope

HEADER = b"x-request-id"
MAX_LENGTH = 128
# Letters, digits and ``-_.:@/+=``: UUIDs, ULIDs, trace ids, proxies' ids. Nothing that could split a log line.
_SANE = re.compile(rb"[A-Za-z0-9\-_.:@/+=]{1,%d}" % MAX_LENGTH)


def new_request_id() -> str:
    return secrets.token_hex(16)


def request_id_for(scope: Scope) -> str:
    """The client's ``X-Request-Id`` if it is 1-128 safe characters, else a new id (32 hex digits)."""
    for name, value in scope["headers"]:
        if name == HEADER:
            if _SANE.fullmatch(value):
                return str(value.decode("ascii"))
            break
    return new_request_id()
