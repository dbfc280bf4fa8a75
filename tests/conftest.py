"""System tests: the real processes (four services, the gateway), real PostgreSQL and RabbitMQ, real HTTP.

One stack per test run, in a database and a RabbitMQ vhost of its own. keuangan
runs as two instances throughout, so every test also exercises competing
consumers. perencanaan publishes its outbox through a TCP proxy the tests can
cut, to take the broker away from the relay alone.

Every call but the public ones needs an access token: the first pusat administrator is made with
the operators' command (``python -m gateway.admin``), every other user over the API by it
(``accounts``). ``api`` is a client logged in as that pusat administrator, who may do everything.
"""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import urllib.parse
from dataclasses import dataclass
from itertools import count
from pathlib import Path

import httpx
import psycopg
import pytest

os.environ["SIPD_DB_NAME"] = os.environ.get("SIPD_TEST_DB_SYSTEM", "sipd_test_system")
# The secret the stack signs and verifies tokens with; the tests forge some with it (and others without).
os.environ["SIPD_JWT_SECRET"] = JWT_SECRET = "system-tests-only-" + "0123456789abcdef" * 3

from ops import broker  # noqa: E402
from ops.stack import ROOT, Stack, base_env  # noqa: E402
from ops.testing import Lingkungan, TcpProxy, fresh_database  # noqa: E402

VHOST = os.environ.get("SIPD_TEST_VHOST", "sipd_test_system")
KODE_PEMDA = "32.73"
# each test writes in a year of 32.73 of its own; the fuzzer, which may write in any year, runs last
# (2030 onwards first, then 2018-2029; the decrees' schedules (jadwal) start in 2018)
LINGKUNGAN = Lingkungan(pemda=(KODE_PEMDA,), first_year=2030, then=range(2018, 2030))
# the years before any schedule, a pool of their own (no year in two pools): for test modules that write without
# a schedule, or write nothing (``tahun`` overridden there with ``tahun_lama``)
LAMA = Lingkungan(pemda=(KODE_PEMDA,), first_year=2000, last_year=2017)
# the five-year plans' periods, a pool of their own: an RPJMD's years may be another test's RKPD years (the two
# do not meet), but two RPJMD of a pemda may not overlap
PERIODE = Lingkungan(pemda=(KODE_PEMDA,), first_year=2030, then=range(2018, 2030))
PASSWORD = "kata-sandi-uji-yang-panjang"


def pytest_collection_modifyitems(items):
    """The fuzzer last: logged in as a pusat administrator it really writes (in 32.73, in years such as 2000,
    2027 or 2099), and no other test must meet its data. Before it, the tests that restart the PostgreSQL server
    (``restarts_server``): the connections the session's fixtures hold do not outlive it."""
    fuzz = [item for item in items if item.originalname == "test_api_fuzzed_from_its_openapi"]
    restarts = [item for item in items if item.get_closest_marker("restarts_server") and item not in fuzz]
    items[:] = [item for item in items if item not in fuzz and item not in restarts] + restarts + fuzz


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def settings():
    return fresh_database()


@pytest.fixture(scope="session")
def amqp_uri():
    """The run's vhost as the broker's administrator (guest): what the tests themselves use."""
    broker.recreate_vhost(VHOST)
    return broker.amqp_uri_for(VHOST)


@pytest.fixture(scope="session")
def broker_uris(amqp_uri):
    """Each component's own broker user in the run's vhost (named after it: runs side by side share none),
    as ``make run`` sets them up; removed at the end."""
    try:
        yield broker.setup(VHOST, credentials_file=None)
    finally:
        broker.remove_users(VHOST)


@pytest.fixture(scope="session")
def outbox_proxy(amqp_uri):
    parts = urllib.parse.urlsplit(amqp_uri)
    proxy = TcpProxy(parts.hostname, parts.port or 5672)
    yield proxy
    proxy.close()


