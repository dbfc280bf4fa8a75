"""The outbox relay: publishes committed events, with publisher confirms, then marks them sent.

A state change and its events commit in one transaction (``UnitOfWork.emit``);
this relay claims a batch of unsent rows on a lease (one statement, committed at once:
``claimed_until = now() + LEASE_SECONDS``, taken ``FOR UPDATE SKIP LOCKED``, so several
instances of a service share the work without sending a row twice at once), publishes
each as a persistent, *mandatory* message and waits for the broker's confirm, and only
then marks the rows sent (a second statement). No transaction is held open while it
publishes. Rows it could not publish (the broker gone mid-batch) are released at once;
a relay that dies mid-batch leaves its rows to the next once the lease is over. If the
broker is gone the rows simply wait; the relay retries with back-off. Delivery is at
least once: consumers de-duplicate.

An event no queue is bound for (a consumer that has never run, a fresh vhost) is
returned by the broker before its confirm. Such a row is not marked sent: it counts
the return (``unroutable``) and waits (``retry_at``: 1 s, 2 s, 4 s, ... at most
``MAX_RETRY_SECONDS``) while the rows after it go on. When it comes due again, one row of
its routing key is tried first and the payloads of the others are read only if that one
routes: a large backlog no queue is bound for costs little each time, and the rows after
it are not kept waiting behind it. Nothing drops it; an operator sees it
(``unroutable_events``, ``python -m ops.outbox unroutable SERVICE``).

Published rows are kept ``RETENTION``: a consumer that comes later, or lost its queue,
catches up by having them published again (``replay``; consumers ignore what they
already applied, by ``event_id``).
"""
from __future__ import annotations

import logging
import threading
from collections import Counter

import kombu
from datetime import datetime

from sqlalchemy import (
    ARRAY, BigInteger, and_, any_, bindparam, case, func, or_, select, update,
)
from sqlalchemy.engine import Engine

from .metrics import EVENTS_PUBLISHED, OUTBOX_FAILURES
from .sql import autocommit_engine
from .tables import outbox_table

log = logging.getLogger(__name__)

RETENTION = "7 days"  # published rows kept this long, for inspection and replay (pruned: sipd_common.retention)
MAX_RETRY_SECONDS = 300  # an unroutable event is tried again at least this often

LEASE_SECONDS = 30.0  # a claimed row is left to another relay after this: longer than a batch's publishing

_t = outbox_table
_IDS = bindparam("ids", type_=ARRAY(BigInteger))
_DUE = (select(_t.c.id)
        .where(_t.c.published_at.is_(None), or_(_t.c.retry_at.is_(None), _t.c.retry_at <= func.now()),
               or_(_t.c.claimed_until.is_(None), _t.c.claimed_until <= func.now()))
        .order_by(_t.c.id).limit(bindparam("limit"))
        .with_for_update(skip_locked=True))
# the batch claimed and read in one statement, run on its own (autocommit): the lease holds it, no transaction.
# The payload of a row that came back before is not read here: a backlog no queue is bound for comes due again
# and again, and reading its payloads each time (an import's change events are large) would keep the rows after
# it waiting; such a row's payload is read once its routing key is known to route (``_payloads``)
_CLAIM = (update(_t).where(_t.c.id.in_(_DUE.scalar_subquery()))
          .values(claimed_until=func.now() + func.make_interval(0, 0, 0, 0, 0, 0, bindparam("lease")))
          .returning(_t.c.id, _t.c.event_id, _t.c.exchange, _t.c.routing_key,
                     case((_t.c.unroutable == 0, _t.c.payload)).label("payload"), _t.c.headers))
_PAYLOADS = select(_t.c.id, _t.c.payload).where(_t.c.id == any_(_IDS))
_SENT = update(_t).where(_t.c.id == any_(_IDS)).values(published_at=func.now(), retry_at=None, claimed_until=None)
_RETURNED = update(_t).where(_t.c.id == any_(_IDS)).values(
    unroutable=_t.c.unroutable + 1, claimed_until=None,
    retry_at=func.now() + func.make_interval(0, 0, 0, 0, 0, 0, func.least(MAX_RETRY_SECONDS, func.power(2, _t.c.unroutable))),
)
_RELEASED = update(_t).where(_t.c.id == any_(_IDS)).values(claimed_until=None)


class Unroutable(Exception):
    """The broker returned the event: no queue is bound for its routing key."""


