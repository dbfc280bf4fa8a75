"""Test support shared by the service tests and the system tests (not used in production)."""
from __future__ import annotations

import subprocess
import sys
import time
from contextlib import contextmanager
from typing import Callable, TypeVar

from sipd_common import dbsetup, migrations
from sipd_common.settings import Settings, get_settings

T = TypeVar("T")


def fresh_database(reports: list | None = None) -> Settings:
    """Drop and re-create the database named by SIPD_DB_NAME, migrate it, load the reference data (each
    import's figures appended to ``reports`` when given)."""
    from services.referensi.seed import seed

    settings = get_settings()
    dbsetup.drop_database(settings)
    dbsetup.ensure_database(settings)
    dbsetup.ensure_roles_and_schemas(settings)
    for owner in migrations.SCHEMAS:
        migrations.upgrade(owner)
    seed(reports=reports)
    return settings


def fresh_database_apart() -> None:
    """``fresh_database`` in a process of its own: a benchmark's peak memory is then its own, not the seed's."""
    subprocess.run([sys.executable, "-c", "from ops.testing import fresh_database; fresh_database()"], check=True)


class Lingkungan:
    """Where a test writes: ``(kode_pemda, tahun)`` pairs that no other test of the run gets.

    Tests share one database per run; each writes in a pemda and year of its own, so none sees
    another's records and the next test added needs no hand-kept list of pairs. ``lingkungan()`` gives
    the next free pair (of ``kode_pemda``, when the test needs that pemda's SKPD or prices)."""

    def __init__(self, pemda: tuple[str, ...] = ("32.73", "32.71", "32.04", "32.01"), first_year: int = 2000,
                 last_year: int = 2100, then: range | None = None):
        self.pemda = pemda
        # handed out in this order: ``then`` (e.g. earlier years) once the range up to last_year is used up
        self.years = [*range(first_year, last_year + 1), *(then or ())]
        self._taken: dict[str, set[int]] = {}

    def __call__(self, kode_pemda: str | None = None) -> tuple[str, int]:
        if kode_pemda is None:  # the pemda with the most years left
            kode_pemda = min(self.pemda, key=lambda p: len(self._taken.get(p, ())))
        year = next((y for y in self.years if self.free(kode_pemda, y)), None)
        if year is None:
            raise RuntimeError(f"every year of {kode_pemda} is taken by this run's tests; name another pemda")
        self._taken.setdefault(kode_pemda, set()).add(year)
        return kode_pemda, year

    def tahun(self, kode_pemda: str) -> int:
        return self(kode_pemda)[1]

    def free(self, kode_pemda: str, year: int) -> bool:
        return year in self.years and year not in self._taken.get(kode_pemda, ())

    def take(self, kode_pemda: str, years) -> None:
        """These years of ``kode_pemda`` are a test's own (given to no other), e.g. found free in two pools."""
        years = list(years)
        assert all(self.free(kode_pemda, y) for y in years), (kode_pemda, years)
        self._taken.setdefault(kode_pemda, set()).update(years)


def auth_context(role: str = "pusat_admin", kode_pemda: str | None = None, kode_skpd: str | None = None,
                 username: str = "test-caller") -> dict:
    """Nameko context data carrying an access token, as the gateway sends it, for calling a service in a test:
    ``entrypoint_hook(container, "list_sub_kegiatan", context_data=auth_context())``. Signed with the
    secret the services verify with (``SIPD_JWT_SECRET``, or the local one in ``.run/jwt-secret``)."""
    from sipd_common.access import Role, Scope
    from sipd_common.auth import issue_access_token

    scope = Scope(user_id=f"{username}-id", username=username, role=Role(role), kode_pemda=kode_pemda,
                  kode_skpd=kode_skpd)
    token, _ = issue_access_token(scope, get_settings().jwt_secret, minutes=60)
    return {"auth_token": token}


def operator_context() -> dict:
    """Nameko context data of a call made by the operators' broker user (as ``sipd_common.rpc.Rpc`` sets it
    from the validated ``user_id``), for ``entrypoint_hook`` in a service test: ``context_data=operator_context()``."""
    return {"broker_user": get_settings().operator_broker_user}


def as_operator(container, method: str, *args, **kwargs):
    """Call an operators' RPC of a running container in a service test, as the operators' broker user."""
    from nameko.testing.services import entrypoint_hook

    with entrypoint_hook(container, method, context_data=operator_context()) as hook:
        return hook(*args, **kwargs)


