"""Passwords: argon2id hashes, computed off the event loop.

The parameters are settings (``SIPD_ARGON2_MEMORY_KIB``, ``_TIME_COST``, ``_PARALLELISM``); by default OWASP's
Password Storage Cheat Sheet's first configuration, 19 MiB, 2 passes, 1 lane: about 17 ms of one core per
hash or verification here. argon2-cffi's own default (RFC 9106's low-memory profile: 64 MiB, 3 passes, 4 lanes)
costs about 150–240 ms of CPU, which a morning's logins on a small machine cannot pay (docs/performance.md, "A
peak day"). A stored hash made with other parameters still verifies and is re-made with these at its user's next
login (``needs_rehash``), so a change of parameters reaches every account that logs in.

Hashing and verifying cost milliseconds of CPU and megabytes of memory each, by design; in a
thread the gateway goes on serving other requests meanwhile. At most ``SIPD_LOGIN_MAX_CONCURRENT``
verifications run at once and ``SIPD_LOGIN_MAX_WAITING`` wait: a flood of logins beyond that is
answered 503 with ``Retry-After`` at once, and exhausts neither memory, threads nor connections.
"""
from __future__ import annotations

import asyncio
import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from sipd_common.errors import DomainError
from sipd_common.settings import Settings

MIN_LENGTH, MAX_LENGTH = 12, 256


@functools.cache
def _hasher() -> PasswordHasher:
    s = Settings.from_env()
    return PasswordHasher(time_cost=s.argon2_time_cost, memory_cost=s.argon2_memory_kib,
                          parallelism=s.argon2_parallelism)


@functools.cache
def _dummy_hash() -> str:
    """Verified when the username is unknown, so that an unknown user costs as much time as a known one."""
    return _hasher().hash("no such user: this hash only spends time")


def ready() -> None:
    """At start: the parameters are valid (argon2 refuses others: the gateway does not start) and the hash an
    unknown user is checked against is made, so that no login pays for it."""
    _dummy_hash()


def policy_errors(password: str, username: str, field: str = "password") -> list[dict[str, str]]:
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return [{"field": field, "message": f"between {MIN_LENGTH} and {MAX_LENGTH} characters"}]
    if username.lower() in password.lower():
        return [{"field": field, "message": "must not contain the username"}]
    return []


def hash_password_sync(password: str) -> str:
    return _hasher().hash(password)


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_hasher().hash, password)


def needs_rehash(password_hash: str) -> bool:
    """Made with other parameters than today's (or unreadable as argon2): to be re-made at the next login."""
    try:
        return _hasher().check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


def _verify(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


class Busy(DomainError):
    """Too many verifications running and waiting: try again in a moment."""

    status = 503
    title = "Service unavailable"

    def __init__(self):
        super().__init__("too many logins at once: try again in a moment")
        self.headers = {"Retry-After": "1"}


_running: asyncio.Semaphore | None = None
_waiting = 0


async def verify_password(password_hash: str | None, password: str, settings: Settings) -> bool:
    """True if ``password`` matches; ``None`` (no such user) spends the same time and is False."""
    global _running, _waiting
    if _running is None:
        _running = asyncio.Semaphore(settings.login_max_concurrent)
    if _running.locked() and _waiting >= settings.login_max_waiting:
        raise Busy()
    _waiting += 1
    try:
        await _running.acquire()
    finally:
        _waiting -= 1
    try:
        return await asyncio.to_thread(_verify, password_hash, password)
    finally:
        _running.release()
