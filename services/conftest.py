"""Service tests run as Nameko runs a service: under eventlet, monkey-patched first.

Nameko 3's pytest plugin no longer patches; this must happen before anything
imports socket or threading, hence at the very top of this file.
"""
import eventlet

eventlet.monkey_patch()

import os  # noqa: E402

os.environ["SIPD_DB_NAME"] = os.environ.get("SIPD_TEST_DB_SERVICES", "sipd_test_services")
os.environ.setdefault("SIPD_OUTBOX_POLL_SECONDS", "0.2")

import sipd_common  # noqa: E402,F401  (sets PSYCOPG_WAIT_FUNC before psycopg is imported)
import pytest  # noqa: E402

from ops.testing import fresh_database  # noqa: E402


def pytest_configure(config):
    config.option.suppress_eventlet_notification = True


@pytest.fixture(scope="session")
def database():
    """A clean database with every service's schema migrated and the reference data loaded."""
    return fresh_database()


@pytest.fixture
def broker(rabbit_config, monkeypatch):
    """The test's own vhost, for Nameko and for the outbox relay (which reads SIPD_AMQP_URI)."""
    import nameko

    uri = nameko.config["AMQP_URI"]
    monkeypatch.setenv("SIPD_AMQP_URI", uri)
    monkeypatch.delenv("SIPD_OUTBOX_AMQP_URI", raising=False)
    return uri