def revoke(user_id: str, min_version: int, amqp_uri: str | None = None) -> None:
    """Publish a revocation as the gateway does (``sipd_common.revocation``), making the stream first if the test's
    vhost has none: ``user_id``'s tokens older than ``min_version`` are refused for the next hour."""
    from datetime import datetime, timedelta, timezone

    import kombu
    import nameko

    from sipd_common import revocation

    now = datetime.now(timezone.utc)
    body = revocation.AccessRevoked(user_id=user_id, min_version=min_version, revoked_at=now,
                                    until=now + timedelta(hours=1)).model_dump_json()
    with kombu.Connection(amqp_uri or nameko.config["AMQP_URI"]) as conn:
        channel = conn.channel()
        exchange = kombu.Exchange(revocation.EXCHANGE, type="topic", durable=True, channel=channel)
        exchange.declare()
        kombu.Queue(revocation.STREAM, exchange, routing_key=revocation.ROUTING_KEY, durable=True,
                    queue_arguments=revocation.STREAM_ARGUMENTS, channel=channel).declare()
        kombu.Producer(channel).publish(body, exchange=exchange, routing_key=revocation.ROUTING_KEY,
                                        content_type="application/json", content_encoding="utf-8")


def wait_until(check: Callable[[], T], timeout: float = 10.0, interval: float = 0.05, message: str = "") -> T:
    """Poll ``check`` until it returns something truthy; the last value on success, AssertionError on timeout."""
    deadline = time.monotonic() + timeout
    last: T = None  # type: ignore[assignment]
    while time.monotonic() < deadline:
        last = check()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"not true within {timeout} s: {message or check} (last: {last!r})")


class TcpProxy:
    """A TCP forwarder the tests can cut, to take the broker away from one process only.

    ``cut()`` closes every open connection and refuses new ones (as a broker that
    went down would); ``restore()`` lets connections through again.
    """

    def __init__(self, target_host: str, target_port: int, listen_port: int = 0):
        import socket
        import threading

        self.target = (target_host, target_port)
        self._server = socket.create_server(("127.0.0.1", listen_port))
        self.port = self._server.getsockname()[1]
        self._open = threading.Event()
        self._open.set()
        self._conns: set = set()
        self._lock = threading.Lock()
        self._closed = False
        self._acceptor = threading.Thread(target=self._accept, name="tcp-proxy", daemon=True)
        self._acceptor.start()

    def _accept(self) -> None:
        import socket
        import threading

        while not self._closed:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if not self._open.is_set():
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._conns.update((client, upstream))
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pipe, args=(a, b), daemon=True).start()

    def _pipe(self, src, dst) -> None:
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        finally:
            # Close only the socket this pipe reads; shut the other down, which ends the peer pipe's read
            # of it and lets that pipe close it. Closing a socket another greenthread still reads leaves its
            # hub listener behind (see ``close``).
            import socket

            try:
                dst.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            try:
                src.close()
            except OSError:
                pass
            with self._lock:
                self._conns.discard(src)
                self._conns.discard(dst)

    def cut(self) -> None:
        import socket

        self._open.clear()
        with self._lock:
            conns = list(self._conns)
        for s in conns:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def restore(self) -> None:
        self._open.set()

    def close(self) -> None:
        import socket

        self._closed = True
        self.cut()
        # End the accept loop before closing its socket. Under eventlet a greenthread left
        # waiting on a closed descriptor keeps its hub listener, and the next socket opened
        # in C (libpq) that gets the same number fails with "Second simultaneous read".
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        except OSError:
            pass
        self._acceptor.join(timeout=5)
        self._server.close()


def deliver(container, handler: str, event, timeout: float = 15) -> str:
    """Publish ``event`` as its service would and wait until ``handler`` of ``container`` has
    finished with it; what the handler reports (applied, duplicate, parked). Service tests only."""
    from nameko.standalone.events import event_dispatcher
    from nameko.testing.services import entrypoint_waiter

    payload = event.to_message()

    def this_event(worker_ctx, result, exc_info):
        return bool(worker_ctx.args) and worker_ctx.args[0].get("event_id") == payload["event_id"]

    with entrypoint_waiter(container, handler, callback=this_event, timeout=timeout) as result:
        event_dispatcher()(event.source, event.event_type(), payload)
    return result.get()


@contextmanager
def recorded_spans():
    """Trace with spans kept in memory (``sipd_common.tracing``), as OTLP would send them: the exporter."""
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    from sipd_common import tracing

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    tracing.install(provider)
    try:
        yield exporter
    finally:
        tracing.uninstall()
