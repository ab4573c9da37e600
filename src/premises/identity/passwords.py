"""Passwords: the policy every new password meets, and argon2id hashing (argon2-cffi defaults, RFC
9106 low-memory profile).

**Policy.** A service never stores a bare hash: it takes a :class:`NewPassword`, whose only
constructor checks :class:`PasswordPolicy` (at least ``min_length`` characters, from
``PREMISES_PASSWORD_MIN_LENGTH`` through the caller; not only whitespace; not the email address
or its local part; not on the common-password list) and hashes. The policy applies when a password
is set (account creation, user creation, a password change); logging in with an older, weaker
password still works. The list is ``common_passwords.txt`` beside this module (see its NOTICE).

**Hashing** is slow and memory-hungry on purpose (tens of milliseconds, 64 MiB). It therefore never
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
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import TypeVar

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from premises.errors import DomainValidation, ErrorCode
from premises.kit.emails import clean_email


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


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The common-password list (lower-case), read once per process from the package."""
    text = resources.files("premises.identity").joinpath("common_passwords.txt").read_text(encoding="utf-8")
    return frozenset(line for line in text.splitlines() if line)


def login_email(email: str) -> str:
    """An email as logins store it: checked (``kit.emails``), stripped and lower-cased."""
    return clean_email(email).lower()


@dataclass(frozen=True, slots=True)
class PasswordPolicy:
    """What a new password must be. The caller passes the configured ``min_length``
    (``Settings.password_min_length``); domain code reads no settings."""

    min_length: int = 10
    max_length: int = 1024  # a bound on input, far above any real password (the UpKeep body takes 500)

    def check(self, password: str, *, email: str) -> str:
        """Refuse a password that breaks the policy (``DomainValidation`` on ``password``); return the
        login email it was checked against (normalised)."""
        email = login_email(email)
        if not password.strip():
            raise DomainValidation(ErrorCode.PASSWORD_BLANK, field="password")
        if len(password) < self.min_length:
            raise DomainValidation(ErrorCode.PASSWORD_TOO_SHORT, field="password", min_length=self.min_length)
        if len(password) > self.max_length:
            raise DomainValidation(ErrorCode.TOO_LONG, field="password")
        folded = password.strip().lower()
        if folded in (email, email.rpartition("@")[0]):
            raise DomainValidation(ErrorCode.PASSWORD_IS_EMAIL, field="password")
        if folded in common_passwords():
            raise DomainValidation(ErrorCode.PASSWORD_TOO_COMMON, field="password")
        return email


DEFAULT_POLICY = PasswordPolicy()
_MINTED = object()


@dataclass(frozen=True, slots=True)
class NewPassword:
    """A password that meets the policy, hashed: what the services take to set a password (never a
    bare hash or plain text). Made only by :meth:`make` (slow: call it off the event loop) or
    :meth:`make_off_loop`; bound to the email it was checked against, which the service compares
    with the login it writes (``require_email``)."""

    email: str
    hash: str = field(repr=False)
    minted: object = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.minted is not _MINTED:
            raise TypeError("a NewPassword is made by NewPassword.make, which checks the password policy")

    @classmethod
    def make(cls, password: str, *, email: str, policy: PasswordPolicy = DEFAULT_POLICY) -> NewPassword:
        """Check ``password`` for the login ``email`` and hash it (argon2: tens of milliseconds)."""
        checked_email = policy.check(password, email=email)
        return cls(checked_email, hash_password(password), _MINTED)

    @classmethod
    async def make_off_loop(cls, password: str, *, email: str, policy: PasswordPolicy = DEFAULT_POLICY) -> NewPassword:
        """``make`` for a request: the policy is checked on the event loop (cheap), the hash is made
        on the password pool, with no database lock or transaction held."""
        checked_email = policy.check(password, email=email)
        digest = await run_off_loop(lambda: hash_password(password))
        return cls(checked_email, digest, _MINTED)

    def require_email(self, email: str) -> str:
        """The hash, for the login of ``email``; a password checked against another email is a bug."""
        if login_email(email) != self.email:
            raise ValueError("the new password was checked against another email address")
        return self.hash
