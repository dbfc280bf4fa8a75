"""Configuration from environment variables, each with a documented default.

The README lists every variable; this module is the single place that reads them.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import quote


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
            db_pool_size=int(_env("SIPD_DB_POOL_SIZE", "10")),
            amqp_uri=amqp_uri,
            outbox_amqp_uri=_env("SIPD_OUTBOX_AMQP_URI", amqp_uri),
            outbox_poll_seconds=float(_env("SIPD_OUTBOX_POLL_SECONDS", "0.5")),
            handler_max_attempts=int(_env("SIPD_HANDLER_MAX_ATTEMPTS", "5")),
            rpc_timeout_seconds=float(_env("SIPD_RPC_TIMEOUT_SECONDS", "10")),
            log_level=_env("SIPD_LOG_LEVEL", "INFO"),
        )

    def database_url(self, user: str, password: str | None = None) -> str:
        password = self.db_password if password is None else password
        auth = quote(user, safe="") + (":" + quote(password, safe="") if password else "")
        return f"postgresql+psycopg://{auth}@{self.db_host}:{self.db_port}/{self.db_name}"

    def admin_url(self, database: str | None = None) -> str:
        url = self.database_url(self.db_admin_user, self.db_admin_password)
        return url if database is None else url.rsplit("/", 1)[0] + "/" + database


SERVICES = ("referensi", "perencanaan", "keuangan", "pemerintahan")


def service_role(service: str) -> str:
    """The PostgreSQL login role a service connects as: it may use its own schema only."""
    return f"sipd_{service}"


def get_settings() -> Settings:
    return Settings.from_env()
