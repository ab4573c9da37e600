"""argon2id password hashing (argon2-cffi defaults, RFC 9106 low-memory profile)."""

from __future__ import annotations

import os
from functools import lru_cache

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
