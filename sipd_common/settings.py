"""Configuration from environment variables, each with a documented default.

The README lists every variable; this module is the single place that reads them.
"""
from __future__ import annotations

import ipaddress
import logging
import math
import os
import secrets
import stat
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from urllib.parse import quote

log = logging.getLogger(__name__)


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
    # the broker user whose validated messages (AMQP user_id) may call the operators' RPCs
    operator_broker_user: str = "sipd-operator"
    # Access (see README, "Access"); the JWT secret is ``jwt_secret``, read when first needed.
    access_token_minutes: int = 15
    refresh_token_hours: int = 24
    session_max_hours: int = 168
    login_max_failures: int = 5
    login_lock_minutes: int = 15
    login_delay_seconds: float = 0.5
    login_address_max_failures: int = 50
    login_user_max_failures: int = 100
    login_max_concurrent: int = 4
    login_max_waiting: int = 32
    # argon2id's cost per hash and verification: OWASP's Password Storage Cheat Sheet's first configuration
    # (19 MiB, 2 passes, 1 lane), about 17 ms of one core here; a stored hash of other parameters is re-made at
    # its next login (gateway.passwords)
    argon2_memory_kib: int = 19456
    argon2_time_cost: int = 2
    argon2_parallelism: int = 1
    # Retention (sipd_common.retention; README, "Operations")
    inbox_retention_days: int = 14
    parked_retention_days: int = 30
    parked_expiry_days: int = 90
    idempotency_retention_days: int = 7
    refresh_token_retention_days: int = 1
    prune_interval_seconds: float = 3600

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
            operator_broker_user=_env("SIPD_OPERATOR_BROKER_USER", "sipd-operator"),
            access_token_minutes=int(_env("SIPD_ACCESS_TOKEN_MINUTES", "15")),
            refresh_token_hours=int(_env("SIPD_REFRESH_TOKEN_HOURS", "24")),
            session_max_hours=int(_env("SIPD_SESSION_MAX_HOURS", "168")),
            login_max_failures=int(_env("SIPD_LOGIN_MAX_FAILURES", "5")),
            login_lock_minutes=int(_env("SIPD_LOGIN_LOCK_MINUTES", "15")),
            login_delay_seconds=float(_env("SIPD_LOGIN_DELAY_SECONDS", "0.5")),
            login_address_max_failures=int(_env("SIPD_LOGIN_ADDRESS_MAX_FAILURES", "50")),
            login_user_max_failures=int(_env("SIPD_LOGIN_USER_MAX_FAILURES", "100")),
            login_max_concurrent=int(_env("SIPD_LOGIN_MAX_CONCURRENT", "4")),
            login_max_waiting=int(_env("SIPD_LOGIN_MAX_WAITING", "32")),
            argon2_memory_kib=int(_env("SIPD_ARGON2_MEMORY_KIB", "19456")),
            argon2_time_cost=int(_env("SIPD_ARGON2_TIME_COST", "2")),
            argon2_parallelism=int(_env("SIPD_ARGON2_PARALLELISM", "1")),
            # at least a day beyond the outbox's 7 days of replay, or a replayed event would be applied again
            inbox_retention_days=max(8, int(_env("SIPD_INBOX_RETENTION_DAYS", "14"))),
            parked_retention_days=int(_env("SIPD_PARKED_RETENTION_DAYS", "30")),
            parked_expiry_days=int(_env("SIPD_PARKED_EXPIRY_DAYS", "90")),
            idempotency_retention_days=int(_env("SIPD_IDEMPOTENCY_RETENTION_DAYS", "7")),
            refresh_token_retention_days=int(_env("SIPD_REFRESH_TOKEN_RETENTION_DAYS", "1")),
            prune_interval_seconds=float(_env("SIPD_PRUNE_INTERVAL_SECONDS", "3600")),
        )

    @cached_property
    def jwt_secret(self) -> str:
        """The secret the gateway signs access tokens with and every service verifies them with (``jwt_secret``)."""
        return jwt_secret()

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


