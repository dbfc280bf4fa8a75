"""Login and sessions: the OAuth2 password and refresh-token grants, logout, password change.

- An access token is a JWT valid ``SIPD_ACCESS_TOKEN_MINUTES`` (15); services verify it themselves.
- A refresh token is 32 random bytes, kept only as its SHA-256, valid ``SIPD_REFRESH_TOKEN_HOURS``
  (24) and usable once: each use gives a new one in the same family, never beyond the login's absolute
  end (``SIPD_SESSION_MAX_HOURS``, 168: a stolen refresh token cannot be renewed forever). A used token shown again means
  someone else has it: the whole family (that login's session) is revoked.
- Every attempt is counted before its password is verified, atomically (``_count_attempt``): per username
  and address, per address, per username; known usernames or not (the answers do not tell which). From
  the username's second failure on, each attempt waits ``SIPD_LOGIN_DELAY_SECONDS`` × 2^(failures−1), at
  most 8 s (asyncio.sleep: the event loop serves others meanwhile); at ``SIPD_LOGIN_MAX_FAILURES`` (5)
  the username is locked for ``SIPD_LOGIN_LOCK_MINUTES`` (15) at that address. A success clears the
  username's counts. Verifications run at most ``SIPD_LOGIN_MAX_CONCURRENT`` at once (``passwords``); an
  attempt answered 503 (busy: not verified) is not counted.
- An address a user has logged in from (``login_address``, for 90 days after its last login there) is the
  user's own: attempts from it count per username and address and per address only, so the username's lock
  (``SIPD_LOGIN_USER_MAX_FAILURES``, set by guessers with many addresses) and its waits do not reach it —
  nobody can lock a user out of where it works from.
- Logout revokes refresh tokens (one session, or all); a password change revokes all.
"""
from __future__ import annotations

import asyncio
import hashlib
import logging
import secrets
import uuid
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy import and_, case, delete, func, insert, or_, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from sipd_common.access import Role, Scope
from sipd_common.auth import issue_access_token
from sipd_common.errors import DomainError, Invalid, Unauthenticated
from sipd_common.metrics import LOGIN_FAILURES, LOGIN_LOCKOUTS
from sipd_common.retention import LOGIN_ADDRESS_RETENTION_DAYS
from sipd_common.settings import Settings

from . import passwords
from .db import login_address, login_throttle, refresh_token, users

log = logging.getLogger(__name__)

MAX_DELAY_SECONDS = 8.0
INVALID_CREDENTIALS = "invalid username or password"


class TooManyAttempts(DomainError):
    """The username is locked after repeated failures; ``retry_after`` seconds until it opens."""

    status = 429
    title = "Too many failed attempts"

    def __init__(self, retry_after: int):
        super().__init__(f"too many failed attempts: locked, try again in {retry_after} s", retry_after=retry_after)
        self.headers = {"Retry-After": str(retry_after)}


def _now() -> datetime:
    return datetime.now(timezone.utc)


def normalise(username: str) -> str:
    return username.strip().lower()


def login_name(username: str, kode_pemda: str | None) -> str:
    """What a user logs in as: ``budi@32.73`` for a pemda's user (a username is unique within its pemda only),
    the bare username for the pusat's."""
    return f"{username}@{kode_pemda}" if kode_pemda else username


async def _find(engine: AsyncEngine, login: str):
    """The user a login names, if any: ``name@kode_pemda``, that pemda's ``name``; a bare ``name``, its first
    holder (a pusat user's name is nobody else's when it is made, so it is always theirs)."""
    name, at, kode_pemda = login.partition("@")
    query = select(users).where(users.c.username == name)
    if at:
        query = query.where(users.c.kode_pemda == kode_pemda)
    else:
        query = query.order_by(users.c.created_at, users.c.id).limit(1)
    async with engine.connect() as conn:
        return (await conn.execute(query)).first()


def scope_of(user) -> Scope:
    return Scope(user_id=user.id, username=user.username, role=Role(user.role), kode_pemda=user.kode_pemda,
                 kode_skpd=user.kode_skpd, nama=user.nama, nip=user.nip)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _invalid_grant(detail: str) -> Unauthenticated:
    return Unauthenticated(detail, error="invalid_grant")


