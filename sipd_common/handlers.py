"""Event handling that loses nothing and does nothing twice.

``@handles(EventClass)`` turns a service method ``(self, uow, event)`` into a
Nameko event handler on a durable queue, and wraps it so that:

- the handler's effects and its ``inbox`` record commit together, so a
  redelivered event (same ``event_id``) changes nothing; a handler that is idempotent by
  the record's version on its own (it keeps the version it holds and ignores an event
  not newer: ``@handles(E, inbox=False)``) needs no inbox record, a round trip saved, and
  one whose every statement stands on its own (``autocommit=True``: a single upsert) runs
  without a transaction on a first delivery (a redelivery, maybe of a failed attempt,
  forgets the attempts recorded in the same transaction as its effects);
- a handler that raises is rolled back, its attempt recorded, and the message
  returned to the queue (Nameko's ``requeue_on_error``) after a short back-off; with the
  database away (the attempt cannot be recorded) the back-off is counted in the process and
  grows to ``UNRECORDED_BACKOFF_MAX``, so an outage is no hot loop of redeliveries; a failure that is the
  database's being away (a restart, a dropped connection) is counted so too, never as an attempt;
- after ``SIPD_HANDLER_MAX_ATTEMPTS`` attempts (or at once for a message that
  breaks its contract) the event is parked in ``parked_event`` and acknowledged,
  where an operator can list it and replay it (``replay_parked``);
- a message that cannot even be decoded (not JSON, a content type refused) is parked
  too, its body kept as received, and only then acknowledged (kombu would log and drop it).

Ordering is the handler's business: events carry ``aggregate_version`` and a
read model keeps the version it holds, ignoring older ones.
"""
from __future__ import annotations

import base64
import functools
import json
import logging
import time
from typing import Any, Callable

from nameko.amqp.consume import Consumer as ConsumerCore
from nameko.events import EventHandler
from nameko.exceptions import ContainerBeingKilled
from nameko.messaging import decode_from_headers
from pydantic import ValidationError
from sqlalchemy import delete, func, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert

from .db import Storage, StorageHandle, UnitOfWork, database_unavailable
from .errors import Invalid, NotFound
from .events import Event, ImplausibleVersion
from .metrics import EVENTS_HANDLED
from .settings import get_settings
from .tables import handler_failure_table, parked_event_table

log = logging.getLogger(__name__)

# The event claimed for this handler (nothing returned: it was applied before) and an earlier failed
# attempt forgotten, in one round trip; both stand only if the handler's effects commit with them.
CLAIM = text(
    "WITH forgotten AS (DELETE FROM handler_failure WHERE event_id = :event_id AND handler = :handler) "
    "INSERT INTO inbox (event_id, handler) VALUES (:event_id, :handler) ON CONFLICT DO NOTHING RETURNING event_id")
# for a handler without an inbox, on a redelivery: its earlier failed attempts forgotten if its effects commit
FORGET = text("DELETE FROM handler_failure WHERE event_id = :event_id AND handler = :handler")

# set in the worker's context data by the entrypoint: the broker delivers this message again (an attempt
# failed and was requeued, or a consumer went away before its acknowledgement)
REDELIVERED_KEY = "sipd.redelivered"


def handles(event_cls: type[Event], inbox: bool = True, autocommit: bool = False) -> Callable:
    """Decorate ``method(self, uow, event)`` of a service that has a ``storage`` dependency.

    ``inbox=False``: the method is idempotent by the record's version on its own (it stores nothing for an
    event not newer than what it holds, and then returns False: counted ``duplicate``), so no inbox record
    is kept for it. ``autocommit=True`` (with ``inbox=False``): each of its statements stands on its own (a
    single upsert by version; it emits and audits nothing), so a first delivery runs without a transaction.
    """
    if autocommit and inbox:
        raise ValueError("autocommit is for a handler idempotent by version alone (inbox=False)")

    def decorator(method: Callable) -> Callable:
        handler_name = method.__name__

        @functools.wraps(method)
        def entrypoint(self, payload: dict) -> str:
            redelivered = bool(self.storage.context.pop(REDELIVERED_KEY, False))
            return process_event(self.storage, handler_name, event_cls, payload,
                                 lambda uow, event: method(self, uow, event),
                                 inbox=inbox, autocommit=autocommit, redelivered=redelivered)

        return ParkingEventHandler.decorator(event_cls.source, event_cls.event_type(), requeue_on_error=True)(entrypoint)

    return decorator


