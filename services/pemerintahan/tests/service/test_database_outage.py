"""PostgreSQL away under a running service: a failing handler backs off, although it cannot record its
failure, and applies the event once the database is back."""
from __future__ import annotations

import logging
import uuid

import eventlet
import pytest
from nameko.standalone.events import event_dispatcher
from nameko.testing.services import entrypoint_hook

from ops.testing import TcpProxy, auth_context, wait_until
from services.pemerintahan.service import PemerintahanService
from sipd_common.settings import get_settings

from .test_service import Scope


@pytest.fixture
def db_proxy(database):
    settings = get_settings()
    proxy = TcpProxy(settings.db_host, settings.db_port)
    yield proxy
    proxy.close()


@pytest.fixture
def pemerintahan(db_proxy, start, monkeypatch):
    """pemerintahan reaching PostgreSQL through a proxy the test can cut (the database 'goes down')."""
    monkeypatch.setenv("SIPD_DB_PORT", str(db_proxy.port))
    return start(PemerintahanService)


def attempts(caplog, handler: str) -> int:
    return sum(1 for r in caplog.records if r.name == "sipd.access" and f"pemerintahan.{handler} " in r.getMessage())


def test_with_the_database_down_a_failing_handler_backs_off_and_applies_the_event_once_it_is_back(
        pemerintahan, db_proxy, caplog, lingkungan):
    caplog.set_level(logging.INFO, logger="sipd.access")
    scope = lingkungan()
    rkpd_id = str(uuid.uuid4())
    db_proxy.cut()

    event_dispatcher()("perencanaan", "rkpd.sub_kegiatan.saved.v1", Scope(*scope).saved(rkpd_id, "1.01", "750").to_message())
    wait_until(lambda: attempts(caplog, "on_rkpd_saved") >= 1, message="the handler tried and failed")
    # The one bounded wait: it shows that something does *not* happen (a hot loop of redeliveries).
    # Backing off 0.5 s, 1 s, 2 s, ... leaves room for four attempts in these 3 s; a requeue at once, hundreds.
    eventlet.sleep(3.0)
    assert attempts(caplog, "on_rkpd_saved") <= 5, "redelivered without back-off"

    db_proxy.restore()

    def applied():
        with entrypoint_hook(pemerintahan, "get_ringkasan", context_data=auth_context()) as get:
            try:
                return get(*scope)["total_pagu_indikatif"] == "750.00"
            except Exception:  # the pool finds its dead connections first
                return False

    wait_until(applied, timeout=30, interval=0.5, message="the event applied once the database is back")