class OutboxRelay:
    def __init__(self, engine: Engine, amqp_uri: str, poll_seconds: float = 0.5, batch_size: int = 200,
                 service: str = "-", lease_seconds: float = LEASE_SECONDS):
        self.engine = engine
        self._autocommit = autocommit_engine(engine)  # each statement its own
        self.lease_seconds = lease_seconds
        self.service = service  # the label of its metrics
        self.amqp_uri = amqp_uri
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self._wake = threading.Event()
        self._running = False
        self._connection: kombu.Connection | None = None
        self._producer: kombu.Producer | None = None
        self._exchanges: dict[str, kombu.Exchange] = {}
        self._returned = False

    # -- control -------------------------------------------------------------
    def wake(self) -> None:
        """Called after a commit that emitted events: publish now, not at the next poll."""
        self._wake.set()

    def stop(self) -> None:
        self._running = False
        self._wake.set()

    def run(self) -> None:
        self._running = True
        failures = 0
        while self._running:
            self._wake.wait(timeout=self.poll_seconds if failures == 0 else min(5.0, 0.2 * 2 ** failures))
            self._wake.clear()
            if not self._running:
                break
            try:
                while self._running and self.publish_pending() == self.batch_size:
                    pass
                if failures:
                    log.info("outbox relay: broker reachable again, backlog published")
                failures = 0
            except Exception as exc:  # broker or database away: the rows wait
                failures += 1
                OUTBOX_FAILURES.labels(self.service).inc()
                log.warning("outbox relay: publish failed (%s: %s); retrying", type(exc).__name__, exc)
                self._disconnect()
        self._disconnect()

    # -- work ----------------------------------------------------------------
    def publish_pending(self) -> int:
        """Publish one batch of due unsent events; returns how many were tried (sent or returned)."""
        rows = self.claim()
        if not rows:
            return 0
        sent, returned, no_route, routes = [], [], set(), set()
        payloads = {row.id: row.payload for row in rows if row.payload is not None}
        try:
            for i, row in enumerate(rows):
                # routing depends on the exchange and the key only: once one came back, the others would too
                key = (row.exchange, row.routing_key)
                if key in no_route:
                    returned.append(row)
                    continue
                if row.id not in payloads:
                    payloads.update(self._payloads(rows[i:], no_route, routes))
                    if row.id not in payloads:  # gone meanwhile: released, not tried
                        continue
                try:
                    self._publish(row.exchange, row.routing_key, payloads.pop(row.id), row.headers)
                    sent.append(row.id)
                    routes.add(key)
                except Unroutable:
                    returned.append(row)
                    no_route.add(key)
        finally:
            # what was published is marked sent; what was not tried (the broker went away) is released for the
            # next round rather than left to its lease. If these marks fail, the lease ends and the rows are
            # published again: at least once, never lost.
            tried = set(sent) | {row.id for row in returned}
            untried = [row.id for row in rows if row.id not in tried]
            with self._autocommit.connect() as conn:
                if sent:
                    conn.execute(_SENT, {"ids": sent})
                if returned:
                    conn.execute(_RETURNED, {"ids": [r.id for r in returned]})
                if untried:
                    conn.execute(_RELEASED, {"ids": untried})
            # counted once the marks are stored (rows whose marks failed are published again: counted then)
            for row in returned:
                EVENTS_PUBLISHED.labels(self.service, row.routing_key, "unroutable").inc()
            if sent:
                done = set(sent)
                for key, n in Counter(row.routing_key for row in rows if row.id in done).items():
                    EVENTS_PUBLISHED.labels(self.service, key, "sent").inc(n)
        if returned:
            keys = sorted({f"{r.exchange}/{r.routing_key}" for r in returned})
            log.warning("outbox relay: %d event(s) unroutable, no queue bound for %s; kept, to be tried again",
                        len(returned), ", ".join(keys))
        return len(rows)

    def claim(self) -> list:
        """A batch of due unsent rows, in order, claimed for ``lease_seconds`` (committed at once); ``payload`` is
        None for a row that came back before (read by ``_payloads`` when it is to be tried)."""
        with self._autocommit.connect() as conn:
            rows = conn.execute(_CLAIM, {"limit": self.batch_size, "lease": self.lease_seconds}).all()
        return sorted(rows, key=lambda row: row.id)

    def _payloads(self, ahead: list, no_route: set, routes: set) -> dict:
        """The payloads, by id, of the rows ``ahead`` that came back before and will be tried: those whose key now
        routes, and the first of each key not tried yet in this batch (should it come back again, the others are
        returned unread)."""
        ids, probed = [], set()
        for row in ahead:
            key = (row.exchange, row.routing_key)
            if row.payload is not None or key in no_route or (key not in routes and key in probed):
                continue
            probed.add(key)
            ids.append(row.id)
        with self._autocommit.connect() as conn:
            return dict(conn.execute(_PAYLOADS, {"ids": ids}).all())

    def _publish(self, exchange_name: str, routing_key: str, payload: dict, headers: dict) -> None:
        """Publish one event and wait for its confirm; ``Unroutable`` if the broker returned it."""
        for attempt in (1, 2):
            try:
                producer = self._get_producer()
                exchange = self._exchanges.get(exchange_name)
                if exchange is None:
                    exchange = kombu.Exchange(exchange_name, type="topic", durable=True, delivery_mode="persistent")
                    self._exchanges[exchange_name] = exchange
                self._returned = False
                # mandatory: an event no queue is bound for comes back (basic.return, always before the
                # confirm of the same message, so known once publish returns) instead of being dropped
                producer.publish(
                    payload, exchange=exchange, routing_key=routing_key, headers=headers,
                    serializer="json", delivery_mode=2, declare=[exchange], retry=False,
                    confirm_timeout=10, mandatory=True,
                )
                if self._returned:
                    raise Unroutable(routing_key)
                return
            except (OSError, kombu.exceptions.OperationalError, kombu.exceptions.ConnectionError):
                # A connection idle for long may be dead without our knowing: one fresh try.
                self._disconnect()
                if attempt == 2:
                    raise

    def _get_producer(self) -> kombu.Producer:
        if self._producer is None:
            self._connection = kombu.Connection(
                self.amqp_uri, connect_timeout=5, transport_options={"confirm_publish": True},
            )
            self._connection.ensure_connection(max_retries=1)
            self._producer = kombu.Producer(self._connection, on_return=self._on_return)
            self._exchanges.clear()
        return self._producer

    def _on_return(self, exc, exchange, routing_key, message) -> None:
        # a handler, so that py-amqp goes on waiting for the confirm rather than raising in the middle
        self._returned = True

    def _disconnect(self) -> None:
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # already broken
                pass
        self._connection = None
        self._producer = None