NO_EVENT_ID = "00000000-0000-0000-0000-000000000000"


class _Consumer(ConsumerCore):
    undecodable: Callable[[Any, Exception], None] | None = None  # set by the entrypoint

    def on_decode_error(self, message, exc):  # kombu's own logs the message and acknowledges it: lost
        self.undecodable(message, exc)


class ParkingEventHandler(EventHandler):
    """Nameko's event handler, parking a message it cannot decode where an operator sees it (``parked_event``)."""

    consumer_cls = _Consumer

    def setup(self):
        super().setup()
        self.consumer.undecodable = self._undecodable
        self._park_failures = 0

    def handle_message(self, body, message):
        """Nameko's, with the broker's ``redelivered`` flag in the worker's context data (``REDELIVERED_KEY``)."""
        context_data = decode_from_headers(message.headers)
        if message.delivery_info.get("redelivered"):
            context_data[REDELIVERED_KEY] = True
        handle_result = functools.partial(self.handle_result, message)

        def spawn_worker():
            try:
                self.container.spawn_worker(self, (body,), {}, context_data=context_data,
                                            handle_result=handle_result)
            except ContainerBeingKilled:
                self.consumer.requeue_message(message)

        # a thread of its own, as Nameko's: a full worker pool must not block the consumer (its heartbeats)
        self.container.spawn_managed_thread(
            spawn_worker, identifier=f"{type(self).__name__}.wait_for_worker_pool[{self.container.service_name}."
                                     f"{self.method_name}]")

    def _undecodable(self, message, exc) -> None:
        # off the consumer's thread: parking writes to the database
        self.container.spawn_managed_thread(functools.partial(self._park_undecodable, message, exc),
                                            identifier=f"park_undecodable[{self.method_name}]")

    def _park_undecodable(self, message, exc) -> None:
        storage = next(d for d in self.container.dependencies if isinstance(d, Storage))
        routing_key = message.delivery_info.get("routing_key") or self.event_type
        try:
            park_undecodable(storage, self.method_name, routing_key, message, f"undecodable: {type(exc).__name__}: {exc}")
        except Exception as failed:  # the database is away: the message waits in the queue, after a back-off
            self._park_failures += 1
            delay = min(UNRECORDED_BACKOFF_MAX, 0.5 * 2 ** (self._park_failures - 1))
            log.warning("%s: an undecodable message could not be parked (%s); back in the queue in %.1f s",
                        self.method_name, type(failed).__name__, delay)
            time.sleep(delay)
            self.consumer.requeue_message(message)
            return
        self._park_failures = 0
        log.error("%s: undecodable message on %s parked (%s)", self.method_name, routing_key, exc)
        self.consumer.ack_message(message)


def park_undecodable(storage: Storage, handler: str, routing_key: str, message: Any, error: str) -> None:
    """Park a message as received: its body in base64 and, as far as it is text, readable."""
    body = message.body if isinstance(message.body, bytes) else str(message.body).encode()
    payload = {"undecodable": base64.b64encode(body).decode(), "text": body.decode("utf-8", "replace")[:4000],
               "content_type": message.content_type, "content_encoding": message.content_encoding}
    with storage.engine.begin() as conn:
        conn.execute(parked_event_table.insert().values(
            event_id=NO_EVENT_ID, handler=handler, routing_key=routing_key, payload=payload,
            headers=json.loads(json.dumps(message.headers or {}, default=str)), error=error[:4000], attempts=1))


