"""Database access for a service: its own role, its own schema, a unit of work per change.

``Storage`` is the Nameko dependency every service declares. It owns the
engine (connected as ``sipd_<service>`` with ``search_path=<service>``) and the
outbox relay, and gives each worker a ``StorageHandle`` whose unit of work
commits the state change, the events it emits and its audit rows in one transaction.

Each service subclasses ``UnitOfWork`` to hang its repositories off it (``uow.rkpd``,
``uow.plafon``, …, in ``attach``), so that a use case sees repositories and never a session, and a
fake unit of work (``sipd_common.fakes``) can run it in memory.
"""
from __future__ import annotations

import os
from contextlib import contextmanager
from typing import Iterator

import nameko
from nameko.extensions import DependencyProvider
from sqlalchemy import create_engine, event, insert, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from . import connections
from .access import Scope
from .connections import application_name
from .audit import Action, audit_table, audit_values, read_trail
from .auth import caller_of
from .deadline import deadline_var, left
from .errors import DeadlineExceeded
from .events import Event
from .idempotency import IdempotentCalls
from .logging import REQUEST_ID_KEY
from .outbox import OutboxRelay
from .settings import Settings, get_settings, service_role
from .sql import autocommit_engine
from .tables import outbox_table
from .tracing import TRACEPARENT


RELAY_CONNECTIONS = 1  # the outbox relay's, beside one per worker


def locked(query, lock: str | None):
    """``query`` holding the rows it reads until the transaction ends: ``lock="update"`` to change them,
    ``"share"`` for a write they gate (such writes go side by side; a change of the rows waits for them);
    ``None``: a plain read."""
    if lock == "update":
        return query.with_for_update()
    if lock == "share":
        return query.with_for_update(read=True)
    return query


def make_engine(service: str, settings: Settings | None = None, **kwargs) -> Engine:
    settings = settings or get_settings()
    pool_size = kwargs.pop("pool_size", settings.db_pool_size)
    max_overflow = kwargs.pop("max_overflow", RELAY_CONNECTIONS)  # the outbox relay beside 15 workers; no churn
    return create_engine(
        settings.database_url(service_role(service)),
        pool_size=pool_size,
        max_overflow=max_overflow,
        # no ping before each use (a round trip per transaction): a connection found dead fails its one
        # statement, SQLAlchemy then drops the whole pool, and the caller's retry (an event's redelivery,
        # the user's request) gets a fresh one
        pool_pre_ping=False,
        pool_recycle=3600,
        # the pool's size in its name: what the connection budget counts (sipd_common.connections)
        connect_args={"options": f"-csearch_path={service}",
                      "application_name": application_name(service, pool_size + max_overflow)},
        **kwargs,
    )


# the server's word for "no session now": shut down or terminated (57P01 admin_shutdown, 57P02 crash_shutdown),
# starting up (57P03 cannot_connect_now), full (53300 too_many_connections); class 08 is the connection's own
_UNAVAILABLE = frozenset({"57P01", "57P02", "57P03", "53300"})


def database_unavailable(exc: BaseException) -> bool:
    """Did ``exc`` come from the database being away (restarted, its connections dropped, refusing new ones),
    rather than from the statement? A connection found dead (no pre-ping: the first statement on it fails and
    SQLAlchemy drops the pool), one that cannot be made, one the server ended. What to do is the same for all:
    try again shortly, the database will be back; it is no fault of the request nor of an event."""
    if not isinstance(exc, DBAPIError):
        return False
    if exc.connection_invalidated or isinstance(exc, InterfaceError):
        return True
    sqlstate = getattr(exc.orig, "sqlstate", None)
    if sqlstate is None:  # no answer from a server: the connection failed or broke (psycopg.OperationalError)
        return isinstance(exc, OperationalError)
    return sqlstate.startswith("08") or sqlstate in _UNAVAILABLE


_PING = text("SELECT 1")
_OUTBOX = insert(outbox_table)
_AUDIT = insert(audit_table)
_STATEMENT_TIMEOUT = text("SELECT set_config('statement_timeout', :ms, true)")