@pytest.fixture(scope="session")
def stack(settings, amqp_uri, broker_uris, outbox_proxy, tmp_path_factory):
    env = base_env(SIPD_DB_NAME=settings.db_name, SIPD_AMQP_URI=amqp_uri, SIPD_OUTBOX_POLL_SECONDS="0.2",
                   SIPD_HANDLER_MAX_ATTEMPTS="5", SIPD_LOG_LEVEL="INFO", SIPD_JWT_SECRET=JWT_SECRET,
                   # tokens outlive the run; failed logins wait 0.05 s, 0.1 s, ... (not 0.5 s, 1 s, ...)
                   SIPD_ACCESS_TOKEN_MINUTES="120", SIPD_LOGIN_DELAY_SECONDS="0.05",
                   # an address is locked after 20 failed logins (50 by default), a username after 20 from any
                   # addresses but its own (100); 4 verifications wait (32)
                   SIPD_LOGIN_ADDRESS_MAX_FAILURES="20", SIPD_LOGIN_USER_MAX_FAILURES="20", SIPD_LOGIN_MAX_WAITING="4",
                   # six processes share the machine's PostgreSQL (max_connections 100) with other test runs
                   SIPD_DB_POOL_SIZE="10", SIPD_OPERATOR_BROKER_USER=broker.user_name("operator", VHOST))
    log_dir = Path(os.environ.get("SIPD_TEST_LOG_DIR") or tmp_path_factory.mktemp("logs"))
    # every service instance serves /metrics on a free port of its own (tests/test_operations.py scrapes them)
    s = Stack(env=env, log_dir=log_dir, gateway_port=_free_port(), broker_uris=broker_uris, metrics_base_port=0)
    parts = urllib.parse.urlsplit(broker_uris["perencanaan"])
    proxied = urllib.parse.urlunsplit((parts.scheme, f"{parts.username}:{parts.password}@127.0.0.1:{outbox_proxy.port}",
                                       parts.path, "", ""))
    try:
        s.start_service("referensi")
        s.start_service("perencanaan", env={**env, "SIPD_OUTBOX_AMQP_URI": proxied})
        s.start_service("keuangan", 1)
        s.start_service("keuangan", 2)
        s.start_service("pemerintahan")
        s.start_gateway()
        # healthy once perencanaan and keuangan have filled their replicas of the codification (referensi's snapshot,
        # and the seed's change events to replay): with the decrees' lists several times the rows of the lists
        # written by hand, more than 90 s on a loaded machine (the seed and this wait count against the first
        # test's 300 s timeout)
        s.wait_healthy(200)
        yield s
    finally:
        s.stop_all()


@dataclass
class Account:
    id: str
    username: str
    password: str
    role: str
    kode_pemda: str | None
    kode_skpd: str | None
    token: str
    refresh_token: str

    @property
    def headers(self) -> dict:
        return {"Authorization": f"Bearer {self.token}"}


def login(base_url: str, username: str, password: str) -> dict:
    resp = httpx.post(f"{base_url}/api/v1/auth/token", timeout=30,
                      data={"grant_type": "password", "username": username, "password": password})
    assert resp.status_code == 200, resp.text
    return resp.json()


def _account(base_url: str, user: dict, password: str) -> Account:
    tokens = login(base_url, user["username"], password)
    return Account(user["id"], user["username"], password, user["role"], user["kode_pemda"], user["kode_skpd"],
                   tokens["access_token"], tokens["refresh_token"])