def process_event(storage: StorageHandle, handler: str, event_cls: type[Event], payload: Any,
                  apply: Callable[[UnitOfWork, Event], Any], max_attempts: int | None = None, *,
                  inbox: bool = True, autocommit: bool = False, redelivered: bool = True) -> str:
    """Apply one delivered event; returns what happened: applied, duplicate or parked (counted in
    ``sipd_events_handled_total``, with ``failed`` for an attempt rolled back to be retried).

    ``inbox``, ``autocommit``: see ``handles``. ``redelivered``: the message may have been attempted before
    (when not known, it may)."""
    try:
        outcome = _process_event(storage, handler, event_cls, payload, apply, max_attempts,
                                 inbox=inbox, autocommit=autocommit, redelivered=redelivered)
    except Exception:
        EVENTS_HANDLED.labels(storage.service, handler, event_cls.event_type(), "failed").inc()
        raise
    EVENTS_HANDLED.labels(storage.service, handler, event_cls.event_type(), outcome).inc()
    return outcome


def _process_event(storage: StorageHandle, handler: str, event_cls: type[Event], payload: Any,
                   apply: Callable[[UnitOfWork, Event], Any], max_attempts: int | None = None, *,
                   inbox: bool = True, autocommit: bool = False, redelivered: bool = True) -> str:
    max_attempts = max_attempts or get_settings().handler_max_attempts
    routing_key = event_cls.event_type()
    try:
        event = event_cls.read(payload)
    except ValidationError as exc:
        # No retry can mend a message that breaks its contract.
        _park(storage, handler, routing_key, payload, f"contract violation: {exc}", attempts=1)
        return "parked"

    try:
        # a first delivery of an autocommit handler: no earlier attempt to forget, each statement on its own
        with storage.unit_of_work(autocommit=autocommit and not redelivered) as uow:
            keys = {"event_id": event.event_id, "handler": handler}
            if inbox:
                if uow.session.execute(CLAIM, keys).first() is None:
                    log.info("%s: event %s already processed, ignored", handler, event.event_id)
                    return "duplicate"
            elif redelivered:
                uow.session.execute(FORGET, keys)
            stored = apply(uow, event)
            uow.commit()
            if not inbox and stored is False:
                log.info("%s: event %s already processed or superseded (not newer than the version held), ignored",
                         handler, event.event_id)
                return "duplicate"
            return "applied"
    except ImplausibleVersion as exc:
        # no retry makes a forged or corrupt version believable: an operator looks at it
        log.error("%s: event %s parked: %s", handler, event.event_id, exc)
        _park(storage, handler, routing_key, payload, f"implausible version: {exc}", attempts=1)
        return "parked"
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"
        try:
            if database_unavailable(exc):
                # the database restarted or dropped the connection: no fault of the event, and no attempt of
                # the limit (an outage of a few seconds would otherwise park every event in flight)
                raise exc
            attempts = _record_failure(storage, handler, event, error)
        except Exception as unrecorded:
            # The database is away (most likely what failed the handler too): the attempt cannot be
            # counted there, so count it here and back off all the same, or the broker hands the message
            # straight back, in a loop as fast as the failures come.
            delay = _unrecorded_backoff(handler, event.event_id)
            log.warning("%s: event %s failed, the database away (%s: no attempt counted); retrying in %.1f s: %s",
                        handler, event.event_id, type(unrecorded).__name__, delay, error)
            time.sleep(delay)  # green sleep under eventlet
            raise exc from None
        _unrecorded.pop((handler, event.event_id), None)
        if attempts >= max_attempts:
            log.error("%s: event %s failed %d times, parked: %s", handler, event.event_id, attempts, error)
            _park(storage, handler, routing_key, payload, error, attempts)
            return "parked"
        log.warning("%s: event %s failed (attempt %d of %d), will retry: %s",
                    handler, event.event_id, attempts, max_attempts, error)
        time.sleep(min(2.0, 0.05 * 2 ** attempts))  # green sleep under eventlet
        raise