class UnitOfWork:
    """One transaction: the changes made through the repositories, the events ``emit``-ted, the writes
    ``audit``-ed. Used once: ``with storage.unit_of_work() as uow: ... uow.commit()``.

    In a worker serving a caller with a deadline (``sipd_common.deadline``), the transaction's statements
    get the time left as their ``statement_timeout``, and ``commit`` refuses once it is gone: nothing
    commits after the caller gave up.

    ``autocommit``: no transaction, each statement commits on its own (no ``BEGIN``, no ``COMMIT``: two round
    trips fewer). For a use case that only reads (under PostgreSQL's READ COMMITTED, the default, each
    statement sees its own snapshot either way, and a read takes no row locks), or an event handler whose
    every statement stands on its own (``sipd_common.handlers``). Nothing can be emitted or audited there:
    those must commit with the change."""

    def __init__(self, engine: Engine, source: str, headers: dict, on_commit=None, actor: Scope | None = None,
                 autocommit: bool = False):
        self.source = source
        self.headers = headers
        self.actor = actor
        self.autocommit = autocommit
        self.session = Session(autocommit_engine(engine) if autocommit else engine, expire_on_commit=False)
        self._on_commit = on_commit
        self._emitted = False
        self.calls = IdempotentCalls(self.session)  # used by the creates of a service that has the table
        self.deadline = deadline_var.get()
        if self.deadline is not None:
            event.listen(self.session, "after_begin", self._bound)
        self.attach(self.session)

    def _bound(self, session, transaction, connection) -> None:
        remaining = left(self.deadline)
        if remaining <= 0:
            raise DeadlineExceeded("the caller's deadline passed before the transaction began; nothing was done")
        if not self.autocommit:  # a setting local to a transaction; without one, reads wait on no lock anyway
            connection.execute(_STATEMENT_TIMEOUT, {"ms": str(max(1, int(remaining * 1000)))})

    def attach(self, session: Session) -> None:
        """Hang the service's repositories off this unit of work (``self.rkpd = RkpdRepository(session)``)."""

    def trail(self, record_type: str, record_id: str, offset: int, limit: int) -> dict:
        """The audit trail of one record, oldest first (a page)."""
        return read_trail(self.session, record_type, record_id, offset, limit)

    def audit(self, record_type: str, record_id: str, action: Action, before: dict | None, after: dict | None,
              **where) -> None:
        """Record a write of this transaction: by the worker's caller, in the request that caused it.

        ``where`` is the record's ``kode_pemda`` / ``tahun`` / ``kode_skpd``: who may read the trail.
        """
        self._transactional("an audit row")
        self.session.execute(_AUDIT, audit_values(
            record_type, record_id, action, before, after, actor=self.actor,
            request_id=self.headers.get(f"nameko.{REQUEST_ID_KEY}"), **where))

    def audit_many(self, entries: list[tuple]) -> None:
        """Several writes of this transaction, each ``(record_type, record_id, action, before, after, where)``,
        in one statement (an import may write thousands)."""
        self._transactional("an audit row")
        if entries:
            request_id = self.headers.get(f"nameko.{REQUEST_ID_KEY}")
            self.session.execute(_AUDIT, [audit_values(t, i, a, b, f, actor=self.actor, request_id=request_id, **w)
                                          for t, i, a, b, f, w in entries])

    def emit(self, event: Event) -> None:
        self.emit_many([event])

    def _transactional(self, what: str) -> None:
        if self.autocommit:
            raise RuntimeError(f"{what} must commit with the change: not in a unit of work without a transaction")

    def emit_many(self, events: list[Event]) -> None:
        """Several events in one statement (an import may publish thousands)."""
        self._transactional("an event")
        rows = []
        for event in events:
            if event.source != self.source:
                raise ValueError(f"{self.source} cannot publish {event.event_type()} (it belongs to {event.source})")
            rows.append(dict(event_id=event.event_id, exchange=f"{event.source}.events",
                             routing_key=event.event_type(), payload=event.to_message(), headers=self.headers))
        if rows:
            self.session.execute(_OUTBOX, rows)
            self._emitted = True

    def emit_raw(self, exchange: str, routing_key: str, payload: dict, headers: dict, event_id) -> None:
        """Re-publish a message as it was received (replay of a parked event)."""
        self._transactional("an event")
        self.session.execute(insert(outbox_table).values(
            event_id=event_id, exchange=exchange, routing_key=routing_key, payload=payload, headers=headers,
        ))
        self._emitted = True

    def commit(self) -> None:
        if self.deadline is not None and left(self.deadline) <= 0:
            self.rollback()
            raise DeadlineExceeded("the caller's deadline passed before the change could be committed; "
                                   "nothing was committed")
        self.session.commit()
        if self._emitted and self._on_commit is not None:
            self._on_commit()
        self._emitted = False

    def rollback(self) -> None:
        self.session.rollback()
        self._emitted = False

    def close(self) -> None:
        self.session.close()

    def __enter__(self) -> "UnitOfWork":
        return self

    def __exit__(self, *exc) -> None:
        # Nothing is committed implicitly: a unit of work that did not commit is rolled back.
        self.rollback()
        self.close()