# -- attempts ------------------------------------------------------------------------
USER, PAIR, ADDRESS = "user", "pair", "address"
NOBODY = "00000000-0000-0000-0000-000000000000"
USERNAME_MAX_LENGTH = 64  # the column's: a longer name is nobody's
KODE_PEMDA_MAX_LENGTH = 5  # 32.73


def _too_many(lock: datetime, now: datetime) -> TooManyAttempts:
    return TooManyAttempts(max(1, int((lock - now).total_seconds()) + 1))


def _keys(username: str, address: str, own_address: bool = False) -> dict[str, str]:
    """The counts an attempt is counted in: from one of the user's own addresses, not the username's."""
    keys = {USER: username, PAIR: f"{address} {username}", ADDRESS: address}
    if own_address:
        del keys[USER]
    return keys


async def _count_attempt(engine: AsyncEngine, settings: Settings, username: str, address: str,
                         own_address: bool = False) -> dict[str, int]:
    """Count this attempt as a failure before it is verified, in one statement (so parallel attempts each see
    the others), and refuse it if a limit is reached: the counts by kind, this attempt included.

    - per username and address (``pair``): locked at ``login_max_failures``; someone guessing from one address
      locks out only that address, never the user;
    - per address, any username (``address``): locked at ``login_address_max_failures`` (spraying);
    - per username, any address (``user``): waits grow with its failures; locked at
      ``login_user_max_failures`` (NIST SP 800-63B's 100), a guesser with many addresses — but not from an
      address the user has logged in from (``own_address``: not counted there, nor refused), so that the
      guessers cannot lock the user out.
    """
    now = _now()
    window = timedelta(minutes=settings.login_lock_minutes)
    t = login_throttle
    limits = {PAIR: settings.login_max_failures, ADDRESS: settings.login_address_max_failures,
              USER: settings.login_user_max_failures}
    keys = _keys(username, address, own_address)
    # a count older than the window, or from before a lock that ran out, starts again
    fresh = (t.c.last_failure_at > now - window) & (t.c.locked_until.is_(None) | (t.c.locked_until > now))
    stmt = pg_insert(t).values([dict(kind=k, key=v, failures=1, last_failure_at=now) for k, v in keys.items()])
    stmt = stmt.on_conflict_do_update(index_elements=[t.c.kind, t.c.key], set_={
        "failures": case((fresh, t.c.failures + 1), else_=1),
        "locked_until": case((t.c.locked_until > now, t.c.locked_until), else_=None),
        "last_failure_at": now,
    }).returning(t.c.kind, t.c.failures, t.c.locked_until)
    async with engine.begin() as conn:
        rows = (await conn.execute(stmt)).all()
        locks = [r.locked_until for r in rows if r.locked_until is not None]
        if locks:
            LOGIN_FAILURES.labels("locked").inc()
            raise _too_many(max(locks), now)
        over = [r.kind for r in rows if r.failures > limits[r.kind]]
        if over:  # parallel attempts beyond the limit: refused unverified
            until = now + window
            await conn.execute(update(t).where(or_(*(and_(t.c.kind == k, t.c.key == keys[k]) for k in over)))
                               .values(locked_until=until))
    if over:
        LOGIN_FAILURES.labels("locked").inc()
        for kind in over:
            LOGIN_LOCKOUTS.labels(kind).inc()
        log.warning("login: %s locked until %s", ", ".join(f"{k} {keys[k]!r}" for k in over), until.isoformat())
        raise _too_many(until, now)
    return {r.kind: r.failures for r in rows}


async def _lock_if_last(engine: AsyncEngine, settings: Settings, username: str, address: str,
                        counts: dict[str, int]) -> None:
    """This attempt failed: if it was the last one allowed for the username at this address, lock that pair."""
    if counts[PAIR] < settings.login_max_failures:
        return
    now = _now()
    until = now + timedelta(minutes=settings.login_lock_minutes)
    async with engine.begin() as conn:
        await conn.execute(update(login_throttle).where(login_throttle.c.kind == PAIR,
                                                        login_throttle.c.key == _keys(username, address)[PAIR])
                           .values(locked_until=until))
    LOGIN_LOCKOUTS.labels(PAIR).inc()
    log.warning("login: %r locked at %s until %s after %d failed attempts", username, address, until.isoformat(),
                counts[PAIR])
    raise _too_many(until, now)