# Failures that could not be recorded, per (handler, event) in this process: the back-off's count while
# the database is away. Bounded: when full it starts again (a back-off restarts small, nothing is lost).
_unrecorded: dict[tuple[str, Any], int] = {}
_UNRECORDED_MAX = 10_000
UNRECORDED_BACKOFF_MAX = 10.0


def _unrecorded_backoff(handler: str, event_id: Any) -> float:
    if len(_unrecorded) >= _UNRECORDED_MAX:
        _unrecorded.clear()
    n = _unrecorded[(handler, event_id)] = _unrecorded.get((handler, event_id), 0) + 1
    return min(UNRECORDED_BACKOFF_MAX, 0.5 * 2 ** (n - 1))


def _record_failure(storage: StorageHandle, handler: str, event: Event, error: str) -> int:
    t = handler_failure_table
    with storage.unit_of_work() as uow:
        attempts = uow.session.execute(
            pg_insert(t).values(event_id=event.event_id, handler=handler, attempts=1, last_error=error[:4000])
            .on_conflict_do_update(index_elements=[t.c.event_id, t.c.handler],
                                   set_={"attempts": t.c.attempts + 1, "last_error": error[:4000]})
            .returning(t.c.attempts)
        ).scalar_one()
        uow.commit()
    return attempts


def _park(storage: StorageHandle, handler: str, routing_key: str, payload: Any, error: str, attempts: int) -> None:
    event_id = payload.get("event_id") if isinstance(payload, dict) else None
    with storage.unit_of_work() as uow:
        uow.session.execute(parked_event_table.insert().values(
            event_id=event_id or NO_EVENT_ID, handler=handler,
            routing_key=routing_key, payload=payload if isinstance(payload, dict) else {"raw": json.dumps(payload, default=str)},
            headers=storage.headers, error=error[:4000], attempts=attempts,
        ))
        if event_id:
            uow.session.execute(delete(handler_failure_table).where(
                handler_failure_table.c.event_id == event_id, handler_failure_table.c.handler == handler))
        uow.commit()


def list_parked(storage: StorageHandle, include_replayed: bool = False) -> list[dict]:
    t = parked_event_table
    query = select(t).order_by(t.c.id)
    if not include_replayed:
        query = query.where(t.c.replayed_at.is_(None))
    with storage.read() as session:
        return [
            {**row._asdict(), "event_id": str(row.event_id), "parked_at": row.parked_at.isoformat(),
             "replayed_at": row.replayed_at.isoformat() if row.replayed_at else None}
            for row in session.execute(query)
        ]


def replay_parked(service: Any, parked_id: int) -> dict:
    """Run a parked event through its handler again, from inside the service.

    The handler's inbox check still applies, so a replay of an event that has
    since been applied changes nothing; a replay that fails again is parked again.
    """
    t = parked_event_table
    storage: StorageHandle = service.storage
    with storage.unit_of_work() as uow:
        row = uow.session.execute(select(t).where(t.c.id == parked_id).with_for_update()).first()
        if row is None or row.replayed_at is not None:
            raise NotFound(f"no parked event {parked_id} waiting for replay")
        if "undecodable" in row.payload:
            raise Invalid("an undecodable message cannot be replayed: read it (its body is kept) and have its "
                          "publisher send it again")
        uow.session.execute(update(t).where(t.c.id == parked_id).values(replayed_at=func.now()))
        uow.commit()
    entrypoint = getattr(service, row.handler)
    try:
        outcome = entrypoint(row.payload)
    except Exception as exc:
        # process_event recorded one failed attempt and raised for a redelivery that will never
        # come (a replay is no message): park the event again, or it would be lost.
        error = f"{type(exc).__name__}: {exc}"
        _park(storage, row.handler, row.routing_key, row.payload, error, row.attempts + 1)
        outcome = f"parked again: {error}"
    return {"id": parked_id, "event_id": str(row.event_id), "handler": row.handler, "outcome": outcome}
