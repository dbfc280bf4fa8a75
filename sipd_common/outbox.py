"""The outbox relay: publishes committed events, with publisher confirms, then marks them sent.

A state change and its events commit in one transaction (``UnitOfWork.emit``);
this relay reads the unsent rows (``FOR UPDATE SKIP LOCKED``, so several
instances of a service share the work without sending a row twice at once),
publishes each as a persistent message and waits for the broker's confirm, and
only then marks the rows sent. If the broker is gone the rows simply wait; the
relay retries with back-off. Delivery is at least once: consumers de-duplicate.
"""
from __future__ import annotations

import logging
import threading
import time

import kombu
from sqlalchemy import ARRAY, BigInteger, any_, bindparam, delete, func, literal_column, select, update
from sqlalchemy.engine import Engine

from .tables import outbox_table

log = logging.getLogger(__name__)

RETENTION = "7 days"  # published rows kept this long for inspection

_t = outbox_table
_UNSENT = (select(_t.c.id, _t.c.exchange, _t.c.routing_key, _t.c.payload, _t.c.headers)
           .where(_t.c.published_at.is_(None)).order_by(_t.c.id).limit(bindparam("limit"))
           .with_for_update(skip_locked=True))
_SENT = update(_t).where(_t.c.id == any_(bindparam("ids", type_=ARRAY(BigInteger)))).values(published_at=func.now())


class OutboxRelay:
    def __init__(self, engine: Engine, amqp_uri: str, poll_seconds: float = 0.5, batch_size: int = 200):
        self.engine = engine
        self.amqp_uri = amqp_uri
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self._wake = threading.Event()
        self._running = False
        self._connection: kombu.Connection | None = None
        self._producer: kombu.Producer | None = None
        self._exchanges: dict[str, kombu.Exchange] = {}
        self._last_cleanup = 0.0

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
                self._cleanup()
                if failures:
                    log.info("outbox relay: broker reachable again, backlog published")
                failures = 0
            except Exception as exc:  # broker or database away: the rows wait
                failures += 1
                log.warning("outbox relay: publish failed (%s: %s); retrying", type(exc).__name__, exc)
                self._disconnect()
        self._disconnect()

    # -- work ----------------------------------------------------------------
    def publish_pending(self) -> int:
        """Publish one batch of unsent events; returns how many were sent."""
        with self.engine.begin() as conn:
            rows = conn.execute(_UNSENT, {"limit": self.batch_size}).all()
            if not rows:
                return 0
            for row in rows:
                self._publish(row.exchange, row.routing_key, row.payload, row.headers)
            conn.execute(_SENT, {"ids": [r.id for r in rows]})
        return len(rows)

    def _publish(self, exchange_name: str, routing_key: str, payload: dict, headers: dict) -> None:
        for attempt in (1, 2):
            try:
                producer = self._get_producer()
                exchange = self._exchanges.get(exchange_name)
                if exchange is None:
                    exchange = kombu.Exchange(exchange_name, type="topic", durable=True, delivery_mode="persistent")
                    self._exchanges[exchange_name] = exchange
                producer.publish(
                    payload, exchange=exchange, routing_key=routing_key, headers=headers,
                    serializer="json", delivery_mode=2, declare=[exchange], retry=False,
                    confirm_timeout=10,
                )
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
            self._producer = kombu.Producer(self._connection)
            self._exchanges.clear()
        return self._producer

    def _disconnect(self) -> None:
        if self._connection is not None:
            try:
                self._connection.release()
            except Exception:  # already broken
                pass
        self._connection = None
        self._producer = None

    def _cleanup(self) -> None:
        now = time.monotonic()
        if now - self._last_cleanup < 3600:
            return
        self._last_cleanup = now
        with self.engine.begin() as conn:
            conn.execute(delete(outbox_table).where(
                outbox_table.c.published_at < func.now() - literal_column(f"interval '{RETENTION}'")
            ))