_TRAVELS = (REQUEST_ID_KEY, "call_id_stack", TRACEPARENT)


class StorageHandle:
    def __init__(self, service: str, engine: Engine, relay: OutboxRelay | None, context: dict,
                 caller: Scope | None = None, unit_of_work: type[UnitOfWork] = UnitOfWork):
        self.service = service
        self.engine = engine
        self.unit_of_work_cls = unit_of_work
        self.relay = relay
        self.context = context
        self.caller = caller  # the worker's verified caller: the actor of the audit rows

    @property
    def headers(self) -> dict:
        # What travels with an event: the request id, the call chain that caused it, the trace it is part of.
        return {f"nameko.{k}": v for k, v in self.context.items() if k in _TRAVELS}

    def unit_of_work(self, autocommit: bool = False) -> UnitOfWork:
        """A unit of work; ``autocommit``: without a transaction (``UnitOfWork``), for a use case that only reads."""
        return self.unit_of_work_cls(self.engine, self.service, self.headers,
                                     self.relay.wake if self.relay else None, actor=self.caller,
                                     autocommit=autocommit)

    @contextmanager
    def read(self) -> Iterator[Session]:
        with Session(self.engine) as session:
            yield session

    def ping(self) -> None:
        with autocommit_engine(self.engine).connect() as conn:  # one round trip: no BEGIN, no ROLLBACK
            conn.execute(_PING)


class Storage(DependencyProvider):
    """Engine and outbox relay of the service, shared by its workers."""

    def __init__(self, unit_of_work: type[UnitOfWork] = UnitOfWork, relay: bool = True):
        self.unit_of_work = unit_of_work
        self.with_relay = relay
        self.engine: Engine | None = None
        self.relay: OutboxRelay | None = None

    def setup(self):
        settings = get_settings()
        self.service = self.container.service_name
        self.secret = settings.jwt_secret
        self.engine = make_engine(self.service, settings)
        connections.check(self.engine, self.service, settings.db_pool_size + RELAY_CONNECTIONS)
        if self.with_relay:
            # the broker the container itself uses, unless the outbox is pointed elsewhere on purpose
            uri = os.environ.get("SIPD_OUTBOX_AMQP_URI") or nameko.config.get("AMQP_URI") or settings.outbox_amqp_uri
            self.relay = OutboxRelay(self.engine, uri, settings.outbox_poll_seconds, service=self.service)

    def start(self):
        if self.relay is not None:
            self.container.spawn_managed_thread(self.relay.run, identifier="outbox_relay")

    def stop(self):
        if self.relay is not None:
            self.relay.stop()
        if self.engine is not None:
            self.engine.dispose()

    def kill(self):
        self.stop()

    def get_dependency(self, worker_ctx):
        return StorageHandle(self.service, self.engine, self.relay, worker_ctx.data, caller_of(worker_ctx, self.secret),
                             self.unit_of_work)
