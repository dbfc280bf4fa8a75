"""The gateway's own data (schema ``gateway``, role ``sipd_gateway``): users, refresh tokens, login attempts.

Like a service, the gateway owns one schema and may use nothing else. It reaches it without
blocking its event loop (SQLAlchemy's asyncio engine over psycopg 3), with a statement timeout so a
stuck query answers 504 instead of holding a request forever.
"""
from __future__ import annotations

from sqlalchemy import (
    BigInteger, Boolean, Column, DateTime, ForeignKey, Identity, Index, Integer, MetaData, String, Table, Text, UniqueConstraint, func,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from sipd_common.audit import add_audit_table
from sipd_common.connections import application_name
from sipd_common.idempotency import add_idempotency_table
from sipd_common.settings import Settings, get_settings, service_role

SCHEMA = "gateway"
STATEMENT_TIMEOUT_MS = 10_000

metadata = MetaData()

users = Table(
    "users", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("username", String(64), nullable=False),
    Column("password_hash", Text, nullable=False),
    Column("role", String(30), nullable=False),
    Column("kode_pemda", String(10)),
    Column("kode_skpd", String(40)),
    Column("nama", String(120)),  # the officer's name and NIP, as signed documents print them
    Column("nip", String(18)),
    Column("active", Boolean, nullable=False),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("updated_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("password_changed_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    # a username is unique within its pemda (the pusat's users: among themselves), so that whether a name is
    # taken in another pemda is nobody's business; a login names the pemda (``budi@32.73``, gateway.accounts)
    UniqueConstraint("kode_pemda", "username", name="users_username_per_pemda", postgresql_nulls_not_distinct=True),
    Index("users_username", "username"),
    Index("users_scope", "kode_pemda", "role"),  # the administrators' list of users, by pemda and role
)

# One row per issued refresh token; only its SHA-256 is kept. A login starts a family; each use
# rotates the token (used_at set, a new one in the same family); a used token shown again means it
# was stolen, and the whole family is revoked.
refresh_token = Table(
    "refresh_token", metadata,
    Column("id", UUID(as_uuid=False), primary_key=True),
    Column("family_id", UUID(as_uuid=False), nullable=False, index=True),
    Column("user_id", UUID(as_uuid=False), ForeignKey("users.id"), nullable=False, index=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("issued_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    # the login's absolute end: no renewal reaches beyond it (SIPD_SESSION_MAX_HOURS after the login)
    Column("session_expires_at", DateTime(timezone=True), nullable=False),
    Column("used_at", DateTime(timezone=True)),
    Column("revoked_at", DateTime(timezone=True)),
)

# Login attempts, counted before each is verified: per username (any address), per username and address,
# per address (any username); a username is counted whether or not such a user exists (the answers do not tell).
login_throttle = Table(
    "login_throttle", metadata,
    Column("kind", String(10), primary_key=True),  # user, pair, address
    Column("key", String(400), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failure_at", DateTime(timezone=True), nullable=False),
    Column("locked_until", DateTime(timezone=True)),
)

# The addresses each user has logged in from (its password proved there), while it has logged in there within
# ``sipd_common.retention.LOGIN_ADDRESS_RETENTION``: the username's lock, which guessers from many addresses can
# set, does not reach them (gateway.accounts), so nobody else can lock a user out of where it works from.
login_address = Table(
    "login_address", metadata,
    Column("user_id", UUID(as_uuid=False), ForeignKey("users.id"), primary_key=True),
    Column("address", String(100), primary_key=True),
    Column("last_login_at", DateTime(timezone=True), nullable=False),
)

# Access tokens of a user older than ``min_version`` are refused until ``until`` (sipd_common.revocation):
# recorded with the change that causes it, published on the broker after the commit (``published_at``),
# read by every gateway worker every second.
revocation = Table(
    "revocation", metadata,
    Column("id", BigInteger, Identity(), primary_key=True),
    Column("user_id", UUID(as_uuid=False), ForeignKey("users.id"), nullable=False),
    Column("min_version", Integer, nullable=False),
    Column("revoked_at", DateTime(timezone=True), nullable=False, server_default=func.now()),
    Column("until", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Index("revocation_until", "until"),
    Index("revocation_unpublished", "id", postgresql_where="published_at IS NULL"),
)

audit = add_audit_table(metadata)
idempotent_call = add_idempotency_table(metadata)


POOL_SIZE, MAX_OVERFLOW = 3, 7


def make_async_engine(settings: Settings | None = None) -> AsyncEngine:
    settings = settings or get_settings()
    return create_async_engine(
        settings.database_url(service_role(SCHEMA)),
        pool_size=POOL_SIZE, max_overflow=MAX_OVERFLOW, pool_pre_ping=True,  # logins and user admin: a few at a time
        pool_timeout=5,  # a request that cannot get a connection soon is answered 503, not held
        connect_args={"options": f"-csearch_path={SCHEMA} -cstatement_timeout={STATEMENT_TIMEOUT_MS}",
                      "application_name": application_name(SCHEMA, POOL_SIZE + MAX_OVERFLOW)},
    )