# Placeholders seen in examples, this project's among them: refused whatever their length.
PLACEHOLDER_SECRETS = frozenset({
    "replace-me-with-at-least-32-random-characters", "changeme", "change-me", "secret", "your-secret-key",
    "your-256-bit-secret", "supersecret", "jwt-secret", "sipd",
})
MIN_SECRET_BITS = 128
ZLIB_OVERHEAD_BYTES = 11
LOCAL_SECRET_FILE = Path(__file__).resolve().parent.parent / ".run" / "jwt-secret"


def secret_problem(secret: str) -> str | None:
    """Why ``secret`` is not a real secret, or ``None``: too short, a known placeholder, or too little entropy
    (estimated from its characters' frequencies and how well it compresses: ``aaaa…``, ``abab…`` or
    ``0123456789`` repeated are refused, 32 random bytes are not)."""
    lowered = secret.strip().lower()
    if lowered in PLACEHOLDER_SECRETS or "replace-me" in lowered or "change-me" in lowered or "changeme" in lowered:
        return "it is a placeholder from an example"
    if len(secret) < MIN_JWT_SECRET_LENGTH:
        return f"it must be at least {MIN_JWT_SECRET_LENGTH} characters"
    counts = Counter(secret)
    shannon = -sum(n * math.log2(n / len(secret)) for n in counts.values())
    # what the characters' frequencies miss, a compressor sees: repetition ("0123456789" four times)
    compressed = (len(zlib.compress(secret.encode(), 9)) - ZLIB_OVERHEAD_BYTES) * 8
    bits = min(shannon, compressed)
    if bits < MIN_SECRET_BITS or len(counts) < 8:
        return f"it has too little entropy (about {max(bits, 0):.0f} bits; at least {MIN_SECRET_BITS} wanted)"
    return None


def loopback(host: str) -> bool:
    """Whether ``host`` is this machine only (``localhost``, 127.0.0.0/8, ::1)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _read_secret_file(path: Path) -> str:
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise SystemExit(f"{path} holds the JWT secret and is readable by others: chmod 600 {path}")
    return path.read_text().strip()


def _local_secret(path: Path) -> str:
    """A random secret made once for this checkout (``make run``), readable only by its owner; every process of the
    machine reads the same one. Made atomically: processes starting at once agree."""
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        draft = path.with_name(f".{path.name}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_urlsafe(48) + "\n")
        try:
            os.link(draft, path)  # fails if another process made it first: theirs is kept
            log.warning("SIPD_JWT_SECRET is not set: made a random one in %s (for this machine only)", path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return _read_secret_file(path)


def jwt_secret() -> str:
    """``SIPD_JWT_SECRET``, or the contents of ``SIPD_JWT_SECRET_FILE``; refused (the process stops) if it is not
    a real secret. Without either, only when the gateway listens on this machine alone (``SIPD_GATEWAY_HOST``
    loopback, as ``make run``): a random secret made once in ``.run/jwt-secret`` (mode 600)."""
    secret = os.environ.get("SIPD_JWT_SECRET", "")
    source = "SIPD_JWT_SECRET"
    if not secret and os.environ.get("SIPD_JWT_SECRET_FILE"):
        source = os.environ["SIPD_JWT_SECRET_FILE"]
        secret = _read_secret_file(Path(source))
    if secret:
        problem = secret_problem(secret)
        if problem:
            raise SystemExit(f"{source} is not a usable secret: {problem}. Make one with "
                             "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`")
        return secret
    host = _env("SIPD_GATEWAY_HOST", "127.0.0.1")
    if not loopback(host):
        raise SystemExit(f"SIPD_JWT_SECRET (or SIPD_JWT_SECRET_FILE) is required: the gateway listens on {host}, "
                         "beyond this machine")
    return _local_secret(LOCAL_SECRET_FILE)


def service_role(service: str) -> str:
    """The PostgreSQL login role a service connects as: it may use its own schema only."""
    return f"sipd_{service}"


def get_settings() -> Settings:
    return Settings.from_env()
