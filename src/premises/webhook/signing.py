"""Standard Webhooks signatures (https://www.standardwebhooks.com/, docs/webhooks.md).

Every delivery carries ``webhook-id`` (the event's id, the same on every retry: receivers de-duplicate
on it), ``webhook-timestamp`` (epoch seconds of this attempt) and ``webhook-signature: v1,<base64>``,
the HMAC-SHA256 of ``"{id}.{timestamp}.{body}"`` keyed with the endpoint's secret, whose ``whsec_``
prefix is dropped and the rest base64-decoded.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

SECRET_PREFIX = "whsec_"
SECRET_BYTES = 32
TOLERANCE_S = 300  # receivers refuse timestamps further than this from their clock


def new_secret() -> str:
    return SECRET_PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode()


def _key(secret: str) -> bytes:
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(secret: str, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header's value."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(_key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def headers(secret: str, msg_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    return {
        "webhook-id": msg_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secret, msg_id, timestamp, body),
    }


def verify(secret: str, msg_id: str, timestamp: str, signatures: str, body: bytes, *, now: float) -> bool:
    """What a receiver does: the timestamp within the tolerance and one ``v1`` signature matching."""
    if not timestamp.isascii() or not timestamp.isdigit() or abs(now - int(timestamp)) > TOLERANCE_S:
        return False
    expected = signature(secret, msg_id, int(timestamp), body).split(",", 1)[1]
    for candidate in signatures.split():
        version, _, value = candidate.partition(",")
        if version == "v1" and hmac.compare_digest(value, expected):
            return True
    return False
