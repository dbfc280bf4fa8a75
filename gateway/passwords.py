"""Passwords: argon2id hashes (argon2-cffi's defaults), computed off the event loop.

Hashing and verifying cost tens of milliseconds of CPU by design; in a thread the gateway goes on
serving other requests meanwhile.
"""
from __future__ import annotations

import asyncio

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()
MIN_LENGTH, MAX_LENGTH = 12, 256

# Verified when the username is unknown, so that an unknown user costs as much time as a known one.
_DUMMY_HASH = _hasher.hash("no such user: this hash only spends time")


def policy_errors(password: str, username: str, field: str = "password") -> list[dict[str, str]]:
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return [{"field": field, "message": f"between {MIN_LENGTH} and {MAX_LENGTH} characters"}]
    if username.lower() in password.lower():
        return [{"field": field, "message": "must not contain the username"}]
    return []


def hash_password_sync(password: str) -> str:
    return _hasher.hash(password)


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher.hash, password)


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher.verify(password_hash or _DUMMY_HASH, password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


async def verify_password(password_hash: str | None, password: str) -> bool:
    """True if ``password`` matches; ``None`` (no such user) spends the same time and is False."""
    return await asyncio.to_thread(_verify, password_hash, password)
