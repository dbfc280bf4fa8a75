"""Configuration from environment variables, each with a documented default.

The README lists every variable; this module is the single place that reads them.
"""
from __future__ import annotations

import hashlib
import logging
import os
import socket
from dataclasses import dataclass, field
from urllib.parse import quote

log = logging.getLogger(__name__)
_warned_secret = False


def _env(name: str, default: str) -> str:
    value = os.environ.get(name)
    return default if value is None or value == "" else value


@dataclass(frozen=True)
class Settings:
    db_host: str
    db_port: int
    db_name: str
    db_admin_user: str
    db_admin_password: str
    db_password: str
    db_pool_size: int
    amqp_uri: str
    outbox_amqp_uri: str
    outbox_poll_seconds: float
    handler_max_attempts: int
    rpc_timeout_seconds: float
    log_level: str
    # Access (see README, "Access"): the JWT secret the gateway signs with and every service verifies with.
    jwt_secret: str = field(repr=False, default="")
    access_token_minutes: int = 15
    refresh_token_hours: int = 24
    login_max_failures: int = 5
    login_lock_minutes: int = 15
    login_delay_seconds: float = 0.5
    login_address_max_failures: int = 50
    login_user_max_failures: int = 100
    login_max_concurrent: int = 4
    login_max_waiting: int = 32

    @classmethod
    def from_env(cls) -> "Settings":
        amqp_uri = _env("SIPD_AMQP_URI", "amqp://guest:guest@127.0.0.1:5672/")
        return cls(
            db_host=_env("SIPD_DB_HOST", "127.0.0.1"),
            db_port=int(_env("SIPD_DB_PORT", "5432")),
            db_name=_env("SIPD_DB_NAME", "sipd"),
            db_admin_user=_env("SIPD_DB_ADMIN_USER", "root"),
            db_admin_password=_env("SIPD_DB_ADMIN_PASSWORD", ""),
            db_password=_env("SIPD_DB_PASSWORD", ""),
            db_pool_size=int(_env("SIPD_DB_POOL_SIZE", "15")),
            amqp_uri=amqp_uri,
            outbox_amqp_uri=_env("SIPD_OUTBOX_AMQP_URI", amqp_uri),
            outbox_poll_seconds=float(_env("SIPD_OUTBOX_POLL_SECONDS", "0.5")),
            handler_max_attempts=int(_env("SIPD_HANDLER_MAX_ATTEMPTS", "5")),
            rpc_timeout_seconds=float(_env("SIPD_RPC_TIMEOUT_SECONDS", "10")),
            log_level=_env("SIPD_LOG_LEVEL", "INFO"),
            jwt_secret=_jwt_secret(),
            access_token_minutes=int(_env("SIPD_ACCESS_TOKEN_MINUTES", "15")),
            refresh_token_hours=int(_env("SIPD_REFRESH_TOKEN_HOURS", "24")),
            login_max_failures=int(_env("SIPD_LOGIN_MAX_FAILURES", "5")),
            login_lock_minutes=int(_env("SIPD_LOGIN_LOCK_MINUTES", "15")),
            login_delay_seconds=float(_env("SIPD_LOGIN_DELAY_SECONDS", "0.5")),
            login_address_max_failures=int(_env("SIPD_LOGIN_ADDRESS_MAX_FAILURES", "50")),
            login_user_max_failures=int(_env("SIPD_LOGIN_USER_MAX_FAILURES", "100")),
            login_max_concurrent=int(_env("SIPD_LOGIN_MAX_CONCURRENT", "4")),
            login_max_waiting=int(_env("SIPD_LOGIN_MAX_WAITING", "32")),
        )

    def database_url(self, user: str, password: str | None = None) -> str:
        password = self.db_password if password is None else password
        auth = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
        return f"postgresql+psycopg://{auth}@{self.db_host}:{self.db_port}/{self.db_name}"

    def admin_url(self, database: str | None = None) -> str:
        url = self.database_url(self.db_admin_user, self.db_admin_password)
        return url if database is None else url.rsplit("/", 1)[0] + "/" + database


SERVICES = ("referensi", "perencanaan", "keuangan", "pemerintahan")
# Every owner of a schema (and a role, and migrations): the services and the gateway (users, tokens).
SCHEMAS = (*SERVICES, "gateway")
MIN_JWT_SECRET_LENGTH = 32


def _jwt_secret() -> str:
    """SIPD_JWT_SECRET, or for a local run a secret derived from this machine and database, with a warning.

    The derived one is the same for every process of one machine and database (so the gateway and
    the services agree) and is not secret to anyone who can read this code: never run so in production.
    """
    global _warned_secret
    secret = os.environ.get("SIPD_JWT_SECRET", "")
    if secret:
        if len(secret) < MIN_JWT_SECRET_LENGTH:
            raise SystemExit(f"SIPD_JWT_SECRET must be at least {MIN_JWT_SECRET_LENGTH} characters")
        return secret
    seed = f"sipd-local:{socket.gethostname()}:{_env('SIPD_DB_HOST', '127.0.0.1')}:{_env('SIPD_DB_NAME', 'sipd')}"
    if not _warned_secret:
        _warned_secret = True
        log.warning("SIPD_JWT_SECRET is not set: using a secret derived from the host and database name; "
                    "fine for a local run, unsafe anywhere else")
    return hashlib.sha256(seed.encode()).hexdigest()


def service_role(service: str) -> str:
    """The PostgreSQL login role a service connects as: it may use its own schema only."""
    return f"sipd_{service}"


def get_settings() -> Settings:
    return Settings.from_env()
