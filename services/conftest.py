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

from ops.testing import Lingkungan, fresh_database  # noqa: E402


def pytest_configure(config):
    config.option.suppress_eventlet_notification = True


@pytest.fixture
def start(database, broker, container_factory):
    """Start a service's container in the test's own vhost, against the session's database."""
    def started(service_cls):
        container = container_factory(service_cls)
        container.start()
        return container

    return started


@pytest.fixture
def start_referensi(start):
    """``start_referensi()``: referensi's container, as the peer a consumer's test needs (its snapshot RPC
    fills the replicas). Wired here, outside every service's package, so that no service imports another."""
    def started():
        from services.referensi.service import ReferensiService

        return start(ReferensiService)

    return started


@pytest.fixture
def referensi(start_referensi):
    """referensi, running beside the service under test."""
    return start_referensi()


@pytest.fixture(scope="session")
def lingkungan():
    """``lingkungan()`` → a (kode_pemda, tahun) no other test of the run writes in (``ops.testing.Lingkungan``)."""
    return Lingkungan()


@pytest.fixture
def scope(lingkungan):
    """This test's own (kode_pemda, tahun)."""
    return lingkungan()


@pytest.fixture(scope="session")
def engines(database):
    """``engines("keuangan")``: that service's own engine (its role, its schema), to read back what it did."""
    from sipd_common.db import make_engine

    made: dict = {}

    def engine(service: str):
        if service not in made:
            made[service] = make_engine(service, pool_size=2)
        return made[service]

    yield engine
    for e in made.values():
        e.dispose()


@pytest.fixture(scope="session")
def database():
    """A clean database with every service's schema migrated and the reference data loaded."""
    return fresh_database()


@pytest.fixture
def broker(rabbit_config, monkeypatch):
    """The test's own vhost (Nameko's rabbit_config), for the containers and for every outbox relay."""
    import nameko

    uri = nameko.config["AMQP_URI"]
    monkeypatch.setenv("SIPD_AMQP_URI", uri)
    monkeypatch.delenv("SIPD_OUTBOX_AMQP_URI", raising=False)
    return uri
