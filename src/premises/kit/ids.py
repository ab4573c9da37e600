"""Record identifiers: 10-character random base62 strings (see docs/adr/0003-identifiers.md)."""

from __future__ import annotations

import secrets
import string
import threading
import time

ALPHABET = string.ascii_letters + string.digits
ID_LENGTH = 10
ID_COLUMN_LENGTH = 24  # room for foreign ids such as UpKeep's 24-hex custom status ids


def new_id() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(ID_LENGTH))


_last_ms = 0
_sequence = 0
_lock = threading.Lock()


def new_sortable_id() -> str:
    """24 hex characters: milliseconds, a per-process sequence, randomness. Sorts by creation time
    (strictly within one process, to the millisecond across processes). Used for events."""
    global _last_ms, _sequence
    with _lock:
        ms = time.time_ns() // 1_000_000
        if ms <= _last_ms:
            ms = _last_ms
            _sequence += 1
        else:
            _last_ms, _sequence = ms, 0
        sequence = _sequence
    return f"{ms:012x}{sequence & 0xFFFF:04x}{secrets.randbits(32):08x}"