@pytest.fixture(scope="session")
def pusat_admin(stack) -> Account:
    """The first pusat administrator, made by the operators' command as on a fresh deployment."""
    username = "pusat.admin"
    done = subprocess.run([sys.executable, "-m", "gateway.admin", "create-pusat-admin", username],
                          env={**stack.env, "SIPD_ADMIN_PASSWORD": PASSWORD}, cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    me = httpx.get(f"{stack.base_url}/api/v1/auth/me", timeout=30,
                   headers={"Authorization": f"Bearer {login(stack.base_url, username, PASSWORD)['access_token']}"})
    return _account(stack.base_url, me.json(), PASSWORD)


class Accounts:
    """Users made on demand by the pusat administrator, one per (role, pemda, SKPD), logged in."""

    def __init__(self, base_url: str, admin: Account):
        self.base_url = base_url
        self.admin = admin
        self._made: dict[tuple, Account] = {}
        self._serial = count(1)

    def __call__(self, role: str, kode_pemda: str | None = KODE_PEMDA, kode_skpd: str | None = None,
                 **pejabat: str) -> Account:
        """``pejabat``: the officer's ``nama`` and ``nip`` (another user than the one without them)."""
        key = (role, kode_pemda, kode_skpd, *sorted(pejabat.items()))
        if key not in self._made:
            self._made[key] = self.new(role, kode_pemda, kode_skpd, **pejabat)
        return self._made[key]

    def new(self, role: str, kode_pemda: str | None = KODE_PEMDA, kode_skpd: str | None = None,
            by: Account | None = None, **pejabat: str) -> Account:
        """A new user (made by ``by``, the pusat administrator by default), logged in."""
        username = f"{role.replace('_', '-')}.{(kode_pemda or 'pusat').replace('.', '-')}.{next(self._serial)}"
        body = {"username": username, "password": PASSWORD, "role": role, "kode_pemda": kode_pemda,
                "kode_skpd": kode_skpd, **pejabat}
        resp = httpx.post(f"{self.base_url}/api/v1/users", json=body, headers=(by or self.admin).headers, timeout=30)
        assert resp.status_code == 201, resp.text
        return _account(self.base_url, resp.json(), PASSWORD)


@pytest.fixture(scope="session")
def accounts(stack, pusat_admin) -> Accounts:
    return Accounts(stack.base_url, pusat_admin)


def client_for(stack, account: Account | None) -> httpx.Client:
    """A client sending ``account``'s access token (none: the public, without login)."""
    return httpx.Client(base_url=stack.base_url, timeout=30, headers=account.headers if account else None)


@pytest.fixture
def api(stack, pusat_admin):
    with client_for(stack, pusat_admin) as client:
        yield client


@pytest.fixture
def anonymous(stack):
    with client_for(stack, None) as client:
        yield client


@pytest.fixture(scope="session")
def admin_headers(pusat_admin):
    """What a pusat administrator sends: the import of the codification is theirs."""
    return pusat_admin.headers


@pytest.fixture
def tahun():
    """A fiscal year no other test uses: tests share one pemda, each has its own year."""
    return LINGKUNGAN.tahun(KODE_PEMDA)


def tahun_lama() -> int:
    """A year before the schedules (2000-2017) no other test uses: for a test that writes without a schedule."""
    return LAMA.tahun(KODE_PEMDA)


def _span(pools: tuple[Lingkungan, ...], kode_pemda: str, years: int) -> int:
    """The first of ``years`` consecutive years of ``kode_pemda`` free in every pool, taken in each."""
    for start in pools[0].years:
        span = range(start, start + years)
        if all(pool.free(kode_pemda, y) for pool in pools for y in span):
            for pool in pools:
                pool.take(kode_pemda, span)
            return start
    raise RuntimeError(f"no {years} consecutive free years of {kode_pemda} left")


def reserve_periode(kode_pemda: str = KODE_PEMDA, years: int = 5) -> int:
    """The first of ``years`` consecutive years of ``kode_pemda`` no other test writes in (an RPJMD's period)."""
    return _span((PERIODE,), kode_pemda, years)


def reserve_siklus(kode_pemda: str = KODE_PEMDA, years: int = 5) -> int:
    """The first of ``years`` consecutive years of ``kode_pemda`` that are this test's own in both pools: an RPJMD's
    period (no other test's RPJMD overlaps it) whose years are RKPD years no other test writes in."""
    return _span((LINGKUNGAN, PERIODE), kode_pemda, years)


@pytest.fixture
def periode() -> int:
    """A five-year period of 32.73 that is this test's own: its first year."""
    return reserve_periode()


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


@pytest.fixture(scope="session")
def fuzz_headers(accounts):
    """schemathesis calls as a pusat administrator of its own (whatever it does to itself harms no other test)."""
    return accounts.new("pusat_admin", None).headers