async def _uncount(engine: AsyncEngine, keys: dict[str, str]) -> None:
    """This attempt was not verified (the verifications were busy): it is no failure."""
    t = login_throttle
    async with engine.begin() as conn:
        await conn.execute(update(t).where(or_(*(and_(t.c.kind == k, t.c.key == v) for k, v in keys.items())))
                           .values(failures=func.greatest(t.c.failures - 1, 0)))


async def _own_address(engine: AsyncEngine, user, address: str) -> bool:
    """Whether ``user`` has logged in from ``address`` (within ``LOGIN_ADDRESS_RETENTION_DAYS``). Asked for an
    unknown username too (of nobody's id), so that the time taken does not tell whether a username exists."""
    a = login_address
    since = _now() - timedelta(days=LOGIN_ADDRESS_RETENTION_DAYS)
    async with engine.connect() as conn:
        return (await conn.execute(select(a.c.user_id).where(
            a.c.user_id == (user.id if user else NOBODY), a.c.address == address[:100],
            a.c.last_login_at > since))).first() is not None


async def _succeeded(conn: AsyncConnection, user, username: str, address: str) -> None:
    """The user proved itself: its counts go; the address keeps its other failures (this attempt uncounted), and
    is the user's own from now on."""
    t = login_throttle
    keys = _keys(username, address)
    await conn.execute(delete(t).where(or_(*(and_(t.c.kind == k, t.c.key == keys[k]) for k in (USER, PAIR)))))
    await conn.execute(update(t).where(t.c.kind == ADDRESS, t.c.key == address)
                       .values(failures=func.greatest(t.c.failures - 1, 0)))
    now = _now()
    a = login_address
    await conn.execute(pg_insert(a).values(user_id=user.id, address=address[:100], last_login_at=now)
                       .on_conflict_do_update(index_elements=[a.c.user_id, a.c.address], set_={"last_login_at": now}))


async def check_password(engine: AsyncEngine, settings: Settings, username: str, password: str, address: str,
                         field: str | None = None):
    """The active user whose password this is, throttled and counted; raises otherwise.

    ``address`` is the client's. ``field`` names the form field for the error (a password change) instead of a
    login failure.
    """
    login = normalise(username)
    name, _, kode_pemda = login.partition("@")
    if len(name) > USERNAME_MAX_LENGTH:  # nobody's: say so plainly (before it reaches a column)
        raise Invalid.field(field or "username", f"at most {USERNAME_MAX_LENGTH} characters")
    if len(kode_pemda) > KODE_PEMDA_MAX_LENGTH:
        raise Invalid.field(field or "username", "after @, the pemda's code (e.g. budi@32.73)")
    user = await _find(engine, login)
    # counted under one name per user, however it was named (bare or with its pemda); an unknown one as given
    username = login_name(user.username, user.kode_pemda) if user else login
    own_address = await _own_address(engine, user, address)
    counts = await _count_attempt(engine, settings, username, address, own_address)
    earlier = counts[PAIR if own_address else USER] - 1
    if earlier >= 1:
        await asyncio.sleep(min(MAX_DELAY_SECONDS, settings.login_delay_seconds * 2 ** (earlier - 1)))
    try:
        verified = await passwords.verify_password(user.password_hash if user else None, password, settings)
    except passwords.Busy:
        await _uncount(engine, _keys(username, address, own_address))
        raise
    if not verified:
        LOGIN_FAILURES.labels("password").inc()
        await _lock_if_last(engine, settings, username, address, counts)
        if field:
            raise Invalid.field(field, "incorrect")
        raise _invalid_grant(INVALID_CREDENTIALS)
    if not user.active:
        LOGIN_FAILURES.labels("inactive").inc()
        raise _invalid_grant("this account is deactivated")
    # made with other argon2 parameters than today's: re-made now that the password is at hand (the same
    # password, so the account's version, its tokens and its password_changed_at stay)
    rehashed = await passwords.hash_password(password) if passwords.needs_rehash(user.password_hash) else None
    async with engine.begin() as conn:
        await _succeeded(conn, user, username, address)
        if rehashed:
            await conn.execute(update(users).where(users.c.id == user.id,
                                                   users.c.password_hash == user.password_hash)
                               .values(password_hash=rehashed))
    return user


