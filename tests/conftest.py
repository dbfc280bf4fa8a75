"""System tests: the real processes (four services, the gateway), real PostgreSQL and RabbitMQ, real HTTP.

One stack per test run, in a database and a RabbitMQ vhost of its own. keuangan
runs as two instances throughout, so every test also exercises competing
consumers. perencanaan publishes its outbox through a TCP proxy the tests can
cut, to take the broker away from the relay alone.
"""
from __future__ import annotations

import os
import socket
import urllib.parse
from itertools import count
from pathlib import Path

import httpx
import psycopg
import pytest

os.environ["SIPD_DB_NAME"] = os.environ.get("SIPD_TEST_DB_SYSTEM", "sipd_test_system")

from ops import broker  # noqa: E402
from ops.stack import ROOT, Stack, base_env  # noqa: E402
from ops.testing import TcpProxy, fresh_database  # noqa: E402

VHOST = os.environ.get("SIPD_TEST_VHOST", "sipd_test_system")
ADMIN_TOKEN = os.environ.get("SIPD_ADMIN_TOKEN") or "uji-pusat-admin"
KODE_PEMDA = "32.73"
_years = count(2030)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def settings():
    return fresh_database()


@pytest.fixture(scope="session")
def amqp_uri():
    broker.recreate_vhost(VHOST)
    return broker.amqp_uri_for(VHOST)


@pytest.fixture(scope="session")
def outbox_proxy(amqp_uri):
    parts = urllib.parse.urlsplit(amqp_uri)
    proxy = TcpProxy(parts.hostname, parts.port or 5672)
    yield proxy
    proxy.close()


@pytest.fixture(scope="session")
def stack(settings, amqp_uri, outbox_proxy, tmp_path_factory):
    env = base_env(SIPD_DB_NAME=settings.db_name, SIPD_AMQP_URI=amqp_uri, SIPD_OUTBOX_POLL_SECONDS="0.2",
                   SIPD_HANDLER_MAX_ATTEMPTS="5", SIPD_LOG_LEVEL="INFO", SIPD_ADMIN_TOKEN=ADMIN_TOKEN)
    log_dir = Path(os.environ.get("SIPD_TEST_LOG_DIR") or tmp_path_factory.mktemp("logs"))
    s = Stack(env=env, log_dir=log_dir, gateway_port=_free_port())
    parts = urllib.parse.urlsplit(amqp_uri)
    proxied = urllib.parse.urlunsplit((parts.scheme, f"{parts.username}:{parts.password}@127.0.0.1:{outbox_proxy.port}",
                                       parts.path, "", ""))
    try:
        s.start_service("referensi")
        s.start_service("perencanaan", env={**env, "SIPD_OUTBOX_AMQP_URI": proxied})
        s.start_service("keuangan", 1)
        s.start_service("keuangan", 2)
        s.start_service("pemerintahan")
        s.start_gateway()
        s.wait_healthy(90)
        yield s
    finally:
        s.stop_all()


@pytest.fixture
def api(stack):
    with httpx.Client(base_url=stack.base_url, timeout=30) as client:
        yield client


@pytest.fixture(scope="session")
def admin_headers(stack):
    """What a pusat administrator sends: the import of the codification is theirs."""
    return {"Authorization": f"Bearer {ADMIN_TOKEN}"}


@pytest.fixture
def tahun():
    """A fiscal year no other test uses: tests share one pemda, each has its own year."""
    return next(_years)


@pytest.fixture(scope="session")
def admin_db(settings):
    """A superuser connection, for the tests to look at what the services wrote."""
    with psycopg.connect(settings.admin_url().replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        yield conn


@pytest.fixture(scope="session")
def repo_root():
    return ROOT


@pytest.fixture(scope="session")
def live_schema(stack):
    """The OpenAPI document as the running gateway serves it, for schemathesis."""
    import schemathesis

    return schemathesis.openapi.from_url(f"{stack.base_url}/openapi.json")