# -- operators ---------------------------------------------------------------------------------------

def unroutable_events(engine: Engine, limit: int = 100) -> dict:
    """Events waiting because the broker returned them (no queue bound), by routing key, with the oldest."""
    t = outbox_table
    waiting = and_(t.c.published_at.is_(None), t.c.unroutable > 0)
    with engine.connect() as conn:
        by_key = conn.execute(
            select(t.c.exchange, t.c.routing_key, func.count().label("count"), func.min(t.c.created_at).label("oldest"),
                   func.max(t.c.unroutable).label("returns"))
            .where(waiting).group_by(t.c.exchange, t.c.routing_key).order_by(t.c.exchange, t.c.routing_key)).all()
        rows = conn.execute(
            select(t.c.event_id, t.c.routing_key, t.c.created_at, t.c.unroutable, t.c.retry_at)
            .where(waiting).order_by(t.c.id).limit(limit)).all()
    return {
        "by_routing_key": [{"exchange": r.exchange, "routing_key": r.routing_key, "count": r.count,
                            "oldest": r.oldest.isoformat(), "returns": r.returns} for r in by_key],
        "events": [{"event_id": str(r.event_id), "routing_key": r.routing_key, "created_at": r.created_at.isoformat(),
                    "returns": r.unroutable, "retry_at": r.retry_at.isoformat() if r.retry_at else None}
                   for r in rows],
    }


def replay(engine: Engine, since: datetime, routing_key: str | None = None) -> int:
    """Publish again the events published since ``since`` (of one routing key, or all) still in the history,
    and try the waiting unroutable ones at once; how many rows. For a consumer that comes later or lost its
    queue: bind the queue first, then replay; consumers already holding an event ignore it (``event_id``)."""
    t = outbox_table
    history = or_(t.c.published_at >= since, and_(t.c.published_at.is_(None), t.c.unroutable > 0))
    query = update(t).where(history).values(published_at=None, retry_at=None, claimed_until=None)
    if routing_key:
        query = query.where(t.c.routing_key == routing_key)
    with engine.begin() as conn:
        return conn.execute(query).rowcount