# -- tokens ----------------------------------------------------------------------
async def _issue(conn: AsyncConnection, settings: Settings, user, family_id: str | None = None,
                 session_expires_at: datetime | None = None) -> dict[str, Any]:
    """A new pair; a renewal (``family_id``) keeps its login's absolute end, a login starts one."""
    token = secrets.token_urlsafe(32)
    now = _now()
    session_end = session_expires_at or now + timedelta(hours=settings.session_max_hours)
    expires_at = min(now + timedelta(hours=settings.refresh_token_hours), session_end)
    ttl = expires_at - now
    await conn.execute(insert(refresh_token).values(
        id=str(uuid.uuid4()), family_id=family_id or str(uuid.uuid4()), user_id=user.id, token_hash=_hash(token),
        expires_at=expires_at, session_expires_at=session_end))
    # the record's version: a later deactivation or change of role refuses this token (sipd_common.revocation)
    access, expires_in = issue_access_token(scope_of(user), settings.jwt_secret, settings.access_token_minutes,
                                            version=user.version)
    return {"access_token": access, "token_type": "bearer", "expires_in": expires_in,
            "refresh_token": token, "refresh_expires_in": int(ttl.total_seconds())}


async def login(engine: AsyncEngine, settings: Settings, username: str, password: str,
                address: str) -> dict[str, Any]:
    user = await check_password(engine, settings, username, password, address)
    async with engine.begin() as conn:
        tokens = await _issue(conn, settings, user)
    log.info("login: %s (%s)", user.username, user.role)
    return tokens


async def refresh(engine: AsyncEngine, settings: Settings, token: str) -> dict[str, Any]:
    t = refresh_token
    now = _now()
    async with engine.begin() as conn:
        row = (await conn.execute(select(t).where(t.c.token_hash == _hash(token)).with_for_update())).first()
        if row is None or row.revoked_at is not None:
            raise _invalid_grant("unknown or revoked refresh token")
        if row.used_at is not None:
            # Shown a second time: whoever holds the family now is not to be trusted.
            await conn.execute(update(t).where(t.c.family_id == row.family_id, t.c.revoked_at.is_(None))
                               .values(revoked_at=now))
            reused = row
        else:
            reused = None
            if row.expires_at <= now:
                raise _invalid_grant("the refresh token has expired")
            if row.session_expires_at <= now:
                raise _invalid_grant("the session has reached its maximum lifetime: log in again")
            user = (await conn.execute(select(users).where(users.c.id == row.user_id))).first()
            if user is None or not user.active:
                raise _invalid_grant("this account is deactivated")
            await conn.execute(update(t).where(t.c.id == row.id).values(used_at=now))
            return await _issue(conn, settings, user, family_id=row.family_id,
                                session_expires_at=row.session_expires_at)
    log.warning("refresh token of user %s reused: its family %s is revoked", reused.user_id, reused.family_id)
    raise _invalid_grant("refresh token already used: every token of this session is revoked")


async def revoke(conn: AsyncConnection, user_id: str, family_of: str | None = None) -> int:
    """Revoke the refresh tokens of a user: of the session ``family_of`` belongs to, or all."""
    t = refresh_token
    where = [t.c.user_id == user_id, t.c.revoked_at.is_(None)]
    if family_of is not None:
        family = select(t.c.family_id).where(t.c.token_hash == _hash(family_of), t.c.user_id == user_id)
        where.append(t.c.family_id.in_(family.scalar_subquery()))
    result = await conn.execute(update(t).where(*where).values(revoked_at=_now()))
    return result.rowcount


async def logout(engine: AsyncEngine, caller: Scope, refresh_token_value: str | None) -> None:
    async with engine.begin() as conn:
        await revoke(conn, caller.user_id, refresh_token_value)
