"""The access log: one line per request on the ``premises.access`` logger.

A line has the method, the path as the client sent it, the query string with the values of
credential-like keys (``token``, ``password``, ``signature``, ``secret``, ``key``, ...) replaced by
``[redacted]``, the status, the duration in milliseconds, the request id, the client address and,
once a principal was resolved, the account and user ids. Headers are never logged, so neither is
``Session-Token`` nor ``Authorization``.
"""

from __future__ import annotations

import logging
import re
from typing import Any
from urllib.parse import unquote_plus

from starlette.types import Scope

from premises.identity.principal import Principal

access_log = logging.getLogger("premises.access")

# Where ``api.kit.auth.get_principal`` leaves the principal, in the request's ``scope["state"]``.
PRINCIPAL_KEY = "premises.principal"
REDACTED = "[redacted]"
# A query key containing one of these (any case) has its value redacted.
SECRET_KEY_PARTS = ("token", "password", "passwd", "secret", "signature", "key", "auth", "session", "credential")
_ANY_SECRET = re.compile("|".join(SECRET_KEY_PARTS), re.IGNORECASE)


def _printable(text: str) -> str:
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


def redacted_query(query_string: bytes) -> str:
    """The query string as sent, with the value of every credential-like key replaced by ``[redacted]``."""
    if not query_string:
        return ""
    text = query_string.decode("latin-1")
    if not _ANY_SECRET.search(unquote_plus(text)):  # the usual case: nothing to redact
        return _printable(text)
    pairs = []
    for pair in text.split("&"):
        key, sep, _value = pair.partition("=")
        name = unquote_plus(key).lower()
        if sep and any(part in name for part in SECRET_KEY_PARTS):
            pair = f"{key}={REDACTED}"
        pairs.append(pair)
    return _printable("&".join(pairs))


def request_path(scope: Scope) -> str:
    raw = scope.get("raw_path")
    path = raw.decode("latin-1") if isinstance(raw, bytes) else str(scope["path"])
    return _printable(path)


def log_access(scope: Scope, status: int, duration_ms: float) -> None:
    """Write the access line of a finished request; call it while the request's id is current."""
    method: str = scope["method"]
    path = request_path(scope)
    query = redacted_query(scope.get("query_string", b""))
    client = scope.get("client")
    principal: Principal | None = scope["state"].get(PRINCIPAL_KEY)
    fields: dict[str, Any] = {
        "method": method,
        "path": path,
        "query": query,
        "status": status,
        "duration_ms": round(duration_ms, 2),
        "client": client[0] if client else None,
        "account_id": principal.account_id if principal else None,
        "user_id": principal.user_id if principal else None,
    }
    target = f"{path}?{query}" if query else path
    account = f" account={fields['account_id']}" if fields["account_id"] else ""
    # The record is made here rather than by ``access_log.info``: no search of the caller's frame.
    record = access_log.makeRecord(
        access_log.name,
        logging.INFO,
        __file__,
        0,
        "%s %s %d %.1fms%s",
        (method, target, status, duration_ms, account),
        None,
    )
    record.__dict__.update(fields)
    access_log.handle(record)
