"""argon2id password hashing (argon2-cffi defaults, RFC 9106 low-memory profile).

Hashing is slow and memory-hungry on purpose (tens of milliseconds, 64 MiB). It therefore never
runs while a database lock or transaction is held, and never on the event loop: ``run_off_loop``
sends it to a small pool of its own, so a flood of logins queues there instead of taking the CPU,
the memory and the write threads from everything else.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache
from typing import TypeVar

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError


@lru_cache
def _hasher() -> PasswordHasher:
    # PREMISES_PASSWORD_HASH_PROFILE=cheapest is for the test suite only: it keeps argon2id but
    # with minimal cost so that hundreds of test users do not take minutes.
    if os.environ.get("PREMISES_PASSWORD_HASH_PROFILE") == "cheapest":
        return PasswordHasher.from_parameters(profiles.CHEAPEST)
    return PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)


@lru_cache
def dummy_hash() -> str:
    """A hash of a random password, made once per process with the current parameters."""
    return _hasher().hash(secrets.token_urlsafe(24))


def check_password(password_hash: str | None, password: str) -> bool:
    """Verify ``password``; without a hash (unknown email, deleted user) verify it against the dummy
    hash and refuse, so that a login costs the same whether or not the email exists."""
    if password_hash is None:
        verify_password(dummy_hash(), password)
        return False
    return verify_password(password_hash, password)


T = TypeVar("T")


def _lower_priority() -> None:
    """Password threads (and the argon2 lane threads they start) yield the CPU to requests."""
    with contextlib.suppress(AttributeError, OSError):  # Linux: niceness is per thread
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


# Each hash already uses several threads (argon2 lanes): one check per two cores, at a lower CPU
# priority, keeps the rest of the server responsive under a login flood; further checks queue here.
_pool = ThreadPoolExecutor(
    max_workers=max(1, (os.cpu_count() or 2) // 2),
    thread_name_prefix="premises-password",
    initializer=_lower_priority,
)


async def run_off_loop(work: Callable[[], T]) -> T:
    """Run password work (verify, hash) on the password pool, with no database lock held."""
    return await asyncio.get_running_loop().run_in_executor(_pool, work)
